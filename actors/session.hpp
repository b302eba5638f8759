// A session actor: one per client connection. It knows who the user is (nick,
// login, output mode, current room, mute and ignore lists, rate limit), turns
// each input line into a command, and answers every command with exactly one
// reply, in order: while a command waits for another actor, later lines wait
// in the session's input queue.
//
// Accepts from the gateway: net::client_lines, net::client_closed,
// net::send_queue_full, net::client_timed_out; from rooms: room_dropped; from
// the lobby (of any node): forced_rename, ghosted; from anyone:
// deliver_event; from itself: wake_atom (fakelag), delayed_error.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>
#include <string>

#include "actors/settings.hpp"
#include "net/messages.hpp"

namespace chat {

caf::actor spawn_session(caf::actor_system& sys, caf::actor gateway, net::conn_id conn,
                         std::string peer, caf::actor lobby,
                         std::shared_ptr<const settings> config);

}  // namespace chat
