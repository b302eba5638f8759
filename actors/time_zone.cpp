#include "actors/time_zone.hpp"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace chat {
namespace {

constexpr std::size_t max_zone_name = 64;

bool plausible_name(std::string_view name) {
  if (name.empty() || name.size() > max_zone_name) return false;
  if (name.find("..") != std::string_view::npos || name.front() == '/') return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

constexpr int64_t ms_per_day = 86'400'000;

std::string clock_text(int64_t ms_of_day) {
  ms_of_day %= ms_per_day;
  if (ms_of_day < 0) ms_of_day += ms_per_day;
  auto seconds = static_cast<int>(ms_of_day / 1000);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  return buf;
}

}  // namespace

const std::string& time_zone_ref::name() const {
  static const std::string utc = "UTC";
  return zone_ ? zone_->name() : utc;
}

std::optional<time_zone_ref> time_zone_ref::find(std::string_view name) {
  if (!plausible_name(name)) return std::nullopt;
  if (name == "UTC") return time_zone_ref{};
  try {
    time_zone_ref ref;
    ref.zone_ = date::locate_zone(name);
    return ref;
  } catch (const std::exception&) {
    return std::nullopt;  // no such zone (or no tzdata on this machine)
  }
}

std::string time_zone_ref::time_of_day(int64_t ts_ms) const {
  if (!zone_) return clock_text(ts_ms) + " UTC";
  using namespace std::chrono;
  date::sys_time<milliseconds> at{milliseconds{ts_ms}};
  try {
    auto info = zone_->get_info(date::floor<seconds>(at));
    auto local_ms = ts_ms + duration_cast<milliseconds>(info.offset).count();
    return clock_text(local_ms) + " " + info.abbrev;
  } catch (const std::exception&) {
    return clock_text(ts_ms) + " UTC";  // a time outside the database's range
  }
}

}  // namespace chat
