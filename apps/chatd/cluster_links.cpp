#include "apps/chatd/cluster_links.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace chat {
namespace {

// The local port of a connected TCP socket, or -1 for anything else.
int connected_tcp_local_port(int fd) {
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) return -1;
  sockaddr_storage peer{};
  len = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return -1;  // listening
  sockaddr_storage local{};
  len = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return -1;
  if (local.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in&>(local).sin_port);
  if (local.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6&>(local).sin6_port);
  return -1;  // a Unix socket
}

}  // namespace

int cut_cluster_links(uint16_t client_port, uint16_t tls_port) {
  DIR* fds = opendir("/proc/self/fd");
  if (!fds) return 0;
  int cut = 0;
  while (auto* entry = readdir(fds)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || fd == dirfd(fds)) continue;
    int port = connected_tcp_local_port(static_cast<int>(fd));
    if (port < 0 || port == client_port || (tls_port != 0 && port == tls_port)) continue;
    if (shutdown(static_cast<int>(fd), SHUT_RDWR) == 0) ++cut;
  }
  closedir(fds);
  return cut;
}

}  // namespace chat
