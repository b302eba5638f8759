// The bookkeeping that cuts cluster TLS handshakes that take too long
// (apps/chatd/handshake_deadlines.hpp): who is cut when, exactly once, never
// after the handshake finished, and a reused descriptor number on its own
// deadline; then the real cut, shutdown(), ends the connection for the peer.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apps/chatd/handshake_deadlines.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;

struct recorder {
  std::vector<int> cut;
  std::function<void(int)> fn() {
    return [this](int fd) { cut.push_back(fd); };
  }
};

const auto t0 = handshake_deadlines::clock::now();

TEST(HandshakeDeadlines, NothingIsCutBeforeItsDeadline) {
  handshake_deadlines d;
  recorder r;
  d.add(7, t0 + 1s, "10.0.0.1:4000");
  EXPECT_TRUE(d.expire(t0 + 999ms, r.fn()).empty());
  EXPECT_TRUE(r.cut.empty());
  EXPECT_EQ(d.pending(), 1u);
}

TEST(HandshakeDeadlines, ALateHandshakeIsCutOnceAndNamed) {
  handshake_deadlines d;
  recorder r;
  d.add(7, t0 + 1s, "10.0.0.1:4000");
  d.add(8, t0 + 2s, "10.0.0.2:4000");
  EXPECT_EQ(d.expire(t0 + 1s, r.fn()), std::vector<std::string>{"10.0.0.1:4000"});
  EXPECT_EQ(r.cut, std::vector<int>{7});
  EXPECT_EQ(d.pending(), 1u);
  // Not twice; and the policy, seeing the connection fail, learns that it was
  // cut (remove() false), so it does not log a refusal as well.
  EXPECT_TRUE(d.expire(t0 + 1500ms, r.fn()).empty());
  EXPECT_FALSE(d.remove(7));
  EXPECT_EQ(d.expire(t0 + 5s, r.fn()), std::vector<std::string>{"10.0.0.2:4000"});
  EXPECT_EQ(r.cut, (std::vector<int>{7, 8}));
  EXPECT_EQ(d.pending(), 0u);
}

TEST(HandshakeDeadlines, AFinishedOrClosedHandshakeIsNeverCut) {
  handshake_deadlines d;
  recorder r;
  d.add(7, t0 + 1s, "10.0.0.1:4000");
  EXPECT_TRUE(d.remove(7));  // its first application bytes arrived, or it closed
  EXPECT_FALSE(d.remove(7));
  EXPECT_TRUE(d.expire(t0 + 1h, r.fn()).empty());
  EXPECT_TRUE(r.cut.empty());
}

TEST(HandshakeDeadlines, AReusedDescriptorNumberGetsItsOwnDeadline) {
  handshake_deadlines d;
  recorder r;
  d.add(7, t0 + 1s, "10.0.0.1:4000");
  d.remove(7);  // closed; the kernel hands number 7 to the next connection
  d.add(7, t0 + 3s, "10.0.0.9:5000");
  EXPECT_TRUE(d.expire(t0 + 2s, r.fn()).empty());
  EXPECT_EQ(d.expire(t0 + 3s, r.fn()), std::vector<std::string>{"10.0.0.9:5000"});
  EXPECT_EQ(r.cut, std::vector<int>{7});
}

TEST(HandshakeDeadlines, TheCutEndsTheConnectionForThePeer) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  handshake_deadlines d;
  d.add(fds[0], t0, "peer");
  EXPECT_EQ(d.expire(t0, handshake_deadlines::shut_down).size(), 1u);
  char byte;
  EXPECT_EQ(recv(fds[1], &byte, 1, MSG_DONTWAIT), 0);  // end of stream, already there
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace chat
