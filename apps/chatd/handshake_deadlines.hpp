// The cluster connections whose TLS handshake has not finished yet, each with
// the time by which it must. CAF closes neither an accepted connection that
// never completes its handshake (its BASP broker only times out nodes it has
// heard from) nor one that stalls halfway: each would hold a socket and a TLS
// session for ever. The TLS transport adds a connection when it starts and
// removes it when its first application bytes are read or written (the
// handshake is done) or it closes; a timer calls expire() to cut the late ones.
// Thread-safe: the I/O thread adds and removes, the timer's actor expires.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace chat {

class handshake_deadlines {
 public:
  using clock = std::chrono::steady_clock;

  void add(int fd, clock::time_point deadline, std::string peer);
  // False if `fd` was not pending: done already, or cut by expire().
  bool remove(int fd);
  // Calls `cut(fd)` for every connection past its deadline at `now` (a
  // deadline equal to `now` is past) and forgets it; returns their peers.
  // `cut` runs under the lock, and the transport calls remove() before it
  // closes a socket, so a descriptor number closed and reused meanwhile is
  // never cut.
  std::vector<std::string> expire(clock::time_point now, const std::function<void(int)>& cut);
  std::size_t pending() const;

  // What the transport cuts with: shutdown(SHUT_RDWR), after which CAF sees
  // the connection end and closes it as usual.
  static void shut_down(int fd);

 private:
  struct entry {
    clock::time_point deadline;
    std::string peer;
  };
  mutable std::mutex mutex_;
  std::map<int, entry> pending_;
};

}  // namespace chat
