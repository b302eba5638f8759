// What the gateway logs about connections, kept quiet under churn (issue
// 16): 84,253 connect/close cycles once wrote 12 MB of info lines. Each
// connection opened or closed is a debug line; at info there is one summary a
// period (opened, closed, refused by reason), and a refused address is
// logged once a period, however often it tries. Pure: the gateway feeds it
// events and the time, and writes the lines it returns. Not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

namespace chat::net {

class connection_summary {
 public:
  using clock = std::chrono::steady_clock;

  // `max_listed`: distinct refused addresses logged one by one in a period;
  // past it they are only counted (bounded memory against a spread-out flood).
  connection_summary(clock::time_point start, std::chrono::milliseconds period,
                     std::size_t max_listed = 1000);

  void opened() { ++opened_; }
  void closed() { ++closed_; }
  // Counts a refusal under `reason`; true if this is the first refusal of
  // `address` in the current period (so the caller logs it).
  bool refused(const std::string& reason, const std::string& address);

  // Once a period has passed since the last summary: the summary line of that
  // period ("connections in the last 60 s: 12 opened, 10 closed, 3 refused
  // (per-network rate 2, server full 1)"), or nullopt if nothing happened;
  // the counts start again. Before that: nullopt.
  std::optional<std::string> take_summary(clock::time_point now);

 private:
  std::chrono::milliseconds period_;
  std::size_t max_listed_;
  clock::time_point period_start_;
  uint64_t opened_ = 0;
  uint64_t closed_ = 0;
  std::map<std::string, uint64_t> refused_;  // by reason, ordered for a stable line
  std::unordered_set<std::string> refused_addresses_;
};

}  // namespace chat::net
