// The storage actor: owns the database, runs detached (its own thread) so disk
// I/O never stalls sessions or rooms, and batches writes: every write that is
// in its mailbox when it gets to work commits in one transaction, and each
// request is answered only after that commit (acknowledged means durable).
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <memory>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace chat::storage {

// Requests and their replies. Every write request answers `write_done` after its
// commit, or an error (chat::make_error): room_exists for a room whose id or
// folded name is taken, no_such_room for a topic or drop of an unknown room,
// unavailable when the commit failed (disk full, locked): nothing was changed.
struct write_done {};
struct find_user_request {
  std::string nick;
};
struct find_user_reply {
  bool found = false;
  user_record user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_done&) {
  return f(caf::meta::type_name("write_done"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, find_user_request& x) {
  return f(caf::meta::type_name("find_user_request"), x.nick);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, find_user_reply& x) {
  return f(caf::meta::type_name("find_user_reply"), x.found, x.user);
}
// Counters for tests and operators: storage_stats_request -> storage_stats.
struct storage_stats_request {};
struct storage_stats {
  uint64_t batches = 0;         // transactions committed
  uint64_t ops = 0;             // write requests committed in them (conflicts included)
  uint64_t failed_batches = 0;  // transactions that could not commit (answered unavailable)
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, storage_stats_request&) {
  return f(caf::meta::type_name("storage_stats_request"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, storage_stats& x) {
  return f(caf::meta::type_name("storage_stats"), x.batches, x.ops, x.failed_batches);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_room_op& x) {
  return f(caf::meta::type_name("create_room_op"), x.room);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upsert_room_op& x) {
  return f(caf::meta::type_name("upsert_room_op"), x.room);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, set_topic_op& x) {
  return f(caf::meta::type_name("set_topic_op"), x.id, x.topic, x.topic_ms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, drop_room_op& x) {
  return f(caf::meta::type_name("drop_room_op"), x.id, x.dropped_ms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, put_user_op& x) {
  return f(caf::meta::type_name("put_user_op"), x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, touch_login_op& x) {
  return f(caf::meta::type_name("touch_login_op"), x.nick, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delete_user_op& x) {
  return f(caf::meta::type_name("delete_user_op"), x.nick, x.created_ms, x.origin);
}

// The storage actor's interface: every message it accepts and its reply.
//
//   Writes (held until the next commit; answered after it, see above):
//   create_room_op, upsert_room_op, set_topic_op, drop_room_op,
//   put_user_op, touch_login_op, delete_user_op  -> write_done
//
//   Reads (answered at once, between batches):
//   find_user_request -> find_user_reply (found = false for an unknown nick)
//   storage_stats_request -> storage_stats
//
// Its implementation also takes a private "commit now" message it sends to
// itself; that message is in an extension of this interface known only to
// storage_actor.cpp, so no other actor can send it.
using storage_actor = caf::typed_actor<caf::replies_to<create_room_op>::with<write_done>,
                                       caf::replies_to<upsert_room_op>::with<write_done>,
                                       caf::replies_to<set_topic_op>::with<write_done>,
                                       caf::replies_to<drop_room_op>::with<write_done>,
                                       caf::replies_to<put_user_op>::with<write_done>,
                                       caf::replies_to<touch_login_op>::with<write_done>,
                                       caf::replies_to<delete_user_op>::with<write_done>,
                                       caf::replies_to<find_user_request>::with<find_user_reply>,
                                       caf::replies_to<storage_stats_request>::with<storage_stats>>;

// Spawns the storage actor on a thread of its own, owning `db`. Stop it with
// an exit message: it commits the writes it has received before it quits.
storage_actor spawn_storage(caf::actor_system& sys, std::unique_ptr<database> db);

// Registers the message types above (call in the actor_system_config).
void register_storage_messages(caf::actor_system_config& cfg);

}  // namespace chat::storage
