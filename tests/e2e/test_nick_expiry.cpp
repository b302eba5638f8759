// End to end: registrations nobody logged in with for --nick-expiry-days are
// dropped (issue 16), so nobody can squat nicks for good. The clock is faked
// in the data: the test writes an old last-login time into the database
// between two runs of chatd, instead of waiting days.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "harness.hpp"

namespace chat::test {
namespace {

constexpr int64_t ms_per_day = 86'400'000;

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Registers `nicks` (password "pw") on a first run of chatd in `dir`.
void register_nicks(const temp_dir& dir, std::initializer_list<const char*> nicks) {
  server_process server{dir.path()};
  for (auto* nick : nicks) {
    client c{server.port()};
    ASSERT_EQ(c.login(nick)["type"], "ok");
    ASSERT_EQ(c.command("/register pw")["type"], "ok");
  }
  ASSERT_EQ(server.stop(SIGTERM), 0);
}

// Moves a registration's creation and last login `days` into the past.
void age(const temp_dir& dir, const std::string& nick, int64_t days) {
  SQLite::Database db(dir.path() + "/chat.db", SQLite::OPEN_READWRITE);
  SQLite::Statement update(db, "UPDATE users SET created_ms = ?, last_login_ms = ? WHERE nick = ?");
  auto then = wall_ms() - days * ms_per_day;
  update.bind(1, then);
  update.bind(2, then);
  update.bind(3, nick);
  ASSERT_EQ(update.exec(), 1);
}

std::string login_code(uint16_t port, const std::string& nick) {
  client c{port};
  auto reply = c.login(nick);
  return reply["type"] == "ok" ? "ok" : reply.value("code", reply.dump());
}

TEST(E2ENickExpiry, UnusedRegistrationIsDroppedAndTheNickIsFree) {
  temp_dir dir;
  register_nicks(dir, {"squatter", "regular"});
  age(dir, "squatter", 3);
  age(dir, "regular", 1);
  server_process server{dir.path(), {"--nick-expiry-days", "2"}};
  EXPECT_EQ(login_code(server.port(), "squatter"), "ok");  // no password asked: free again
  EXPECT_EQ(login_code(server.port(), "regular"), "auth_required");
  ASSERT_EQ(server.stop(SIGTERM), 0);
  SQLite::Database db(dir.path() + "/chat.db", SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM users WHERE nick = 'squatter'").getInt(), 0);
}

TEST(E2ENickExpiry, ZeroKeepsRegistrationsForever) {
  temp_dir dir;
  register_nicks(dir, {"ancient"});
  age(dir, "ancient", 5000);
  server_process server{dir.path(), {"--nick-expiry-days", "0"}};
  EXPECT_EQ(login_code(server.port(), "ancient"), "auth_required");
}

TEST(E2ENickExpiry, ALoginRenewsTheRegistration) {
  temp_dir dir;
  register_nicks(dir, {"returning"});
  age(dir, "returning", 1);
  {
    server_process server{dir.path(), {"--nick-expiry-days", "2"}};
    client c{server.port()};
    ASSERT_EQ(c.login("returning", "pw")["type"], "ok");
    c.send_line("/quit");
    ASSERT_TRUE(c.wait_closed());
    ASSERT_EQ(server.stop(SIGTERM), 0);
  }
  // Two more days pass: counted from the login above, one of them is left.
  SQLite::Database db(dir.path() + "/chat.db", SQLite::OPEN_READWRITE);
  auto last = db.execAndGet("SELECT last_login_ms FROM users WHERE nick = 'returning'").getInt64();
  EXPECT_GE(last, wall_ms() - 60'000);
  db.exec("UPDATE users SET last_login_ms = last_login_ms - " + std::to_string(ms_per_day));
  server_process server{dir.path(), {"--nick-expiry-days", "2"}};
  EXPECT_EQ(login_code(server.port(), "returning"), "auth_required");
}

}  // namespace
}  // namespace chat::test
