// Reads the top-level members of one JSON object line without building a
// tree. chat-bench sees up to a million server lines a second and needs only
// a few short string fields of each ("type", "cmd", "code", "text"); a full
// parser would make the load generator the bottleneck it is meant to measure.
// Strings are returned raw (escape sequences left as written); nested objects
// and arrays are skipped as a whole, strings inside them included. Pure.
#pragma once

#include <string_view>

namespace bench {

struct json_field {
  std::string_view key;    // raw, without quotes
  std::string_view value;  // strings: raw text between the quotes; others: as written
  bool is_string = false;
};

class json_object_reader {
 public:
  explicit json_object_reader(std::string_view line);

  // Moves to the next top-level member. False at the end of the object or on
  // malformed input; ok() tells the two apart.
  bool next(json_field& field);
  bool ok() const { return ok_; }

 private:
  bool fail();
  void skip_space();
  bool read_string(std::string_view& out);  // at '"': the raw content
  bool skip_nested();                       // at '{' or '[': past its match
  bool read_scalar(std::string_view& out);  // number, true, false, null
  bool close_object();                      // at '}': ends the object

  std::string_view text_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  bool done_ = false;
  bool after_comma_ = false;  // the last member ended with ','
};

}  // namespace bench
