// TCP keepalive on a real loopback connection: every option is set as asked.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/tcp_keepalive.hpp"

namespace chat::net {
namespace {

int option(int fd, int level, int name) {
  int value = -1;
  socklen_t size = sizeof value;
  EXPECT_EQ(getsockopt(fd, level, name, &value, &size), 0);
  return value;
}

TEST(TcpKeepalive, SetsEveryOptionOnAConnectedSocket) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);  // port 0
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t size = sizeof addr;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &size), 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  int server = accept(listener, nullptr, nullptr);
  ASSERT_GE(server, 0);

  EXPECT_EQ(option(server, SOL_SOCKET, SO_KEEPALIVE), 0);  // off until asked
  ASSERT_TRUE(enable_keepalive(server, keepalive_settings{45, 7, 3}));
  EXPECT_NE(option(server, SOL_SOCKET, SO_KEEPALIVE), 0);
  EXPECT_EQ(option(server, IPPROTO_TCP, TCP_KEEPIDLE), 45);
  EXPECT_EQ(option(server, IPPROTO_TCP, TCP_KEEPINTVL), 7);
  EXPECT_EQ(option(server, IPPROTO_TCP, TCP_KEEPCNT), 3);

  EXPECT_FALSE(enable_keepalive(-1, keepalive_settings{}));  // not a socket
  close(server);
  close(client);
  close(listener);
}

}  // namespace
}  // namespace chat::net
