// The messages between sessions, rooms and the lobby. Plain structs with
// inspect() overloads, registered with the actor system: the cluster sends the
// same messages between nodes, so no actor assumes its peer is local.
// Requests fail with chat::make_error(code) (actors/chat_error.hpp).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/deadline.hpp"
#include "actors/event.hpp"
#include "actors/identity.hpp"
#include "actors/room_actor.hpp"
#include "actors/welcome.hpp"

namespace chat {

// A room as the directory knows it; `actor` is the room's actor. The lobby
// gives it only to its own sessions: rooms on other nodes are reached through
// their lobby (actors/cluster_messages.hpp), never by this handle.
struct room_info {
  uint64_t id = 0;
  std::string name;
  std::string topic;
  std::string owner;  // empty: no owner (default rooms)
  uint32_t members = 0;
  room_actor actor;
  std::string owner_id;  // the owner's identity (actors/identity.hpp); '' when none
};

// A session as a room sees it: who it is, and where its client's bytes go.
struct member_ref {
  std::string nick;
  caf::actor session;
  caf::actor gateway;
  uint64_t conn = 0;  // net::conn_id of its client at `gateway`
  bool muted = false;
  std::vector<std::string> ignoring;  // folded nicks
  std::string zone;                   // time zone of its text-mode times; '' is UTC
  std::string identity;               // actors/identity.hpp: its account, or itself
  std::string peer;                   // its client's address (bans of unregistered users)
};

struct user_presence {
  std::string nick;
  std::string room;  // empty: in the lobby
  std::string node;
};

// ---- session -> lobby ----
struct login_request {
  std::string nick;
  std::string password;
  caf::actor session;
  std::string peer;  // the session's address: password checks are bounded per network
  deadline due;      // actors/deadline.hpp
};
struct login_reply {
  std::string nick;
  bool registered = false;
  std::string time_zone;  // kept with a registration (/tz); '' is UTC
  account_ref account;    // set when registered
};
// /tz: kept with the account if the nick is registered (`kept`).
struct set_zone_request {
  std::string nick;
  std::string zone;
  deadline due;
};
struct set_zone_reply {
  bool kept = false;
};
struct rename_request {
  std::string old_nick;
  std::string new_nick;
  account_ref account;  // the session's account: its own nick comes back without a password
  deadline due;
};
struct rename_reply {
  std::string nick;
  bool registered = false;  // the session is back on its own account's nick
};
struct register_request {
  std::string nick;
  std::string password;
  std::string peer;  // the session's address: registrations count per network
  deadline due;
};
struct register_reply {
  std::string nick;
  account_ref account;
};
struct list_rooms {};
struct room_list {
  std::vector<room_info> rooms;
};
struct create_room {
  std::string name;
  std::string topic;
  std::string owner;
  std::string peer;             // the session's address: creations count per network
  uint32_t created_before = 0;  // rooms this session created already
  deadline due;
};
struct find_room {
  std::string name_or_id;
};
struct drop_room {
  std::string name_or_id;
  std::string by;
  deadline due;
};
struct find_user {
  std::string nick;
};
struct user_ref {
  std::string nick;
  caf::actor session;
};
struct who_request {};
struct who_reply {
  std::vector<user_presence> users;
};
struct presence_update {
  std::string nick;
  uint64_t room_id = 0;
};  // 0: the lobby
struct logout {
  std::string nick;
};
// The banner's counts, and where a chat line in the lobby should go (welcome.hpp).
struct welcome_request {};
struct stats_request {};
struct stats_reply {
  std::string node;
  std::vector<std::string> nodes;
  uint64_t sessions = 0;
  uint64_t rooms = 0;
  uint64_t cluster_msgs_sent = 0;
  uint64_t cluster_msgs_received = 0;
  uint64_t repairs = 0;  // replicated items anti-entropy changed on this node since start
};

// ---- session -> room ----
struct enter_room {
  member_ref member;
};
struct room_snapshot {
  uint64_t id = 0;
  std::string name;
  std::string topic;
  std::vector<std::string> members;
};
struct exit_room {
  std::string nick;
  std::string reason;
  std::string text;
};
struct say {
  std::string nick;
  std::string text;
  bool action = false;
};
struct said {};
struct look_request {};
struct set_topic {
  std::string by;
  std::string topic;
  deadline due;
};
struct set_filters {
  std::string nick;
  bool muted = false;
  std::vector<std::string> ignoring;
  std::string zone;  // see member_ref
};
struct rename_member {
  std::string old_nick;
  std::string new_nick;
};

// ---- room -> lobby, lobby -> room ----
struct topic_changed {
  uint64_t id = 0;
  std::string topic;
  int64_t topic_ms = 0;
};
struct drop_now {
  std::string by;  // who dropped it; empty when a peer's tombstone did
};
struct drop_done {};

// ---- -> session ----
struct room_dropped {
  uint64_t id = 0;
};
struct deliver_event {
  event ev;
};  // private messages and notices to one session

void register_actor_messages(caf::actor_system_config& cfg);

// clang-format off
#define CHAT_INSPECT(T, ...)                                                   \
  template <class Inspector>                                                   \
  typename Inspector::result_type inspect(Inspector& f, T& x) {                \
    return f(caf::meta::type_name(#T), __VA_ARGS__);                           \
  }
#define CHAT_INSPECT_EMPTY(T)                                                  \
  template <class Inspector>                                                   \
  typename Inspector::result_type inspect(Inspector& f, T&) {                  \
    return f(caf::meta::type_name(#T));                                        \
  }
// clang-format on

CHAT_INSPECT(room_info, x.id, x.name, x.topic, x.owner, x.members, x.actor, x.owner_id)
CHAT_INSPECT(member_ref, x.nick, x.session, x.gateway, x.conn, x.muted, x.ignoring, x.zone,
             x.identity, x.peer)
CHAT_INSPECT(user_presence, x.nick, x.room, x.node)
CHAT_INSPECT(deadline, x.steady_ns)
CHAT_INSPECT(login_request, x.nick, x.password, x.session, x.peer, x.due)
CHAT_INSPECT(account_ref, x.nick, x.created_ms, x.origin)
CHAT_INSPECT(login_reply, x.nick, x.registered, x.time_zone, x.account)
CHAT_INSPECT(rename_request, x.old_nick, x.new_nick, x.account, x.due)
CHAT_INSPECT(rename_reply, x.nick, x.registered)
CHAT_INSPECT(register_request, x.nick, x.password, x.peer, x.due)
CHAT_INSPECT(register_reply, x.nick, x.account)
CHAT_INSPECT_EMPTY(list_rooms)
CHAT_INSPECT(room_list, x.rooms)
CHAT_INSPECT(create_room, x.name, x.topic, x.owner, x.peer, x.created_before, x.due)
CHAT_INSPECT(find_room, x.name_or_id)
CHAT_INSPECT(drop_room, x.name_or_id, x.by, x.due)
CHAT_INSPECT(find_user, x.nick)
CHAT_INSPECT(user_ref, x.nick, x.session)
CHAT_INSPECT_EMPTY(who_request)
CHAT_INSPECT(who_reply, x.users)
CHAT_INSPECT(presence_update, x.nick, x.room_id)
CHAT_INSPECT(logout, x.nick)
CHAT_INSPECT_EMPTY(stats_request)
CHAT_INSPECT_EMPTY(welcome_request)
CHAT_INSPECT(set_zone_request, x.nick, x.zone, x.due)
CHAT_INSPECT(set_zone_reply, x.kept)
CHAT_INSPECT(room_count, x.name, x.members, x.id)
CHAT_INSPECT(welcome_info, x.online, x.busiest)
CHAT_INSPECT(stats_reply, x.node, x.nodes, x.sessions, x.rooms, x.cluster_msgs_sent,
             x.cluster_msgs_received, x.repairs)
CHAT_INSPECT(enter_room, x.member)
CHAT_INSPECT(room_snapshot, x.id, x.name, x.topic, x.members)
CHAT_INSPECT(exit_room, x.nick, x.reason, x.text)
CHAT_INSPECT(say, x.nick, x.text, x.action)
CHAT_INSPECT_EMPTY(said)
CHAT_INSPECT_EMPTY(look_request)
CHAT_INSPECT(set_topic, x.by, x.topic, x.due)
CHAT_INSPECT(set_filters, x.nick, x.muted, x.ignoring, x.zone)
CHAT_INSPECT(rename_member, x.old_nick, x.new_nick)
CHAT_INSPECT(topic_changed, x.id, x.topic, x.topic_ms)
CHAT_INSPECT(drop_now, x.by)
CHAT_INSPECT_EMPTY(drop_done)
CHAT_INSPECT(room_dropped, x.id)
CHAT_INSPECT(deliver_event, x.ev)

}  // namespace chat
