#include "bench/room_layout.hpp"

#include <gtest/gtest.h>

#include "bench/scenario.hpp"

namespace bench {
namespace {

TEST(RoomLayout, EvenRooms) {
  room_layout l(1000, 50, 20);
  EXPECT_EQ(l.rooms(), 50u);
  for (uint32_t r = 0; r < 50; ++r) {
    EXPECT_EQ(l.member_count(r), 20u);
    EXPECT_EQ(l.first_member(r), r * 20);
    EXPECT_EQ(l.senders_in(r), 20u);
  }
  EXPECT_EQ(l.room_of(0), 0u);
  EXPECT_EQ(l.room_of(999), 49u);
  EXPECT_EQ(l.total_senders(), 1000u);
}

TEST(RoomLayout, UnevenRoomsDifferByOne) {
  room_layout l(7, 3, 2);
  EXPECT_EQ(l.member_count(0), 3u);
  EXPECT_EQ(l.member_count(1), 2u);
  EXPECT_EQ(l.member_count(2), 2u);
  uint32_t expected_room[] = {0, 0, 0, 1, 1, 2, 2};
  for (uint32_t c = 0; c < 7; ++c) {
    EXPECT_EQ(l.room_of(c), expected_room[c]) << c;
    EXPECT_GE(c, l.first_member(l.room_of(c)));
  }
  EXPECT_EQ(l.sender_slot(0), 0);
  EXPECT_EQ(l.sender_slot(1), 1);
  EXPECT_EQ(l.sender_slot(2), -1);
  EXPECT_EQ(l.sender_slot(3), 0);
  EXPECT_EQ(l.sender_slot(6), 1);
  EXPECT_EQ(l.total_senders(), 6u);
}

TEST(RoomLayout, MoreSendersThanMembers) {
  room_layout l(3, 1, 5);
  EXPECT_EQ(l.senders_in(0), 3u);
  EXPECT_EQ(l.sender_slot(2), 2);
}

TEST(RoomLayout, NoRooms) {
  room_layout l(100, 0, 5);
  EXPECT_FALSE(l.has_rooms());
  EXPECT_EQ(l.sender_slot(3), -1);
  EXPECT_EQ(l.total_senders(), 0u);
}

TEST(RoomLayout, NeverEmptyRooms) {
  room_layout l(3, 10, 1);
  EXPECT_EQ(l.rooms(), 3u);
  EXPECT_EQ(l.member_count(2), 1u);
}

TEST(Scenario, PresetsMatchIssueFive) {
  auto fanout = preset_scenario("fanout");
  ASSERT_TRUE(fanout);
  EXPECT_EQ(fanout->clients, 500u);
  EXPECT_EQ(fanout->rooms, 1u);
  EXPECT_EQ(fanout->senders_per_room, 5u);
  EXPECT_EQ(fanout->duration_s, 15);
  auto rooms = preset_scenario("rooms");
  ASSERT_TRUE(rooms);
  EXPECT_EQ(rooms->clients / rooms->rooms, 20u);
  EXPECT_EQ(rooms->rate_per_sender, 2);
  EXPECT_EQ(preset_scenario("idle")->clients, 19900u);
  EXPECT_EQ(preset_scenario("storm")->connect_concurrency, 0u);
  EXPECT_FALSE(preset_scenario("nope"));
  for (auto& name : preset_names()) EXPECT_TRUE(preset_scenario(name)) << name;
}

}  // namespace
}  // namespace bench
