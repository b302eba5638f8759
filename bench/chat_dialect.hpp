// chatd's protocol (PROTOCOL.md) in json mode: "/mode json", "/login nick",
// "/create room" or "/join room", chat as plain lines. Replies are JSON
// objects; the text banner before json mode and any other non-JSON line are
// ignored.
#pragma once

#include "bench/dialect.hpp"

namespace bench {

class chat_dialect final : public dialect {
 public:
  std::string_view name() const override { return "chat"; }
  bool echoes_own_messages() const override { return true; }
  bool rooms_need_creation() const override { return true; }
  void append_login(std::string& out, std::string_view nick) const override;
  void append_create(std::string& out, std::string_view room) const override;
  void append_join(std::string& out, std::string_view room) const override;
  void append_chat(std::string& out, std::string_view room, std::string_view text) const override;
  void append_pong(std::string& out, std::string_view token) const override;
  reply parse(std::string_view line) const override;
};

}  // namespace bench
