#include "bench/irc_dialect.hpp"

namespace bench {
namespace {

void append_parts(std::string& out, std::string_view a, std::string_view b = {},
                  std::string_view c = {}, std::string_view d = {}) {
  out.append(a);
  out.append(b);
  out.append(c);
  out.append(d);
  out.append("\r\n");
}

std::string_view next_word(std::string_view& rest) {
  std::size_t space = rest.find(' ');
  std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return word;
}

bool is_numeric(std::string_view command) {
  return command.size() == 3 && command.find_first_not_of("0123456789") == std::string_view::npos;
}

reply numeric_reply(const irc_line& l) {
  std::string_view code = l.command;
  std::string_view detail = l.param_count > 0 ? l.params[l.param_count - 1] : std::string_view{};
  if (code == "001") return {reply_kind::logged_in, {}, {}};
  if (code == "366") return {reply_kind::joined, {}, {}};
  if (code == "422") return {};  // no MOTD: part of a normal welcome
  // Nick errors: erroneous, in use, collision, unavailable; banned.
  if (code == "432" || code == "433" || code == "436" || code == "437" || code == "465")
    return {reply_kind::login_refused, detail, code};
  // Channel errors: no such channel, too many channels, full, invite only,
  // banned, bad key, bad mask, needs registration.
  if (code == "403" || code == "405" || code == "471" || code == "473" || code == "474" ||
      code == "475" || code == "476" || code == "477")
    return {reply_kind::join_refused, detail, code};
  // Message errors: no such nick/channel, cannot send, no recipient, no text.
  if (code == "401" || code == "404" || code == "411" || code == "412")
    return {reply_kind::send_refused, detail, code};
  if (code[0] == '4' || code[0] == '5') return {reply_kind::server_error, detail, code};
  return {};
}

}  // namespace

bool split_irc_line(std::string_view line, irc_line& out) {
  out = irc_line{};
  if (!line.empty() && line.front() == '@') next_word(line);  // IRCv3 message tags
  if (!line.empty() && line.front() == ':') next_word(line);  // the source
  out.command = next_word(line);
  if (out.command.empty()) return false;
  while (!line.empty() && out.param_count < 3) {
    if (line.front() == ':') {
      out.params[out.param_count++] = line.substr(1);  // trailing: the rest, spaces included
      break;
    }
    out.params[out.param_count++] = next_word(line);
  }
  return true;
}

void irc_dialect::append_login(std::string& out, std::string_view nick) const {
  append_parts(out, "NICK ", nick);
  append_parts(out, "USER ", nick, " 0 * :chat-bench");
}

void irc_dialect::append_create(std::string& out, std::string_view room) const {
  append_join(out, room);  // a JOIN creates the channel
}

void irc_dialect::append_join(std::string& out, std::string_view room) const {
  append_parts(out, "JOIN #", room);
}

void irc_dialect::append_chat(std::string& out, std::string_view room,
                              std::string_view text) const {
  append_parts(out, "PRIVMSG #", room, " :", text);
}

void irc_dialect::append_pong(std::string& out, std::string_view token) const {
  append_parts(out, "PONG :", token);
}

reply irc_dialect::parse(std::string_view line) const {
  irc_line l;
  if (!split_irc_line(line, l)) return {};
  if (l.command == "PRIVMSG") {
    if (l.param_count < 2) return {};
    return {reply_kind::chat, l.params[1], {}};
  }
  if (l.command == "PING") return {reply_kind::ping, l.param_count ? l.params[0] : "", {}};
  if (l.command == "ERROR") {
    return {reply_kind::server_error, l.param_count ? l.params[0] : "", "ERROR"};
  }
  if (is_numeric(l.command)) return numeric_reply(l);
  return {};
}

}  // namespace bench
