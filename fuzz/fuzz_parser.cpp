// Fuzzes the command parser (chat::parse_line) and the command table lookup.
//
// Input: text; every LF-separated piece (a trailing CR dropped) that is
// non-empty, valid UTF-8 and free of CR is one framed line, which is what the
// framer hands the parser. So a seed file can be a whole session.
//
// Invariants: each command kind fills the fields its comment in command.hpp
// promises and no others; arguments are single words and `rest` is trimmed;
// "/word" resolves to the same command as find_command_spec(word); failures
// name a canonical command unless the command is unknown (a blank chat line is
// a bad "say"); command names are case-insensitive and trailing blanks never
// change the result; lookups are case-insensitive, with or without the '/'.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "actors/command.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using chat::command;
using chat::command_kind;
using chat::parse_failure;
using chat::parse_result;
using chat::fuzz::is_blank;

bool trimmed(std::string_view text) {
  return text.empty() || (!is_blank(text.front()) && !is_blank(text.back()));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

bool one_word(std::string_view text) {
  return text.find(' ') == std::string_view::npos && text.find('\t') == std::string_view::npos;
}

// The word after the '/' of a slash command line.
std::string_view command_word(std::string_view line) {
  line.remove_prefix(1);
  std::size_t end = 0;
  while (end < line.size() && !is_blank(line[end])) ++end;
  return line.substr(0, end);
}

bool is_slash_command(std::string_view line) {
  return !line.empty() && line[0] == '/' && !(line.size() > 1 && line[1] == '/');
}

bool same_result(const parse_result& a, const parse_result& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<command>(&a)) {
    const auto& y = std::get<command>(b);
    return x->kind == y.kind && x->target == y.target && x->rest == y.rest && x->plain == y.plain;
  }
  // The text may quote the line as typed; the code and the command are what count.
  const auto& x = std::get<parse_failure>(a);
  const auto& y = std::get<parse_failure>(b);
  return x.code == y.code && x.cmd == y.cmd;
}

// The fields each kind fills, as documented in command.hpp.
void check_fields(const command& cmd) {
  const bool has_target = !cmd.target.empty();
  const bool has_rest = !cmd.rest.empty();
  switch (cmd.kind) {
    case command_kind::help:
    case command_kind::ignore:
      FUZZ_CHECK(!has_rest);
      break;
    case command_kind::login:
    case command_kind::create:
      FUZZ_CHECK(has_target);
      break;
    case command_kind::nick:
    case command_kind::join:
    case command_kind::unignore:
    case command_kind::drop:
      FUZZ_CHECK(has_target && !has_rest);
      break;
    case command_kind::register_nick:  // the password may come at a prompt (text mode)
      FUZZ_CHECK(!has_target);
      break;
    case command_kind::msg:
      FUZZ_CHECK(has_target && has_rest);
      break;
    case command_kind::say:
    case command_kind::me:
      FUZZ_CHECK(!has_target && has_rest);
      break;
    case command_kind::topic:
    case command_kind::quit:
      FUZZ_CHECK(!has_target);
      break;
    case command_kind::mode:
      FUZZ_CHECK((cmd.target == "text" || cmd.target == "json") && !has_rest);
      break;
    case command_kind::rooms:
    case command_kind::leave:
    case command_kind::look:
    case command_kind::who:
    case command_kind::stats:
      FUZZ_CHECK(!has_target && !has_rest);
      break;
  }
}

// Nothing the user typed after the command is lost or changed: a word and the
// rest of the line together are the arguments, inner spacing kept, and a
// command of one word takes no second one (docs/protocol.md).
void check_arguments(const command& cmd, std::string_view args) {
  args = trim(args);
  // IRC habit: "#general" names the room general (join, drop, create).
  const bool names_room = cmd.kind == command_kind::join || cmd.kind == command_kind::drop ||
                          cmd.kind == command_kind::create;
  if (names_room && args.size() > 1 && args[0] == '#' && !is_blank(args[1])) args.remove_prefix(1);
  switch (cmd.kind) {
    case command_kind::nick:
    case command_kind::join:
    case command_kind::unignore:
    case command_kind::drop:
    case command_kind::ignore:
      FUZZ_CHECK(cmd.target == args);
      break;
    case command_kind::login:
    case command_kind::create:
    case command_kind::msg:
      FUZZ_CHECK(args.substr(0, cmd.target.size()) == cmd.target);
      FUZZ_CHECK(cmd.rest == trim(args.substr(cmd.target.size())));
      break;
    case command_kind::register_nick:
    case command_kind::say:
    case command_kind::me:
    case command_kind::topic:
    case command_kind::quit:
      FUZZ_CHECK(cmd.rest == args);
      break;
    case command_kind::mode:
      FUZZ_CHECK(cmd.target == chat::fuzz::ascii_lower(args));
      break;
    default:
      break;
  }
}

