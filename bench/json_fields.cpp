#include "bench/json_fields.hpp"

namespace bench {

json_object_reader::json_object_reader(std::string_view line) : text_(line) {
  skip_space();
  if (pos_ >= text_.size() || text_[pos_] != '{') {
    fail();
    return;
  }
  ++pos_;
}

bool json_object_reader::fail() {
  ok_ = false;
  done_ = true;
  return false;
}

void json_object_reader::skip_space() {
  while (pos_ < text_.size() &&
         (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' || text_[pos_] == '\n'))
    ++pos_;
}

bool json_object_reader::read_string(std::string_view& out) {
  std::size_t start = ++pos_;  // past the opening quote
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '\\') {
      pos_ += 2;  // the escaped character can be a quote; \uXXXX digits are plain
    } else if (c == '"') {
      out = text_.substr(start, pos_ - start);
      ++pos_;
      return true;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      return false;  // control characters must be escaped in JSON
    } else {
      ++pos_;
    }
  }
  return false;
}

bool json_object_reader::skip_nested() {
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '"') {
      std::string_view ignored;
      if (!read_string(ignored)) return false;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ++pos_;
    if (depth == 0) return true;
  }
  return false;
}

bool json_object_reader::read_scalar(std::string_view& out) {
  std::size_t start = pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
    if (c == '"' || c == '{' || c == '[' || c == ']' || c == ':') return false;
    ++pos_;
  }
  out = text_.substr(start, pos_ - start);
  return !out.empty();
}

bool json_object_reader::close_object() {
  ++pos_;  // past '}'
  done_ = true;
  skip_space();
  if (pos_ != text_.size()) ok_ = false;  // trailing bytes after the object
  return ok_;
}

bool json_object_reader::next(json_field& field) {
  if (done_) return false;
  skip_space();
  if (pos_ >= text_.size()) return fail();
  if (text_[pos_] == '}') {
    if (after_comma_) return fail();  // a comma promised another member
    close_object();
    return false;
  }
  if (text_[pos_] != '"' || !read_string(field.key)) return fail();
  skip_space();
  if (pos_ >= text_.size() || text_[pos_] != ':') return fail();
  ++pos_;
  skip_space();
  if (pos_ >= text_.size()) return fail();
  std::size_t start = pos_;
  char c = text_[pos_];
  if (c == '"') {
    field.is_string = true;
    if (!read_string(field.value)) return fail();
  } else if (c == '{' || c == '[') {
    field.is_string = false;
    if (!skip_nested()) return fail();
    field.value = text_.substr(start, pos_ - start);
  } else {
    field.is_string = false;
    if (!read_scalar(field.value)) return fail();
  }
  skip_space();
  if (pos_ >= text_.size()) return fail();
  if (text_[pos_] == ',') {
    ++pos_;
    after_comma_ = true;
    return true;
  }
  if (text_[pos_] == '}') {
    after_comma_ = false;
    return close_object();  // this member still counts if the object ends cleanly
  }
  return fail();
}

}  // namespace bench
