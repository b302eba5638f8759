// Tab completion: which words may finish the one under the cursor. Commands
// complete at the start of a line, room names after the commands that take a
// room, nicks after the commands that take a nick and anywhere in chat text
// (to address someone). Pure; owned by the interactive client; not thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

// The names the client has seen: commands (those of PROTOCOL.md, and any the
// server lists in /help), rooms and nicks. Names compare case-insensitively,
// as the server compares them; the spelling seen last is kept.
class name_book {
 public:
  name_book();  // knows the commands of PROTOCOL.md version 1

  void add_command(std::string_view name);  // "join" or "/join"
  void add_room(std::string_view name);
  void add_nick(std::string_view name);

  // Sorted case-insensitively; commands without their slash.
  std::vector<std::string> commands() const { return values(commands_); }
  std::vector<std::string> rooms() const { return values(rooms_); }
  std::vector<std::string> nicks() const { return values(nicks_); }

 private:
  static std::vector<std::string> values(const std::map<std::string, std::string>& names);
  std::map<std::string, std::string> commands_;  // folded name -> name
  std::map<std::string, std::string> rooms_;
  std::map<std::string, std::string> nicks_;
};

// The words that may replace `word`, which starts at `word_start` of `line`
// (the whole input line), given what `names` knows. Sorted; empty when none.
// "/jo" -> "/join"; "/join py" -> "python"; "@al" -> "@alice"; "hi al" -> "alice".
std::vector<std::string> completions(std::string_view line, std::size_t word_start,
                                     std::string_view word, const name_book& names);

}  // namespace chat::client
