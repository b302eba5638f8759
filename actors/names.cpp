#include "actors/names.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace chat {
namespace {

bool is_letter_or_digit(utf8proc_category_t cat) {
  switch (cat) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
      return true;
    default:
      return false;
  }
}

bool is_mark(utf8proc_category_t cat) {
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

// Marks only after the first character: a name that starts with a combining
// mark would visually merge with whatever is printed before it.
bool is_allowed(utf8proc_int32_t cp, bool first) {
  if (cp == '_' || cp == '-' || cp == '.') return true;
  auto cat = utf8proc_category(cp);
  return is_letter_or_digit(cat) || (!first && is_mark(cat));
}

const char* kind_word(name_kind kind) {
  return kind == name_kind::nick ? "nick" : "room name";
}

std::size_t max_chars(name_kind kind) {
  return kind == name_kind::nick ? max_nick_chars : max_room_chars;
}

// Names the offending character by code point, never by the character itself:
// it may be a control character that must not reach anyone's terminal.
std::string bad_char_error(utf8proc_int32_t cp, std::size_t position, name_kind kind) {
  char code[16];
  std::snprintf(code, sizeof(code), "U+%04X", static_cast<unsigned>(cp));
  return std::string{"character "} + std::to_string(position) + " (" + code +
         ") is not allowed in a " + kind_word(kind) + ": use letters, digits, '_', '-' or '.'";
}

std::string length_error(name_kind kind) {
  return std::string{"a "} + kind_word(kind) + " must be 1 to " + std::to_string(max_chars(kind)) +
         " characters long";
}

}  // namespace

std::optional<std::string> name_error(std::string_view name, name_kind kind) {
  if (name.empty()) return length_error(kind);
  auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(name.data());
  auto left = static_cast<utf8proc_ssize_t>(name.size());
  std::size_t count = 0;
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(bytes, left, &cp);
    if (used <= 0) return std::string{"the "} + kind_word(kind) + " is not valid UTF-8";
    if (!is_allowed(cp, count == 0)) return bad_char_error(cp, count + 1, kind);
    if (++count > max_chars(kind)) return length_error(kind);
    bytes += used;
    left -= used;
  }
  return std::nullopt;
}

// One utf8proc_map pass; nullopt when the input is not valid UTF-8.
static std::optional<std::string> map_utf8(std::string_view text, int options) {
  utf8proc_uint8_t* mapped = nullptr;
  auto size = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                           static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                           static_cast<utf8proc_option_t>(options));
  if (size < 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(size));
  std::free(mapped);
  return out;
}

std::string fold_name(std::string_view name) {
  // Decompose first, then fold and compose: Unicode's order. Folding first
  // lets a mark such as U+0345 (which folds to a letter) land in a different
  // place for the NFC and NFD spellings of one name, giving two keys (found
  // by fuzz_names).
  auto decomposed = map_utf8(name, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
  // Only invalid UTF-8 fails (a broken precondition): the name stays its own key.
  if (!decomposed) return std::string{name};
  auto folded = map_utf8(*decomposed, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  return folded ? *folded : std::string{name};
}

bool is_all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace chat
