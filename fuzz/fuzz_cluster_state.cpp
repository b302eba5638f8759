// Fuzzes the decoding of the state messages nodes send each other
// (actors/cluster_messages.hpp): arbitrary bytes through CAF's binary
// deserializer, as BASP decodes what a peer sent, into replica_state,
// room_upsert, room_tombstone, user_upsert, nick_claim and room_relay, and
// then through what a node does with them: the replica rules, name folding,
// and rendering a relayed event in both modes.
//
// Input: the first byte picks the message type, the rest is its encoding.
//
// Invariants: decoding either fails cleanly or yields a value whose encoding
// reads back to the same value; of two different rooms (or
// registrations, or claims) exactly one wins, whichever way they are compared;
// rendering a relayed event gives lines that end in CRLF.

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/cluster_messages.hpp"
#include "actors/names.hpp"
#include "actors/render.hpp"
#include "actors/replica_rules.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace chat;

template <class T>
std::vector<char> encode(T& value) {
  std::vector<char> bytes;
  caf::binary_serializer sink{static_cast<caf::execution_unit*>(nullptr), bytes};
  FUZZ_CHECK(!sink(value));
  return bytes;
}

// Decodes a T from `bytes`; on success checks that its encoding decodes to a
// value with the same encoding again. (Not the input bytes themselves: CAF
// reads any non-zero byte as `true` and accepts over-long length prefixes.)
template <class T>
bool decode(const char* bytes, std::size_t size, T& value) {
  caf::binary_deserializer source{static_cast<caf::execution_unit*>(nullptr), bytes, size};
  if (source(value)) return false;  // an error: rejected, nothing else to check
  auto once = encode(value);
  T again;
  caf::binary_deserializer reread{static_cast<caf::execution_unit*>(nullptr), once.data(),
                                  once.size()};
  FUZZ_CHECK(!reread(again));
  FUZZ_CHECK(reread.remaining() == 0);
  FUZZ_CHECK(encode(again) == once);
  return true;
}

void check_rooms(const std::vector<storage::room_record>& rooms) {
  for (auto& a : rooms) {
    fold_name(a.name);  // as the lobby indexes it; must not fail on any bytes
    for (auto& b : rooms) {
      bool same = a.created_ms == b.created_ms && a.origin == b.origin && a.id == b.id;
      if (!same) FUZZ_CHECK(room_wins(a, b) != room_wins(b, a));
      FUZZ_CHECK(!(topic_wins(a, b) && topic_wins(b, a)));
    }
  }
}

void check_users(const std::vector<storage::user_record>& users) {
  for (auto& a : users) {
    fold_name(a.nick);
    for (auto& b : users) FUZZ_CHECK(!(user_wins(a, b) && user_wins(b, a)));
  }
}

void check_event(const event& ev) {
  for (auto mode : {output_mode::text, output_mode::json}) {
    auto line = render_event(ev, mode);
    FUZZ_CHECK(line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto bytes = reinterpret_cast<const char*>(data) + 1;
  auto n = size - 1;
  switch (data[0] % 6) {
    case 0: {
      replica_state state;
      if (decode(bytes, n, state)) {
        check_rooms(state.rooms);
        check_users(state.users);
      }
      break;
    }
    case 1: {
      room_upsert msg;
      if (decode(bytes, n, msg)) check_rooms({msg.room});
      break;
    }
    case 2: {
      room_tombstone msg;
      decode(bytes, n, msg);
      break;
    }
    case 3: {
      user_upsert msg;
      if (decode(bytes, n, msg)) check_users({msg.user});
      break;
    }
    case 4: {
      nick_claim msg;
      if (decode(bytes, n, msg)) {
        // A neighbouring claim by the same node; below, not above, at the
        // largest timestamp a peer could send (one more would overflow).
        auto other_ts = msg.ts_ms < INT64_MAX ? msg.ts_ms + 1 : msg.ts_ms - 1;
        nick_claim_order a{msg.ts_ms, msg.node}, b{other_ts, msg.node};
        FUZZ_CHECK(claim_wins(a, b) != claim_wins(b, a));
        fold_name(msg.nick);
      }
      break;
    }
    default: {
      room_relay msg;
      if (decode(bytes, n, msg)) check_event(msg.ev);
      break;
    }
  }
  return 0;
}
