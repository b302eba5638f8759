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

std::vector<std::string> handshake_deadlines::expire(clock::time_point now,
                                                     const std::function<void(int)>& cut) {
  std::vector<std::string> peers;
  std::lock_guard<std::mutex> lock{mutex_};
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    cut(it->first);
    peers.push_back(it->second.peer);
    it = pending_.erase(it);
  }
  return peers;
}

void handshake_deadlines::shut_down(int fd) {
  ::shutdown(fd, SHUT_RDWR);
}

std::size_t handshake_deadlines::pending() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return pending_.size();
}

}  // namespace chat
