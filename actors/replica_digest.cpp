#include "actors/replica_digest.hpp"

#include "actors/replica_rules.hpp"

namespace chat {
namespace {

// FNV-1a, 64 bits: fast, and good enough against accidents (the peers are
// authenticated members, not adversaries looking for collisions).
class item_hash {
 public:
  explicit item_hash(char kind) { byte(static_cast<unsigned char>(kind)); }
  item_hash& add(const std::string& s) {
    add(static_cast<uint64_t>(s.size()));  // length first: ("ab","c") differs from ("a","bc")
    for (unsigned char c : s) byte(c);
    return *this;
  }
  item_hash& add(uint64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
    return *this;
  }
  item_hash& add(int64_t v) { return add(static_cast<uint64_t>(v)); }
  uint64_t value() const { return h_; }

 private:
  void byte(unsigned char c) {
    h_ ^= c;
    h_ *= 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace

uint64_t replica_digest(const std::map<uint64_t, storage::room_record>& rooms,
                        const std::set<uint64_t>& dropped,
                        const std::unordered_map<std::string, storage::user_record>& users,
                        int64_t now_ms, int64_t nick_expiry_days) {
  // The sum of the items' hashes does not depend on the order they come in.
  uint64_t sum = 0;
  for (auto& [id, r] : rooms)
    sum += item_hash('r')
               .add(r.id)
               .add(r.name)
               .add(r.topic)
               .add(r.owner)
               .add(r.created_ms)
               .add(r.origin)
               .add(r.topic_ms)
               .value();
  for (auto id : dropped) sum += item_hash('d').add(id).value();
  for (auto& [key, u] : users) {
    if (registration_expired(u, now_ms, nick_expiry_days)) continue;
    sum += item_hash('u')
               .add(u.nick)
               .add(u.password_hash)
               .add(u.created_ms)
               .add(u.last_login_ms)
               .add(u.origin)
               .add(u.time_zone)
               .value();
  }
  return sum;
}

}  // namespace chat
