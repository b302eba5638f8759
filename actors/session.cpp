#include "actors/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <map>
#include <optional>
#include <vector>

#include "actors/chat_error.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/command.hpp"
#include "actors/command_cost.hpp"
#include "actors/error_text.hpp"
#include "actors/fakelag.hpp"
#include "actors/identity.hpp"
#include "actors/messages.hpp"
#include "actors/names.hpp"
#include "actors/render.hpp"
#include "actors/welcome.hpp"
#include "net/telnet_options.hpp"

namespace chat {
namespace {

using json = nlohmann::json;

// A reply held back on purpose (slowing down password guessing).
struct delayed_error {
  std::string cmd;
  error_code code = error_code::bad_password;
  std::string text;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delayed_error& x) {
  return f(caf::meta::type_name("delayed_error"), x.cmd, x.code, x.text);
}

using steady = std::chrono::steady_clock;
// Sent to itself when the first held line's time has come (actors/fakelag.hpp).
using wake_atom = caf::atom_constant<caf::atom("sess_wake")>;

// An input line and the time it may run (later than its arrival when held back).
struct queued_line {
  net::framed_line line;
  steady::time_point release;
};

struct session_state {
  std::shared_ptr<const settings> config;
  caf::actor gateway;
  caf::actor lobby;
  net::conn_id conn = 0;
  std::string peer;

  output_mode mode = output_mode::text;
  bool logged_in = false;
  std::string nick;
  uint64_t room_id = 0;       // 0: in the lobby
  uint64_t dropped_room = 0;  // the last room dropped while this user was in it
  std::string room_name;
  room_actor room;
  bool muted = false;
  std::map<std::string, std::string> ignoring;  // folded nick -> nick as typed
  bool registered = false;
  account_ref account;  // the registration logged in under (or registered), if any
  time_zone_ref zone;   // of text-mode times (/tz); UTC by default

  // A telnet client (it sent a telnet command) may be sent telnet commands:
  // its echo goes off while it types a password at the `password:` prompt.
  bool telnet = false;
  net::telnet_options telnet_options;
  // A /login or /register waiting for its password; a pointer, as it is rare
  // and every idle session would carry a whole command otherwise.
  std::unique_ptr<command> password_for;
  // Set when the line just admitted to the fakelag may bring up the password
  // prompt (a /login or /register without a password; whether it does is only
  // known when it runs): the next line may be the password, so admit_line
  // does not parse it.
  std::optional<command_kind> password_may_follow;

  fakelag lag{10, 2, 100};
  uint32_t strikes = 0;  // lines refused in a row
  uint32_t login_failures = 0;
  uint32_t rooms_created = 0;  // for the cap on rooms of an unregistered session

