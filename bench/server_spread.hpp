// Which server each client talks to when chat-bench is given several (the
// nodes of a cluster): round robin by client index. A room's members are
// consecutive indices (room_layout.hpp), so every room has members on every
// server, differing by at most one, and its first senders land on different
// servers: with at least as many senders as servers, every server has one.
// Pure; immutable after construction.
#pragma once

#include <cstdint>

#include "bench/room_layout.hpp"

namespace bench {

class server_spread {
 public:
  server_spread(uint32_t clients, uint32_t servers);

  uint32_t servers() const { return servers_; }
  bool spread() const { return servers_ > 1; }  // more than one server

  uint32_t server_of(uint32_t client) const { return client % servers_; }
  uint32_t clients_on(uint32_t server) const;
  // Senders of the layout that talk to this server.
  uint32_t senders_on(uint32_t server, const room_layout& layout) const;

 private:
  uint32_t clients_;
  uint32_t servers_;  // at least 1
};

}  // namespace bench
