// End to end: a nick or room name that looks like a taken one (Unicode TS #39
// skeleton, docs/protocol.md "Names") is taken too, so nobody can pass for
// someone else on a screen; names that merely differ stay free.
#include <gtest/gtest.h>
#include <signal.h>

#include "harness.hpp"

namespace chat::test {
namespace {

// "bob" with U+043E CYRILLIC SMALL LETTER O; "general" with U+0435 CYRILLIC IE.
const std::string cyrillic_bob =
    "b\xD0\xBE"
    "b";
const std::string cyrillic_general = "g\xD0\xB5neral";

class E2EConfusables : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
};

TEST_F(E2EConfusables, LoginAsLookAlikeOfOnlineNickIsTaken) {
  client bob{server.port()}, mallory{server.port()};
  ASSERT_EQ(bob.login("bob")["type"], "ok");
  EXPECT_EQ(mallory.login(cyrillic_bob)["code"], "nick_taken");
  EXPECT_EQ(mallory.command("/login b0b")["code"], "nick_taken");  // digit zero
  EXPECT_EQ(mallory.command("/login bobby")["type"], "ok");        // another name is free
}

TEST_F(E2EConfusables, RenameToLookAlikeOfOnlineNickIsTaken) {
  client bob{server.port()}, mallory{server.port()};
  ASSERT_EQ(bob.login("bob")["type"], "ok");
  ASSERT_EQ(mallory.login("mallory")["type"], "ok");
  EXPECT_EQ(mallory.command("/nick " + cyrillic_bob)["code"], "nick_taken");
  auto who = mallory.command("/who");
  EXPECT_EQ(who.dump().find(cyrillic_bob), std::string::npos) << who.dump();
}

TEST(E2EConfusablesRegistered, LookAlikeOfRegisteredNickIsTakenWhileItsOwnerIsAway) {
  temp_dir dir;
  {
    server_process first{dir.path()};
    client bob{first.port()};
    ASSERT_EQ(bob.login("bob")["type"], "ok");
    ASSERT_EQ(bob.command("/register pw-of-bob")["type"], "ok");
    ASSERT_EQ(first.stop(SIGTERM), 0);
  }
  server_process server{dir.path()};  // a restart: bob is certainly not online
  client mallory{server.port()};
  EXPECT_EQ(mallory.login(cyrillic_bob)["code"], "nick_taken");
  EXPECT_EQ(mallory.command("/login b0b")["code"], "nick_taken");
  EXPECT_EQ(mallory.command("/login bob")["code"], "auth_required");  // the nick itself
  EXPECT_EQ(mallory.command("/login BOB pw-of-bob")["type"], "ok");   // case: the same nick
}

TEST_F(E2EConfusables, LookAlikeRoomNameIsTaken) {
  client c{server.port()};
  ASSERT_EQ(c.login("ann")["type"], "ok");
  EXPECT_EQ(c.command("/create " + cyrillic_general)["code"], "room_exists");
  ASSERT_EQ(c.command("/create lobby")["type"], "ok");
  EXPECT_EQ(c.command("/create 1obby")["code"], "room_exists");
  EXPECT_EQ(c.command("/create lobby2")["type"], "ok");
}

TEST_F(E2EConfusables, NamesOfManyScriptsStayAccepted) {
  client c{server.port()};
  ASSERT_EQ(c.login("ann")["type"], "ok");
  ASSERT_EQ(c.command("/register pw")["type"], "ok");  // more rooms than an unregistered session
  for (const std::string name : {"张伟", "Ærø", "bob_2.0", "नमस्ते"})
    EXPECT_EQ(c.command("/create " + name)["type"], "ok") << name;
  for (const std::string name : {"张伟", "Ærø", "bob_2.0", "नमस्ते"})
    EXPECT_EQ(c.command("/nick " + name)["type"], "ok") << name;
}

}  // namespace
}  // namespace chat::test
