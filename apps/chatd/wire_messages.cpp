#include "apps/chatd/wire_messages.hpp"

#include "actors/cluster_messages.hpp"
#include "actors/messages.hpp"

namespace chat {

void register_wire_messages(caf::actor_system_config& cfg) {
  register_actor_messages(cfg);
  register_cluster_messages(cfg);
}

}  // namespace chat
