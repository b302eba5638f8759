// The one clock of chat-bench: CLOCK_MONOTONIC in nanoseconds. Payload send
// stamps and receive times are taken in the same process, so monotonic time is
// comparable between them and immune to wall-clock steps (NTP, settimeofday).
#pragma once

#include <cstdint>
#include <ctime>

namespace bench {

constexpr int64_t ns_per_us = 1'000;
constexpr int64_t ns_per_ms = 1'000'000;
constexpr int64_t ns_per_sec = 1'000'000'000;

inline int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * ns_per_sec + ts.tv_nsec;
}

inline int64_t seconds_to_ns(double s) {
  return static_cast<int64_t>(s * ns_per_sec);
}
inline double ns_to_seconds(int64_t ns) {
  return static_cast<double>(ns) / ns_per_sec;
}

}  // namespace bench
