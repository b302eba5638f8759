// End to end: rooms — listing, creating, joining, leaving, topics, dropping —
// and the directory commands /who, /look, /stats, /help.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2ERooms : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
  client alice{server.port()};
  client bob{server.port()};
  void SetUp() override {
    ASSERT_EQ(alice.login("alice")["type"], "ok");
    ASSERT_EQ(bob.login("bob")["type"], "ok");
  }
};

json find_room(const json& rooms, const std::string& name) {
  for (auto& r : rooms)
    if (r["name"] == name) return r;
  return nullptr;
}

TEST_F(E2ERooms, GeneralExistsAtStart) {
  auto rooms = alice.command("/rooms");
  ASSERT_EQ(rooms["type"], "ok");
  auto general = find_room(rooms["rooms"], "general");
  ASSERT_TRUE(general.is_object()) << rooms.dump();
  EXPECT_TRUE(general["id"].is_number());
  EXPECT_EQ(general["members"], 0);
  EXPECT_TRUE(general["owner"].is_null());
  EXPECT_EQ(alice.command("/list")["cmd"], "rooms");  // alias
}

TEST_F(E2ERooms, CreateJoinLookLeave) {
  auto created = alice.command("/create python all about snakes");
  ASSERT_EQ(created["type"], "ok") << created.dump();
  EXPECT_EQ(created["room"], "python");
  auto id = created["id"].get<uint64_t>();
  EXPECT_EQ(alice.command("/create PYTHON")["code"], "room_exists");
  EXPECT_EQ(alice.command("/create")["code"], "bad_args");
  EXPECT_EQ(alice.command("/create bad!")["code"], "invalid_name");
  EXPECT_EQ(bob.command("/join pyton")["code"], "no_such_room");

  auto joined = bob.command("/join " + std::to_string(id));  // by id
  ASSERT_EQ(joined["type"], "ok") << joined.dump();
  EXPECT_EQ(joined["room"], "python");
  EXPECT_EQ(joined["topic"], "all about snakes");
  EXPECT_EQ(joined["members"], json({"alice", "bob"}));
  auto join = alice.event("join");
  EXPECT_EQ(join["nick"], "bob");
  EXPECT_EQ(join["room"], "python");
  EXPECT_TRUE(join["ts"].get<std::string>().back() == 'Z');

  auto again = bob.command("/enter python");  // the room you are in: ok, no events
  EXPECT_EQ(again["members"], json({"alice", "bob"}));
  auto look = alice.command("/names");
  EXPECT_EQ(look["cmd"], "look");
  EXPECT_EQ(look["members"], json({"alice", "bob"}));
  auto rooms = alice.command("/rooms");
  auto python = find_room(rooms["rooms"], "python");
  EXPECT_EQ(python["members"], 2);
  EXPECT_EQ(python["owner"], "alice");

  auto left = bob.command("/back");
  EXPECT_EQ(left["cmd"], "leave");
  EXPECT_EQ(left["room"], "python");
  auto leave = alice.event("leave");
  EXPECT_EQ(leave["nick"], "bob");
  EXPECT_EQ(leave["reason"], "left");
  EXPECT_EQ(bob.command("/leave")["code"], "not_in_room");
  EXPECT_EQ(bob.command("/look")["code"], "not_in_room");
  EXPECT_TRUE(alice.pending_events().empty()) << alice.pending_events().front().dump();
}

TEST_F(E2ERooms, JoiningAnotherRoomLeavesTheFirst) {
  alice.command("/create a1");
  bob.command("/join a1");
  alice.event("join");
  EXPECT_EQ(bob.command("/join general")["type"], "ok");
  auto leave = alice.event("leave");
  EXPECT_EQ(leave["nick"], "bob");
  EXPECT_EQ(leave["reason"], "left");
}

TEST_F(E2ERooms, AllDigitRoomNameIsFoundByNameBeforeId) {
  auto first = alice.command("/create tea");
  auto id = first["id"].get<uint64_t>();
  auto numbered = alice.command("/create " + std::to_string(id));  // a room *named* like tea's id
  ASSERT_EQ(numbered["type"], "ok");
  auto joined = bob.command("/join " + std::to_string(id));
  EXPECT_EQ(joined["room"], std::to_string(id));
  EXPECT_NE(joined["id"], id);
}

