#include "net/connection_log.hpp"

namespace chat::net {

connection_summary::connection_summary(clock::time_point start, std::chrono::milliseconds period,
                                       std::size_t max_listed)
    : period_{period}, max_listed_{max_listed}, period_start_{start} {}

bool connection_summary::refused(const std::string& reason, const std::string& address) {
  ++refused_[reason];
  if (refused_addresses_.size() >= max_listed_) return false;
  return refused_addresses_.insert(address).second;
}

std::optional<std::string> connection_summary::take_summary(clock::time_point now) {
  if (now - period_start_ < period_) return std::nullopt;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - period_start_).count();
  uint64_t refused_total = 0;
  std::string reasons;
  for (auto& [reason, count] : refused_) {
    refused_total += count;
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(count);
  }
  std::optional<std::string> line;
  if (opened_ + closed_ + refused_total > 0) {
    line = "connections in the last " + std::to_string(seconds) + " s: " + std::to_string(opened_) +
           " opened, " + std::to_string(closed_) + " closed, " + std::to_string(refused_total) +
           " refused";
    if (!reasons.empty()) *line += " (" + reasons + ")";
  }
  period_start_ = now;
  opened_ = closed_ = 0;
  refused_.clear();
  refused_addresses_.clear();
  return line;
}

}  // namespace chat::net
