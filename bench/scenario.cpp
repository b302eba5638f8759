#include "bench/scenario.hpp"

namespace bench {
namespace {

scenario fanout() {
  // One busy room: 5 senders as fast as delivery to all 500 members allows.
  scenario s;
  s.name = "fanout";
  s.clients = 500;
  s.rooms = 1;
  s.senders_per_room = 5;
  s.rate_per_sender = 0;
  s.window = 32;
  s.duration_s = 15;
  return s;
}

scenario rooms() {
  // Many small rooms at a human pace: the latency case.
  scenario s;
  s.name = "rooms";
  s.clients = 1000;
  s.rooms = 50;
  s.senders_per_room = 20;
  s.rate_per_sender = 2;
  s.window = 8;
  s.duration_s = 15;
  return s;
}

scenario idle() {
  // Logged-in connections that say nothing: the server's memory per session.
  // 19,900 leaves room under a 20,000 open-file cap for each process.
  scenario s;
  s.name = "idle";
  s.clients = 19900;
  s.rooms = 0;
  s.senders_per_room = 0;
  s.duration_s = 5;
  s.connect_concurrency = 1000;
  return s;
}

scenario storm() {
  // Everyone at once: how fast the server accepts and logs in a crowd.
  scenario s;
  s.name = "storm";
  s.clients = 5000;
  s.rooms = 0;
  s.senders_per_room = 0;
  s.duration_s = 0;
  s.connect_concurrency = 0;
  return s;
}

scenario smoke() {
  // CI: small and short; only correctness is asserted.
  scenario s;
  s.name = "smoke";
  s.clients = 200;
  s.rooms = 4;
  s.senders_per_room = 5;
  s.window = 8;
  s.duration_s = 3;
  return s;
}

scenario cluster() {
  // The fanout room spread over a cluster (chat-bench --port P1,P2,P3): with
  // three nodes, 100 members and 2 senders on each, so every line crosses
  // the network to the other nodes.
  scenario s = fanout();
  s.name = "cluster";
  s.clients = 300;
  s.senders_per_room = 6;
  return s;
}

}  // namespace

std::optional<scenario> preset_scenario(std::string_view name) {
  if (name == "custom") return scenario{};
  if (name == "fanout") return fanout();
  if (name == "rooms") return rooms();
  if (name == "idle") return idle();
  if (name == "storm") return storm();
  if (name == "smoke") return smoke();
  if (name == "cluster") return cluster();
  return std::nullopt;
}

std::vector<std::string> preset_names() {
  return {"custom", "fanout", "rooms", "idle", "storm", "smoke", "cluster"};
}

}  // namespace bench
