#include "apps/chatd/refusal_log.hpp"

namespace chat {

std::optional<std::string> refusal_log::note(const std::string& host, const std::string& reason,
                                             clock::time_point now) {
  std::lock_guard<std::mutex> lock{mutex_};
  // Bounded: a scan from many addresses must not grow this map for ever.
  constexpr std::size_t max_hosts = 1024;
  if (hosts_.size() >= max_hosts && hosts_.count(host) == 0) hosts_.clear();
  auto [it, fresh] = hosts_.try_emplace(host, seen{now, reason, 0});
  if (fresh) return std::string{};
  auto& s = it->second;
  if (s.reason != reason || now - s.logged >= interval_) {
    auto suffix = s.quiet == 0 ? std::string{}
                               : " (and " + std::to_string(s.quiet) + " more from this host since)";
    s = seen{now, reason, 0};
    return suffix;
  }
  ++s.quiet;
  return std::nullopt;
}

}  // namespace chat
