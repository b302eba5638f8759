// End to end: rooms and registrations survive restarts (graceful or kill -9),
// dropped rooms stay dropped, a locked database answers `unavailable`, a
// second chatd on one database is refused.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "harness.hpp"

namespace chat::test {
namespace {

json room_named(client& c, const std::string& name) {
  auto reply = c.command("/rooms");  // kept alive: the loop below walks inside it
  for (auto& r : reply["rooms"])
    if (r["name"] == name) return r;
  return nullptr;
}

void make_state(uint16_t port) {
  client a{port};
  ASSERT_EQ(a.login("owner")["type"], "ok");
  ASSERT_EQ(a.command("/register s3cret")["type"], "ok");
  ASSERT_EQ(a.command("/create keep first topic")["type"], "ok");
  ASSERT_EQ(a.command("/topic second topic")["type"], "ok");
  ASSERT_EQ(a.command("/create gone")["type"], "ok");
  ASSERT_EQ(a.command("/drop gone")["type"], "ok");
  ASSERT_EQ(a.command("/create last")["type"], "ok");  // acknowledged just before the stop
}

void check_state(uint16_t port, uint64_t keep_id) {
  client b{port};
  EXPECT_EQ(b.login("owner")["code"], "auth_required");
  EXPECT_EQ(b.command("/login owner s3cret")["registered"], true);
  auto keep = room_named(b, "keep");
  ASSERT_TRUE(keep.is_object());
  EXPECT_EQ(keep["topic"], "second topic");
  EXPECT_EQ(keep["owner"], "owner");
  EXPECT_EQ(keep["id"], keep_id);
  EXPECT_TRUE(room_named(b, "gone").is_null());
  EXPECT_TRUE(room_named(b, "last").is_object());
  EXPECT_TRUE(room_named(b, "general").is_object());
  EXPECT_EQ(b.command("/join " + std::to_string(keep_id))["room"], "keep");
  // A new room never reuses the id of the dropped one.
  auto fresh = b.command("/create fresh");
  EXPECT_GT(fresh["id"].get<uint64_t>(), room_named(b, "last")["id"].get<uint64_t>());
}

void restart_keeps_everything(int sig) {
  temp_dir dir;
  uint64_t keep_id = 0;
  {
    server_process first{dir.path()};
    make_state(first.port());
    client c{first.port()};
    c.login("peek");
    keep_id = room_named(c, "keep")["id"];
    EXPECT_EQ(first.stop(sig), sig == SIGKILL ? 128 + SIGKILL : 0);
  }
  server_process second{dir.path()};
  check_state(second.port(), keep_id);
}

TEST(E2EPersistence, EverythingSurvivesSigterm) {
  restart_keeps_everything(SIGTERM);
}

TEST(E2EPersistence, EverythingSurvivesKill9) {
  restart_keeps_everything(SIGKILL);
}

TEST(E2EPersistence, LockedDatabaseAnswersUnavailableAndChangesNothing) {
  temp_dir dir;
  server_process server{dir.path()};
  client c{server.port()};
  c.login("locksmith");
  {
    SQLite::Database other(dir.path() + "/chat.db", SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");
    auto err = c.command("/create blocked", 15s);
    EXPECT_EQ(err["code"], "unavailable") << err.dump();
    other.exec("ROLLBACK");
  }
  EXPECT_TRUE(room_named(c, "blocked").is_null());
  EXPECT_EQ(c.command("/create blocked", 15s)["type"], "ok");  // and the server kept running
}

// Two chatd on one file would keep two diverging directories of rooms and users.
TEST(E2EPersistence, SecondChatdOnOneDatabaseExitsNamingFileAndHolder) {
  temp_dir dir;
  server_process first{dir.path()};
  // Another spelling of the same file: the lock is on the file, not the name.
  auto same_file = dir.path() + "/./chat.db";
  auto second = run_chatd_to_exit({"--port", "0", "--db", same_file});
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_NE(second.output.find(same_file), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("pid " + std::to_string(first.pid())), std::string::npos)
      << second.output;
  EXPECT_TRUE(first.running());
  client c{first.port()};  // and the first one still serves
  EXPECT_EQ(c.login("still")["type"], "ok");
}

TEST(E2EPersistence, DatabaseIsFreeForTheNextChatdOnceTheFirstIsKilled) {
  temp_dir dir;
  { server_process first{dir.path()}; }  // SIGKILL: no chance to clean up
  server_process second{dir.path()};
  client c{second.port()};
  EXPECT_EQ(c.login("after")["type"], "ok");
}

TEST(E2EPersistence, NotADatabaseStopsStartupWithOneClearLine) {
  temp_dir dir;
  { std::ofstream(dir.path() + "/chat.db") << std::string(8192, 'g'); }
  EXPECT_THROW(server_process(dir.path()), std::runtime_error);
}

}  // namespace
}  // namespace chat::test
