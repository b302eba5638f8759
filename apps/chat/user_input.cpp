#include "apps/chat/user_input.hpp"

#include "apps/chat/display_text.hpp"

namespace chat::client {

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string command_of(std::string_view line) {
  line = trimmed(line);
  if (line.empty() || line[0] != '/') return {};
  std::size_t end = 1;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  return folded_name(line.substr(1, end - 1));
}

std::string_view arguments_of(std::string_view line) {
  line = trimmed(line);
  std::size_t i = 0;
  while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
  return trimmed(line.substr(i));
}

input_action classify_input(std::string_view line) {
  if (trimmed(line).empty()) return {};
  const std::string command = command_of(line);
  std::string to_send(line);
  if (!command.empty() && command != "login" && command != "register") {
    to_send = std::string(trimmed(line));
  }
  if (command == "quit" || command == "logout" || command == "exit") {
    return {input_kind::quit, to_send, {}};
  }
  // The client reads json; text mode would leave it unable to read the server.
  if (command == "mode" && same_name(arguments_of(line), "text")) {
    return {input_kind::refuse, {}, "this client always uses json mode; use telnet for text mode"};
  }
  return {input_kind::send, to_send, {}};
}

}  // namespace chat::client
