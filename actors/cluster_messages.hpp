// The messages between the lobbies of the nodes of a cluster, and between a
// lobby and its own rooms and sessions about the cluster. The state-exchange
// protocol they make up is written down in docs/cluster.md.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/event.hpp"
#include "actors/messages.hpp"
#include "storage/records.hpp"

namespace chat {

// ---- lobby <-> lobby: linking ----

// Sent by the node that dials, answered with the other's own hello.
struct node_hello {
  std::string node;                // node name, unique in the cluster
  std::string cluster;             // cluster name: another one is refused
  uint16_t slot = 0;               // room id slot (actors/replica_rules.hpp)
  std::string endpoint;            // host:port of its cluster port
  std::vector<std::string> known;  // endpoints of the peers it knows: dial them too
  caf::actor lobby;
};

// ---- lobby <-> lobby: replicated state (rooms, drops, registrations) ----

// Everything a node knows, sent to a peer right after linking.
struct replica_state {
  std::vector<storage::room_record> rooms;
  std::vector<uint64_t> dropped;  // ids of dropped rooms (tombstones)
  std::vector<storage::user_record> users;
};
// Anti-entropy (actors/replica_digest.hpp): every anti-entropy interval a node
// sends each peer the digest of its replicated state; a peer whose own digest
// differs answers with a replica_repair of its whole state, and the two merge
// each other's.
struct replica_digest_msg {
  std::string node;
  uint64_t digest = 0;
};
struct replica_repair {
  std::string node;
  replica_state state;
};
// Deltas, sent to every peer after the change committed locally.
struct room_upsert {
  storage::room_record room;
};
struct room_tombstone {
  uint64_t id = 0;
  int64_t dropped_ms = 0;
};
struct user_upsert {
  storage::user_record user;
};

// ---- lobby <-> lobby: presence (who is online where) ----

struct remote_user {
  std::string nick;
  uint64_t room_id = 0;  // 0: the lobby
  caf::actor session;
  int64_t login_ms = 0;
};
// All of a node's users, sent right after linking.
struct presence_state {
  std::string node;
  std::vector<remote_user> users;
};
enum class presence_change : uint8_t { login, logout, move, rename };
struct presence_delta {
  std::string node;
  presence_change change = presence_change::login;
  remote_user user;
  std::string old_nick;  // for rename
};

// ---- lobby <-> lobby: taking a nick while another node may take it too ----

struct nick_claim {
  std::string nick;
  std::string node;
  int64_t ts_ms = 0;
};
struct nick_claim_reply {
  bool granted = false;
};
struct nick_release {
  std::string nick;
  std::string node;
};

// ---- room replicas: room -> own lobby -> peer lobbies -> their room ----

// A room event for the room's replica on another node. The join, leave and
// nick events also keep that replica's list of remote members.
struct room_relay {
  uint64_t room_id = 0;
  std::string node;  // where the event happened
  event ev;
};
struct outbound_relay {
  std::vector<std::string> targets;  // node names; empty: every linked node
  room_relay relay;
};

// ---- lobby -> its rooms and sessions ----

// The members a peer has in this room, right after linking with it.
struct remote_members {
  std::string node;
  std::vector<std::string> nicks;
};
// A peer is gone: its members leave with reason `netsplit`.
struct node_gone {
  std::string node;
};
// A replicated topic (the event itself arrives as a room_relay).
struct topic_update {
  std::string topic;
  int64_t topic_ms = 0;
};
// The session lost its nick to an earlier login elsewhere (after a split).
struct forced_rename {
  std::string nick;
  std::string why;
};
// lobby -> a session on any node: its account logged in again elsewhere with
// the right password (issue 15, ghosts); the session ends, its room sees a
// leave with reason `ghosted`.
struct ghosted {
  std::string node;  // where the new login is
};

// ---- main -> lobby ----

// Drop every cluster link (true) or link again (false); answered with `true`.
struct partition_switch {
  bool on = false;
};

void register_cluster_messages(caf::actor_system_config& cfg);

CHAT_INSPECT(node_hello, x.node, x.cluster, x.slot, x.endpoint, x.known, x.lobby)
CHAT_INSPECT(replica_state, x.rooms, x.dropped, x.users)
CHAT_INSPECT(replica_digest_msg, x.node, x.digest)
CHAT_INSPECT(replica_repair, x.node, x.state)
CHAT_INSPECT(room_upsert, x.room)
CHAT_INSPECT(room_tombstone, x.id, x.dropped_ms)
CHAT_INSPECT(user_upsert, x.user)
CHAT_INSPECT(remote_user, x.nick, x.room_id, x.session, x.login_ms)
CHAT_INSPECT(presence_state, x.node, x.users)
CHAT_INSPECT(presence_delta, x.node, x.change, x.user, x.old_nick)
CHAT_INSPECT(nick_claim, x.nick, x.node, x.ts_ms)
CHAT_INSPECT(nick_claim_reply, x.granted)
CHAT_INSPECT(nick_release, x.nick, x.node)
CHAT_INSPECT(room_relay, x.room_id, x.node, x.ev)
CHAT_INSPECT(outbound_relay, x.targets, x.relay)
CHAT_INSPECT(remote_members, x.node, x.nicks)
CHAT_INSPECT(node_gone, x.node)
CHAT_INSPECT(topic_update, x.topic, x.topic_ms)
CHAT_INSPECT(forced_rename, x.nick, x.why)
CHAT_INSPECT(ghosted, x.node)
CHAT_INSPECT(partition_switch, x.on)

}  // namespace chat
