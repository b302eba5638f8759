// Plain IRC (RFC 1459/2812 client subset): NICK and USER, wait for 001, JOIN
// #room (a channel exists once someone joins it; 366 ends the NAMES list and
// marks the join done), PRIVMSG to chat, PONG to every PING. A server does not
// echo a sender's own PRIVMSG.
#pragma once

#include "bench/dialect.hpp"

namespace bench {

class irc_dialect final : public dialect {
 public:
  std::string_view name() const override { return "irc"; }
  bool echoes_own_messages() const override { return false; }
  bool rooms_need_creation() const override { return false; }
  void append_login(std::string& out, std::string_view nick) const override;
  void append_create(std::string& out, std::string_view room) const override;
  void append_join(std::string& out, std::string_view room) const override;
  void append_chat(std::string& out, std::string_view room, std::string_view text) const override;
  void append_pong(std::string& out, std::string_view token) const override;
  reply parse(std::string_view line) const override;
};

// One IRC line cut into its parts (tags and prefix skipped). Pure; for tests.
struct irc_line {
  std::string_view command;
  std::string_view params[3];  // the first three parameters; the trailing one included
  int param_count = 0;
};
bool split_irc_line(std::string_view line, irc_line& out);

}  // namespace bench
