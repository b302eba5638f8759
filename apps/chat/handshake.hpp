// The start of every session: switch to json mode, log in, join a room, and
// (for completion) learn the commands and rooms. The server opens with a text
// banner; lines that are not JSON are skipped until the ok of /mode, which is
// written in json already. Every command gets exactly one reply, in order,
// and events may arrive in between: the handshake consumes the replies and
// hands the events back for the caller to show.
// Pure (no I/O): the caller sends the lines it returns. One per connection;
// not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

struct login_plan {
  std::string nick;          // empty: do not log in (a script that logs in itself)
  std::string password;      // empty: none yet; asked for when the server wants one
  std::string room;          // empty: stay in the lobby
  bool learn_names = false;  // also ask /help and /rooms, silently (for completion)
};

enum class handshake_state {
  mode,           // waiting for the ok of /mode json
  login,          // waiting for the reply to /login
  need_password,  // the nick is registered: call give_password()
  join,           // waiting for the reply to /join
  learn,          // waiting for the replies to /help and /rooms
  done,           // logged in (and in the room, unless join_error says otherwise)
  failed,         // see failure_code() and failure_text()
};

// What one server line meant during the handshake.
struct handshake_step {
  enum class kind { skipped, event, reply } what = kind::skipped;
  nlohmann::json object;          // the event or the reply (not for skipped lines)
  std::vector<std::string> send;  // lines to send now
};

class handshake {
 public:
  explicit handshake(login_plan plan);

  // The first line to send, right after connecting.
  std::vector<std::string> start();

  handshake_step on_line(std::string_view line);

  // After need_password: the /login line with the password.
  std::vector<std::string> give_password(std::string password);

  handshake_state state() const { return state_; }
  const login_plan& plan() const { return plan_; }

  // After failed: the server's error code ("bad_password", "nick_taken", ...,
  // or "protocol" when the server did not answer as PROTOCOL.md says), and a
  // line for people.
  const std::string& failure_code() const { return failure_code_; }
  const std::string& failure_text() const { return failure_text_; }
  // The failure (or the need of a password nobody can give) as one line for
  // the user: "wrong password for alice".
  std::string failure_message() const;

  // After done: the nick the server confirmed, and whether it is registered.
  const std::string& nick() const { return nick_; }
  bool registered() const { return registered_; }
  // The room joined (the server's spelling); empty when not asked or refused.
  const std::string& room() const { return room_; }
  // Set when the /join was refused (the room was dropped meanwhile, ...):
  // the session goes on in the lobby.
  const std::optional<nlohmann::json>& join_error() const { return join_error_; }

 private:
  std::vector<std::string> after_mode();
  std::vector<std::string> after_login();
  std::vector<std::string> after_join();
  std::vector<std::string> login_line() const;
  void fail(const nlohmann::json& error);
  void on_reply(const nlohmann::json& reply, std::vector<std::string>& send);

  login_plan plan_;
  handshake_state state_ = handshake_state::mode;
  int learn_replies_left_ = 0;
  std::string failure_code_;
  std::string failure_text_;
  std::string nick_;
  bool registered_ = false;
  std::string room_;
  std::optional<nlohmann::json> join_error_;
};

}  // namespace chat::client
