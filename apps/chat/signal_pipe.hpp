// Signals as readable bytes: SIGINT, SIGTERM, SIGHUP and SIGWINCH are turned
// into bytes on a pipe that the poll() loop watches, so that they are handled
// between two steps of the loop, never in the middle of a readline redisplay.
// One per process (signal handlers are process-wide); not thread-safe.
#pragma once

#include <vector>

namespace chat::client {

class signal_pipe {
 public:
  signal_pipe();   // installs the handlers (without SA_RESTART: blocking reads return EINTR)
  ~signal_pipe();  // puts the default handlers back
  signal_pipe(const signal_pipe&) = delete;
  signal_pipe& operator=(const signal_pipe&) = delete;

  int fd() const;
  // The signals caught since the last call, in order.
  std::vector<int> take();
  // True once SIGINT, SIGTERM or SIGHUP was caught (for blocking prompts).
  static bool stop_requested();
};

}  // namespace chat::client
