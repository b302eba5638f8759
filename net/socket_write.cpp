#include "net/socket_write.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace chat::net {

std::size_t write_now(int socket, const char* data, std::size_t size) {
  for (;;) {
    auto sent = ::send(socket, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent >= 0) return static_cast<std::size_t>(sent);
    if (errno != EINTR) return 0;  // EAGAIN: full; anything else: broken
  }
}

}  // namespace chat::net
