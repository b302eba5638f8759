// A protocol dialect: how a benchmark client logs in, enters a room, chats,
// and what the server's lines mean, reduced to the few events the load driver
// waits for. One implementation speaks chatd (chat_dialect), one plain IRC
// (irc_dialect), so the same scenario runs against both. Dialects are pure
// and stateless: one instance serves every connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace bench {

enum class reply_kind {
  ignored,        // banners, other events, replies nobody waits for
  logged_in,      // the login succeeded
  login_refused,  // nick taken, invalid, ...; `code` says which
  room_created,   // the room exists now and the creator is in it
  room_exists,    // someone else created it: join it instead
  joined,         // now a member of the room
  join_refused,   // `code` says why
  chat,           // a chat message arrived; `text` is its text
  send_refused,   // a chat line was refused (rate_limited, not_in_room...)
  ping,           // the server wants `text` echoed back (keep-alive)
  server_error,   // any other error; `code` says which
};

struct reply {
  reply_kind kind = reply_kind::ignored;
  std::string_view text;  // chat: the message text; ping: the token; errors: detail
  std::string_view code;  // errors: the error code (chatd) or numeric (IRC)
};

class dialect {
 public:
  virtual ~dialect() = default;

  virtual std::string_view name() const = 0;
  // Whether a sender receives its own chat messages (chatd: yes; IRC: no).
  virtual bool echoes_own_messages() const = 0;
  // Whether one member must create a room before the others can join it.
  virtual bool rooms_need_creation() const = 0;

  // Each appends complete lines (CRLF included) to `out`.
  virtual void append_login(std::string& out, std::string_view nick) const = 0;
  virtual void append_create(std::string& out, std::string_view room) const = 0;
  virtual void append_join(std::string& out, std::string_view room) const = 0;
  virtual void append_chat(std::string& out, std::string_view room,
                           std::string_view text) const = 0;
  virtual void append_pong(std::string& out, std::string_view token) const = 0;

  // Classifies one line from the server (without its line ending). The views
  // in the reply point into `line`.
  virtual reply parse(std::string_view line) const = 0;
};

// "chat" or "irc"; nullptr for any other name.
std::unique_ptr<dialect> make_dialect(std::string_view name);

}  // namespace bench
