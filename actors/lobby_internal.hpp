// The functions the lobby's two halves call in each other: lobby.cpp serves
// local sessions, lobby_cluster.cpp links with peers and keeps the replicas in
// step. Private to the lobby actor.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "actors/cluster_messages.hpp"
#include "actors/lobby_state.hpp"
#include "actors/protocol_errors.hpp"

namespace chat {

using redial_atom = caf::atom_constant<caf::atom("redial")>;
using share_state_atom = caf::atom_constant<caf::atom("share_st")>;
using expiry_atom = caf::atom_constant<caf::atom("nick_exp")>;
using anti_entropy_atom = caf::atom_constant<caf::atom("anti_ent")>;
using ghost_timeout_atom = caf::atom_constant<caf::atom("ghost_to")>;

// ---- lobby.cpp: the directory ----

room_info* lookup_room(lobby_state& st, const std::string& name_or_id);
// Starts the local replica of `record` and lists it.
void add_room(lobby_actor* self, const storage::room_record& record);
// Unlists a room; its actor is told by the caller.
void forget_room(lobby_state& st, uint64_t id);
// True if a session here or on a peer has the nick, or it is being taken.
bool nick_in_use(const lobby_state& st, const std::string& key);
// True if a registered nick looks like `nick` (same name_key) but is another
// name: taking `nick` would impersonate its owner.
bool registered_lookalike(const lobby_state& st, const std::string& nick);
// Renames a local user in the directory (no checks).
void apply_rename(lobby_state& st, const std::string& old_key, const std::string& new_key,
                  const std::string& new_nick);
// The nick's session here or on a peer (nullptr if it is online nowhere).
caf::actor online_session(const lobby_state& st, const std::string& key);
// The nick `key` may have gone offline: logins waiting for its ghost proceed.
void nick_freed(lobby_actor* self, const std::string& key);
// Sends a notice to the local session with this nick, if there is one.
void notify_user(lobby_actor* self, const std::string& nick, const std::string& text);

// ---- lobby_cluster.cpp ----

// The cluster port is open at `endpoint` (host:port): dial the configured peers.
void start_cluster(lobby_actor* self, const std::string& endpoint);
// Sends `msg` to every linked peer's lobby.
template <class T>
void to_peers(lobby_actor* self, const T& msg) {
  for (auto& [name, peer] : self->state.peers) self->send(peer.lobby, msg);
}
// Tells the peers about a change of a local user.
void announce(lobby_actor* self, presence_change change, const online_user& user,
              const std::string& old_nick = {});
// Asks every peer whether this node may take `nick`; `done` gets nullopt when
// all agreed, or the error to answer (nick_taken, unavailable).
void claim_nick(lobby_actor* self, const std::string& nick,
                std::function<void(std::optional<error_code>)> done);

caf::result<node_hello> on_hello(lobby_actor* self, const node_hello& hello);
void on_share_state(lobby_actor* self, const std::string& node);
void on_redial(lobby_actor* self, const std::string& endpoint);
// True if `down` was a peer's lobby (it is then gone, with a netsplit).
bool on_peer_down(lobby_actor* self, const caf::down_msg& down);
void on_partition(lobby_actor* self, bool on);
// Each merges what it is given by the rules of docs/cluster.md and returns
// whether it changed anything here (on_replica_state: how many items did).
std::size_t on_replica_state(lobby_actor* self, const replica_state& state);
bool on_room_upsert(lobby_actor* self, const storage::room_record& room);
bool on_room_tombstone(lobby_actor* self, uint64_t id, int64_t dropped_ms);
bool on_user_upsert(lobby_actor* self, const storage::user_record& user);
// Anti-entropy: the periodic digest to every peer, a peer's digest (ours
// differs: it gets our state), a peer's state sent for that (merged, counted
// in `repairs`).
void on_anti_entropy_tick(lobby_actor* self);
void on_replica_digest(lobby_actor* self, const replica_digest_msg& msg);
void on_replica_repair(lobby_actor* self, const replica_repair& repair);
void on_presence_state(lobby_actor* self, const presence_state& state);
void on_presence_delta(lobby_actor* self, const presence_delta& delta);
nick_claim_reply on_claim(lobby_actor* self, const nick_claim& claim);
void on_release(lobby_actor* self, const nick_release& release);
void on_outbound_relay(lobby_actor* self, const outbound_relay& out);
void on_room_relay(lobby_actor* self, const room_relay& relay);

}  // namespace chat
