// End to end: graceful shutdown on SIGTERM/SIGINT, login and idle timeouts,
// connection caps.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>

#include "harness.hpp"

namespace chat::test {
namespace {

void expect_graceful_stop(int sig) {
  temp_dir dir;
  server_process server{dir.path()};
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(clients.back()->login("u" + std::to_string(i))["type"], "ok");
  }
  client in_text_mode{server.port()};
  ASSERT_TRUE(in_text_mode.read_line().has_value());  // the banner
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.stop(sig, 5s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  for (auto& c : clients) {
    auto notice = c->event("notice", 1s);
    EXPECT_EQ(notice["type"], "notice");
    EXPECT_NE(notice["text"].get<std::string>().find("shutting down"), std::string::npos);
    EXPECT_TRUE(c->wait_closed(1s));
  }
  bool saw_notice = false;
  while (auto line = in_text_mode.read_line(1s))
    saw_notice = saw_notice || line->find("shutting down") != std::string::npos;
  EXPECT_TRUE(saw_notice);
}

TEST(E2ELifecycle, SigtermNotifiesEveryoneAndExitsZero) {
  expect_graceful_stop(SIGTERM);
}

TEST(E2ELifecycle, SigintNotifiesEveryoneAndExitsZero) {
  expect_graceful_stop(SIGINT);
}

TEST(E2ELifecycle, ConnectionThatNeverLogsInIsClosed) {
  temp_dir dir;
  server_process server{dir.path(), {"--login-timeout", "1"}};
  client idle{server.port()}, active{server.port()};
  ASSERT_EQ(active.login("busy")["type"], "ok");
  EXPECT_TRUE(idle.wait_closed(5s));
  EXPECT_EQ(active.command("/who")["type"], "ok");  // a logged-in session stays
}

TEST(E2ELifecycle, IdleSessionTimesOutWithLeaveTimeout) {
  temp_dir dir;
  server_process server{dir.path(), {"--idle-timeout", "1"}};
  client sleepy{server.port()}, watcher{server.port()};
  ASSERT_EQ(sleepy.login("sleepy")["type"], "ok");
  ASSERT_EQ(sleepy.command("/join general")["type"], "ok");
  ASSERT_EQ(watcher.login("watcher")["type"], "ok");
  ASSERT_EQ(watcher.command("/join general")["type"], "ok");
  // The watcher keeps talking (each line resets its idle time); the sleeper says nothing.
  json leave;
  for (int i = 0; i < 40 && leave.is_null(); ++i) {
    watcher.send_line("tick " + std::to_string(i));
    auto ev = watcher.event("leave", 250ms);
    if (ev["type"] == "leave") leave = ev;
  }
  ASSERT_FALSE(leave.is_null()) << "the idle session was never timed out";
  EXPECT_EQ(leave["nick"], "sleepy");
  EXPECT_EQ(leave["reason"], "timeout");
  EXPECT_TRUE(sleepy.wait_closed(2s));
}

TEST(E2ELifecycle, ConnectionsPerAddressAreCapped) {
  temp_dir dir;
  server_process server{dir.path(), {"--max-connections-per-ip", "3", "--limits-exempt", ""}};
  std::vector<std::unique_ptr<client>> ok;
  for (int i = 0; i < 3; ++i) {
    ok.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(ok.back()->login("cap" + std::to_string(i))["type"], "ok");
  }
  client refused{server.port()};
  auto why = refused.read_line();
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("too many connections"), std::string::npos) << *why;
  EXPECT_TRUE(refused.wait_closed());
  ok.pop_back();  // one leaves: room for another
  client later{server.port()};
  EXPECT_EQ(later.login("cap9")["type"], "ok");
}

}  // namespace
}  // namespace chat::test
