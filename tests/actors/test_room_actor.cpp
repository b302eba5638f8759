// The room actor with a real actor system and a stand-in gateway: one event is
// one fanout message for all members, filtered by mute and ignore.
#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <type_traits>

#include "actors/chat_error.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/messages.hpp"
#include "actors/room.hpp"
#include "net/messages.hpp"
#include "storage/storage_actor.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;

// The handle is typed: a request the room does not take does not compile,
// whether it belongs to another actor or is a reply.
template <class Msg, class = void>
struct accepts : std::false_type {};
template <class Msg>
struct accepts<Msg, std::void_t<decltype(std::declval<caf::scoped_actor&>()->request(
                        std::declval<room_actor&>(), 5s, std::declval<Msg>()))>> : std::true_type {
};
static_assert(accepts<enter_room>::value && accepts<say>::value && accepts<exit_room>::value);
static_assert(accepts<drop_now>::value && accepts<room_relay>::value);
static_assert(!accepts<std::string>::value && !accepts<login_request>::value);
static_assert(!accepts<room_snapshot>::value && !accepts<drop_done>::value);
static_assert(!accepts<outbound_relay>::value && !accepts<room_dropped>::value);

struct config : caf::actor_system_config {
  config() {
    register_actor_messages(*this);
    net::register_net_messages(*this);
    storage::register_storage_messages(*this);
  }
};

class RoomActor : public ::testing::Test {
 protected:
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor gateway{sys};  // receives the fanouts
  caf::scoped_actor self{sys};
  std::vector<caf::actor> sessions;
  room_actor room;

  void SetUp() override {
    auto settings_ptr = std::make_shared<const settings>();
    room = spawn_room(sys, room_info{7, "den", "", "owner", 0, {}}, nullptr,
                      storage::storage_actor{}, settings_ptr);
  }
  void TearDown() override {
    self->send_exit(room, caf::exit_reason::user_shutdown);
    for (auto& s : sessions) self->send_exit(s, caf::exit_reason::user_shutdown);
  }

  room_snapshot enter(const std::string& nick, uint64_t conn, bool muted = false,
                      std::vector<std::string> ignoring = {}) {
    // A stand-in session; it takes its nick only because CAF 0.17 trips UBSan
    // when a function actor is spawned without arguments.
    sessions.push_back(
        sys.spawn([](std::string) -> caf::behavior { return {[](room_dropped) {}}; }, nick));
    member_ref ref{nick, sessions.back(), gateway, conn, muted, std::move(ignoring), ""};
    room_snapshot snap;
    self->request(room, 5s, enter_room{ref})
        .receive([&](room_snapshot& s) { snap = std::move(s); },
                 [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
    return snap;
  }

  net::fanout next_fanout() {
    net::fanout out;
    gateway->receive([&](net::fanout& f) { out = std::move(f); },
                     caf::after(5s) >> [] { ADD_FAILURE() << "no fanout"; });
    return out;
  }

  void say_as(const std::string& nick, const std::string& text) {
    self->request(room, 5s, say{nick, text, false})
        .receive([](said) {}, [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
  }
};

TEST_F(RoomActor, OneFanoutPerEventForAllMembers) {
  enter("a", 1);  // alone: its join goes to nobody, so no fanout at all
  enter("b", 2);
  EXPECT_EQ(next_fanout().conns, std::vector<uint64_t>{1});  // b's join, to a
  enter("c", 3);
  EXPECT_EQ(next_fanout().conns, (std::vector<uint64_t>{1, 2}));
  say_as("b", "hello");
  auto out = next_fanout();
  ASSERT_TRUE(out.text && out.json);
  EXPECT_NE(out.json->find("\"hello\""), std::string::npos);
  EXPECT_EQ(out.conns, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(RoomActor, MutedAndIgnoringMembersAreSkippedButSenderNever) {
  enter("a", 1, true);          // muted
  enter("b", 2, false, {"c"});  // ignoring c
  enter("c", 3);
  next_fanout();  // the joins of b and c
  next_fanout();
  say_as("c", "x");
  EXPECT_EQ(next_fanout().conns, (std::vector<uint64_t>{3}));
  say_as("a", "y");  // muted, but its own line comes back
  EXPECT_EQ(next_fanout().conns, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(RoomActor, NonMemberCannotSpeak) {
  enter("a", 1);
  self->request(room, 5s, say{"stranger", "hi", false})
      .receive([](said) { ADD_FAILURE() << "a stranger spoke"; },
               [](caf::error& e) { EXPECT_EQ(to_error_code(e), error_code::not_in_room); });
}

TEST_F(RoomActor, EnterReturnsMembersInJoinOrder) {
  enter("a", 1);
  enter("b", 2);
  auto snap = enter("c", 3);
  EXPECT_EQ(snap.id, 7u);
  EXPECT_EQ(snap.members, (std::vector<std::string>{"a", "b", "c"}));
}

}  // namespace
}  // namespace chat
