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
constexpr char nul = '\0';
constexpr char backspace = '\b';
constexpr char del = '\x7f';

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
        } else {
          data_byte(static_cast<char>(byte), out);
        }
        break;
      case telnet_state::iac:
        // IAC IAC is a data byte 0xFF; IAC <other command> is two bytes, stripped.
        telnet_ = telnet_state::data;
        if (byte == iac) {
          data_byte(static_cast<char>(byte), out);
          break;
        }
        saw_telnet_ = true;
        if (byte >= will && byte <= dont) {
          telnet_ = telnet_state::option;
          verb_ = byte;
        }
        if (byte == sb) telnet_ = telnet_state::subneg;
        break;
      case telnet_state::option:
        telnet_ = telnet_state::data;
        // Kept for the negotiation to answer (telnet_options.hpp); a read is
        // at most read_chunk_bytes, so this holds a third of that at most.
        negotiation_.push_back(static_cast<char>(verb_));
        negotiation_.push_back(static_cast<char>(byte));
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

// A CR ends the line at once (Enter in character mode may be a bare CR, and
// nothing more comes until the user types again); the LF or NUL of CRLF or
// CR NUL that may follow, in this read or the next, belongs to that line end.
// Telnet commands between the two leave this unchanged.
void line_framer::data_byte(char byte, std::vector<framed_line>& out) {
  bool follows_cr = after_cr_;
  after_cr_ = false;
  if (follows_cr && (byte == lf || byte == nul)) return;
  if (byte == cr) {
    end_line(out);
    after_cr_ = true;
  } else if (byte == lf) {
    end_line(out);
  } else if (byte == backspace || byte == del) {
    erase_character();
  } else {
    append(byte);
  }
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

// Removes the last character: its continuation bytes (at most three) and the
// byte before them. A line already over the limit stays over it.
void line_framer::erase_character() {
  if (overflowed_ || partial_.empty()) return;
  for (int continuation = 0; continuation < 3 && partial_.size() > 1 &&
                             is_continuation(static_cast<unsigned char>(partial_.back()));
       ++continuation)
    partial_.pop_back();
  partial_.pop_back();
}

void line_framer::end_line(std::vector<framed_line>& out) {
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
