// Keeps refused cluster connections from flooding the log: a host that keeps
// dialing with a certificate of another CA (a node redials every few seconds)
// is logged once, then at most once per interval with how many refusals were
// not logged. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace chat {

class refusal_log {
 public:
  using clock = std::chrono::steady_clock;
  explicit refusal_log(clock::duration interval) : interval_(interval) {}

  // A refusal of `host` for `reason` at `now`: nullopt if it must not be
  // logged, else the suffix for the log line ("" or " (and 12 more since)").
  std::optional<std::string> note(const std::string& host, const std::string& reason,
                                  clock::time_point now);

 private:
  struct seen {
    clock::time_point logged;
    std::string reason;
    unsigned quiet = 0;  // refusals not logged since
  };
  clock::duration interval_;
  std::mutex mutex_;
  std::map<std::string, seen> hosts_;
};

}  // namespace chat
