// A session's time zone for text-mode timestamps (/tz): an IANA zone from the
// system's tzdata ("Europe/Berlin"), or UTC. Pure and thread-safe: rooms on
// any scheduler thread render with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace chat {

class time_zone_ref {
 public:
  time_zone_ref() = default;  // UTC

  // The zone of that IANA name (case as in tzdata; "UTC" too), or nullopt for
  // a name that is no zone. Names are checked before any lookup: letters,
  // digits and _ + - / only, at most 64 bytes, no "..".
  static std::optional<time_zone_ref> find(std::string_view name);

  const std::string& name() const;
  bool is_utc() const { return zone_ == nullptr; }

  // "10:43:02 CET": the time of day in this zone and the zone's abbreviation
  // at that moment (CET or CEST), "10:43:02 UTC" for UTC.
  std::string time_of_day(int64_t ts_ms) const;

 private:
  // Owned by the tz database, lives forever; nullptr: UTC. The name is the
  // zone's own (no copy: every session holds a time_zone_ref).
  const date::time_zone* zone_ = nullptr;
};

}  // namespace chat
