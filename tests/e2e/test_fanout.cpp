// End to end: many members in one room each get every message exactly once and
// in each sender's order; a member who pauses gets everything in order once it
// reads again; a member who never reads is cut off while the room keeps flowing.
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

// The gateway writes straight to a socket while nothing of that client is
// queued, and queues in CAF once the kernel buffer is full: a reader who
// pauses moves its connection from one path to the other and back, and must
// still see every line once, whole and in order.
TEST(E2EFanout, ReaderThatPausesGetsEverythingInOrderOnceItReads) {
  temp_dir dir;
  server_process server{dir.path(),
                        {"--rate-burst", "100000", "--rate-per-sec", "100000", "--send-queue-bytes",
                         std::to_string(16 << 20)}};
  client pauser{server.port()}, talker{server.port()};
  for (auto* c : {&pauser, &talker}) {
    ASSERT_EQ(c->login(c == &pauser ? "pauser" : "talker")["type"], "ok");
    ASSERT_EQ(c->command("/join general")["type"], "ok");
  }
  ASSERT_EQ(pauser.event("join")["nick"], "talker");
  std::string payload(3000, 'p');
  auto line = [&](int i) { return std::to_string(i) + " " + payload; };
  // ~6 MB: past the socket buffers (the kernel lets the server's grow to 4 MB
  // on loopback), within the send queue.
  constexpr int lines = 2000;
  for (int i = 0; i < lines; ++i) {
    talker.send_line(line(i));
    // The talker's own copy comes back after the pauser's was handed out.
    ASSERT_EQ(talker.event("message", 10s)["type"], "message") << "line " << i;
  }
  // The pauser reads again while new lines keep coming: they must queue
  // behind the backlog even when the socket has room for them.
  int next = 0;
  auto next_is_in_order = [&] {
    auto msg = pauser.event("message", 10s);
    EXPECT_EQ(msg["text"], line(next)) << "line " << next;
    return msg["text"] == line(next++);
  };
  for (int i = lines; i < 2 * lines; ++i) {
    talker.send_line(line(i));
    ASSERT_EQ(talker.event("message", 10s)["type"], "message") << "line " << i;
    ASSERT_TRUE(next_is_in_order());
  }
  while (next < 2 * lines) ASSERT_TRUE(next_is_in_order());
  // Drained, the connection is back on the direct path and still in step.
  talker.send_line("and once more");
  EXPECT_EQ(pauser.event("message", 10s)["text"], "and once more");
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
  [[maybe_unused]] long rss_before = server.rss_kib();  // unused under ASan, see below
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
