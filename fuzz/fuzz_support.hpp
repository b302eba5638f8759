// Helpers shared by the fuzz targets: an invariant check that names the broken
// rule, and a reference UTF-8 decoder written independently of the code under
// test, so that a bug in net::is_valid_utf8 cannot hide itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

// libFuzzer treats abort() as a crash and saves the input; the message says
// which invariant failed, which a bare __builtin_trap() would not.
#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace chat::fuzz {

// Decodes the code point at text[pos]. Returns the number of bytes it takes,
// or 0 if the bytes there are not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF).
inline std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& cp) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  std::size_t len = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - pos < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

inline bool valid_utf8(std::string_view text) {
  char32_t cp = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t len = decode_utf8(text, pos, cp);
    if (len == 0) return false;
    pos += len;
  }
  return true;
}

// The code points of valid UTF-8 `text`.
inline std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  char32_t cp = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t len = decode_utf8(text, pos, cp);
    FUZZ_CHECK(len != 0);
    out.push_back(cp);
    pos += len;
  }
  return out;
}

// `text` with every ill-formed byte dropped: valid UTF-8 that keeps whatever
// the fuzzer put there otherwise (controls, quotes, escapes, NULs).
inline std::string keep_valid_utf8(std::string_view text) {
  std::string out;
  char32_t cp = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t len = decode_utf8(text, pos, cp);
    if (len == 0) {
      ++pos;
      continue;
    }
    out.append(text.substr(pos, len));
    pos += len;
  }
  return out;
}

// Unicode general category Cc: C0 controls, DEL and the C1 controls (U+0080..U+009F,
// which some terminals obey as escape sequences just like ESC).
inline bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

inline bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

inline std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace chat::fuzz
