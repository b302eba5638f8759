// End to end: limits by network (issue 16). Loopback is exempt by default,
// so these tests run chatd with --limits-exempt "" (and small limits) to
// meet the limits themselves; one test checks the exemption.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "harness.hpp"

namespace chat::test {
namespace {

std::vector<std::string> unexempt(std::vector<std::string> args) {
  args.insert(args.end(), {"--limits-exempt", ""});
  return args;
}

TEST(E2ENetworkLimits, NewConnectionsAMinuteAreThrottledWithAMessage) {
  temp_dir dir;
  server_process server{dir.path(), unexempt({"--max-connections-per-minute", "3"})};
  std::vector<std::unique_ptr<client>> ok;
  for (int i = 0; i < 3; ++i) {
    ok.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(ok.back()->login("c" + std::to_string(i))["type"], "ok");
  }
  ok.clear();  // closing does not give the rate back: it counts connections made
  client refused{server.port()};
  auto why = refused.read_line();
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("too many new connections from your network"), std::string::npos) << *why;
  EXPECT_TRUE(refused.wait_closed());
}

TEST(E2ENetworkLimits, LoopbackIsExemptByDefault) {
  temp_dir dir;
  server_process server{dir.path(),
                        {"--max-connections-per-minute", "2", "--max-connections-per-ip", "2"}};
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(clients.back()->login("x" + std::to_string(i))["type"], "ok") << i;
  }
}

TEST(E2ENetworkLimits, RegistrationsAnHourPerNetwork) {
  temp_dir dir;
  server_process server{dir.path(), unexempt({"--max-registrations-per-hour", "2"})};
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(clients.back()->login("reg" + std::to_string(i))["type"], "ok");
  }
  EXPECT_EQ(clients[0]->command("/register pw")["type"], "ok");
  EXPECT_EQ(clients[1]->command("/register pw")["type"], "ok");
  auto refused = clients[2]->command("/register pw");
  EXPECT_EQ(refused["code"], "forbidden") << refused.dump();
  EXPECT_NE(refused["text"].get<std::string>().find("registered 2 nicks in the last hour"),
            std::string::npos)
      << refused.dump();
  EXPECT_EQ(clients[0]->command("/register new-pw")["type"], "ok");  // a password change is free
}

TEST(E2ENetworkLimits, RoomCreationsAnHourPerNetwork) {
  temp_dir dir;
  server_process server{dir.path(), unexempt({"--max-room-creations-per-hour", "2"})};
  client a{server.port()}, b{server.port()};
  ASSERT_EQ(a.login("maker")["type"], "ok");
  ASSERT_EQ(a.command("/register pw")["type"], "ok");
  ASSERT_EQ(b.login("other")["type"], "ok");
  EXPECT_EQ(a.command("/create one")["type"], "ok");
  EXPECT_EQ(a.command("/create two")["type"], "ok");
  auto refused = b.command("/create three");  // another session, the same network
  EXPECT_EQ(refused["code"], "forbidden") << refused.dump();
  EXPECT_NE(refused["text"].get<std::string>().find("created 2 rooms in the last hour"),
            std::string::npos)
      << refused.dump();
  EXPECT_TRUE(a.command("/join three")["code"] == "no_such_room");  // nothing was created
}

TEST(E2ENetworkLimits, UnregisteredSessionCreatesAFewRoomsEvenAcrossNickChanges) {
  temp_dir dir;
  server_process server{dir.path(), {"--max-rooms-per-unregistered-session", "2"}};
  client c{server.port()};
  ASSERT_EQ(c.login("drifter")["type"], "ok");
  EXPECT_EQ(c.command("/create r1")["type"], "ok");
  EXPECT_EQ(c.command("/create r2")["type"], "ok");
  auto refused = c.command("/create r3");
  EXPECT_EQ(refused["code"], "forbidden") << refused.dump();
  EXPECT_NE(refused["text"].get<std::string>().find("register your nick"), std::string::npos);
  ASSERT_EQ(c.command("/nick drifter2")["type"], "ok");  // a fresh owner does not help
  EXPECT_EQ(c.command("/create r3")["code"], "forbidden");
  ASSERT_EQ(c.command("/register pw")["type"], "ok");
  EXPECT_EQ(c.command("/create r3")["type"], "ok");
}

TEST(E2ENetworkLimits, BadExemptListStopsStartup) {
  temp_dir dir;
  auto run = run_chatd_to_exit(
      {"--port", "0", "--db", dir.path() + "/chat.db", "--limits-exempt", "127.0.0.0/8,localhost"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("--limits-exempt: 'localhost' is not an address"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace chat::test
