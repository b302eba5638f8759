// Which middleman actor dials the cluster's peers: chatd's TLS transport
// (apps/chatd/tls_transport.hpp) when the node runs with cluster TLS, else
// CAF's plain middleman. main registers the TLS one in the actor registry.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>

namespace chat {

// The registry key of the TLS middleman actor.
constexpr caf::atom_value cluster_middleman_key = caf::atom("cl_tls_mm");

inline caf::io::middleman_actor cluster_middleman(caf::actor_system& sys) {
  if (auto tls = sys.registry().get(cluster_middleman_key))
    return caf::actor_cast<caf::io::middleman_actor>(tls);
  return sys.middleman().actor_handle();
}

}  // namespace chat
