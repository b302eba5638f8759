#include "apps/chat/prompt.hpp"

#include "actors/names.hpp"
#include "apps/chat/ansi.hpp"
#include "apps/chat/display_text.hpp"

namespace chat::client {

namespace {

// Like ansi::paint, but invisible to readline's idea of the prompt's width.
std::string prompt_paint(const std::string& text, std::string_view style, bool on) {
  if (!on || text.empty()) return text;
  std::string out = "\001";
  out.append(style).append("\002").append(text).append("\001").append(ansi::reset).append("\002");
  return out;
}

}  // namespace

std::string make_prompt(std::string_view nick, std::string_view room, bool online, bool colour,
                        std::string_view status) {
  std::string out;
  if (!online) {
    std::string offline = "(offline";
    if (!status.empty()) offline += ": " + terminal_safe(status);
    out = prompt_paint(offline + ")", ansi::red, colour) + " ";
  }
  out += prompt_paint(terminal_safe(nick), ansi::bold, colour);
  if (room.empty()) {
    out += prompt_paint(" (lobby)", ansi::dim, colour);
  } else {
    out += "@" + prompt_paint(terminal_safe(room), ansi::cyan, colour);
  }
  return out + "> ";
}

std::string nick_problem(std::string_view nick) {
  if (nick.empty()) return "a nick is needed";
  auto error = name_error(nick, name_kind::nick);
  if (!error) return "";
  return "invalid nick \"" + terminal_safe(nick) + "\": " + *error;
}

}  // namespace chat::client
