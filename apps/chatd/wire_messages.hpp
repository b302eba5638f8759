// The message types a node registers with CAF: only those that cross the wire.
#pragma once

#include <caf/actor_system_config.hpp>

namespace chat {

// Registers the types that travel between nodes (actors/messages.hpp and
// actors/cluster_messages.hpp) under their wire names. The gateway's messages
// (net/messages.hpp: client_lines and the rest), the storage actor's and the
// password workers' never leave their node and stay unregistered: CAF 0.17
// needs a registration only to serialize a type, so local sends work without
// it, while a peer that sends one (client_lines to a session it learned of,
// say) has its message dropped undecoded by this node's BASP.
void register_wire_messages(caf::actor_system_config& cfg);

}  // namespace chat
