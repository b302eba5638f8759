#include "storage/storage_actor.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <utility>
#include <vector>

#include "actors/chat_error.hpp"

namespace chat::storage {
namespace {

// Sent by the actor to itself: "commit what has piled up". The mailbox is
// FIFO, so it arrives after every request already queued. A typed actor in
// CAF 0.17 handles only the messages of its interface, so the implementation
// runs as `storage_actor` extended by this one message; the handle that
// spawn_storage gives out is the plain `storage_actor`, which cannot send it.
using flush_atom = caf::atom_constant<caf::atom("st_flush")>;
using storage_impl_actor = storage_actor::extend<caf::reacts_to<flush_atom>>;

using write_promise = caf::typed_response_promise<write_done>;

struct pending_write {
  write_op op;
  write_promise promise;
};

struct storage_state {
  std::unique_ptr<database> db;
  std::vector<pending_write> pending;  // received, not yet committed
  bool flush_queued = false;           // a flush_atom is in the mailbox
  storage_stats stats;
  static inline const char* name = "storage";
};

using storage_pointer = storage_impl_actor::stateful_pointer<storage_state>;

// Holds the request until the next flush: every write that arrives before the
// flush message shares one transaction, so one fsync serves them all.
write_promise enqueue(storage_pointer self, write_op op) {
  auto& st = self->state;
  auto promise = self->make_response_promise<write_done>();
  st.pending.push_back(pending_write{std::move(op), promise});
  if (!st.flush_queued) {
    st.flush_queued = true;
    self->send(self, flush_atom::value);
  }
  return promise;
}

caf::error error_for(const write_op& op, op_outcome outcome) {
  if (outcome == op_outcome::conflict) return chat::make_error(error_code::room_exists);
  // The writes that look up a user: the login stamp and a registration's deletion.
  if (std::holds_alternative<touch_login_op>(op) || std::holds_alternative<delete_user_op>(op))
    return chat::make_error(error_code::no_such_user);
  return chat::make_error(error_code::no_such_room);
}

void answer(pending_write& write, op_outcome outcome) {
  if (outcome == op_outcome::done)
    write.promise.deliver(write_done{});
  else
    write.promise.deliver(error_for(write.op, outcome));
}

void fail_all(std::vector<pending_write>& batch) {
  for (auto& write : batch) write.promise.deliver(chat::make_error(error_code::unavailable));
}

// Commits everything pending in one apply() and answers each request. A failed
// commit fails the whole batch (nothing of it was written), and the actor
// keeps serving: the disk may have room again for the next batch.
void flush(storage_pointer self) {
  auto& st = self->state;
  st.flush_queued = false;
  if (st.pending.empty()) return;
  auto batch = std::exchange(st.pending, {});
  std::vector<write_op> ops;
  ops.reserve(batch.size());
  for (auto& write : batch) ops.push_back(write.op);
  std::vector<op_outcome> outcomes;
  try {
    outcomes = st.db->apply(ops);
  } catch (const database_error& e) {
    spdlog::warn("storage: {} writes not committed: {}", batch.size(), e.what());
    ++st.stats.failed_batches;
    fail_all(batch);
    return;
  }
  ++st.stats.batches;
  st.stats.ops += batch.size();
  for (std::size_t i = 0; i < batch.size(); ++i) answer(batch[i], outcomes[i]);
}

caf::result<find_user_reply> on_find_user(storage_pointer self, const find_user_request& req) {
  try {
    auto user = self->state.db->find_user(req.nick);
    if (!user) return find_user_reply{};
    return find_user_reply{true, std::move(*user)};
  } catch (const database_error& e) {
    spdlog::warn("storage: {}", e.what());
    return chat::make_error(error_code::unavailable);
  }
}

storage_impl_actor::behavior_type storage_behavior(storage_pointer self,
                                                   std::unique_ptr<database> db) {
  self->state.db = std::move(db);
  // A shutdown request arrives behind the writes sent before it (FIFO), but
  // possibly before their flush: commit them before leaving.
  self->set_exit_handler([=](const caf::exit_msg& msg) {
    if (!msg.reason) return;  // like CAF's default handler: a normal exit is no request to stop
    flush(self);
    self->quit(msg.reason);
  });
  return {
      [=](const create_room_op& op) { return enqueue(self, op); },
      [=](const upsert_room_op& op) { return enqueue(self, op); },
      [=](const set_topic_op& op) { return enqueue(self, op); },
      [=](const drop_room_op& op) { return enqueue(self, op); },
      [=](const put_user_op& op) { return enqueue(self, op); },
      [=](const touch_login_op& op) { return enqueue(self, op); },
      [=](const delete_user_op& op) { return enqueue(self, op); },
      [=](flush_atom) { flush(self); },
      [=](const find_user_request& req) { return on_find_user(self, req); },
      [=](const storage_stats_request&) { return self->state.stats; },
  };
}

}  // namespace

storage_actor spawn_storage(caf::actor_system& sys, std::unique_ptr<database> db) {
  // Detached: SQLite blocks on fsync and locks, which must never hold up a
  // scheduler thread that serves sessions and rooms.
  return sys.spawn<caf::detached>(storage_behavior, std::move(db));
}

void register_storage_messages(caf::actor_system_config& cfg) {
  cfg.add_message_type<room_record>("room_record");
  cfg.add_message_type<user_record>("user_record");
  cfg.add_message_type<write_done>("write_done");
  cfg.add_message_type<find_user_request>("find_user_request");
  cfg.add_message_type<find_user_reply>("find_user_reply");
  cfg.add_message_type<create_room_op>("create_room_op");
  cfg.add_message_type<upsert_room_op>("upsert_room_op");
  cfg.add_message_type<set_topic_op>("set_topic_op");
  cfg.add_message_type<drop_room_op>("drop_room_op");
  cfg.add_message_type<put_user_op>("put_user_op");
  cfg.add_message_type<touch_login_op>("touch_login_op");
  cfg.add_message_type<delete_user_op>("delete_user_op");
  cfg.add_message_type<storage_stats_request>("storage_stats_request");
  cfg.add_message_type<storage_stats>("storage_stats");
}

}  // namespace chat::storage
