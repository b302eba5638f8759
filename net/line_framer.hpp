// Cuts a client's byte stream into lines (PROTOCOL.md, "Transport"): LF ends a
// line, a CR before it is dropped, telnet IAC sequences are stripped, lines over
// the limit and lines that are not valid UTF-8 are reported instead of passed on.
// One framer per connection; not thread-safe (owned by the connection's broker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chat::net {

enum class line_status : uint8_t { ok, too_long, bad_encoding };

// One framed line. For too_long and bad_encoding, `text` is empty.
struct framed_line {
  std::string text;
  line_status status = line_status::ok;
};

class line_framer {
 public:
  explicit line_framer(std::size_t max_line_bytes);

  // Consumes `size` bytes and appends every line they complete to `out`.
  // Empty lines (after CR and IAC stripping) are skipped. A line longer than
  // max_line_bytes is reported once, as too_long, when its LF arrives, and its
  // bytes are discarded as they come: memory held never exceeds the limit.
  void feed(const char* data, std::size_t size, std::vector<framed_line>& out);

  // Bytes held for the unfinished line (at most max_line_bytes).
  std::size_t buffered() const { return partial_.size(); }

 private:
  enum class telnet_state : uint8_t { data, iac, option, subneg, subneg_iac };
  void push_byte(char byte);
  void append(char byte);
  void end_line(std::vector<framed_line>& out);

  std::size_t max_line_bytes_;
  std::string partial_;
  bool overflowed_ = false;
  bool pending_cr_ = false;  // a CR not yet known to be the end of the line
  telnet_state telnet_ = telnet_state::data;
};

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(const std::string& text);

}  // namespace chat::net
