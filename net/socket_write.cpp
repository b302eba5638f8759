#include "net/socket_write.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace chat::net {

write_result write_now(int socket, const char* data, std::size_t size) {
  for (;;) {
    auto sent = ::send(socket, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent >= 0) return {static_cast<std::size_t>(sent), false};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {0, false};
    return {0, true};
  }
}

}  // namespace chat::net
