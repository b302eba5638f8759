// The rules that make every node of a cluster reach the same state, whatever
// order changes arrive in (docs/cluster.md). Pure functions, unit tested alone:
// the lobby applies them, they decide.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "storage/records.hpp"

namespace chat {

// Room ids: ids below this are for the configured default rooms, which every
// node creates alike at first start; above it, id % room_id_stride is the
// creating node's slot, so two nodes can never give out the same id.
constexpr uint64_t room_id_stride = 1024;

// This node's slot (1..1023): `configured` if set, else derived from the name.
uint16_t node_slot(const std::string& node_name, uint16_t configured);

// The smallest id above `max_id` (and above the default rooms' block) that
// belongs to `slot`.
uint64_t next_room_id(uint64_t max_id, uint16_t slot);

// Two live rooms with the same name (made on both sides of a split): the
// earlier creation wins, ties broken by node name, then by id.
bool room_wins(const storage::room_record& a, const storage::room_record& b);

// Of two topics of one room, the later setting wins; ties by the text.
bool topic_wins(const storage::room_record& a, const storage::room_record& b);

// Two registrations of one nick: the earlier wins, ties by node name. Equal
// creation and node means the same registration (a password change): the
// record with the later update wins, so equal ones stay as they are.
bool user_wins(const storage::user_record& a, const storage::user_record& b);

// A registration nobody logged in with for `expiry_days` (counted from its
// last login, or its creation if later) is expired: every node drops it by
// this same rule, and a node refuses an expired record from a peer, so an
// expired nick never comes back from a node that has not swept yet.
// expiry_days 0: registrations never expire.
bool registration_expired(const storage::user_record& user, int64_t now_ms, int64_t expiry_days);

// Two claims of one nick racing on two nodes (or two logins of one nick found
// online on both sides of a split): the earlier wins, ties broken by node name.
struct nick_claim_order {
  int64_t ts_ms = 0;
  std::string node;
};
bool claim_wins(const nick_claim_order& a, const nick_claim_order& b);

// A free nick for the loser of a nick collision: `nick` with "-2", "-3", ...
// (shortened to stay a valid nick), the first one `taken` says is free.
std::string free_nick(const std::string& nick,
                      const std::function<bool(const std::string&)>& taken);

}  // namespace chat
