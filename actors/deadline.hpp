// One deadline per request (issue 13, "answers that tell the truth"): the
// session sets it when it sends a command that changes something, and it
// travels down the request's chain. A step that has not started its change
// by then answers `unavailable`, which therefore always means "applied
// nowhere"; a step that has started a local commit waits for that commit
// whatever the time (a SQLite commit is not a network call), so a change that
// was applied is never answered `unavailable`. Network steps (nick claims on
// the peers) wait no longer than what is left.
#pragma once

#include <caf/duration.hpp>
#include <chrono>
#include <cstdint>

namespace chat {

// How long a step waits for a local commit (or a local write nobody waits
// for) once it has sent it: as long as it takes. The storage actor answers
// every write, done or failed, and a failed write changed nothing.
inline const caf::duration until_committed{caf::infinite};

struct deadline {
  int64_t steady_ns = 0;  // std::chrono::steady_clock, since its epoch; 0: none

  static deadline after(std::chrono::nanoseconds span) {
    auto at = std::chrono::steady_clock::now() + span;
    return deadline{
        std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count()};
  }
  bool passed() const {
    return steady_ns != 0 && std::chrono::steady_clock::now().time_since_epoch() >=
                                 std::chrono::nanoseconds(steady_ns);
  }
  // What is left (zero once passed); `cap` when there is no deadline.
  std::chrono::nanoseconds left(std::chrono::nanoseconds cap) const {
    if (steady_ns == 0) return cap;
    auto rest =
        std::chrono::nanoseconds(steady_ns) - std::chrono::steady_clock::now().time_since_epoch();
    if (rest <= std::chrono::nanoseconds::zero()) return std::chrono::nanoseconds::zero();
    return rest < cap ? rest : cap;
  }
};

}  // namespace chat
