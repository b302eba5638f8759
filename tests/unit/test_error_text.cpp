// The words that go with an error code: each says what would work instead.
#include <gtest/gtest.h>

#include "actors/error_text.hpp"

namespace chat {
namespace {

TEST(ErrorText, SaysWhatWouldWork) {
  EXPECT_EQ(describe_error(error_code::no_such_room, "pyton"),
            "no such room: pyton (/rooms lists them)");
  EXPECT_EQ(describe_error(error_code::no_such_user, "bbo"),
            "no such user online: bbo (/who lists who is online)");
  EXPECT_EQ(describe_error(error_code::room_exists, "python"),
            "room already exists: python (/join python enters it)");
  EXPECT_EQ(describe_error(error_code::nick_taken, "bob"), "nick is taken: bob (pick another)");
  EXPECT_EQ(describe_error(error_code::not_in_room, ""),
            "you are not in a room: /rooms lists them, /join enters one");
}

TEST(ErrorText, AForbiddenWithItsOwnSentenceIsThatSentence) {
  EXPECT_EQ(describe_error(error_code::forbidden, "room help is full (10 members)"),
            "room help is full (10 members)");
  EXPECT_EQ(describe_error(error_code::forbidden, ""), "not allowed");
}

TEST(ErrorText, OwnerOnlyNamesTheOwner) {
  EXPECT_EQ(owner_only("set the topic of", "python", "alice"),
            "only the owner (alice) can set the topic of python");
  EXPECT_EQ(owner_only("drop", "general", ""),
            "nobody can drop general: it is a default room, which has no owner");
}

}  // namespace
}  // namespace chat
