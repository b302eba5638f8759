#include "actors/fakelag.hpp"

#include <algorithm>

namespace chat {
namespace {

fakelag::clock::duration seconds(double s) {
  return std::chrono::duration_cast<fakelag::clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

fakelag::fakelag(double burst, double per_sec, std::size_t max_held)
    : burst_(burst), per_sec_(per_sec), max_held_(max_held) {}

void fakelag::forget_released(clock::time_point now) {
  while (first_ < waiting_.size() && waiting_[first_] <= now) ++first_;
  if (first_ == waiting_.size()) {
    waiting_.clear();  // keeps the capacity: a session that pasted once may again
    first_ = 0;
  } else if (first_ > 64 && first_ * 2 > waiting_.size()) {
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(first_));
    first_ = 0;
  }
}

std::size_t fakelag::held(clock::time_point now) {
  forget_released(now);
  return waiting_.size() - first_;
}

std::optional<fakelag::clock::time_point> fakelag::admit(clock::time_point arrived, double cost) {
  forget_released(arrived);
  // The bucket holds burst - (tat - t) * rate units at time t; a line of `cost`
  // may run once that is at least its cost.
  auto tat = std::max(tat_, arrived);
  auto release = std::max({arrived, tat - seconds((burst_ - cost) / per_sec_), last_release_});
  if (release > arrived && waiting_.size() - first_ >= max_held_) return std::nullopt;
  tat_ = tat + seconds(cost / per_sec_);
  last_release_ = release;
  if (release > arrived) waiting_.push_back(release);
  return release;
}

}  // namespace chat
