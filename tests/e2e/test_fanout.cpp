// End to end: many members in one room each get every message exactly once and
// in each sender's order; a member who never reads is cut off while the room
// keeps flowing.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstdio>
#include <map>
#include <memory>

#include "harness.hpp"

namespace chat::test {
namespace {

TEST(E2EFanout, FiftyMembersGetEveryMessageOnceInOrder) {
  temp_dir dir;
  server_process server{dir.path(), {"--rate-burst", "1000", "--rate-per-sec", "1000"}};
  constexpr int members = 60;
  constexpr int per_sender = 20;
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < members; ++i) {
    clients.push_back(std::make_unique<client>(server.port()));
    ASSERT_EQ(clients.back()->login("m" + std::to_string(i))["type"], "ok");
    ASSERT_EQ(clients.back()->command("/join general")["type"], "ok");
  }
  for (int seq = 0; seq < per_sender; ++seq)
    for (int i = 0; i < members; ++i)
      clients[i]->send_line("m" + std::to_string(i) + " " + std::to_string(seq));

  for (int r = 0; r < members; ++r) {
    std::map<std::string, int> next_seq;  // per sender
    int received = 0;
    while (received < members * per_sender) {
      auto msg = clients[r]->event("message", 10s);
      ASSERT_EQ(msg["type"], "message") << "member " << r << " got " << received;
      auto text = msg["text"].get<std::string>();
      auto space = text.find(' ');
      auto sender = text.substr(0, space);
      EXPECT_EQ(sender, msg["from"]);
      EXPECT_EQ(std::stoi(text.substr(space + 1)), next_seq[sender]) << "from " << sender;
      next_seq[sender] = std::stoi(text.substr(space + 1)) + 1;
      ++received;
    }
    EXPECT_EQ(next_seq.size(), static_cast<size_t>(members));
    // Nothing twice: a duplicate would be in the stream before this reply.
    ASSERT_EQ(clients[r]->command("/look")["type"], "ok");
    for (auto& ev : clients[r]->pending_events()) EXPECT_NE(ev["type"], "message") << ev.dump();
  }
}

TEST(E2EFanout, ReaderThatNeverReadsIsCutOffAndRoomKeepsFlowing) {
  temp_dir dir;
  server_process server{
      dir.path(),
      {"--rate-burst", "100000", "--rate-per-sec", "100000", "--send-queue-bytes", "262144"}};
  client sleeper{server.port()}, talker{server.port()}, listener{server.port()};
  int small = 4096;
  setsockopt(sleeper.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  std::vector<std::pair<client*, std::string>> members{
      {&sleeper, "sleeper"}, {&talker, "talker"}, {&listener, "listener"}};
  for (auto& [c, nick] : members) {
    ASSERT_EQ(c->login(nick)["type"], "ok");
    ASSERT_EQ(c->command("/join general")["type"], "ok");
  }
  long rss_before = server.rss_kib();
  std::string payload(3000, 'z');
  constexpr int lines = 2000;  // ~6 MB for the sleeper: far past its queue and socket buffers
  bool saw_timeout = false;
  for (int i = 0; i < lines; ++i) {
    talker.send_line(std::to_string(i) + " " + payload);
    auto msg = listener.event("message", 10s);
    ASSERT_EQ(msg["type"], "message") << "the room stalled at line " << i;
    EXPECT_EQ(msg["text"].get<std::string>().substr(0, std::to_string(i).size()),
              std::to_string(i));
    auto& pending = listener.pending_events();
    for (auto it = pending.begin(); it != pending.end(); ++it) {
      if ((*it)["type"] == "leave" && (*it)["nick"] == "sleeper") {
        EXPECT_EQ((*it)["reason"], "timeout");
        saw_timeout = true;
        pending.erase(it);
        break;
      }
    }
    ASSERT_EQ(talker.event("message", 10s)["type"], "message");  // the talker reads its own
    talker.pending_events().clear();
  }
  EXPECT_TRUE(saw_timeout) << "the sleeper was never cut off";
  // The sleeper was owed ~6 MB; a bounded queue keeps the growth well under
  // that. AddressSanitizer holds freed memory in quarantine, so RSS says
  // nothing about queues there.
#ifndef __SANITIZE_ADDRESS__
  long growth_kib = server.rss_kib() - rss_before;
  std::printf("server RSS grew by %ld KiB over the run\n", growth_kib);
  EXPECT_LT(growth_kib, 3 * 1024) << "the server kept what the sleeper never read";
#endif
}

}  // namespace
}  // namespace chat::test
