// The lobby actor: one per node. Owns the directory of rooms (name, id, topic,
// owner, room actor) and of users online (nick, session, room), so it decides
// what must be unique: nicks, room names, room ids. Registration and login go
// through it; password hashing runs in the password pool, never here. In a
// cluster it is also the node's endpoint for its peers (lobby_cluster.cpp).
//
// Accepts: login_request -> login_reply, rename_request -> rename_reply,
// register_request -> register_reply, set_zone_request -> set_zone_reply,
// list_rooms -> room_list, create_room -> room_info, find_room -> room_info,
// drop_room -> room_info, find_user -> user_ref, who_request -> who_reply,
// welcome_request -> welcome_info, stats_request -> stats_reply,
// presence_update, logout, topic_changed, outbound_relay (from its rooms),
// the peer messages of actors/cluster_messages.hpp (replica_digest_msg and
// replica_repair among them), partition_switch -> bool, cluster_start_atom,
// and lobby_shutdown_atom (stop every room, quit); to itself redial_atom,
// share_state_atom, expiry_atom, anti_entropy_atom, ghost_timeout_atom
// (actors/lobby_internal.hpp). docs/architecture.md has the whole picture.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "actors/settings.hpp"
#include "storage/password_pool.hpp"
#include "storage/records.hpp"
#include "storage/storage_actor.hpp"

namespace chat {

using lobby_shutdown_atom = caf::atom_constant<caf::atom("lobby_shut")>;
// main -> lobby, once the cluster port is open: (cluster_start_atom, "host:port").
using cluster_start_atom = caf::atom_constant<caf::atom("clu_start")>;

// What the node's database holds at start.
struct lobby_seed {
  std::vector<storage::room_record> rooms;
  std::vector<uint64_t> dropped;  // ids of dropped rooms
  std::vector<storage::user_record> users;
  uint64_t max_room_id = 0;  // the highest id ever given out
};

caf::actor spawn_lobby(caf::actor_system& sys, std::shared_ptr<const settings> config,
                       storage::storage_actor storage, storage::password_pool_actor passwords,
                       lobby_seed seed);

}  // namespace chat