void check_command(const command& cmd, std::string_view line) {
  const std::string_view name = chat::command_name(cmd.kind);
  const chat::command_spec* spec = chat::find_command_spec(name);
  FUZZ_CHECK(spec != nullptr && spec->kind == cmd.kind && spec->name == name);
  check_fields(cmd);
  FUZZ_CHECK(one_word(cmd.target));
  FUZZ_CHECK(chat::fuzz::valid_utf8(cmd.target) && chat::fuzz::valid_utf8(cmd.rest));

  if (cmd.plain) {
    FUZZ_CHECK(cmd.kind == command_kind::say);
    FUZZ_CHECK(!is_slash_command(line));
    // The line itself (trimmed or not); "//text" stands for "/text".
    const std::string_view text = line.substr(line.rfind("//", 0) == 0 ? 1 : 0);
    FUZZ_CHECK(cmd.rest == text || cmd.rest == trim(text));
    return;
  }
  FUZZ_CHECK(trimmed(cmd.rest));
  if (line[0] == '@') {
    FUZZ_CHECK(cmd.kind == command_kind::msg);
    check_arguments(cmd, line.substr(1));
    return;
  }
  FUZZ_CHECK(is_slash_command(line));
  const std::string_view word = command_word(line);
  const chat::command_spec* typed = chat::find_command_spec(word);
  FUZZ_CHECK(typed != nullptr && typed->kind == cmd.kind);
  check_arguments(cmd, line.substr(1 + word.size()));
}

void check_failure(const parse_failure& failure, std::string_view line) {
  FUZZ_CHECK(!failure.text.empty());
  FUZZ_CHECK(!chat::error_code_name(failure.code).empty());
  if (!is_slash_command(line) && line[0] != '@') {
    // Only a chat line of nothing but blanks can fail: a message is never empty.
    FUZZ_CHECK(trim(line).empty());
    FUZZ_CHECK(failure.code == chat::error_code::bad_args && failure.cmd == "say");
    return;
  }
  if (failure.code == chat::error_code::unknown_command) {
    FUZZ_CHECK(failure.cmd.empty());
    FUZZ_CHECK(is_slash_command(line));
    FUZZ_CHECK(chat::find_command_spec(command_word(line)) == nullptr);
    return;
  }
  const chat::command_spec* spec = chat::find_command_spec(failure.cmd);
  FUZZ_CHECK(spec != nullptr && spec->name == failure.cmd);
  if (line[0] == '@') {
    FUZZ_CHECK(spec->kind == command_kind::msg);
  } else {
    FUZZ_CHECK(chat::find_command_spec(command_word(line)) == spec);
  }
}

void check_line(std::string_view line) {
  const parse_result result = chat::parse_line(line);
  if (const auto* cmd = std::get_if<command>(&result)) {
    check_command(*cmd, line);
  } else {
    check_failure(std::get<parse_failure>(result), line);
  }
  if (!is_slash_command(line) && line[0] != '@') return;

  // Blanks at the end of a command line separate nothing and trim away.
  FUZZ_CHECK(same_result(result, chat::parse_line(std::string(line) + " ")));
  FUZZ_CHECK(same_result(result, chat::parse_line(std::string(line) + "\t")));
  if (is_slash_command(line)) {
    const std::string_view word = command_word(line);
    const std::string shouted =
        "/" + chat::fuzz::ascii_upper(word) + std::string(line.substr(1 + word.size()));
    FUZZ_CHECK(same_result(result, chat::parse_line(shouted)));
  }
}

void check_lookup(std::string_view name) {
  const auto& specs = chat::command_specs();
  const chat::command_spec* spec = chat::find_command_spec(name);
  FUZZ_CHECK(spec == nullptr || (spec >= specs.data() && spec < specs.data() + specs.size()));
  FUZZ_CHECK(chat::find_command_spec(chat::fuzz::ascii_upper(name)) == spec);
  if (name.empty() || name[0] != '/') {
    FUZZ_CHECK(chat::find_command_spec("/" + std::string(name)) == spec);
  }
}

// The command table itself: every name and alias finds its own entry.
bool check_table() {
  for (const chat::command_spec& spec : chat::command_specs()) {
    FUZZ_CHECK(!spec.name.empty() && chat::command_name(spec.kind) == spec.name);
    FUZZ_CHECK(chat::find_command_spec(spec.name) == &spec);
    for (std::string_view alias : spec.aliases) {
      FUZZ_CHECK(chat::find_command_spec(alias) == &spec);
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const bool table_ok = check_table();
  (void)table_ok;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!chat::fuzz::valid_utf8(line)) continue;
    check_lookup(line);
    const std::string slashed = "/" + std::string(line);
    check_lookup(command_word(slashed));
    if (line.empty() || line.find('\r') != std::string_view::npos) continue;
    check_line(line);
  }
  return 0;
}
