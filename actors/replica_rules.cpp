#include "actors/replica_rules.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "actors/event.hpp"
#include "actors/names.hpp"

namespace chat {

uint16_t node_slot(const std::string& node_name, uint16_t configured) {
  if (configured > 0) return static_cast<uint16_t>(configured % room_id_stride);
  // FNV-1a: stable across builds and platforms, unlike std::hash.
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : node_name) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return static_cast<uint16_t>(1 + hash % (room_id_stride - 1));
}

uint64_t next_room_id(uint64_t max_id, uint16_t slot) {
  uint64_t base = std::max<uint64_t>(max_id, room_id_stride - 1);
  uint64_t id = (base / room_id_stride) * room_id_stride + slot;
  if (id <= base) id += room_id_stride;
  return id;
}

bool room_wins(const storage::room_record& a, const storage::room_record& b) {
  return std::tie(a.created_ms, a.origin, a.id) < std::tie(b.created_ms, b.origin, b.id);
}

bool topic_wins(const storage::room_record& a, const storage::room_record& b) {
  return std::tie(a.topic_ms, a.topic) > std::tie(b.topic_ms, b.topic);
}

bool user_wins(const storage::user_record& a, const storage::user_record& b) {
  if (std::tie(a.created_ms, a.origin) != std::tie(b.created_ms, b.origin))
    return std::tie(a.created_ms, a.origin) < std::tie(b.created_ms, b.origin);
  return std::tie(a.last_login_ms, a.password_hash) > std::tie(b.last_login_ms, b.password_hash);
}

bool registration_expired(const storage::user_record& user, int64_t now_ms, int64_t expiry_days) {
  constexpr int64_t ms_per_day = 86'400'000;
  // Beyond this many days the product would overflow: such a setting means "never".
  constexpr int64_t longest_days = INT64_MAX / ms_per_day;
  if (expiry_days <= 0 || expiry_days >= longest_days) return false;
  auto last_used = std::max(user.last_login_ms, user.created_ms);
  return now_ms - last_used >= expiry_days * ms_per_day;
}

bool claim_wins(const nick_claim_order& a, const nick_claim_order& b) {
  return std::tie(a.ts_ms, a.node) < std::tie(b.ts_ms, b.node);
}

std::string free_nick(const std::string& nick,
                      const std::function<bool(const std::string&)>& taken) {
  for (int n = 2; n < 100000; ++n) {
    auto suffix = "-" + std::to_string(n);
    // Cut whole code points until the nick and its suffix fit.
    auto base = nick;
    while (!base.empty() && !is_valid_name(base + suffix, name_kind::nick)) {
      while (!base.empty() && (static_cast<unsigned char>(base.back()) & 0xC0) == 0x80)
        base.pop_back();                   // continuation bytes of the last code point
      if (!base.empty()) base.pop_back();  // and its lead byte
    }
    auto candidate = base.empty() ? "user" + suffix : base + suffix;
    if (!taken(candidate)) return candidate;
  }
  return "user-" + std::to_string(now_ms());  // not reached with fewer than 100,000 namesakes
}

}  // namespace chat