  // Lines waiting for the current command to finish: input[next_input...].
  // A vector, not a deque: an empty std::deque still holds ~600 bytes, and
  // most sessions are idle with nothing waiting.
  std::vector<queued_line> input;
  std::size_t next_input = 0;
  int waiting = 0;        // answers the current command still waits for; lines wait meanwhile
  bool wake_due = false;  // a wake_atom is on its way
  bool ended = false;
  static inline const char* name = "session";
};

using session_actor = caf::stateful_actor<session_state>;

// ---- output ----

void write(session_actor* self, std::string bytes) {
  self->send(self->state.gateway, net::client_output{self->state.conn, std::move(bytes)});
}

void reply_ok(session_actor* self, std::string_view cmd, const json& fields = json::object()) {
  write(self, render_ok(cmd, fields, self->state.mode));
}

// An ok whose news an event has already shown (or will show) this user: a
// person reads it once, so text mode leaves the ok out; json keeps it, every
// command having its one reply there.
void reply_ok_shown(session_actor* self, std::string_view cmd, const json& fields) {
  if (self->state.mode == output_mode::json) reply_ok(self, cmd, fields);
}

void reply_error(session_actor* self, std::string_view cmd, error_code code,
                 std::string_view subject = {}) {
  write(self, render_error(cmd, code, describe_error(code, subject), self->state.mode));
}

void show(session_actor* self, const event& ev) {
  write(self, render_event(ev, self->state.mode, self->state.zone));
}

event notice(std::string text) {
  event ev;
  ev.kind = event_kind::notice;
  ev.text = std::move(text);
  ev.ts_ms = now_ms();
  return ev;
}

// ---- the password prompt (text mode, telnet clients only) ----

// Only a client that has shown it speaks telnet gets the prompt: to anything
// else (nc, a program) the IAC bytes that hide the password would be garbage.
bool can_prompt_password(const session_state& st) {
  return st.telnet && st.mode == output_mode::text;
}

// Asks for the password of `cmd` with the client's echo off; the next line is
// the password (take_password). The prompt is the command's reply.
void prompt_password(session_actor* self, const command& cmd) {
  auto& st = self->state;
  st.password_for = std::make_unique<command>(cmd);
  write(self, st.telnet_options.hide_input(true) + render_password_prompt());
}

void run(session_actor* self, const command& cmd);

// The line after the prompt: echo back on, a line end for the Enter the
// client did not echo, then the command with its password.
void take_password(session_actor* self, const net::framed_line& line) {
  auto& st = self->state;
  auto cmd = std::move(*st.password_for);
  st.password_for.reset();
  write(self, st.telnet_options.hide_input(false) + "\r\n");
  if (line.status != net::line_status::ok)
    return reply_error(self, command_name(cmd.kind),
                       line.status == net::line_status::too_long ? error_code::line_too_long
                                                                 : error_code::bad_encoding);
  cmd.rest = line.text;
  run(self, cmd);
}

// ---- the input queue ----

void pump(session_actor* self);

// One awaited answer has come. Requests started while handling it keep the
// command open (a /create waits for the lobby, then for the room).
void finish(session_actor* self) {
  if (--self->state.waiting == 0) pump(self);
}

// Sends a request and, when it is answered, runs `on_reply`; a failure becomes
// the error reply of `cmd` about `subject`. Either way the next line follows.
// `to` is any handle, typed (a room) or not (the lobby); to a typed one, a
// message it does not take, or an on_reply for another reply, does not compile.
template <class Handle, class Message, class OnReply>
void ask_within(session_actor* self, caf::duration timeout, const Handle& to, Message msg,
                std::string cmd, std::string subject, OnReply on_reply) {
  ++self->state.waiting;
  if (!to) {
    reply_error(self, cmd, error_code::unavailable);
    finish(self);
    return;
  }
  // `then` needs the reply's type spelled out: take it from on_reply's parameter.
  using arg_types = typename caf::detail::get_callable_trait<OnReply>::arg_types;
  using reply_type = std::decay_t<caf::detail::tl_head_t<arg_types>>;
  self->request(to, timeout, std::move(msg))
      .then(
          [=](reply_type& reply) {
            on_reply(reply);
            finish(self);
          },
          [=](caf::error& err) {
            auto detail = error_detail(err);
            reply_error(self, cmd, to_error_code(err), detail.empty() ? subject : detail);
            finish(self);
          });
}

// A question (a read): after request_timeout the answer is `unavailable`.
template <class Handle, class Message, class OnReply>
void ask(session_actor* self, const Handle& to, Message msg, std::string cmd, std::string subject,
         OnReply on_reply) {
  ask_within(self, caf::duration{self->state.config->request_timeout}, to, std::move(msg),
             std::move(cmd), std::move(subject), std::move(on_reply));
}

// A change: `msg.due` is set to request_timeout from now, and the answer is
// awaited however late it comes. The lobby or room starts nothing past the
// deadline (then `unavailable`: applied nowhere), and once it has started a
// commit it answers when the commit is done; so the user never reads
// `unavailable` for a change that was made (actors/deadline.hpp).
template <class Handle, class Message, class OnReply>
void ask_change(session_actor* self, const Handle& to, Message msg, std::string cmd,
                std::string subject, OnReply on_reply) {
  msg.due = deadline::after(self->state.config->request_timeout);
  ask_within(self, until_committed, to, std::move(msg), std::move(cmd), std::move(subject),
             std::move(on_reply));
}

// ---- ending ----

void end_session(session_actor* self, const std::string& reason, const std::string& text,
                 bool close_socket) {
  auto& st = self->state;
  if (st.ended) return;
  st.ended = true;
  if (st.room) self->send(st.room, exit_room{st.nick, reason, text});
  if (st.logged_in) self->send(st.lobby, logout{st.nick});
  if (close_socket) self->send(st.gateway, net::close_client{st.conn});
  self->quit();
}

// ---- rooms ----

// The zone as rooms are told it: '' for UTC, which needs no rendering of its own.
std::string zone_name(const session_state& st) {
  return st.zone.is_utc() ? "" : st.zone.name();
}

// Who this session is for what it owns and what is held against it.
std::string identity_of(const session_state& st) {
  return identity_key(st.account, st.config->node_name, st.conn);
}

std::vector<std::string> ignored_keys(const session_state& st) {
  std::vector<std::string> keys;
  for (auto& [key, nick] : st.ignoring) keys.push_back(key);
  return keys;
}

void leave_current_room(session_actor* self, const std::string& reason) {
  auto& st = self->state;
  if (!st.room) return;
  self->send(st.room, exit_room{st.nick, reason, ""});
  st.room = nullptr;
  st.room_id = 0;
  st.room_name.clear();
  self->send(st.lobby, presence_update{st.nick, 0});
}

// Enters `info`'s room (leaving the current one), then calls on_entered(snapshot).
template <class OnEntered>
void enter(session_actor* self, const room_info& info, const std::string& cmd,
           OnEntered on_entered) {
  auto& st = self->state;
  if (st.room_id == info.id) {  // already there: the usual reply, no events
    ask(self, st.room, look_request{}, cmd, info.name, on_entered);
    return;
  }
  leave_current_room(self, "left");
  member_ref me{st.nick,          self,          st.gateway,      st.conn, st.muted,
                ignored_keys(st), zone_name(st), identity_of(st), st.peer};
  ask(self, info.actor, enter_room{me}, cmd, info.name, [=](const room_snapshot& snap) {
    auto& st = self->state;
    st.room = info.actor;
    st.room_id = snap.id;
    st.room_name = snap.name;
    self->send(st.lobby, presence_update{st.nick, snap.id});
    on_entered(snap);
  });
}

json snapshot_fields(const room_snapshot& snap) {
  return {{"room", snap.name}, {"id", snap.id}, {"topic", snap.topic}, {"members", snap.members}};
}

void push_filters(session_actor* self) {
  auto& st = self->state;
  if (st.room) self->send(st.room, set_filters{st.nick, st.muted, ignored_keys(st), zone_name(st)});
}

json ignoring_list(const session_state& st) {
  json list = json::array();
  for (auto& [key, nick] : st.ignoring) list.push_back(nick);
  return list;
}

// ---- commands ----

bool allowed_before_login(command_kind kind) {
  return kind == command_kind::login || kind == command_kind::help || kind == command_kind::mode ||
         kind == command_kind::quit;
}

void do_login(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (st.logged_in) return reply_error(self, "login", error_code::already_logged_in);
  if (!is_valid_name(cmd.target, name_kind::nick))
    return reply_error(self, "login", error_code::invalid_name, cmd.target);
  ++st.waiting;
  // A login changes the directory: awaited like ask_change (actors/deadline.hpp).
  login_request req{cmd.target, cmd.rest, self, st.peer,
                    deadline::after(st.config->request_timeout)};
  self->request(st.lobby, until_committed, std::move(req))
      .then(
          [=](const login_reply& ok) {
            auto& st = self->state;
            st.logged_in = true;
            self->send(st.gateway, net::client_logged_in{st.conn});
            st.nick = ok.nick;
            st.login_failures = 0;
            st.registered = ok.registered;
            st.account = ok.account;
            if (auto zone = time_zone_ref::find(ok.time_zone); zone && !ok.time_zone.empty())
              st.zone = *zone;
            json fields{{"nick", ok.nick}, {"registered", ok.registered}};
            // Say what happened to a password nobody's registration needed.
            if (!ok.registered && !cmd.rest.empty())
              fields["text"] = "nobody registered " + ok.nick +
                               ": the password was not used (/register <password> keeps the nick "
                               "for you)";
            // A program (json mode) learns the input rate so it can pace a paste
            // itself; text mode stays as people know it.
            if (st.mode == output_mode::json) {
              fields["rate"] = {{"burst", st.config->rate_burst},
                                {"per_sec", st.config->rate_per_sec},
                                {"max_held", st.config->max_held_lines}};
            }
            reply_ok(self, "login", fields);
            finish(self);
          },
          [=](caf::error& err) {
            auto& st = self->state;
            auto code = to_error_code(err);
            if (code == error_code::auth_required && cmd.rest.empty() && can_prompt_password(st)) {
              prompt_password(self, cmd);
              return finish(self);
            }
            if (code != error_code::bad_password) {
              reply_error(self, "login", code, cmd.target);
              return finish(self);
            }
            // Each failure in a row doubles the wait before the answer (capped),
            // so guessing a password from one connection gets slow fast.
            ++st.login_failures;  // logged by the lobby, once a minute per network
            auto delay = std::chrono::milliseconds(
                std::min<int64_t>(8000, 250LL << std::min<uint32_t>(st.login_failures - 1, 5)));
            self->delayed_send(self, st.login_failures > 1 ? delay : std::chrono::milliseconds(0),
                               delayed_error{"login", code, describe_error(code, cmd.target)});
          });
}

void do_nick(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (!is_valid_name(cmd.target, name_kind::nick))
    return reply_error(self, "nick", error_code::invalid_name, cmd.target);
  ask_change(self, st.lobby, rename_request{st.nick, cmd.target, st.account, {}}, "nick",
             cmd.target, [=](const rename_reply& ok) {
               auto& st = self->state;
               auto old = st.nick;
               st.nick = ok.nick;
               // A registered nick is taken by /login, never by /nick, except
               // the session's own account's (issue 15).
               st.registered = ok.registered;
               if (!st.room) return reply_ok(self, "nick", {{"nick", ok.nick}});
               self->send(st.room, rename_member{old, ok.nick});  // the room tells us too
               reply_ok_shown(self, "nick", {{"nick", ok.nick}});
             });
}

void do_register(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (cmd.rest.empty()) {
    if (can_prompt_password(st)) return prompt_password(self, cmd);
    return write(self, render_error("register", error_code::bad_args, "usage: /register <password>",
                                    st.mode));
  }
  if (cmd.rest.size() > st.config->max_password_bytes)
    return reply_error(self, "register", error_code::bad_args, "password too long");
  ask_change(self, st.lobby, register_request{st.nick, cmd.rest, st.peer, {}}, "register", st.nick,
             [=](const register_reply& ok) {
               auto& st = self->state;
               st.registered = true;
               st.account = ok.account;
               // A zone chosen before registering is kept with the new registration.
               if (!st.zone.is_utc())
                 ask_change(self, st.lobby, set_zone_request{st.nick, zone_name(st), {}},
                            "register", st.nick, [](const set_zone_reply&) {});
               reply_ok(self, "register", {{"nick", ok.nick}});
             });
}

void do_rooms(session_actor* self) {
  ask(self, self->state.lobby, list_rooms{}, "rooms", "", [=](const room_list& list) {
    json rooms = json::array();
    for (auto& r : list.rooms)
      rooms.push_back({{"name", r.name},
                       {"id", r.id},
                       {"members", r.members},
                       {"topic", r.topic},
                       {"owner", r.owner.empty() ? json(nullptr) : json(r.owner)}});
    reply_ok(self, "rooms", {{"rooms", rooms}});
  });
}

void do_create(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (!is_valid_name(cmd.target, name_kind::room))
    return reply_error(self, "create", error_code::invalid_name, cmd.target);
  ask_change(self, st.lobby,
             create_room{cmd.target, cmd.rest, st.nick, st.peer, st.rooms_created, {}}, "create",
             cmd.target, [=](const room_info& info) {
               ++self->state.rooms_created;
               // `ask` inside a reply handler: the session stays busy until the join is done.
               enter(self, info, "create", [=](const room_snapshot& snap) {
                 reply_ok(self, "create", {{"room", snap.name}, {"id", snap.id}});
               });
             });
}

void do_join(session_actor* self, const command& cmd) {
  ask(self, self->state.lobby, find_room{cmd.target}, "join", cmd.target,
      [=](const room_info& info) {
        enter(self, info, "join",
              [=](const room_snapshot& snap) { reply_ok(self, "join", snapshot_fields(snap)); });
      });
}

void do_leave(session_actor* self) {
  auto& st = self->state;
  if (!st.room) return reply_error(self, "leave", error_code::not_in_room);
  auto name = st.room_name;
  leave_current_room(self, "left");
  reply_ok(self, "leave", {{"room", name}});
}

void do_look(session_actor* self) {
  auto& st = self->state;
  if (!st.room) return reply_error(self, "look", error_code::not_in_room);
  ask(self, st.room, look_request{}, "look", st.room_name, [=](const room_snapshot& snap) {
    reply_ok(self, "look", {{"room", snap.name}, {"members", snap.members}});
  });
}

void do_who(session_actor* self) {
  ask(self, self->state.lobby, who_request{}, "who", "", [=](const who_reply& who) {
    json users = json::array();
    for (auto& u : who.users)
      users.push_back({{"nick", u.nick},
                       {"room", u.room.empty() ? json(nullptr) : json(u.room)},
                       {"node", u.node}});
    reply_ok(self, "who", {{"users", users}});
  });
}

void do_say(session_actor* self, const command& cmd, bool action) {
  auto& st = self->state;
  std::string name = action ? "me" : "say";
  if (!st.room) {
    // The lobby is no room: say where the people are.
    return ask(self, st.lobby, welcome_request{}, name, "", [=](const welcome_info& info) {
      write(self, render_error(name, error_code::not_in_room, lobby_hint(info.busiest),
                               self->state.mode));
    });
  }
  // The room's message event is the acknowledgment; `said` only releases the next line.
  ask(self, st.room, say{st.nick, cmd.rest, action}, name, st.room_name, [](said) {});
}

void do_msg(session_actor* self, const command& cmd) {
  auto& st = self->state;
  ask(self, st.lobby, find_user{cmd.target}, "msg", cmd.target, [=](const user_ref& to) {
    auto& st = self->state;
    event ev;
    ev.kind = event_kind::private_message;
    ev.nick = st.nick;
    ev.other = to.nick;
    ev.text = cmd.rest;
    ev.ts_ms = now_ms();
    if (to.session != self) self->send(to.session, deliver_event{ev});
    show(self, ev);
    reply_ok_shown(self, "msg", {{"to", to.nick}});
  });
}

void do_ignore(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (cmd.target.empty()) {
    st.muted = !st.muted;
    push_filters(self);
    return reply_ok(self, "ignore", {{"muted", st.muted}});
  }
  if (name_key(cmd.target) == name_key(st.nick))
    return reply_error(self, "ignore", error_code::bad_args,
                       "you cannot ignore yourself (/ignore alone mutes the room)");
  ask(self, st.lobby, find_user{cmd.target}, "ignore", cmd.target, [=](const user_ref& user) {
    auto& st = self->state;
    st.ignoring[fold_name(user.nick)] = user.nick;
    push_filters(self);
    reply_ok(self, "ignore", {{"ignoring", ignoring_list(st)}});
  });
}

void do_unignore(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (st.ignoring.erase(fold_name(cmd.target)) == 0)
    return reply_error(self, "unignore", error_code::bad_args, "not ignoring " + cmd.target);
  push_filters(self);
  reply_ok(self, "unignore", {{"ignoring", ignoring_list(st)}});
}

void do_topic(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (!st.room) return reply_error(self, "topic", error_code::not_in_room);
  auto on_snapshot = [=](const room_snapshot& snap) {
    reply_ok(self, "topic", {{"room", snap.name}, {"topic", snap.topic}});
  };
  if (cmd.rest.empty()) return ask(self, st.room, look_request{}, "topic", "", on_snapshot);
  // The topic event tells every member, this one too.
  ask_change(self, st.room, set_topic{st.nick, cmd.rest, {}}, "topic", st.room_name,
             [=](const room_snapshot& snap) {
               reply_ok_shown(self, "topic", {{"room", snap.name}, {"topic", snap.topic}});
             });
}

void do_drop(session_actor* self, const command& cmd) {
  auto& st = self->state;
  ask_change(self, st.lobby, drop_room{cmd.target, st.nick, {}}, "drop", cmd.target,
             [=](const room_info& info) {
               // A dropper who was in the room has read "python was dropped by you".
               if (self->state.dropped_room == info.id)
                 return reply_ok_shown(self, "drop", {{"room", info.name}});
               reply_ok(self, "drop", {{"room", info.name}});
             });
}

void do_mode(session_actor* self, const command& cmd) {
  auto& st = self->state;
  st.mode = cmd.target == "json" ? output_mode::json : output_mode::text;
  self->send(st.gateway, net::client_mode{st.conn, st.mode == output_mode::json});
  reply_ok(self, "mode", {{"mode", cmd.target}});  // already in the new mode
}

void do_help(session_actor* self, const command& cmd) {
  json list = json::array();
  auto add = [&](const command_spec& spec) {
    json aliases = json::array();
    for (auto alias : spec.aliases) aliases.push_back(alias);
    list.push_back({{"name", spec.name},
                    {"aliases", aliases},
                    {"args", spec.args},
                    {"help", spec.help},
                    {"example", spec.example}});
  };
  if (cmd.target.empty()) {
    for (auto& spec : command_specs()) add(spec);
  } else if (auto* spec = find_command_spec(cmd.target)) {
    add(*spec);
  } else {
    return write(self, render_error("help", error_code::bad_args,
                                    "no such command: " + cmd.target + " (/help lists them all)",
                                    self->state.mode));
  }
  reply_ok(self, "help", {{"commands", list}});
}

// /tz: shows or sets the zone of text-mode times; a registered user's zone is
// kept with the account. json `ts` stays UTC whatever the zone.
void do_tz(session_actor* self, const command& cmd) {
  auto& st = self->state;
  if (cmd.target.empty()) return reply_ok(self, "tz", {{"zone", st.zone.name()}, {"kept", false}});
  auto zone = time_zone_ref::find(cmd.target);
  if (!zone)
    return write(self, render_error("tz", error_code::bad_args,
                                    "no such time zone: " + cmd.target +
                                        " (an IANA name such as Europe/Berlin, "
                                        "America/New_York or UTC)",
                                    st.mode));
  st.zone = *zone;
  push_filters(self);
  if (!st.registered) return reply_ok(self, "tz", {{"zone", st.zone.name()}, {"kept", false}});
  ask_change(self, st.lobby, set_zone_request{st.nick, zone_name(st), {}}, "tz", cmd.target,
             [=](const set_zone_reply& kept) {
               reply_ok(self, "tz", {{"zone", self->state.zone.name()}, {"kept", kept.kept}});
             });
}

void do_stats(session_actor* self) {
  ask(self, self->state.lobby, stats_request{}, "stats", "", [=](const stats_reply& s) {
    reply_ok(self, "stats",
             {{"node", s.node},
              {"nodes", s.nodes},
              {"sessions", s.sessions},
              {"rooms", s.rooms},
              {"cluster_msgs_sent", s.cluster_msgs_sent},
              {"cluster_msgs_received", s.cluster_msgs_received},
              {"repairs", s.repairs}});
  });
}

void do_quit(session_actor* self, const command& cmd) {
  reply_ok(self, "quit");
  end_session(self, "quit", cmd.rest, true);
}

void run(session_actor* self, const command& cmd) {
  switch (cmd.kind) {
    case command_kind::help:
      return do_help(self, cmd);
    case command_kind::login:
      return do_login(self, cmd);
    case command_kind::nick:
      return do_nick(self, cmd);
    case command_kind::register_nick:
      return do_register(self, cmd);
    case command_kind::rooms:
      return do_rooms(self);
    case command_kind::create:
      return do_create(self, cmd);
    case command_kind::join:
      return do_join(self, cmd);
    case command_kind::leave:
      return do_leave(self);
    case command_kind::look:
      return do_look(self);
    case command_kind::who:
      return do_who(self);
    case command_kind::msg:
      return do_msg(self, cmd);
    case command_kind::say:
      return do_say(self, cmd, false);
    case command_kind::me:
      return do_say(self, cmd, true);
    case command_kind::ignore:
      return do_ignore(self, cmd);
    case command_kind::unignore:
      return do_unignore(self, cmd);
    case command_kind::topic:
      return do_topic(self, cmd);
    case command_kind::drop:
      return do_drop(self, cmd);
    case command_kind::mode:
      return do_mode(self, cmd);
    case command_kind::quit:
      return do_quit(self, cmd);
    case command_kind::stats:
      return do_stats(self);
    case command_kind::tz:
      return do_tz(self, cmd);
  }
}

void handle_line(session_actor* self, const net::framed_line& line) {
  auto& st = self->state;
  if (st.password_for) return take_password(self, line);
  if (line.status == net::line_status::too_long)
    return reply_error(self, "", error_code::line_too_long);
  if (line.status == net::line_status::bad_encoding)
    return reply_error(self, "", error_code::bad_encoding);
  // A line of blanks is an empty line to a person (a stray space before Enter):
  // no reply, like an empty line.
  if (line.text.find_first_not_of(" \t") == std::string::npos) return;
  // Before login a plain line is a nickname (and maybe a password): /login <line>.
  auto parsed = parse_line(line.text);
  if (auto* cmd = std::get_if<command>(&parsed); cmd && cmd->plain && !st.logged_in)
    parsed = parse_line("/login " + line.text);
  if (auto* failure = std::get_if<parse_failure>(&parsed))
    return write(self, render_error(failure->cmd, failure->code, failure->text, st.mode));
  auto& cmd = std::get<command>(parsed);
  if (!st.logged_in && !allowed_before_login(cmd.kind))
    return reply_error(self, command_name(cmd.kind), error_code::not_logged_in);
  run(self, cmd);
}

// Runs the waiting lines, in order, while no command is in flight and the
// next line's time has come; a line held back wakes the session at its time.
void pump(session_actor* self) {
  auto& st = self->state;
  while (st.waiting == 0 && !st.ended && st.next_input < st.input.size()) {
    auto release = st.input[st.next_input].release;
    auto now = steady::now();
    if (release > now) {
      if (!st.wake_due) {
        st.wake_due = true;
        self->delayed_send(self, release - now, wake_atom::value);
      }
      return;
    }
    auto line = std::move(st.input[st.next_input++].line);
    handle_line(self, line);
  }
  if (st.next_input == st.input.size()) {
    st.input.clear();
    st.next_input = 0;
    if (st.input.capacity() > 64) st.input.shrink_to_fit();  // after a burst, back to idle size
  } else if (st.next_input >= 64 && st.next_input * 2 >= st.input.size()) {
    // Held lines keep the queue from ever running empty under a steady
    // flood: drop the lines already run, so it stays bounded by what waits.
    st.input.erase(st.input.begin(), st.input.begin() + static_cast<std::ptrdiff_t>(st.next_input));
    st.next_input = 0;
  }
}

// The name a refused line is answered under.
std::string refused_command_name(const parse_result& parsed) {
  if (auto* failure = std::get_if<parse_failure>(&parsed)) return failure->cmd;
  return std::string{command_name(std::get<command>(parsed).kind)};
}

// Charges a line to the fakelag by its arrival and queues it, or refuses it
// when too many lines are held already. Refused lines in a row past the
// setting end the session: that client keeps flooding, it is not pasting.
// Returns false once the session ended.
bool admit_line(session_actor* self, net::framed_line& line, steady::time_point arrived) {
  auto& st = self->state;
  // A line that may answer a password prompt is never parsed: its price is a
  // chat line's (the /login or /register before it paid for the hash) and a
  // refusal names that command, so no part of a password reaches a reply.
  std::optional<command_kind> password_of = st.password_may_follow;
  if (st.password_for && st.next_input == st.input.size()) password_of = st.password_for->kind;
  st.password_may_follow.reset();
  parse_result parsed = parse_failure{};
  if (!password_of && line.status == net::line_status::ok) {
    parsed = parse_line(line.text);
    if (auto* cmd = std::get_if<command>(&parsed); cmd && cmd->plain && !st.logged_in)
      parsed = parse_line("/login " + line.text);
    if (auto* cmd = std::get_if<command>(&parsed);
        cmd && cmd->rest.empty() &&
        (cmd->kind == command_kind::login || cmd->kind == command_kind::register_nick))
      st.password_may_follow = cmd->kind;  // it may prompt: the next line may be its password
  }
  auto cost = password_of ? st.config->costs.chat : line_cost(parsed, st.config->costs);
  auto release = st.lag.admit(arrived, cost);
  if (release) {
    st.strikes = 0;
    st.input.push_back(queued_line{std::move(line), *release});
    return true;
  }
  if (password_of) {
    st.password_may_follow = password_of;  // the password is still to come
    reply_error(self, std::string{command_name(*password_of)}, error_code::rate_limited);
  } else {
    reply_error(self, refused_command_name(parsed), error_code::rate_limited);
  }
  if (++st.strikes < st.config->rate_strikes_to_kick) return true;
  spdlog::warn("session {} ({}) from {} ended for flooding", st.conn, st.nick, st.peer);
  show(self, notice("disconnected for flooding"));
  end_session(self, "disconnected", "flooding", true);
  return false;
}

void on_lines(session_actor* self, net::client_lines& batch) {
  auto& st = self->state;
  if (st.ended) return;
  st.telnet = st.telnet || batch.telnet;
  if (!batch.negotiation.empty()) {
    auto answer = st.telnet_options.answer(batch.negotiation);
    if (!answer.empty()) write(self, std::move(answer));
  }
  steady::time_point arrived{
      std::chrono::duration_cast<steady::duration>(std::chrono::nanoseconds(batch.arrived_ns))};
  for (auto& line : batch.lines)
    if (!admit_line(self, line, arrived)) return;
  // More lines waiting behind a slow command than the setting is a flood (like
  // an IRC server's receive queue): the session ends rather than buffer it.
  auto waiting_lines = st.input.size() - st.next_input;
  if (waiting_lines > st.config->max_queued_lines) {
    spdlog::warn("session {} from {} ended: {} lines waiting", st.conn, st.peer, waiting_lines);
    show(self, notice("disconnected: too many commands waiting"));
    return end_session(self, "disconnected", "flooding", true);
  }
  pump(self);
}

void on_private(session_actor* self, const event& ev) {
  auto& st = self->state;
  if (ev.kind == event_kind::private_message && st.ignoring.count(fold_name(ev.nick))) return;
  show(self, ev);
}

// The lobby gave this session's nick to an earlier login on another node
// (after a split) and a free name to this one: tell the user and the room.
void on_forced_rename(session_actor* self, const forced_rename& msg) {
  auto& st = self->state;
  auto old = st.nick;
  st.nick = msg.nick;
  show(self, notice(msg.why));
  if (st.room) {
    self->send(st.room, rename_member{old, msg.nick});  // the room tells everyone, us included
    return;
  }
  event ev;
  ev.kind = event_kind::nick;
  ev.nick = old;
  ev.other = msg.nick;
  ev.ts_ms = now_ms();
  show(self, ev);
}

caf::behavior session(session_actor* self, caf::actor gateway, net::conn_id conn, std::string peer,
                      caf::actor lobby, std::shared_ptr<const settings> config) {
  auto& st = self->state;
  st.gateway = std::move(gateway);
  st.lobby = std::move(lobby);
  st.conn = conn;
  st.peer = std::move(peer);
  st.config = std::move(config);
  st.lag = fakelag{st.config->rate_burst, st.config->rate_per_sec, st.config->max_held_lines};
  self->set_error_handler([](caf::error&) {});  // stray errors never end a session
  // The banner counts who is online, so the lobby is asked first; lines typed
  // meanwhile wait, like those behind any command.
  ++st.waiting;
  self->request(st.lobby, st.config->request_timeout, welcome_request{})
      .then(
          [=](const welcome_info& info) {
            write(self,
                  render_banner(self->state.config->node_name, self->state.config->motd, info));
            finish(self);
          },
          [=](caf::error&) {
            write(self, render_banner(self->state.config->node_name, self->state.config->motd,
                                      std::nullopt));
            finish(self);
          });
  return {
      [=](net::client_lines& batch) { on_lines(self, batch); },
      [=](wake_atom) {
        self->state.wake_due = false;
        pump(self);
      },
      [=](const net::client_closed&) { end_session(self, "disconnected", "", false); },
      [=](const net::send_queue_full&) {
        spdlog::info("session {} ({}) ended: send queue exceeded", self->state.conn,
                     self->state.nick);
        end_session(self, "timeout", "send queue exceeded", true);
      },
      [=](const room_dropped& msg) {
        auto& st = self->state;
        if (st.room_id != msg.id) return;
        st.dropped_room = msg.id;
        st.room = nullptr;
        st.room_id = 0;
        st.room_name.clear();
      },
      [=](const deliver_event& msg) { on_private(self, msg.ev); },
      [=](const forced_rename& msg) { on_forced_rename(self, msg); },
      [=](const ghosted& msg) {
        show(self,
             notice("you logged in again, on node " + msg.node + ": this connection is closed"));
        end_session(self, "ghosted", "", true);
      },
      [=](const delayed_error& e) {
        write(self, render_error(e.cmd, e.code, e.text, self->state.mode));
        finish(self);
      },
      [=](const net::client_timed_out& msg) {
        show(self, notice(msg.login ? "login timeout: closing the connection"
                                    : "idle timeout: closing the connection"));
        end_session(self, "timeout", msg.login ? "" : "idle", true);
      },
  };
}

}  // namespace

caf::actor spawn_session(caf::actor_system& sys, caf::actor gateway, net::conn_id conn,
                         std::string peer, caf::actor lobby,
                         std::shared_ptr<const settings> config) {
  return sys.spawn(session, std::move(gateway), conn, std::move(peer), std::move(lobby),
                   std::move(config));
}

}  // namespace chat
