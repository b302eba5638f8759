// The storage actor: owns the database, runs detached (its own thread) so disk
// I/O never stalls sessions or rooms, and batches writes: every write that is
// in its mailbox when it gets to work commits in one transaction, and each
// request is answered only after that commit (acknowledged means durable).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
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

// The storage actor accepts each *_op struct as a write request, and
// find_user_request as a read (answered at once, between batches), and
// storage_stats_request.
caf::actor spawn_storage(caf::actor_system& sys, std::unique_ptr<database> db);

// Registers the message types above (call in the actor_system_config).
void register_storage_messages(caf::actor_system_config& cfg);

}  // namespace chat::storage
