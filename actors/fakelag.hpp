// Fakelag: input beyond the burst is held and let through at the sustained
// rate, in order, instead of being refused (as IRC servers such as ergo and
// InspIRCd do), so a paste arrives whole and late rather than cut. Only a line
// that would make more than `max_held` lines wait is refused.
//
// Every line is charged by the time it *arrived* (the gateway's read), never
// by the time the session got to it: a session busy with a slow request must
// not turn an honest client's typing into a flood.
//
// Pure (the caller passes every time), a generic cell rate algorithm with a
// cost per line. Owned by one session; not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace chat {

class fakelag {
 public:
  using clock = std::chrono::steady_clock;

  // `burst` cost units at once, `per_sec` units per second sustained, at most
  // `max_held` lines waiting.
  fakelag(double burst, double per_sec, std::size_t max_held);

  // A line of `cost` arrived at `arrived` (times never decrease): the time from
  // which it may run, never earlier than the line before it. nullopt when it
  // would be one line too many waiting: refused, and nothing is charged.
  std::optional<clock::time_point> admit(clock::time_point arrived, double cost);

  // Lines admitted that were still to wait at `now`.
  std::size_t held(clock::time_point now);

 private:
  void forget_released(clock::time_point now);

  double burst_;
  double per_sec_;
  std::size_t max_held_;
  clock::time_point tat_{};  // theoretical arrival time: when the bucket is full again
  clock::time_point last_release_{};
  // Release times of held lines, in order, from waiting_[first_]. A vector
  // rather than a deque: an empty std::deque allocates about 600 bytes, for
  // every idle session; an empty vector allocates nothing.
  std::vector<clock::time_point> waiting_;
  std::size_t first_ = 0;
};

}  // namespace chat
