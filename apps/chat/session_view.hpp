// What the client knows about its session, learnt from the server's objects
// and from the user's own lines: who it is, which room it is in, how to log
// in again after a reconnect, and the names it has seen (for completion).
// Pure; owned by the interactive client; not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "apps/chat/completion.hpp"
#include "apps/chat/handshake.hpp"

namespace chat::client {

class session_view {
 public:
  // After a handshake: who we are, with which password, in which room.
  void logged_in(std::string nick, std::string password, std::string room);

  // Any object from the server (event or reply).
  void on_server_object(const nlohmann::json& obj);

  // A line the user sent; a /register keeps its password for later logins.
  void on_user_line(std::string_view line);

  const std::string& nick() const { return nick_; }
  const std::string& room() const { return room_; }  // empty: the lobby
  const std::string& password() const { return password_; }
  const name_book& names() const { return names_; }
  name_book& names() { return names_; }

  // How to get the same session back on a new connection.
  login_plan rejoin_plan() const { return {nick_, password_, room_, true}; }

 private:
  void on_ok(const std::string& cmd, const nlohmann::json& reply);
  void on_event(const std::string& type, const nlohmann::json& event);
  void learn_names(const nlohmann::json& obj);
  bool is_me(const std::string& nick) const;

  std::string nick_;
  std::string password_;
  std::string pending_password_;  // of a /register without its reply yet
  std::string room_;
  name_book names_;
};

}  // namespace chat::client
