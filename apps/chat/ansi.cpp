#include "apps/chat/ansi.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace chat::client::ansi {

std::string paint(std::string_view text, std::string_view style, bool on) {
  if (!on || text.empty()) return std::string(text);
  std::string out;
  out.reserve(style.size() + text.size() + reset.size());
  out.append(style).append(text).append(reset);
  return out;
}

std::string_view nick_colour(std::string_view nick) {
  // Bright colours readable on dark and light backgrounds; no blue (too dark
  // on black), no red (kept for errors).
  static constexpr std::array<std::string_view, 6> palette = {"\033[32m", "\033[33m", "\033[35m",
                                                              "\033[36m", "\033[92m", "\033[95m"};
  uint32_t hash = 2166136261u;  // FNV-1a
  for (unsigned char c : nick) {
    hash ^= static_cast<uint32_t>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    hash *= 16777619u;
  }
  return palette[hash % palette.size()];
}

bool colour_wanted(bool output_is_tty, const char* no_color, const char* term, bool refused) {
  if (refused || !output_is_tty) return false;
  if (no_color != nullptr && no_color[0] != '\0') return false;
  if (term == nullptr || std::strcmp(term, "dumb") == 0) return false;
  return true;
}

}  // namespace chat::client::ansi
