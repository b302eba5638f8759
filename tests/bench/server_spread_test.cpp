#include "bench/server_spread.hpp"

#include <gtest/gtest.h>

#include <set>

#include "bench/scenario.hpp"

namespace bench {
namespace {

TEST(ServerSpread, OneServerTakesEveryone) {
  server_spread s(500, 1);
  EXPECT_FALSE(s.spread());
  EXPECT_EQ(s.server_of(0), 0u);
  EXPECT_EQ(s.server_of(499), 0u);
  EXPECT_EQ(s.clients_on(0), 500u);
  EXPECT_EQ(s.clients_on(1), 0u);
}

TEST(ServerSpread, ZeroServersMeansOne) {
  server_spread s(10, 0);
  EXPECT_EQ(s.servers(), 1u);
  EXPECT_EQ(s.server_of(7), 0u);
}

TEST(ServerSpread, RoundRobin) {
  server_spread s(7, 3);
  EXPECT_TRUE(s.spread());
  uint32_t expected[] = {0, 1, 2, 0, 1, 2, 0};
  for (uint32_t c = 0; c < 7; ++c) EXPECT_EQ(s.server_of(c), expected[c]) << c;
  EXPECT_EQ(s.clients_on(0), 3u);
  EXPECT_EQ(s.clients_on(1), 2u);
  EXPECT_EQ(s.clients_on(2), 2u);
  EXPECT_EQ(s.clients_on(3), 0u);
}

TEST(ServerSpread, ClusterPresetPutsMembersAndSendersOnEveryNode) {
  scenario plan = *preset_scenario("cluster");
  room_layout layout(plan.clients, plan.rooms, plan.senders_per_room);
  server_spread s(plan.clients, 3);
  for (uint32_t node = 0; node < 3; ++node) {
    EXPECT_EQ(s.clients_on(node), 100u) << node;
    EXPECT_EQ(s.senders_on(node, layout), 2u) << node;
  }
}

TEST(ServerSpread, EveryRoomHasMembersOnEveryServer) {
  room_layout layout(95, 4, 3);  // rooms of 24, 24, 24, 23
  server_spread s(95, 3);
  for (uint32_t r = 0; r < layout.rooms(); ++r) {
    std::set<uint32_t> servers, sender_servers;
    uint32_t first = layout.first_member(r);
    for (uint32_t c = first; c < first + layout.member_count(r); ++c)
      servers.insert(s.server_of(c));
    for (uint32_t c = first; c < first + layout.senders_in(r); ++c)
      sender_servers.insert(s.server_of(c));
    EXPECT_EQ(servers.size(), 3u) << r;
    EXPECT_EQ(sender_servers.size(), 3u) << r;
  }
  uint32_t senders = 0;
  for (uint32_t node = 0; node < 3; ++node) senders += s.senders_on(node, layout);
  EXPECT_EQ(senders, layout.total_senders());
}

}  // namespace
}  // namespace bench
