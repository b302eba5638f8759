// write_now: what the gateway relies on when it writes to a socket itself.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "net/socket_write.hpp"

namespace chat::net {
namespace {

struct socket_pair {
  int ours = -1, theirs = -1;
  socket_pair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ours = fds[0];
    theirs = fds[1];
  }
  ~socket_pair() {
    if (ours >= 0) close(ours);
    if (theirs >= 0) close(theirs);
  }
  std::string read_all() {
    std::string got;
    char chunk[65536];
    ssize_t n;
    while ((n = recv(theirs, chunk, sizeof(chunk), MSG_DONTWAIT)) > 0)
      got.append(chunk, static_cast<std::size_t>(n));
    return got;
  }
};

TEST(WriteNow, WritesEverythingWhileTheBufferHasRoom) {
  socket_pair sockets;
  std::string line = "{\"type\":\"message\",\"text\":\"hi\"}\r\n";
  EXPECT_EQ(write_now(sockets.ours, line.data(), line.size()), line.size());
  EXPECT_EQ(sockets.read_all(), line);
}

TEST(WriteNow, TakesPartOfALargeWriteThenNothingWithoutBlocking) {
  socket_pair sockets;
  int small = 4096;
  setsockopt(sockets.ours, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
  std::string bytes(1 << 20, 'x');  // far more than the socket buffers hold
  auto taken = write_now(sockets.ours, bytes.data(), bytes.size());
  EXPECT_GT(taken, 0u);
  EXPECT_LT(taken, bytes.size());
  EXPECT_EQ(write_now(sockets.ours, bytes.data(), bytes.size()), 0u) << "the buffer is full";
  EXPECT_EQ(sockets.read_all().size(), taken) << "what it says it took is what arrives";
}

TEST(WriteNow, ABrokenSocketTakesNothingAndRaisesNoSignal) {
  socket_pair sockets;
  close(sockets.theirs);
  sockets.theirs = -1;
  std::string line = "bye\r\n";
  // Without MSG_NOSIGNAL this would kill the test with SIGPIPE.
  EXPECT_EQ(write_now(sockets.ours, line.data(), line.size()), 0u);
}

}  // namespace
}  // namespace chat::net
