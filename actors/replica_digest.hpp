// Anti-entropy: a digest of a node's replicated state (rooms, tombstones,
// registrations) that linked nodes exchange periodically. Equal digests mean
// (with overwhelming probability) equal state; a difference makes each side
// send the other its whole state, which the merge rules (replica_rules.hpp)
// fold in, so divergence of any cause heals without a restart.
// Pure: the lobby computes it, the tests check it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "storage/records.hpp"

namespace chat {

// Independent of the order of the containers. Registrations that have
// expired at `now_ms` (registration_expired) are left out: every node drops
// them by the same rule, but each at its own hourly sweep, and a node that
// has not swept yet must not look different for it.
uint64_t replica_digest(const std::map<uint64_t, storage::room_record>& rooms,
                        const std::set<uint64_t>& dropped,
                        const std::unordered_map<std::string, storage::user_record>& users,
                        int64_t now_ms, int64_t nick_expiry_days);

}  // namespace chat
