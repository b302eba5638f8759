#include "net/tcp_keepalive.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace chat::net {

bool enable_keepalive(int fd, const keepalive_settings& settings) {
  const int on = 1;
  return setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) == 0 &&
         setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &settings.idle_seconds,
                    sizeof settings.idle_seconds) == 0 &&
         setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &settings.interval_seconds,
                    sizeof settings.interval_seconds) == 0 &&
         setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &settings.probes, sizeof settings.probes) == 0;
}

}  // namespace chat::net
