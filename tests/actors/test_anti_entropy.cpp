// Anti-entropy between two lobbies in one actor system (issue 13, item 6):
// linked as their nodes would be, each with its own database; a change that
// reached only one of them (a replicated message lost on the way, or any
// other cause) is repaired on the other within a few intervals, counted in
// `repairs`, without relinking.
#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "actors/cluster_messages.hpp"
#include "actors/lobby.hpp"
#include "actors/messages.hpp"
#include "storage/database.hpp"
#include "storage/password_pool.hpp"
#include "storage/storage_actor.hpp"
#include "tests/storage/temp_folder.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

struct config : caf::actor_system_config {
  config() {
    register_actor_messages(*this);
    register_cluster_messages(*this);
    storage::register_storage_messages(*this);
  }
};

// One node's actors: its database, password pool and lobby.
struct node {
  storage::test::temp_folder folder;
  storage::storage_actor store;
  storage::password_pool_actor passwords;
  caf::actor lobby;
  uint16_t slot = 0;

  node(caf::actor_system& sys, const std::string& name, uint16_t node_id) : slot(node_id) {
    auto s = std::make_shared<settings>();
    s->node_name = name;
    s->node_id = node_id;
    s->cluster_name = "test";
    s->anti_entropy_interval = 50ms;
    store =
        storage::spawn_storage(sys, std::make_unique<storage::database>(folder.file("chat.db")));
    passwords = storage::spawn_password_pool(sys, storage::password_pool_settings{1, 1});
    lobby = spawn_lobby(sys, s, store, passwords, lobby_seed{});
  }
  void stop(caf::scoped_actor& self) {
    self->send(lobby, lobby_shutdown_atom::value);
    self->send_exit(store, caf::exit_reason::user_shutdown);
    self->send_exit(passwords, caf::exit_reason::user_shutdown);
  }
};

class AntiEntropy : public ::testing::Test {
 protected:
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  node a{sys, "a", 1};
  node b{sys, "b", 2};

  void SetUp() override {
    link(a, b, "b");
    link(b, a, "a");
    // The cluster port is "open": the periodic digests start.
    for (auto* n : {&a, &b}) self->send(n->lobby, cluster_start_atom::value, std::string{});
    ASSERT_EQ(stats(a).nodes, std::vector<std::string>{"b"});
    ASSERT_EQ(stats(b).nodes, std::vector<std::string>{"a"});
  }
  void TearDown() override {
    a.stop(self);
    b.stop(self);
  }

  // `to` learns `from` as a peer, as if `from` had dialed it.
  void link(node& to, node& from, const std::string& from_name) {
    node_hello hello{from_name, "test", from.slot, "", {}, from.lobby};
    self->request(to.lobby, 5s, hello)
        .receive([](const node_hello&) {},
                 [&](caf::error& e) { FAIL() << "hello refused: " << sys.render(e); });
  }

  stats_reply stats(node& n) {
    stats_reply out;
    self->request(n.lobby, 5s, stats_request{})
        .receive([&](stats_reply& s) { out = std::move(s); },
                 [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
    return out;
  }

  bool has_room(node& n, const std::string& name) {
    bool found = false;
    self->request(n.lobby, 5s, find_room{name})
        .receive([&](const room_info&) { found = true; }, [](caf::error&) {});
    return found;
  }

  // Polls `condition` until it holds or `limit` passes.
  template <class Condition>
  bool eventually(Condition condition, std::chrono::milliseconds limit = 5s) {
    const auto deadline = steady::now() + limit;
    while (!condition()) {
      if (steady::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }
};

storage::room_record garden() {
  return storage::room_record{1024 * 9 + 3, "garden", "", "carol", 1000, "c", 0};
}

TEST_F(AntiEntropy, ARoomOnlyOneNodeLearnedReachesTheOther) {
  // As if node c's upsert reached a but was lost on its way to b.
  self->send(a.lobby, room_upsert{garden()});
  ASSERT_TRUE(eventually([&] { return has_room(a, "garden"); }));
  EXPECT_TRUE(eventually([&] { return has_room(b, "garden"); })) << "b never got the room a has";
  EXPECT_GE(stats(b).repairs, 1u);
  EXPECT_EQ(stats(a).repairs, 0u);  // a had nothing to learn
}

TEST_F(AntiEntropy, ADropOnlyOneNodeLearnedReachesTheOther) {
  for (auto* n : {&a, &b}) self->send(n->lobby, room_upsert{garden()});
  ASSERT_TRUE(eventually([&] { return has_room(a, "garden") && has_room(b, "garden"); }));
  self->send(b.lobby, room_tombstone{garden().id, 2000});
  ASSERT_TRUE(eventually([&] { return !has_room(b, "garden"); }));
  EXPECT_TRUE(eventually([&] { return !has_room(a, "garden"); }))
      << "a still lists a room b dropped";
  EXPECT_GE(stats(a).repairs, 1u);
}

TEST_F(AntiEntropy, ANewerTopicWinsOnBothWhicheverHasIt) {
  for (auto* n : {&a, &b}) self->send(n->lobby, room_upsert{garden()});
  auto newer = garden();
  newer.topic = "roses";
  newer.topic_ms = 5000;
  self->send(a.lobby, room_upsert{newer});
  EXPECT_TRUE(eventually([&] {
    std::string topic;
    self->request(b.lobby, 5s, find_room{"garden"})
        .receive([&](const room_info& info) { topic = info.topic; }, [](caf::error&) {});
    return topic == "roses";
  }));
}

}  // namespace
}  // namespace chat
