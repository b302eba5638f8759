// Fuzzes name validation and folding (chat::name_error, fold_name, name_key,
// is_all_digits).
//
// Input: the whole input is one candidate name, checked as a nick and as a room.
//
// Invariants: an accepted name is valid UTF-8 of 1..32 (nick) or 1..64 (room)
// code points, each a letter, a decimal digit, '_', '-', '.' or (not first) a
// combining mark, per utf8proc's categories; plain ASCII names of those
// characters are accepted; nick and room rules differ only in length; a
// rejection comes with a reason. fold_name gives valid UTF-8, is idempotent,
// ignores ASCII case and canonical (NFC/NFD) differences, and is non-empty for
// valid names. name_key equates at least what fold_name equates and is
// non-empty for valid names. is_all_digits matches its definition.

#include <utf8proc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "actors/names.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using chat::name_kind;

bool allowed(char32_t cp, bool first) {
  if (cp == '_' || cp == '-' || cp == '.') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
      return true;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return !first;
    default:
      return false;
  }
}

bool plain_ascii_name(std::string_view name, std::size_t max_chars) {
  if (name.empty() || name.size() > max_chars) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void check_kind(std::string_view name, name_kind kind, std::size_t max_chars, bool input_valid) {
  const std::optional<std::string> error = chat::name_error(name, kind);
  FUZZ_CHECK(chat::is_valid_name(name, kind) == !error.has_value());
  if (error) {
    FUZZ_CHECK(!error->empty());
    // The reason is shown to the user; for a well-formed input it must be well-formed too.
    if (input_valid) FUZZ_CHECK(chat::fuzz::valid_utf8(*error));
    FUZZ_CHECK(!plain_ascii_name(name, max_chars));
    return;
  }
  FUZZ_CHECK(input_valid);
  const auto cps = chat::fuzz::code_points(name);
  FUZZ_CHECK(!cps.empty() && cps.size() <= max_chars);
  for (std::size_t i = 0; i < cps.size(); ++i) FUZZ_CHECK(allowed(cps[i], i == 0));
}

// `text` through utf8proc with `options` (NFC or NFD), or nullopt if it refuses.
std::optional<std::string> normalize(std::string_view text, int options) {
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out,
                   static_cast<utf8proc_option_t>(options | UTF8PROC_STABLE));
  if (len < 0) return std::nullopt;
  std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  std::free(out);
  return result;
}

void check_fold(std::string_view name, bool valid_name) {
  const std::string folded = chat::fold_name(name);
  FUZZ_CHECK(chat::fuzz::valid_utf8(folded));
  FUZZ_CHECK(chat::fold_name(folded) == folded);
  FUZZ_CHECK(chat::fold_name(chat::fuzz::ascii_upper(name)) == folded);
  if (valid_name) FUZZ_CHECK(!folded.empty());
  if (const auto nfd = normalize(name, UTF8PROC_DECOMPOSE)) {
    FUZZ_CHECK(chat::fold_name(*nfd) == folded);
  }
  if (const auto nfc = normalize(name, UTF8PROC_COMPOSE)) {
    FUZZ_CHECK(chat::fold_name(*nfc) == folded);
  }
}

// name_key: whatever fold_name equates, name_key equates too (it is a coarser
// key), and a valid name has a non-empty, valid UTF-8 key.
void check_key(std::string_view name, bool valid_name) {
  const std::string key = chat::name_key(name);
  FUZZ_CHECK(chat::fuzz::valid_utf8(key));
  if (valid_name) FUZZ_CHECK(!key.empty());
  FUZZ_CHECK(chat::name_key(chat::fold_name(name)) == key);
  FUZZ_CHECK(chat::name_key(chat::fuzz::ascii_upper(name)) == key);
}

void check_digits(std::string_view text) {
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  FUZZ_CHECK(chat::is_all_digits(text) == digits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  const bool input_valid = chat::fuzz::valid_utf8(name);
  check_kind(name, name_kind::nick, chat::max_nick_chars, input_valid);
  check_kind(name, name_kind::room, chat::max_room_chars, input_valid);
  const bool nick_ok = chat::is_valid_name(name, name_kind::nick);
  const bool room_ok = chat::is_valid_name(name, name_kind::room);
  // The two kinds differ only in their length limit.
  if (nick_ok) FUZZ_CHECK(room_ok);
  if (room_ok && chat::fuzz::code_points(name).size() <= chat::max_nick_chars) {
    FUZZ_CHECK(nick_ok);
  }
  check_digits(name);
  if (input_valid) check_fold(name, room_ok);
  if (input_valid) check_key(name, room_ok);
  return 0;
}
