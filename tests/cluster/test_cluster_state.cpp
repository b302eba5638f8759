// Rooms and registrations replicated to every node and persisted in each
// node's own database: seen everywhere, kept across a restart of the whole
// cluster, and learned by a node that was down when they changed.
#include <gtest/gtest.h>
#include <signal.h>

#include "cluster_harness.hpp"

namespace chat::test {
namespace {

// The rooms as a node lists them: name -> id and topic (member counts differ
// from moment to moment and are left out).
std::map<std::string, std::pair<uint64_t, std::string>> rooms_of(client& c) {
  std::map<std::string, std::pair<uint64_t, std::string>> rooms;
  auto reply = c.command("/rooms");
  if (reply["type"] != "ok") ADD_FAILURE() << reply;
  for (auto& r : reply["rooms"])
    rooms[r["name"].get<std::string>()] = {r["id"].get<uint64_t>(), r["topic"].get<std::string>()};
  return rooms;
}

TEST(ClusterState, GeneralIsOneRoomWithOneIdOnEveryNode) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, b{cluster.port(1)}, c{cluster.port(2)};
  for (auto* x : {&a, &b, &c})
    ASSERT_EQ(x->login("viewer" + std::to_string(x->fd()))["type"], "ok");
  auto first = rooms_of(a);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(rooms_of(b), first);
  EXPECT_EQ(rooms_of(c), first);
}

TEST(ClusterState, RoomsCreatedTopicedAndDroppedAnywhereAreSeenEverywhereAndSurviveARestart) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, b{cluster.port(1)}, c{cluster.port(2)};
  ASSERT_EQ(a.login("maker")["type"], "ok");
  ASSERT_EQ(b.login("other")["type"], "ok");
  ASSERT_EQ(c.login("third")["type"], "ok");
  auto made = a.command("/create keep first topic");
  ASSERT_EQ(made["type"], "ok");
  ASSERT_EQ(a.command("/topic second topic")["type"], "ok");
  ASSERT_EQ(b.command("/create gone")["type"], "ok");
  ASSERT_EQ(b.command("/drop gone")["type"], "ok");
  auto id = made["id"].get<uint64_t>();
  for (auto* x : {&a, &b, &c}) {
    ASSERT_TRUE(eventually([&] {
      auto rooms = rooms_of(*x);
      return rooms.count("keep") &&
             rooms["keep"] == std::make_pair(id, std::string("second topic")) &&
             !rooms.count("gone");
    })) << "node of "
        << x->fd();
  }
  // Joining by id works on a node that only has a replica.
  EXPECT_EQ(c.command("/join " + std::to_string(id))["room"], "keep");
  a.command("/quit");
  b.command("/quit");
  c.command("/quit");

  for (int i = 0; i < 3; ++i) ASSERT_EQ(cluster.stop(i, SIGTERM), 0);
  for (int i = 0; i < 3; ++i) cluster.restart(i);
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}));
  for (int i = 0; i < 3; ++i) {
    client x{cluster.port(i)};
    ASSERT_EQ(x.login("after" + std::to_string(i))["type"], "ok");
    auto rooms = rooms_of(x);
    EXPECT_EQ(rooms["keep"], std::make_pair(id, std::string("second topic"))) << cluster.name(i);
    EXPECT_FALSE(rooms.count("gone")) << "a dropped room never comes back, on " << cluster.name(i);
  }
}

TEST(ClusterState, ANodeThatWasDownLearnsWhatChangedWhenItRejoins) {
  test_cluster cluster{3};
  client a{cluster.port(0)};
  ASSERT_EQ(a.login("busy")["type"], "ok");
  ASSERT_EQ(a.command("/create doomed")["type"], "ok");
  {
    client c{cluster.port(2)};
    ASSERT_EQ(c.login("watcher")["type"], "ok");
    ASSERT_TRUE(eventually([&] { return rooms_of(c).count("doomed") == 1; }));
  }
  ASSERT_EQ(cluster.stop(2, SIGKILL), 128 + SIGKILL);

  // While n3 is down: a room created, a room dropped, a nick registered.
  ASSERT_EQ(a.command("/create fresh while n3 was down")["type"], "ok");
  ASSERT_EQ(a.command("/drop doomed")["type"], "ok");
  ASSERT_EQ(a.command("/register pw")["type"], "ok");

  cluster.restart(2);
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}));
  client back{cluster.port(2)};
  ASSERT_EQ(back.login("returner")["type"], "ok");
  ASSERT_TRUE(eventually([&] {
    auto rooms = rooms_of(back);
    return rooms.count("fresh") == 1 && rooms["fresh"].second == "while n3 was down" &&
           rooms.count("doomed") == 0;
  })) << "n3 learned the new room and the drop";
  ASSERT_EQ(a.command("/quit")["type"], "ok");
  ASSERT_TRUE(eventually([&] {
    client p{cluster.port(2)};
    return p.login("busy")["code"] == "auth_required";
  })) << "the registration made while n3 was down reached it";
}

// Look-alike names (docs/protocol.md, "Names") are taken cluster-wide.
TEST(ClusterState, LookAlikeNicksAndRoomsAreTakenOnEveryNode) {
  test_cluster cluster{2};
  client bob{cluster.port(0)}, mallory{cluster.port(1)};
  ASSERT_EQ(bob.login("bob")["type"], "ok");
  ASSERT_EQ(bob.command("/register pw")["type"], "ok");
  ASSERT_EQ(bob.command("/create lobby")["type"], "ok");
  ASSERT_EQ(mallory.login("mallory")["type"], "ok");
  ASSERT_TRUE(eventually([&] { return rooms_of(mallory).count("lobby") == 1; }));
  EXPECT_EQ(mallory.command("/create 1obby")["code"], "room_exists");
  // "bob" with U+043E CYRILLIC SMALL LETTER O, while bob is online on n1.
  EXPECT_EQ(mallory.command("/nick b\xD0\xBE"
                            "b")["code"],
            "nick_taken");
  ASSERT_EQ(bob.command("/quit")["type"], "ok");
  // Once bob is gone everywhere, the look-alike still belongs to his registration.
  ASSERT_TRUE(eventually([&] {
    client p{cluster.port(1)};
    return p.login("bob")["code"] == "auth_required";
  }));
  EXPECT_EQ(mallory.command("/nick b0b")["code"], "nick_taken");
}

}  // namespace
}  // namespace chat::test
