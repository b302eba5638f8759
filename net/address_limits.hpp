// Limits by network, not by address string (issue 16): an IPv6 client picks
// a new address from its /64 for every connection, so counting per exact
// address counts nothing. Pure functions and a clock-free counter: no
// sockets, no actors, no global state; unit tested with a fake clock.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chat::net {

// An IPv4 or IPv6 address. IPv4 takes the first 4 bytes.
struct ip_address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7" (an IPv4-mapped address, as a
// dual-stack socket reports IPv4 clients: read as IPv4). nullopt otherwise.
std::optional<ip_address> parse_address(std::string_view text);

// A network: an address and how many leading bits count.
struct network {
  ip_address base;
  int prefix = 0;
};

// "127.0.0.0/8,::1, 10.0.0.0/8" (a bare address is a whole-length prefix);
// "" is no network at all. nullopt, with `error` saying which item is wrong,
// for anything else.
std::optional<std::vector<network>> parse_networks(std::string_view list, std::string& error);

bool contains(const network& net, const ip_address& addr);

// Which network an address's limits count under, and whether it is exempt.
struct address_policy {
  int v4_prefix = 32;  // IPv4: one address is one network
  int v6_prefix = 64;  // IPv6: one /64 is one subscriber
  std::vector<network> exempt;
};

// The key a peer's limits count under: its network in text ("192.0.2.7/32",
// "2001:db8:1:2::/64"), "" when the peer is in an exempt network. A peer
// string that is no address (should not happen) is its own key.
std::string limit_key(const address_policy& policy, std::string_view peer);

// At most `limit` events per `period` for each key: a token bucket per key
// that refills continuously (so a burst of `limit` is allowed, then one
// event every period/limit). limit 0: no limit. Who owns it keeps it; not
// thread-safe. Time comes in as an argument, so tests use a fake clock.
class keyed_rate {
 public:
  using clock = std::chrono::steady_clock;

  keyed_rate(std::size_t limit, std::chrono::milliseconds period);

  // Takes one event for `key` if its bucket has one; false: over the limit.
  bool allow(const std::string& key, clock::time_point now);
  // Forgets keys whose bucket is full again, so memory follows the active
  // networks, not every network ever seen. Call now and then.
  void prune(clock::time_point now);
  std::size_t keys() const { return buckets_.size(); }

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point last;
  };
  double refill(bucket& b, clock::time_point now) const;

  std::size_t limit_;
  std::chrono::milliseconds period_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace chat::net
