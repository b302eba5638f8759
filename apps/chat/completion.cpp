#include "apps/chat/completion.hpp"

#include <algorithm>
#include <set>

#include "apps/chat/display_text.hpp"

namespace chat::client {

namespace {

bool starts_with_folded(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         folded_name(text.substr(0, prefix.size())) == folded_name(prefix);
}

void remember(std::map<std::string, std::string>& names, std::string_view name) {
  if (name.empty()) return;
  const std::string safe = terminal_safe(name);
  if (safe.find(' ') != std::string::npos) return;  // not one word: cannot be completed
  names[folded_name(safe)] = safe;
}

// Which kind of name the argument at `index` (0 = first after the command) takes.
enum class arg_kind { nothing, room, nick, command, mode };

arg_kind argument_of(const std::string& command, std::size_t index) {
  static const std::set<std::string> room_first = {"join", "select", "enter", "drop"};
  static const std::set<std::string> nick_first = {"msg", "ignore", "i", "unignore"};
  static const std::set<std::string> help = {"help", "h", "?"};
  static const std::set<std::string> no_names = {"login", "register", "create", "nick",
                                                 "quit",  "logout",   "exit"};
  if (index == 0 && room_first.count(command)) return arg_kind::room;
  if (index == 0 && nick_first.count(command)) return arg_kind::nick;
  if (index == 0 && help.count(command)) return arg_kind::command;
  if (index == 0 && command == "mode") return arg_kind::mode;
  if (no_names.count(command) || room_first.count(command) || help.count(command) ||
      command == "mode") {
    return arg_kind::nothing;
  }
  return arg_kind::nick;  // chat text and everything else: address someone
}

std::vector<std::string> matching(const std::vector<std::string>& names, std::string_view prefix,
                                  std::string_view add_before) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    if (starts_with_folded(name, prefix)) out.push_back(std::string(add_before) + name);
  }
  return out;
}

// The words of `line` before `end`, split at spaces.
std::vector<std::string_view> words_before(std::string_view line, std::size_t end) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  const std::string_view head = line.substr(0, std::min(end, line.size()));
  while (i < head.size()) {
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < head.size() && head[i] != ' ' && head[i] != '\t') ++i;
    if (i > start) words.push_back(head.substr(start, i - start));
  }
  return words;
}

}  // namespace

name_book::name_book() {
  for (const char* name :
       {"help",     "h",     "?",      "login", "nick",  "register", "rooms",  "list",
        "create",   "join",  "select", "enter", "leave", "back",     "look",   "online",
        "names",    "who",   "ls",     "msg",   "say",   "me",       "ignore", "i",
        "unignore", "topic", "drop",   "mode",  "quit",  "logout",   "exit"}) {
    add_command(name);
  }
}

void name_book::add_command(std::string_view name) {
  if (!name.empty() && name[0] == '/') name.remove_prefix(1);
  remember(commands_, name);
}

void name_book::add_room(std::string_view name) {
  remember(rooms_, name);
}

void name_book::add_nick(std::string_view name) {
  remember(nicks_, name);
}

std::vector<std::string> name_book::values(const std::map<std::string, std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const auto& [key, name] : names) out.push_back(name);
  return out;
}

std::vector<std::string> completions(std::string_view line, std::size_t word_start,
                                     std::string_view word, const name_book& names) {
  const auto before = words_before(line, word_start);
  if (before.empty()) {
    if (!word.empty() && word[0] == '/') return matching(names.commands(), word.substr(1), "/");
    if (!word.empty() && word[0] == '@') return matching(names.nicks(), word.substr(1), "@");
    return matching(names.nicks(), word, "");
  }
  std::string command;
  if (before[0][0] == '/') command = folded_name(before[0].substr(1));
  if (before[0][0] == '@') command = "msg";  // "@nick text": the rest is text
  const std::size_t index =
      command == "msg" && before[0][0] == '@' ? before.size() : before.size() - 1;
  switch (command.empty() ? arg_kind::nick : argument_of(command, index)) {
    case arg_kind::room:
      return matching(names.rooms(), word, "");
    case arg_kind::nick:
      return matching(names.nicks(), word, "");
    case arg_kind::command:
      return matching(names.commands(), word, "");
    case arg_kind::mode:
      return matching({"json"}, word, "");
    case arg_kind::nothing:
      break;
  }
  return {};
}

}  // namespace chat::client
