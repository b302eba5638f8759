// Fuzzes net::line_framer with arbitrary byte streams cut into arbitrary pieces.
//
// Input layout: byte 0 picks the line limit, byte 1 how the stream is cut into
// feed() calls, byte 2 where a telnet sequence is inserted for the telnet check;
// the rest is the stream a client sends.
//
// Invariants: the framer never holds more than the limit; every ok line is
// non-empty valid UTF-8 without LF, CR, BS or DEL and within the limit; how the stream is cut
// never changes the lines; feed() only appends; is_valid_utf8 agrees with an
// independent decoder; and for streams without IAC bytes the lines are exactly
// those of a plain reference model (LF, CR, CRLF and CR NUL each end a line,
// BS and DEL erase one character unless the line is already over the limit,
// empty lines are skipped, too_long comes before bad_encoding), also after a
// complete telnet negotiation sequence is inserted anywhere, even between CR
// and LF or inside a UTF-8 character that is then erased.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.hpp"
#include "net/line_framer.hpp"

namespace {

using chat::net::framed_line;
using chat::net::line_framer;
using chat::net::line_status;

constexpr std::size_t default_limit = 4096;

struct framing {
  std::vector<framed_line> lines;
  std::size_t buffered = 0;
};

bool same_lines(const std::vector<framed_line>& a, const std::vector<framed_line>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].status != b[i].status || a[i].text != b[i].text) return false;
  }
  return true;
}

// A tiny deterministic generator for the cut positions (xorshift32).
struct cut_generator {
  uint32_t state;
  std::size_t max_piece;
  std::size_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state % (max_piece + 1);  // zero-length feeds are legal too
  }
};

void check_line(const framed_line& line, std::size_t limit) {
  if (line.status != line_status::ok) {
    FUZZ_CHECK(line.text.empty());
    return;
  }
  FUZZ_CHECK(!line.text.empty());
  FUZZ_CHECK(line.text.size() <= limit);
  FUZZ_CHECK(line.text.find_first_of("\n\r\b\x7f") == std::string::npos);
  FUZZ_CHECK(chat::fuzz::valid_utf8(line.text));
}

// Feeds `stream` in pieces whose sizes come from `next_piece`, checking the
// invariants that must hold after every feed() call.
template <class NextPiece>
framing feed_in_pieces(std::string_view stream, std::size_t limit, NextPiece next_piece) {
  line_framer framer(limit);
  // A sentinel in front: feed() must append to `out`, never clear or rewrite it.
  std::vector<framed_line> out{framed_line{"sentinel", line_status::ok}};
  std::size_t pos = 0;
  while (pos < stream.size()) {
    const std::size_t piece = std::min(next_piece(), stream.size() - pos);
    const std::size_t before = out.size();
    framer.feed(stream.data() + pos, piece, out);
    FUZZ_CHECK(framer.buffered() <= limit);
    FUZZ_CHECK(out.size() >= before);
    FUZZ_CHECK(out.front().text == "sentinel");
    for (std::size_t i = before; i < out.size(); ++i) check_line(out[i], limit);
    pos += piece;
  }
  out.erase(out.begin());
  return {std::move(out), framer.buffered()};
}

framing feed_whole(std::string_view stream, std::size_t limit) {
  return feed_in_pieces(stream, limit, [&] { return stream.size(); });
}

// What the framer must produce for a stream without telnet commands.
framing reference_framing(std::string_view stream, std::size_t limit) {
  framing result;
  std::string line;
  bool over = false;      // the line passed the limit: it is reported too_long
  bool after_cr = false;  // an LF or NUL right after a CR belongs to its line end
  auto finish = [&] {
    if (over) {
      result.lines.push_back({"", line_status::too_long});
    } else if (!line.empty()) {
      if (chat::fuzz::valid_utf8(line))
        result.lines.push_back({line, line_status::ok});
      else
        result.lines.push_back({"", line_status::bad_encoding});
    }
    line.clear();
    over = false;
  };
  for (char c : stream) {
    const bool follows_cr = after_cr;
    after_cr = false;
    if (follows_cr && (c == '\n' || c == '\0')) continue;
    if (c == '\r' || c == '\n') {
      finish();
      after_cr = c == '\r';
    } else if (c == '\b' || c == '\x7f') {
      if (over || line.empty()) continue;
      // One character: up to three continuation bytes and the byte before them.
      int continuation = 0;
      while (continuation < 3 && line.size() > 1 &&
             (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) {
        line.pop_back();
        ++continuation;
      }
      line.pop_back();
    } else if (!over) {
      if (line.size() == limit) {
        over = true;
        line.clear();
      } else {
        line += c;
      }
    }
  }
  result.buffered = line.size();
  return result;
}

// Complete telnet sequences a client may send in the middle of a line.
constexpr std::string_view telnet_sequences[] = {
    std::string_view("\xFF\xF1", 2),                  // IAC NOP
    std::string_view("\xFF\xFB\x01", 3),              // IAC WILL ECHO
    std::string_view("\xFF\xFD\x03", 3),              // IAC DO SUPPRESS-GO-AHEAD
    std::string_view("\xFF\xFA\x18\x01\xFF\xF0", 6),  // IAC SB TERMINAL-TYPE SEND IAC SE
};

void check_against_reference(std::string_view stream, std::size_t limit, const framing& actual,
                             uint8_t telnet_selector) {
  const framing expected = reference_framing(stream, limit);
  FUZZ_CHECK(same_lines(actual.lines, expected.lines));
  FUZZ_CHECK(actual.buffered == expected.buffered);

  // Negotiation is stripped wherever it comes, even inside a UTF-8 sequence.
  const std::size_t at = stream.size() * (telnet_selector >> 2) / 63;
  std::string with_telnet(stream.substr(0, at));
  with_telnet += telnet_sequences[telnet_selector & 3];
  with_telnet += stream.substr(at);
  FUZZ_CHECK(same_lines(feed_whole(with_telnet, limit).lines, expected.lines));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t limit = data[0] >= 0x80 ? default_limit : std::size_t{data[0]} + 1;
  const uint8_t cut_selector = data[1];
  const uint8_t telnet_selector = data[2];
  const std::string_view stream(reinterpret_cast<const char*>(data + 3), size - 3);

  FUZZ_CHECK(chat::net::is_valid_utf8(std::string(stream)) == chat::fuzz::valid_utf8(stream));

  const framing whole = feed_whole(stream, limit);
  // The state must not be 0, where xorshift stays (and every piece would be empty).
  const uint32_t seed =
      (0x9E3779B9u ^ (uint32_t{cut_selector} << 8) ^ static_cast<uint32_t>(size)) | 1u;
  cut_generator cuts{seed, std::size_t{1} << (cut_selector & 7)};
  const framing split = feed_in_pieces(stream, limit, [&] { return cuts.next(); });
  const framing bytewise = feed_in_pieces(stream, limit, [] { return std::size_t{1}; });
  FUZZ_CHECK(same_lines(whole.lines, split.lines));
  FUZZ_CHECK(same_lines(whole.lines, bytewise.lines));
  FUZZ_CHECK(whole.buffered == split.buffered && whole.buffered == bytewise.buffered);

  std::size_t line_ends = 0;
  for (char c : stream) line_ends += c == '\n' || c == '\r';
  FUZZ_CHECK(whole.lines.size() <= line_ends);

  if (stream.find('\xFF') == std::string_view::npos) {
    check_against_reference(stream, limit, whole, telnet_selector);
  }
  return 0;
}