TEST_F(E2ERooms, TopicShowSetAndOwnerOnly) {
  alice.command("/create cats");
  bob.command("/join cats");
  EXPECT_EQ(bob.command("/topic")["topic"], "");
  EXPECT_EQ(bob.command("/topic mine now")["code"], "forbidden");
  auto set = alice.command("/topic cats and more cats");
  EXPECT_EQ(set["type"], "ok");
  EXPECT_EQ(set["topic"], "cats and more cats");
  auto ev = bob.event("topic");
  EXPECT_EQ(ev["topic"], "cats and more cats");
  EXPECT_EQ(ev["by"], "alice");
  EXPECT_EQ(ev["room"], "cats");
  auto rooms = bob.command("/rooms");
  EXPECT_EQ(find_room(rooms["rooms"], "cats")["topic"], "cats and more cats");
  bob.command("/leave");
  EXPECT_EQ(bob.command("/topic")["code"], "not_in_room");
}

TEST_F(E2ERooms, DropSendsEveryoneBackToTheLobby) {
  alice.command("/create doomed");
  bob.command("/join doomed");
  EXPECT_EQ(bob.command("/drop doomed")["code"], "forbidden");
  EXPECT_EQ(bob.command("/drop nowhere")["code"], "no_such_room");
  EXPECT_EQ(alice.command("/drop general")["code"], "forbidden");  // no owner
  auto dropped = alice.command("/drop doomed");
  EXPECT_EQ(dropped["type"], "ok");
  EXPECT_EQ(dropped["room"], "doomed");
  for (auto* c : {&alice, &bob}) {
    auto leave = c->event("leave");
    EXPECT_EQ(leave["reason"], "dropped");
    EXPECT_EQ(leave["room"], "doomed");
  }
  EXPECT_EQ(alice.event("leave", 300ms)["type"], "timeout");  // only its own leave
  EXPECT_TRUE(find_room(alice.command("/rooms")["rooms"], "doomed").is_null());
  EXPECT_EQ(bob.command("/look")["code"], "not_in_room");
  EXPECT_EQ(bob.command("/join doomed")["code"], "no_such_room");
  EXPECT_EQ(alice.command("/create doomed")["type"], "ok");  // the name is free again
}

TEST_F(E2ERooms, WhoShowsEveryoneWithRoomAndNode) {
  alice.command("/join general");
  auto who = bob.command("/ls");
  ASSERT_EQ(who["cmd"], "who");
  ASSERT_EQ(who["users"].size(), 2u) << who.dump();
  for (auto& u : who["users"]) {
    EXPECT_TRUE(u["node"].is_string());
    if (u["nick"] == "alice") {
      EXPECT_EQ(u["room"], "general");
    } else {
      EXPECT_EQ(u["nick"], "bob");
      EXPECT_TRUE(u["room"].is_null());
    }
  }
}

TEST_F(E2ERooms, StatsAndHelp) {
  auto stats = alice.command("/stats");
  EXPECT_EQ(stats["sessions"], 2);
  EXPECT_GE(stats["rooms"].get<int>(), 1);
  EXPECT_TRUE(stats["nodes"].is_array() && stats["nodes"].empty());
  EXPECT_EQ(stats["cluster_msgs_sent"], 0);
  auto help = alice.command("/?");
  ASSERT_EQ(help["cmd"], "help");
  EXPECT_GE(help["commands"].size(), 19u);
  auto one = alice.command("/help JOIN");
  ASSERT_EQ(one["commands"].size(), 1u);
  EXPECT_EQ(one["commands"][0]["name"], "join");
  EXPECT_EQ(one["commands"][0]["aliases"], json({"select", "enter"}));
  EXPECT_EQ(one["commands"][0]["example"], "/join general");
  EXPECT_EQ(alice.command("/help nothing")["code"], "bad_args");
  auto unknown = alice.command("/frobnicate");
  EXPECT_EQ(unknown["code"], "unknown_command");
  EXPECT_TRUE(unknown["cmd"].is_null());
}

}  // namespace
}  // namespace chat::test
