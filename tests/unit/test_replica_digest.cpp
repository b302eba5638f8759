// The anti-entropy digest: equal replicated state gives equal digests whatever
// order it was built in; any replicated field that differs changes it; expired
// registrations do not count.
#include <gtest/gtest.h>

#include <functional>

#include "actors/replica_digest.hpp"

namespace chat {
namespace {

constexpr int64_t day_ms = 24LL * 3600 * 1000;
constexpr int64_t now = 400 * day_ms;

struct replica {
  std::map<uint64_t, storage::room_record> rooms;
  std::set<uint64_t> dropped;
  std::unordered_map<std::string, storage::user_record> users;
  uint64_t digest(int64_t expiry_days = 365) const {
    return replica_digest(rooms, dropped, users, now, expiry_days);
  }
};

replica sample() {
  replica r;
  r.rooms[1] = {1, "general", "", "", 0, "", 0};
  r.rooms[2051] = {2051, "python", "snakes", "alice", 100, "n1", 200};
  r.dropped = {3075, 4099};
  r.users["bob"] = {"bob", "$argon2id$x", 300, now - day_ms, "n2", "Europe/Berlin"};
  r.users["carol"] = {"carol", "$argon2id$y", 400, now, "n1", ""};
  return r;
}

TEST(ReplicaDigest, SameStateSameDigestWhateverTheOrder) {
  replica forward = sample();
  replica backward;
  // Built in the other order (unordered_map iteration differs with history).
  backward.users["carol"] = forward.users["carol"];
  backward.users["bob"] = forward.users["bob"];
  backward.dropped = {4099, 3075};
  backward.rooms[2051] = forward.rooms[2051];
  backward.rooms[1] = forward.rooms[1];
  EXPECT_EQ(forward.digest(), backward.digest());
}

TEST(ReplicaDigest, EveryReplicatedFieldCounts) {
  const uint64_t base = sample().digest();
  std::vector<std::function<void(replica&)>> changes = {
      [](replica& r) { r.rooms[2051].name = "Python"; },
      [](replica& r) { r.rooms[2051].topic = "snakes!"; },
      [](replica& r) { r.rooms[2051].owner = "bob"; },
      [](replica& r) { r.rooms[2051].created_ms += 1; },
      [](replica& r) { r.rooms[2051].origin = "n2"; },
      [](replica& r) { r.rooms[2051].topic_ms += 1; },
      [](replica& r) { r.rooms.erase(1); },
      [](replica& r) { r.dropped.insert(5123); },
      [](replica& r) { r.dropped.erase(3075); },
      [](replica& r) { r.users["bob"].password_hash = "$argon2id$z"; },
      [](replica& r) { r.users["bob"].created_ms += 1; },
      [](replica& r) { r.users["bob"].last_login_ms += 1; },
      [](replica& r) { r.users["bob"].origin = "n3"; },
      [](replica& r) { r.users["bob"].time_zone = ""; },
      [](replica& r) { r.users["bob"].nick = "Bob"; },
      [](replica& r) { r.users.erase("carol"); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    replica changed = sample();
    changes[i](changed);
    EXPECT_NE(changed.digest(), base) << "change " << i;
  }
}

TEST(ReplicaDigest, FieldBoundariesCount) {
  replica one, other;
  one.rooms[5] = {5, "ab", "c", "", 0, "", 0};
  other.rooms[5] = {5, "a", "bc", "", 0, "", 0};
  EXPECT_NE(one.digest(), other.digest());
}

TEST(ReplicaDigest, ExpiredRegistrationsAreLeftOut) {
  replica swept = sample();
  replica not_yet_swept = sample();
  not_yet_swept.users["dave"] = {"dave", "$argon2id$w", 0, now - 366 * day_ms, "n1", ""};
  EXPECT_EQ(swept.digest(), not_yet_swept.digest());
  // With expiry off, dave is a live registration and counts.
  EXPECT_NE(swept.digest(0), not_yet_swept.digest(0));
}

}  // namespace
}  // namespace chat
