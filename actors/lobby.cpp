#include "actors/lobby.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <tuple>

#include "actors/chat_error.hpp"
#include "actors/error_text.hpp"
#include "actors/lobby_internal.hpp"
#include "actors/names.hpp"
#include "actors/replica_rules.hpp"
#include "actors/room.hpp"
#include "storage/password.hpp"
#include "storage/storage_actor.hpp"

namespace chat {

template <class T>
using promise_of = caf::typed_response_promise<T>;

// ---- the directory (also used by lobby_cluster.cpp) ----

room_info* lookup_room(lobby_state& st, const std::string& name_or_id) {
  // A room whose name is all digits is found by name before id (PROTOCOL.md).
  if (auto it = st.room_ids.find(name_key(name_or_id)); it != st.room_ids.end())
    return &st.rooms.at(it->second);
  if (!is_all_digits(name_or_id) || name_or_id.size() > 19) return nullptr;
  auto it = st.rooms.find(std::stoull(name_or_id));
  return it == st.rooms.end() ? nullptr : &it->second;
}

namespace {

void count_owned_room(lobby_state& st, const std::string& owner) {
  if (!owner.empty()) ++st.rooms_per_owner[name_key(owner)];
}

void uncount_owned_room(lobby_state& st, const std::string& owner) {
  auto it = st.rooms_per_owner.find(name_key(owner));
  if (it == st.rooms_per_owner.end()) return;
  if (--it->second == 0) st.rooms_per_owner.erase(it);
}

std::size_t rooms_owned_by(const lobby_state& st, const std::string& owner) {
  auto it = st.rooms_per_owner.find(name_key(owner));
  return it == st.rooms_per_owner.end() ? 0 : it->second;
}

}  // namespace

void add_room(lobby_actor* self, const storage::room_record& record) {
  auto& st = self->state;
  count_owned_room(st, record.owner);
  room_info info{record.id, record.name, record.topic, record.owner, 0, {}};
  info.actor = spawn_room(self->system(), info, self, st.storage, st.config);
  // Two look-alike names can only meet in a database from before name_key
  // (docs/protocol.md, "Names"): the earlier room keeps the name, the other
  // is found by its id.
  auto [known, fresh] = st.room_ids.try_emplace(name_key(record.name), record.id);
  if (!fresh && room_wins(record, st.records.at(known->second))) known->second = record.id;
  st.rooms[record.id] = std::move(info);
  st.records[record.id] = record;
  st.max_room_id = std::max(st.max_room_id, record.id);
}

void forget_room(lobby_state& st, uint64_t id) {
  auto it = st.rooms.find(id);
  if (it == st.rooms.end()) return;
  for (auto& [key, user] : st.users)
    if (user.room_id == id) user.room_id = 0;
  if (auto named = st.room_ids.find(name_key(it->second.name));
      named != st.room_ids.end() && named->second == id)
    st.room_ids.erase(named);
  uncount_owned_room(st, it->second.owner);
  st.rooms.erase(it);
  st.records.erase(id);
}

bool nick_in_use(const lobby_state& st, const std::string& key) {
  if (st.users.count(key) || st.pending_nicks.count(key)) return true;
  for (auto& [node, users] : st.remote_users)
    if (users.count(key)) return true;
  auto grant = st.grants.find(key);
  return grant != st.grants.end() && grant->second.expires_ms > now_ms();
}

bool registered_lookalike(const lobby_state& st, const std::string& nick) {
  auto it = st.registered.find(name_key(nick));
  return it != st.registered.end() && fold_name(it->second.nick) != fold_name(nick);
}

void apply_rename(lobby_state& st, const std::string& old_key, const std::string& new_key,
                  const std::string& new_nick) {
  auto node = st.users.extract(old_key);
  if (node.empty()) return;
  node.key() = new_key;
  node.mapped().nick = new_nick;
  st.users.insert(std::move(node));
}

void notify_user(lobby_actor* self, const std::string& nick, const std::string& text) {
  auto it = self->state.users.find(name_key(nick));
  if (it == self->state.users.end()) return;
  event ev;
  ev.kind = event_kind::notice;
  ev.text = text;
  ev.ts_ms = now_ms();
  self->send(it->second.session, deliver_event{ev});
}

caf::actor online_session(const lobby_state& st, const std::string& key) {
  if (auto it = st.users.find(key); it != st.users.end()) return it->second.session;
  for (auto& [node, users] : st.remote_users)
    if (auto it = users.find(key); it != users.end()) return it->second.session;
  return nullptr;
}

namespace {

void remove_user(lobby_actor* self, const std::string& key) {
  auto& st = self->state;
  auto it = st.users.find(key);
  if (it == st.users.end()) return;
  self->demonitor(it->second.session);
  announce(self, presence_change::logout, it->second);
  st.users.erase(it);
  nick_freed(self, key);
}

void admit(lobby_actor* self, const std::string& key, const std::string& nick,
           const caf::actor& session) {
  auto& st = self->state;
  st.pending_nicks.erase(key);
  auto& user = st.users[key] = online_user{nick, session, 0, now_ms()};
  // A session that dies without logging out still frees its nick.
  self->monitor(session);
  announce(self, presence_change::login, user);
}

// The last step of a login: the peers agree, then the user is in.
void claim_and_admit(lobby_actor* self, const login_request& req, const std::string& nick,
                     bool registered, promise_of<login_reply> promise) {
  auto key = name_key(nick);
  claim_nick(self, nick, [=](std::optional<error_code> refused) mutable {
    if (refused) {
      self->state.pending_nicks.erase(key);
      promise.deliver(make_error(*refused));
      return;
    }
    admit(self, key, nick, req.session);
    std::string zone;
    account_ref account;
    if (auto it = self->state.registered.find(key);
        registered && it != self->state.registered.end()) {
      zone = it->second.time_zone;
      account = account_ref{it->second.nick, it->second.created_ms, it->second.origin};
    }
    promise.deliver(login_reply{nick, registered, zone, account});
  });
}

// A login with a registered nick keeps the registration from expiring, on
// every node: the newer last login replaces the older on the peers
// (user_wins). Nobody waits for the write to commit.
void note_login(lobby_actor* self, const storage::user_record& user) {
  auto& st = self->state;
  auto now = now_ms();
  self->request(st.storage, until_committed, storage::touch_login_op{user.nick, now})
      .then([](storage::write_done) {}, [](caf::error&) {});
  auto it = st.registered.find(name_key(user.nick));
  if (it == st.registered.end() || fold_name(it->second.nick) != fold_name(user.nick)) return;
  it->second.last_login_ms = std::max(it->second.last_login_ms, now);
  to_peers(self, user_upsert{it->second});
}

// Holds the nick for a login until the cluster has agreed (claim_and_admit),
// unless it is in use by now; false: it is taken.
bool reserve_nick(lobby_state& st, const std::string& key) {
  if (nick_in_use(st, key)) return false;
  st.pending_nicks[key] = pending_nick{now_ms(), false};
  return true;
}

bool is_registered(const lobby_state& st, const std::string& nick);

// `user` is the registration `account` names (same nick, same identity).
bool is_account(const storage::user_record& user, const account_ref& account) {
  return !account.nick.empty() && fold_name(user.nick) == fold_name(account.nick) &&
         user.created_ms == account.created_ms && user.origin == account.origin;
}

// The right password for an account whose nick is online (here or on a
// peer): the old session is told it is a ghost and ends; this login takes
// the nick once it is free (nick_freed), or answers unavailable if the ghost
// is not gone within the request timeout.
void wait_for_ghost(lobby_actor* self, const caf::actor& ghost, const login_request& req,
                    const storage::user_record& user, promise_of<login_reply> promise) {
  auto& st = self->state;
  auto key = name_key(req.nick);
  auto id = st.next_ghost_wait++;
  st.ghost_waits[key].push_back(ghost_wait{id, req, user, promise});
  self->send(ghost, ghosted{st.node});
  spdlog::info("{} logged in again from {}: its old session is closed", user.nick, req.peer);
  self->delayed_send(self, st.config->request_timeout, ghost_timeout_atom::value, key, id);
}

}  // namespace

void nick_freed(lobby_actor* self, const std::string& key) {
  auto& st = self->state;
  auto it = st.ghost_waits.find(key);
  if (it == st.ghost_waits.end() || online_session(st, key)) return;
  auto waits = std::move(it->second);
  st.ghost_waits.erase(it);
  for (auto& wait : waits) {
    if (!reserve_nick(self->state, key)) {  // an earlier waiter got it
      wait.promise.deliver(make_error(error_code::nick_taken));
      continue;
    }
    note_login(self, wait.user);
    claim_and_admit(self, wait.req, wait.user.nick, true, wait.promise);
  }
}

namespace {

void on_ghost_timeout(lobby_actor* self, const std::string& key, uint64_t id) {
  auto& st = self->state;
  auto it = st.ghost_waits.find(key);
  if (it == st.ghost_waits.end()) return;
  auto& waits = it->second;
  for (auto w = waits.begin(); w != waits.end(); ++w) {
    if (w->id != id) continue;
    w->promise.deliver(make_error(error_code::unavailable));  // nothing was taken
    waits.erase(w);
    break;
  }
  if (waits.empty()) st.ghost_waits.erase(it);
}

void log_bad_password(lobby_state& st, const login_request& req) {
  auto network = net::limit_key(st.addresses, req.peer);
  if (network.empty()) network = req.peer;  // an exempt address is its own key here
  auto& unlogged = st.bad_passwords_unlogged[network];
  ++unlogged;
  if (!st.bad_password_log->allow(network, std::chrono::steady_clock::now())) return;
  spdlog::warn(
      "bad password for {} from {} ({} since the last such line; logged once a "
      "minute per network)",
      req.nick, network, unlogged);
  st.bad_passwords_unlogged.erase(network);
}

// A registered nick: check the password in the pool, then admit. The nick is
// reserved only once the password is right: a stranger's wrong guesses in
// flight must not make the owner's own login `nick_taken`. The pool answers
// `unavailable` at once when it is full or this network already has a check
// in flight.
void verify_and_admit(lobby_actor* self, login_request req, storage::user_record user,
                      promise_of<login_reply> promise) {
  auto& st = self->state;
  self->request(st.passwords, req.due.left(st.config->request_timeout),
                storage::verify_job{user.password_hash, req.password,
                                    net::limit_key(st.addresses, req.peer)})
      .then(
          [=](bool ok) mutable {
            if (!ok) {
              log_bad_password(self->state, req);
              promise.deliver(make_error(error_code::bad_password));
              return;
            }
            if (auto ghost = online_session(self->state, name_key(req.nick)))
              return wait_for_ghost(self, ghost, req, user, promise);
            if (!reserve_nick(self->state, name_key(req.nick))) {
              promise.deliver(make_error(error_code::nick_taken));
              return;
            }
            note_login(self, user);
            claim_and_admit(self, req, user.nick, true, promise);
          },
          [=](caf::error&) mutable { promise.deliver(make_error(error_code::unavailable)); });
}

caf::result<login_reply> on_login(lobby_actor* self, login_request req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  if (!is_valid_name(req.nick, name_kind::nick)) return make_error(error_code::invalid_name);
  auto key = name_key(req.nick);
  // A registered nick online elsewhere may be a ghost: its password decides.
  const bool may_be_ghost =
      !req.password.empty() && is_registered(st, req.nick) && online_session(st, key);
  if ((nick_in_use(st, key) && !may_be_ghost) || registered_lookalike(st, req.nick))
    return make_error(error_code::nick_taken);
  auto promise = self->make_response_promise<login_reply>();
  self->request(st.storage, req.due.left(st.config->request_timeout),
                storage::find_user_request{req.nick})
      .then(
          [=](const storage::find_user_reply& found) mutable {
            if (found.found && req.password.empty()) {
              promise.deliver(make_error(error_code::auth_required));
            } else if (found.found) {
              verify_and_admit(self, req, found.user, promise);
            } else if (!reserve_nick(self->state, key)) {
              promise.deliver(make_error(error_code::nick_taken));
            } else {
              claim_and_admit(self, req, req.nick, false, promise);
            }
          },
          [=](caf::error&) mutable { promise.deliver(make_error(error_code::unavailable)); });
  return promise;
}

void rename_now(lobby_actor* self, const std::string& old_key, const std::string& new_key,
                const std::string& old_nick, const std::string& new_nick) {
  auto& st = self->state;
  apply_rename(st, old_key, new_key, new_nick);
  if (auto it = st.users.find(new_key); it != st.users.end())
    announce(self, presence_change::rename, it->second, old_nick);
}

caf::result<rename_reply> on_rename(lobby_actor* self, const rename_request& req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  if (!is_valid_name(req.new_nick, name_kind::nick)) return make_error(error_code::invalid_name);
  auto old_key = name_key(req.old_nick);
  auto new_key = name_key(req.new_nick);
  if (new_key == old_key) {  // only case or look: the nick stays this user's
    rename_now(self, old_key, new_key, req.old_nick, req.new_nick);
    return rename_reply{req.new_nick, is_registered(st, req.new_nick) &&
                                          is_account(st.registered.at(new_key), req.account)};
  }
  if (nick_in_use(st, new_key) || registered_lookalike(st, req.new_nick))
    return make_error(error_code::nick_taken);
  st.pending_nicks[new_key] = pending_nick{now_ms(), false};
  auto promise = self->make_response_promise<rename_reply>();
  self->request(st.storage, req.due.left(st.config->request_timeout),
                storage::find_user_request{req.new_nick})
      .then(
          [=](const storage::find_user_reply& found) mutable {
            // A registered nick needs its password, unless it is the very
            // registration this session logged in under (issue 15).
            const bool own_account = found.found && is_account(found.user, req.account);
            if (found.found && !own_account) {
              self->state.pending_nicks.erase(new_key);
              promise.deliver(make_error(error_code::auth_required));
              return;
            }
            claim_nick(self, req.new_nick, [=](std::optional<error_code> refused) mutable {
              self->state.pending_nicks.erase(new_key);
              if (refused) {
                promise.deliver(make_error(*refused));
                return;
              }
              rename_now(self, old_key, new_key, req.old_nick, req.new_nick);
              promise.deliver(rename_reply{req.new_nick, own_account});
            });
          },
          [=](caf::error&) mutable {
            self->state.pending_nicks.erase(new_key);
            promise.deliver(make_error(error_code::unavailable));
          });
  return promise;
}

bool is_registered(const lobby_state& st, const std::string& nick) {
  auto it = st.registered.find(name_key(nick));
  return it != st.registered.end() && fold_name(it->second.nick) == fold_name(nick);
}

// Counts one event of `peer`'s network against `rate`; false: over the limit.
// Exempt networks (--limits-exempt) count nothing.
bool network_allows(lobby_state& st, net::keyed_rate& rate, const std::string& peer) {
  auto network = net::limit_key(st.addresses, peer);
  return network.empty() || rate.allow(network, std::chrono::steady_clock::now());
}

caf::result<register_reply> on_register(lobby_actor* self, const register_request& req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  if (!st.users.count(name_key(req.nick))) return make_error(error_code::not_logged_in);
  // A password change is no new registration: only new ones count.
  if (!is_registered(st, req.nick) && !network_allows(st, *st.registration_rate, req.peer))
    return make_error(error_code::forbidden,
                      "your network registered " +
                          std::to_string(st.config->max_registrations_per_hour) +
                          " nicks in the last hour, the most allowed: try again later");
  auto promise = self->make_response_promise<register_reply>();
  self->request(st.passwords, req.due.left(st.config->request_timeout),
                storage::hash_job{req.password, st.config->kdf_ops, st.config->kdf_mem_bytes,
                                  net::limit_key(st.addresses, req.peer)})
      .then(
          [=](const std::string& hash) mutable {
            auto& st = self->state;
            // Nothing is changed yet: past the deadline, nothing will be.
            if (req.due.passed()) {
              promise.deliver(make_error(error_code::unavailable));
              return;
            }
            auto now = now_ms();
            storage::user_record user{req.nick, hash, now, now, st.node, ""};
            // A password change keeps the registration's identity (when and where).
            if (auto it = st.registered.find(name_key(req.nick)); it != st.registered.end()) {
              user.created_ms = it->second.created_ms;
              user.origin = it->second.origin;
            }
            self->request(st.storage, until_committed, storage::put_user_op{user})
                .then(
                    [=](storage::write_done) mutable {
                      self->state.registered[name_key(user.nick)] = user;
                      to_peers(self, user_upsert{user});
                      promise.deliver(register_reply{
                          req.nick, account_ref{user.nick, user.created_ms, user.origin}});
                    },
                    [=](caf::error&) mutable {
                      promise.deliver(make_error(error_code::unavailable));
                    });
          },
          [=](caf::error&) mutable { promise.deliver(make_error(error_code::unavailable)); });
  return promise;
}

// /tz of a registered user: the zone is kept with the registration, written
// and replicated like a password change (the record with a newer last-login
// time wins on every node). Unregistered users keep it in their session only.
caf::result<set_zone_reply> on_set_zone(lobby_actor* self, const set_zone_request& req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  // The key is the confusable skeleton: only the registration of this very
  // nick (not a look-alike's) keeps the zone.
  auto it = st.registered.find(name_key(req.nick));
  if (it == st.registered.end() || fold_name(it->second.nick) != fold_name(req.nick))
    return set_zone_reply{false};
  auto user = it->second;
  user.time_zone = req.zone;
  user.last_login_ms = std::max(now_ms(), user.last_login_ms + 1);
  auto promise = self->make_response_promise<set_zone_reply>();
  self->request(st.storage, until_committed, storage::put_user_op{user})
      .then(
          [=](storage::write_done) mutable {
            self->state.registered[name_key(user.nick)] = user;
            to_peers(self, user_upsert{user});
            promise.deliver(set_zone_reply{true});
          },
          [=](caf::error&) mutable { promise.deliver(make_error(error_code::unavailable)); });
  return promise;
}

caf::result<room_info> on_create(lobby_actor* self, const create_room& req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  if (!is_valid_name(req.name, name_kind::room)) return make_error(error_code::invalid_name);
  auto key = name_key(req.name);
  if (st.room_ids.count(key) || st.pending_rooms.count(key))
    return make_error(error_code::room_exists);
  if (st.rooms.size() + st.pending_rooms.size() >= st.config->max_rooms)
    return make_error(error_code::forbidden, "the server has its limit of " +
                                                 std::to_string(st.config->max_rooms) + " rooms");
  if (rooms_owned_by(st, req.owner) >= st.config->max_rooms_per_user)
    return make_error(error_code::forbidden, "you own " +
                                                 std::to_string(st.config->max_rooms_per_user) +
                                                 " rooms, the most one user may own");
  // Without a registration, /nick would give a fresh owner for every room.
  auto unregistered_cap = st.config->max_rooms_per_unregistered_session;
  if (req.created_before >= unregistered_cap && !is_registered(st, req.owner))
    return make_error(error_code::forbidden, "register your nick to create more than " +
                                                 std::to_string(unregistered_cap) + " rooms");
  if (!network_allows(st, *st.creation_rate, req.peer))
    return make_error(error_code::forbidden,
                      "your network created " +
                          std::to_string(st.config->max_room_creations_per_hour) +
                          " rooms in the last hour, the most allowed: try again later");
  st.pending_rooms.insert(key);
  st.max_room_id = next_room_id(st.max_room_id, st.slot);
  storage::room_record record{st.max_room_id, req.name, req.topic, req.owner, now_ms(), st.node};
  auto promise = self->make_response_promise<room_info>();
  self->request(st.storage, until_committed, storage::create_room_op{record})
      .then(
          [=](storage::write_done) mutable {
            auto& st = self->state;
            st.pending_rooms.erase(key);
            add_room(self, record);
            to_peers(self, room_upsert{record});
            spdlog::info("room {} (id {}) created by {}", record.name, record.id, record.owner);
            promise.deliver(st.rooms.at(record.id));
          },
          [=](caf::error& err) mutable {
            self->state.pending_rooms.erase(key);
            promise.deliver(make_error(to_error_code(err)));
          });
  return promise;
}

caf::result<room_info> on_drop(lobby_actor* self, const drop_room& req) {
  auto& st = self->state;
  if (req.due.passed()) return make_error(error_code::unavailable);
  auto* room = lookup_room(st, req.name_or_id);
  if (!room) return make_error(error_code::no_such_room);
  if (room->owner.empty() || name_key(room->owner) != name_key(req.by))
    return make_error(error_code::forbidden, owner_only("drop", room->name, room->owner));
  auto info = *room;
  auto promise = self->make_response_promise<room_info>();
  auto timeout = st.config->request_timeout;
  auto dropped_ms = now_ms();
  self->request(st.storage, until_committed, storage::drop_room_op{info.id, dropped_ms})
      .then(
          [=](storage::write_done) mutable {
            // The room tells its members before the owner gets the ok.
            self->request(info.actor, timeout, drop_now{req.by})
                .then([=](drop_done) mutable { promise.deliver(info); },
                      [=](caf::error&) mutable { promise.deliver(info); });
            forget_room(self->state, info.id);
            self->state.dropped.insert(info.id);
            to_peers(self, room_tombstone{info.id, dropped_ms});
          },
          [=](caf::error& err) mutable { promise.deliver(make_error(to_error_code(err))); });
  return promise;
}

std::string room_name(const lobby_state& st, uint64_t id) {
  auto it = st.rooms.find(id);
  return it == st.rooms.end() ? "" : it->second.name;
}

who_reply who(const lobby_state& st) {
  who_reply reply;
  for (auto& [key, user] : st.users)
    reply.users.push_back({user.nick, room_name(st, user.room_id), st.node});
  for (auto& [node, users] : st.remote_users)
    for (auto& [key, user] : users)
      reply.users.push_back({user.nick, room_name(st, user.room_id), node});
  std::sort(reply.users.begin(), reply.users.end(),
            [](auto& a, auto& b) { return std::tie(a.nick, a.node) < std::tie(b.nick, b.node); });
  return reply;
}

room_list all_rooms(const lobby_state& st) {
  room_list list;
  std::map<uint64_t, uint32_t> members;
  for (auto& [key, user] : st.users) ++members[user.room_id];
  for (auto& [node, users] : st.remote_users)
    for (auto& [key, user] : users) ++members[user.room_id];
  for (auto& [id, info] : st.rooms) {
    list.rooms.push_back(info);
    list.rooms.back().members = members[id];
  }
  return list;
}

caf::result<user_ref> find_user_anywhere(const lobby_state& st, const std::string& nick) {
  auto key = name_key(nick);
  if (auto it = st.users.find(key); it != st.users.end())
    return user_ref{it->second.nick, it->second.session};
  for (auto& [node, users] : st.remote_users)
    if (auto it = users.find(key); it != users.end())
      return user_ref{it->second.nick, it->second.session};
  return make_error(error_code::no_such_user);
}

welcome_info welcome(lobby_state& st) {
  auto now = std::chrono::steady_clock::now();
  if (st.busiest_at == std::chrono::steady_clock::time_point{} ||
      now - st.busiest_at >= std::chrono::seconds(1)) {
    auto list = all_rooms(st);
    std::vector<room_count> counts;
    counts.reserve(list.rooms.size());
    for (auto& r : list.rooms) counts.push_back({r.name, r.members, r.id});
    st.busiest = busiest_rooms(std::move(counts), 3);
    st.busiest_at = now;
  }
  welcome_info info{st.users.size(), st.busiest};
  for (auto& [node, users] : st.remote_users) info.online += users.size();
  return info;
}

stats_reply stats(const lobby_state& st) {
  stats_reply reply{st.node,
                    {},
                    st.users.size(),
                    st.rooms.size(),
                    st.cluster_msgs_sent,
                    st.cluster_msgs_received,
                    st.repairs};
  for (auto& [name, peer] : st.peers) reply.nodes.push_back(name);
  return reply;
}

void on_presence_update(lobby_actor* self, const presence_update& msg) {
  auto& st = self->state;
  auto it = st.users.find(name_key(msg.nick));
  if (it == st.users.end()) return;
  it->second.room_id = st.rooms.count(msg.room_id) ? msg.room_id : 0;
  announce(self, presence_change::move, it->second);
}

void on_topic_changed(lobby_actor* self, const topic_changed& msg) {
  auto& st = self->state;
  auto it = st.records.find(msg.id);
  if (it == st.records.end()) return;
  it->second.topic = msg.topic;
  it->second.topic_ms = msg.topic_ms;
  st.rooms.at(msg.id).topic = msg.topic;
  to_peers(self, room_upsert{it->second});
}

void load_seed(lobby_actor* self, lobby_seed seed) {
  auto& st = self->state;
  st.max_room_id = seed.max_room_id;
  for (auto& r : seed.rooms) add_room(self, r);
  st.dropped.insert(seed.dropped.begin(), seed.dropped.end());
  // Look-alike registrations from before name_key: the earlier one keeps the nick.
  for (auto& u : seed.users) {
    auto [known, fresh] = st.registered.try_emplace(name_key(u.nick), u);
    if (!fresh && user_wins(u, known->second)) known->second = u;
  }
}

// Drops the registrations nobody logged in with for --nick-expiry-days (and
// prunes the per-network counters), then again after nick_expiry_sweep. Every node applies the same
// rule (registration_expired) to its replica, so nothing is sent to the peers. A nick online here
// keeps its registration until its owner leaves.
void expire_registrations(lobby_actor* self) {
  auto& st = self->state;
  auto days = st.config->nick_expiry_days;
  auto now = now_ms();
  for (auto it = st.registered.begin(); days > 0 && it != st.registered.end();) {
    auto& user = it->second;
    if (!registration_expired(user, now, days) || st.users.count(it->first)) {
      ++it;
      continue;
    }
    spdlog::info("registration of {} expired: no login for {} days", user.nick, days);
    self->request(st.storage, until_committed,
                  storage::delete_user_op{user.nick, user.created_ms, user.origin})
        .then([](storage::write_done) {}, [](caf::error&) {});
    it = st.registered.erase(it);
  }
  // The per-network counters forget networks that have been quiet for an hour.
  if (st.registration_rate) st.registration_rate->prune(std::chrono::steady_clock::now());
  if (st.creation_rate) st.creation_rate->prune(std::chrono::steady_clock::now());
  if (st.bad_password_log) {
    st.bad_password_log->prune(std::chrono::steady_clock::now());
    st.bad_passwords_unlogged.clear();  // counts of quiet networks: an hour is enough
  }
  self->delayed_send(self, st.config->nick_expiry_sweep, expiry_atom::value);
}

caf::behavior lobby(lobby_actor* self, std::shared_ptr<const settings> config,
                    storage::storage_actor storage, storage::password_pool_actor passwords,
                    lobby_seed seed) {
  auto& st = self->state;
  st.config = std::move(config);
  st.storage = std::move(storage);
  st.passwords = std::move(passwords);
  st.node = st.config->node_name;
  st.slot = node_slot(st.node, st.config->node_id);
  load_seed(self, std::move(seed));
  expire_registrations(self);
  std::string error;  // main() checked the list before starting the node
  auto exempt = net::parse_networks(st.config->limits_exempt, error);
  st.addresses = net::address_policy{st.config->limits_ipv4_prefix, st.config->limits_ipv6_prefix,
                                     exempt.value_or(std::vector<net::network>{})};
  st.registration_rate.emplace(st.config->max_registrations_per_hour, std::chrono::hours{1});
  st.creation_rate.emplace(st.config->max_room_creations_per_hour, std::chrono::hours{1});
  st.bad_password_log.emplace(1, std::chrono::minutes{1});
  // An error arriving as a plain message must not stop the lobby (CAF's default quits).
  self->set_error_handler([](caf::error& err) { spdlog::warn("lobby: {}", caf::to_string(err)); });
  self->set_down_handler([=](const caf::down_msg& down) {
    if (on_peer_down(self, down)) return;
    auto& users = self->state.users;
    auto it = std::find_if(users.begin(), users.end(),
                           [&](auto& kv) { return kv.second.session.address() == down.source; });
    if (it != users.end()) remove_user(self, it->first);
  });
  return {
      [=](const login_request& req) { return on_login(self, req); },
      [=](const rename_request& req) { return on_rename(self, req); },
      [=](const register_request& req) { return on_register(self, req); },
      [=](const list_rooms&) { return all_rooms(self->state); },
      [=](const create_room& req) { return on_create(self, req); },
      [=](const find_room& req) -> caf::result<room_info> {
        if (auto* room = lookup_room(self->state, req.name_or_id)) return *room;
        return make_error(error_code::no_such_room);
      },
      [=](const drop_room& req) { return on_drop(self, req); },
      [=](const find_user& req) { return find_user_anywhere(self->state, req.nick); },
      [=](const who_request&) { return who(self->state); },
      [=](const stats_request&) { return stats(self->state); },
      [=](const welcome_request&) { return welcome(self->state); },
      [=](const set_zone_request& req) { return on_set_zone(self, req); },
      [=](const presence_update& msg) { on_presence_update(self, msg); },
      [=](const logout& msg) { remove_user(self, name_key(msg.nick)); },
      [=](const topic_changed& msg) { on_topic_changed(self, msg); },
      [=](expiry_atom) { expire_registrations(self); },
      // ---- the cluster (lobby_cluster.cpp) ----
      [=](const node_hello& hello) { return on_hello(self, hello); },
      [=](cluster_start_atom, const std::string& endpoint) { start_cluster(self, endpoint); },
      [=](redial_atom, const std::string& endpoint) { on_redial(self, endpoint); },
      [=](share_state_atom, const std::string& node) { on_share_state(self, node); },
      [=](const partition_switch& msg) {
        on_partition(self, msg.on);
        return true;
      },
      [=](const replica_state& msg) { on_replica_state(self, msg); },
      [=](anti_entropy_atom) { on_anti_entropy_tick(self); },
      [=](ghost_timeout_atom, const std::string& key, uint64_t id) {
        on_ghost_timeout(self, key, id);
      },
      [=](const replica_digest_msg& msg) { on_replica_digest(self, msg); },
      [=](const replica_repair& msg) { on_replica_repair(self, msg); },
      [=](const room_upsert& msg) { on_room_upsert(self, msg.room); },
      [=](const room_tombstone& msg) { on_room_tombstone(self, msg.id, msg.dropped_ms); },
      [=](const user_upsert& msg) { on_user_upsert(self, msg.user); },
      [=](const presence_state& msg) { on_presence_state(self, msg); },
      [=](const presence_delta& msg) { on_presence_delta(self, msg); },
      [=](const nick_claim& msg) { return on_claim(self, msg); },
      [=](const nick_release& msg) { on_release(self, msg); },
      [=](const outbound_relay& msg) { on_outbound_relay(self, msg); },
      [=](const room_relay& msg) { on_room_relay(self, msg); },
      [=](lobby_shutdown_atom) {
        for (auto& [id, info] : self->state.rooms)
          self->send_exit(info.actor, caf::exit_reason::user_shutdown);
        self->quit();
      },
  };
}

}  // namespace

caf::actor spawn_lobby(caf::actor_system& sys, std::shared_ptr<const settings> config,
                       storage::storage_actor storage, storage::password_pool_actor passwords,
                       lobby_seed seed) {
  return sys.spawn(lobby, std::move(config), std::move(storage), std::move(passwords),
                   std::move(seed));
}

}  // namespace chat
