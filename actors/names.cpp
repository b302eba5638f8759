#include "actors/names.hpp"

#include <unicode/uspoof.h>
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

namespace {

// ICU's checker is safe to share between threads for const calls such as
// getSkeleton once it is set up; made once, on first use, never freed.
const USpoofChecker* spoof_checker() {
  static const USpoofChecker* checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* made = uspoof_open(&status);
    return U_SUCCESS(status) ? made : nullptr;
  }();
  return checker;
}

std::optional<std::string> skeleton(const std::string& text) {
  auto* checker = spoof_checker();
  if (!checker) return std::nullopt;
  // A skeleton may be longer than its text (one character can become three).
  std::string out(text.size() * 4 + 16, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    auto size = uspoof_getSkeletonUTF8(checker, 0, text.data(), static_cast<int32_t>(text.size()),
                                       out.data(), static_cast<int32_t>(out.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(static_cast<std::size_t>(size) + 1);
      continue;
    }
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(size));
    return out;
  }
  return std::nullopt;
}

}  // namespace

std::string name_key(std::string_view name) {
  // Folded before the skeleton, so that case variants (one name) stay one key;
  // folded after it too, because the skeleton maps some characters to capitals
  // (digit 0 to O), which would otherwise not meet their lower case.
  auto folded = fold_name(name);
  // ICU refuses only invalid UTF-8 (a broken precondition): the folded name
  // stays the key, as fold_name does with its own input.
  auto key = skeleton(folded);
  return key ? fold_name(*key) : folded;
}

bool is_all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace chat
