#include "bench/server_spread.hpp"

#include <algorithm>

namespace bench {

server_spread::server_spread(uint32_t clients, uint32_t servers)
    : clients_(clients), servers_(std::max(servers, 1u)) {}

uint32_t server_spread::clients_on(uint32_t server) const {
  if (server >= servers_) return 0;
  return clients_ / servers_ + (server < clients_ % servers_ ? 1 : 0);
}

uint32_t server_spread::senders_on(uint32_t server, const room_layout& layout) const {
  uint32_t total = 0;
  for (uint32_t r = 0; r < layout.rooms(); ++r) {
    uint32_t first = layout.first_member(r);
    for (uint32_t c = first; c < first + layout.senders_in(r); ++c)
      if (server_of(c) == server) ++total;
  }
  return total;
}

}  // namespace bench
