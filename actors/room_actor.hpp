// The room actor's handle: every message a room accepts, with its reply. A
// send or request of anything else to a room does not compile.
//
// It has a header of its own, apart from actors/room.hpp, because room_info
// (actors/messages.hpp) holds this handle while the interface names messages
// defined there and in actors/cluster_messages.hpp: the messages are only
// declared here, which is all a handle type needs. Whoever sends one includes
// the header that defines it.
#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace chat {

// actors/messages.hpp
struct enter_room;
struct room_snapshot;
struct exit_room;
struct say;
struct said;
struct look_request;
struct set_topic;
struct set_filters;
struct rename_member;
struct drop_now;
struct drop_done;
// actors/cluster_messages.hpp
struct room_relay;
struct remote_members;
struct node_gone;
struct topic_update;

// From its members' sessions (a failed request is answered with a
// chat::make_error code):
//   enter_room -> room_snapshot (forbidden when the room is full)
//   exit_room
//   say -> said (not_in_room for a nick that is not a member)
//   look_request -> room_snapshot
//   set_topic -> room_snapshot, after the topic is stored (forbidden for
//     anyone but the owner, unavailable past the deadline, else the error of
//     the failed write)
//   set_filters, rename_member
// From the lobby:
//   drop_now -> drop_done (every member is told; the room then quits)
//   room_relay, remote_members, node_gone, topic_update (its replicas on
//     other nodes, relayed by the lobbies)
using room_actor =
    caf::typed_actor<caf::replies_to<enter_room>::with<room_snapshot>, caf::reacts_to<exit_room>,
                     caf::replies_to<say>::with<said>,
                     caf::replies_to<look_request>::with<room_snapshot>,
                     caf::replies_to<set_topic>::with<room_snapshot>, caf::reacts_to<set_filters>,
                     caf::reacts_to<rename_member>, caf::replies_to<drop_now>::with<drop_done>,
                     caf::reacts_to<room_relay>, caf::reacts_to<remote_members>,
                     caf::reacts_to<node_gone>, caf::reacts_to<topic_update>>;

}  // namespace chat
