// A room actor: one per room. Owns the room's member list and topic, stamps
// every chat line once, renders it once per output format and hands it to the
// gateway in one fanout message for all members.
//
// Accepts: enter_room -> room_snapshot, exit_room, say -> said,
// look_request -> room_snapshot, set_topic -> room_snapshot, set_filters,
// rename_member, drop_now -> drop_done.
#pragma once

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <memory>

#include "actors/messages.hpp"
#include "actors/settings.hpp"
#include "storage/storage_actor.hpp"

namespace chat {

// `info.actor` is ignored. The room reports topic changes to `lobby` and
// persists them through `storage`.
caf::actor spawn_room(caf::actor_system& sys, room_info info, caf::actor lobby,
                      storage::storage_actor storage, std::shared_ptr<const settings> config);

}  // namespace chat
