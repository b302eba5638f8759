// The lobby actor: one per node. Owns the directory of rooms (name, id, topic,
// owner, room actor) and of users online (nick, session, room), so it decides
// what must be unique: nicks, room names, room ids. Registration and login go
// through it; password hashing runs on password workers, never here.
//
// Accepts: login_request -> login_reply, rename_request -> rename_reply,
// register_request -> register_reply, list_rooms -> room_list,
// create_room -> room_info, find_room -> room_info, drop_room -> room_info,
// find_user -> user_ref, who_request -> who_reply, stats_request -> stats_reply,
// presence_update, logout, topic_changed, and shutdown_atom (stop every room, quit).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "actors/settings.hpp"
#include "storage/records.hpp"

namespace chat {

using lobby_shutdown_atom = caf::atom_constant<caf::atom("lobby_shut")>;

// `rooms` are the rooms loaded from the database, `max_room_id` the highest id
// ever given out; the lobby creates the settings' default rooms that are missing.
caf::actor spawn_lobby(caf::actor_system& sys, std::shared_ptr<const settings> config,
                       caf::actor storage, std::vector<storage::room_record> rooms,
                       uint64_t max_room_id);

}  // namespace chat
