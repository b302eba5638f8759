#include "apps/chatd/handshake_deadlines.hpp"

#include <sys/socket.h>

namespace chat {

void handshake_deadlines::add(int fd, clock::time_point deadline, std::string peer) {
  std::lock_guard<std::mutex> lock{mutex_};
  pending_[fd] = entry{deadline, std::move(peer)};
}

bool handshake_deadlines::remove(int fd) {
  std::lock_guard<std::mutex> lock{mutex_};
  return pending_.erase(fd) > 0;
}

std::vector<std::string> handshake_deadlines::expire(clock::time_point now) {
  std::vector<std::string> cut;
  std::lock_guard<std::mutex> lock{mutex_};
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    ::shutdown(it->first, SHUT_RDWR);
    cut.push_back(it->second.peer);
    it = pending_.erase(it);
  }
  return cut;
}

std::size_t handshake_deadlines::pending() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return pending_.size();
}

}  // namespace chat
