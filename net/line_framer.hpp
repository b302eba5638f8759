// Cuts a client's byte stream into lines (PROTOCOL.md, "Transport"). CRLF, LF,
// CR NUL and a bare CR each end a line (a CR then an LF or NUL counts once, also
// when split across reads), because telnet in character mode and Windows telnet
// send CR NUL or a bare CR for Enter. BS and DEL erase the previous character
// (all the bytes of one UTF-8 character) before the line is checked, because a
// telnet in character mode sends them instead of editing locally. Telnet IAC
// sequences are stripped; lines over the limit and lines that are not valid
// UTF-8 are reported instead of passed on.
// One framer per connection; not thread-safe (owned by the connection's broker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
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
  // Empty lines (after IAC stripping and erasing) are skipped. A line longer
  // than max_line_bytes is reported once, as too_long, when its end arrives,
  // and its bytes are discarded as they come: memory held never exceeds the
  // limit. Once over the limit a line stays too_long: erasing does not bring
  // back bytes that were dropped.
  void feed(const char* data, std::size_t size, std::vector<framed_line>& out);

  // Bytes held for the unfinished line (at most max_line_bytes).
  std::size_t buffered() const { return partial_.size(); }

  // True once the client has sent a telnet command (IAC followed by anything
  // but IAC): it is a telnet client, which may be sent telnet commands too.
  bool saw_telnet() const { return saw_telnet_; }

  // The option negotiations (WILL, WONT, DO, DONT and their option) received
  // since the last call, two bytes each, in order; the framer forgets them.
  std::string take_negotiation() { return std::exchange(negotiation_, {}); }

 private:
  enum class telnet_state : uint8_t { data, iac, option, subneg, subneg_iac };
  void data_byte(char byte, std::vector<framed_line>& out);
  void append(char byte);
  void erase_character();
  void end_line(std::vector<framed_line>& out);

  std::size_t max_line_bytes_;
  std::string partial_;
  bool overflowed_ = false;
  bool after_cr_ = false;  // a CR ended the last line: an LF or NUL next is part of it
  bool saw_telnet_ = false;
  unsigned char verb_ = 0;   // the WILL/WONT/DO/DONT whose option byte comes next
  std::string negotiation_;  // see take_negotiation()
  telnet_state telnet_ = telnet_state::data;
};

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(const std::string& text);

}  // namespace chat::net
