// The rules that make the nodes of a cluster converge (actors/replica_rules.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "actors/names.hpp"
#include "actors/replica_rules.hpp"

namespace chat {
namespace {

storage::room_record room(uint64_t id, const std::string& name, int64_t created,
                          const std::string& origin) {
  storage::room_record r;
  r.id = id;
  r.name = name;
  r.created_ms = created;
  r.origin = origin;
  return r;
}

TEST(NodeSlot, ConfiguredSlotIsUsedAndDerivedOneIsInRange) {
  EXPECT_EQ(node_slot("alpha", 7), 7);
  for (auto name : {"a", "b", "node1", "node2", "node3", "ünïcode"}) {
    auto slot = node_slot(name, 0);
    EXPECT_GE(slot, 1);
    EXPECT_LT(slot, room_id_stride);
    EXPECT_EQ(slot, node_slot(name, 0)) << "the same name always gets the same slot";
  }
  EXPECT_NE(node_slot("node1", 0), node_slot("node2", 0));
}

TEST(NextRoomId, StaysInItsSlotAboveTheDefaultBlockAndGrows) {
  EXPECT_EQ(next_room_id(0, 5), room_id_stride + 5);
  EXPECT_EQ(next_room_id(3, 5), room_id_stride + 5) << "ids below the stride are default rooms";
  EXPECT_EQ(next_room_id(room_id_stride + 5, 5), 2 * room_id_stride + 5);
  EXPECT_EQ(next_room_id(room_id_stride + 4, 5), room_id_stride + 5);
  EXPECT_EQ(next_room_id(room_id_stride + 900, 5), 2 * room_id_stride + 5);
}

TEST(NextRoomId, TwoNodesNeverGiveOutTheSameId) {
  std::set<uint64_t> seen;
  uint64_t max_a = 0, max_b = 0;
  for (int i = 0; i < 500; ++i) {
    max_a = next_room_id(max_a, 3);
    max_b = next_room_id(std::max(max_b, i % 3 == 0 ? max_a : 0), 9);  // b sometimes learns a's ids
    EXPECT_TRUE(seen.insert(max_a).second);
    EXPECT_TRUE(seen.insert(max_b).second);
  }
}

TEST(RoomWins, EarlierCreationThenNodeNameThenId) {
  EXPECT_TRUE(room_wins(room(1, "x", 10, "b"), room(2, "x", 11, "a")));
  EXPECT_FALSE(room_wins(room(2, "x", 11, "a"), room(1, "x", 10, "b")));
  EXPECT_TRUE(room_wins(room(9, "x", 10, "a"), room(1, "x", 10, "b")));
  EXPECT_TRUE(room_wins(room(1, "x", 10, "a"), room(9, "x", 10, "a")));
}

TEST(RoomWins, IsTheSameDecisionOnEveryNode) {
  auto a = room(1029, "dup", 500, "node1"), c = room(1031, "dup", 700, "node3");
  EXPECT_NE(room_wins(a, c), room_wins(c, a)) << "exactly one of the two wins";
}

TEST(TopicWins, LaterSettingWinsAndTiesAreDecidedByText) {
  auto a = room(1, "x", 0, ""), b = room(1, "x", 0, "");
  a.topic = "old";
  a.topic_ms = 10;
  b.topic = "new";
  b.topic_ms = 20;
  EXPECT_TRUE(topic_wins(b, a));
  EXPECT_FALSE(topic_wins(a, b));
  b.topic_ms = 10;
  EXPECT_NE(topic_wins(a, b), topic_wins(b, a));
  EXPECT_FALSE(topic_wins(a, a)) << "an equal topic changes nothing";
}

TEST(UserWins, EarlierRegistrationWinsAndAPasswordChangeReplacesItsOlderSelf) {
  storage::user_record first{"zed", "hash1", 100, 100, "node1", ""};
  storage::user_record second{"zed", "hash2", 200, 200, "node3", ""};
  EXPECT_TRUE(user_wins(first, second));
  EXPECT_FALSE(user_wins(second, first));
  auto changed = first;
  changed.password_hash = "hash3";
  changed.last_login_ms = 300;
  EXPECT_TRUE(user_wins(changed, first));
  EXPECT_FALSE(user_wins(first, changed));
  EXPECT_FALSE(user_wins(first, first));
}

TEST(RegistrationExpired, CountsDaysFromTheLastLogin) {
  constexpr int64_t day = 86'400'000;
  storage::user_record user{"ann",     "h",  10 * day,
                            100 * day, "n1", ""};  // created day 10, login 100
  EXPECT_FALSE(registration_expired(user, 100 * day, 365));
  EXPECT_FALSE(registration_expired(user, 465 * day - 1, 365));
  EXPECT_TRUE(registration_expired(user, 465 * day, 365));
  EXPECT_TRUE(registration_expired(user, 102 * day, 1));
  EXPECT_FALSE(registration_expired(user, 100 * day + day / 2, 1));
}

TEST(RegistrationExpired, ZeroOrHugeDaysNeverExpire) {
  storage::user_record user{"ann", "h", 0, 0, "", ""};
  EXPECT_FALSE(registration_expired(user, INT64_MAX, 0));
  EXPECT_FALSE(registration_expired(user, INT64_MAX, INT64_MAX));
  EXPECT_FALSE(registration_expired(user, INT64_MAX, -5));
}

TEST(RegistrationExpired, CreationCountsWhenLaterThanTheLogin) {
  constexpr int64_t day = 86'400'000;
  storage::user_record user{"ann", "h", 50 * day, 0, "", ""};  // never logged in since a replace
  EXPECT_FALSE(registration_expired(user, 51 * day, 7));
  EXPECT_TRUE(registration_expired(user, 57 * day, 7));
}

TEST(ClaimWins, EarlierClaimThenNodeName) {
  EXPECT_TRUE(claim_wins({10, "b"}, {11, "a"}));
  EXPECT_TRUE(claim_wins({10, "a"}, {10, "b"}));
  EXPECT_FALSE(claim_wins({10, "b"}, {10, "a"}));
  EXPECT_FALSE(claim_wins({10, "a"}, {10, "a"}));
}

TEST(FreeNick, AddsTheFirstFreeSuffix) {
  std::set<std::string> taken{"zed", "zed-2"};
  auto name = free_nick("zed", [&](const std::string& n) { return taken.count(n) > 0; });
  EXPECT_EQ(name, "zed-3");
}

TEST(FreeNick, ShortensLongNicksOnCodePointBoundaries) {
  std::string nick;
  for (int i = 0; i < 32; ++i) nick += "\xe6\x98\x8e";  // 32 times U+660E: the longest nick
  auto name = free_nick(nick, [](const std::string&) { return false; });
  EXPECT_TRUE(is_valid_name(name, name_kind::nick)) << name;
  EXPECT_EQ(name.substr(name.size() - 2), "-2");
  EXPECT_EQ(name.substr(0, 3), "\xe6\x98\x8e");
}

}  // namespace
}  // namespace chat
