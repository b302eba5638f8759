// A room actor: one per room. Owns the room's member list and topic, stamps
// every chat line once, renders it once per output format and hands it to the
// gateway in one fanout message for all members.
//
// Its handle, room_actor, lists every message it accepts and its reply
// (actors/room_actor.hpp).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/messages.hpp"
#include "actors/room_actor.hpp"
#include "actors/settings.hpp"
#include "storage/storage_actor.hpp"

namespace chat {

// `info.actor` is ignored. The room reports topic changes to `lobby` and
// persists them through `storage`.
room_actor spawn_room(caf::actor_system& sys, room_info info, caf::actor lobby,
                      storage::storage_actor storage, std::shared_ptr<const settings> config);

}  // namespace chat
