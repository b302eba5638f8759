#include "net/line_framer.hpp"

namespace chat::net {
namespace {

// Telnet command bytes (RFC 854).
constexpr unsigned char iac = 255;
constexpr unsigned char sb = 250;
constexpr unsigned char se = 240;
constexpr unsigned char will = 251;
constexpr unsigned char dont = 254;  // WILL, WONT, DO and DONT are 251..254

constexpr char lf = '\n';
constexpr char cr = '\r';

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The length of the well-formed sequence at p[0..left), or 0 if there is none.
// The second byte's range is what rules out overlongs, surrogates and values
// past U+10FFFF (Unicode 15, table 3-7).
std::size_t sequence_length(const unsigned char* p, std::size_t left) {
  unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (left < length || p[1] < low || p[1] > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (!is_continuation(p[i])) return 0;
  return length;
}

}  // namespace

bool is_valid_utf8(const std::string& text) {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t left = text.size();
  while (left > 0) {
    auto length = sequence_length(p, left);
    if (length == 0) return false;
    p += length;
    left -= length;
  }
  return true;
}

line_framer::line_framer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

void line_framer::feed(const char* data, std::size_t size, std::vector<framed_line>& out) {
  for (std::size_t i = 0; i < size; ++i) {
    auto byte = static_cast<unsigned char>(data[i]);
    switch (telnet_) {
      case telnet_state::data:
        if (byte == iac) {
          telnet_ = telnet_state::iac;
        } else if (byte == lf) {
          end_line(out);
        } else {
          push_byte(static_cast<char>(byte));
        }
        break;
      case telnet_state::iac:
        // IAC IAC is a data byte 0xFF; IAC <other command> is two bytes, stripped.
        telnet_ = telnet_state::data;
        if (byte == iac) push_byte(static_cast<char>(byte));
        if (byte >= will && byte <= dont) telnet_ = telnet_state::option;
        if (byte == sb) telnet_ = telnet_state::subneg;
        break;
      case telnet_state::option:
        telnet_ = telnet_state::data;
        break;
      // Subnegotiation data is binary (a window size may contain 0x0A): only
      // IAC SE ends it, and IAC IAC inside it is an escaped data byte.
      case telnet_state::subneg:
        if (byte == iac) telnet_ = telnet_state::subneg_iac;
        break;
      case telnet_state::subneg_iac:
        telnet_ = byte == se ? telnet_state::data : telnet_state::subneg;
        break;
    }
  }
}

// A CR is held back until the next byte shows whether it ends the line: a line
// of exactly max_line_bytes followed by CRLF must still fit.
void line_framer::push_byte(char byte) {
  if (pending_cr_) {
    pending_cr_ = false;
    append(cr);
  }
  if (byte == cr) {
    pending_cr_ = true;
    return;
  }
  append(byte);
}

// Bytes past the limit are dropped as they come, so a client streaming
// megabytes without a newline costs no more memory than one full line.
void line_framer::append(char byte) {
  if (overflowed_) return;
  if (partial_.size() >= max_line_bytes_) {
    overflowed_ = true;
    partial_.clear();
    partial_.shrink_to_fit();
    return;
  }
  partial_.push_back(byte);
}

void line_framer::end_line(std::vector<framed_line>& out) {
  pending_cr_ = false;
  while (!partial_.empty() && partial_.back() == cr) partial_.pop_back();
  if (overflowed_) {
    out.push_back({"", line_status::too_long});
  } else if (!partial_.empty()) {
    if (is_valid_utf8(partial_))
      out.push_back({std::move(partial_), line_status::ok});
    else
      out.push_back({"", line_status::bad_encoding});
  }
  overflowed_ = false;
  partial_.clear();
}

}  // namespace chat::net
