#include "actors/lobby.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "actors/chat_error.hpp"
#include "actors/names.hpp"
#include "actors/room.hpp"
#include "storage/password.hpp"
#include "storage/storage_actor.hpp"

namespace chat {
namespace {

struct online_user {
  std::string nick;
  caf::actor session;
  uint64_t room_id = 0;  // 0: in the lobby
};

struct lobby_state {
  std::shared_ptr<const settings> config;
  caf::actor storage;
  std::unordered_map<std::string, online_user> users;  // by folded nick
  std::unordered_set<std::string> pending_nicks;       // logins and renames in flight
  std::map<uint64_t, room_info> rooms;                 // by id; ordered for /rooms
  std::unordered_map<std::string, uint64_t> room_ids;  // by folded name
  std::unordered_set<std::string> pending_rooms;       // creations in flight
  uint64_t max_room_id = 0;
  static inline const char* name = "lobby";
};

using lobby_actor = caf::stateful_actor<lobby_state>;

template <class T>
using promise_of = caf::typed_response_promise<T>;

room_info* lookup_room(lobby_state& st, const std::string& name_or_id) {
  // A room whose name is all digits is found by name before id (PROTOCOL.md).
  if (auto it = st.room_ids.find(fold_name(name_or_id)); it != st.room_ids.end())
    return &st.rooms.at(it->second);
  if (!is_all_digits(name_or_id) || name_or_id.size() > 19) return nullptr;
  auto it = st.rooms.find(std::stoull(name_or_id));
  return it == st.rooms.end() ? nullptr : &it->second;
}

void move_user(lobby_state& st, online_user& user, uint64_t room_id) {
  if (user.room_id == room_id) return;
  if (auto it = st.rooms.find(user.room_id); it != st.rooms.end()) --it->second.members;
  if (auto it = st.rooms.find(room_id); it != st.rooms.end()) ++it->second.members;
  user.room_id = st.rooms.count(room_id) ? room_id : 0;
}

void remove_user(lobby_actor* self, const std::string& key) {
  auto& st = self->state;
  auto it = st.users.find(key);
  if (it == st.users.end()) return;
  move_user(st, it->second, 0);
  self->demonitor(it->second.session);
  st.users.erase(it);
}

void admit(lobby_actor* self, const std::string& key, const std::string& nick,
           const caf::actor& session) {
  auto& st = self->state;
  st.pending_nicks.erase(key);
  st.users[key] = online_user{nick, session, 0};
  // A session that dies without logging out still frees its nick.
  self->monitor(session);
}

// A registered nick: check the password on a worker thread, then admit.
void verify_and_admit(lobby_actor* self, login_request req, storage::user_record user,
                      promise_of<login_reply> promise) {
  auto key = fold_name(req.nick);
  auto worker = storage::spawn_password_worker(self->system());
  self->request(worker, self->state.config->request_timeout,
                storage::verify_job{user.password_hash, req.password})
      .then(
          [=](bool ok) mutable {
            if (!ok) {
              self->state.pending_nicks.erase(key);
              promise.deliver(make_error(error_code::bad_password));
              return;
            }
            admit(self, key, user.nick, req.session);
            // Last-login time is informational: nobody waits for it to commit.
            self->request(self->state.storage, self->state.config->request_timeout,
                          storage::touch_login_op{user.nick, now_ms()})
                .then([](storage::write_done) {}, [](caf::error&) {});
            promise.deliver(login_reply{user.nick, true});
          },
          [=](caf::error&) mutable {
            self->state.pending_nicks.erase(key);
            promise.deliver(make_error(error_code::unavailable));
          });
}

caf::result<login_reply> on_login(lobby_actor* self, login_request req) {
  auto& st = self->state;
  if (!is_valid_name(req.nick, name_kind::nick)) return make_error(error_code::invalid_name);
  auto key = fold_name(req.nick);
  if (st.users.count(key) || st.pending_nicks.count(key)) return make_error(error_code::nick_taken);
  st.pending_nicks.insert(key);
  auto promise = self->make_response_promise<login_reply>();
  self->request(st.storage, st.config->request_timeout, storage::find_user_request{req.nick})
      .then(
          [=](const storage::find_user_reply& found) mutable {
            if (!found.found) {
              admit(self, key, req.nick, req.session);
              promise.deliver(login_reply{req.nick, false});
            } else if (req.password.empty()) {
              self->state.pending_nicks.erase(key);
              promise.deliver(make_error(error_code::auth_required));
            } else {
              verify_and_admit(self, req, found.user, promise);
            }
          },
          [=](caf::error&) mutable {
            self->state.pending_nicks.erase(key);
            promise.deliver(make_error(error_code::unavailable));
          });
  return promise;
}

void apply_rename(lobby_state& st, const std::string& old_key, const std::string& new_key,
                  const std::string& new_nick) {
  auto node = st.users.extract(old_key);
  if (node.empty()) return;
  node.key() = new_key;
  node.mapped().nick = new_nick;
  st.users.insert(std::move(node));
}

caf::result<rename_reply> on_rename(lobby_actor* self, const rename_request& req) {
  auto& st = self->state;
  if (!is_valid_name(req.new_nick, name_kind::nick)) return make_error(error_code::invalid_name);
  auto old_key = fold_name(req.old_nick);
  auto new_key = fold_name(req.new_nick);
  if (new_key == old_key) {  // only the case changes: the nick stays this user's
    apply_rename(st, old_key, new_key, req.new_nick);
    return rename_reply{req.new_nick};
  }
  if (st.users.count(new_key) || st.pending_nicks.count(new_key))
    return make_error(error_code::nick_taken);
  st.pending_nicks.insert(new_key);
  auto promise = self->make_response_promise<rename_reply>();
  self->request(st.storage, st.config->request_timeout, storage::find_user_request{req.new_nick})
      .then(
          [=](const storage::find_user_reply& found) mutable {
            auto& st = self->state;
            st.pending_nicks.erase(new_key);
            if (found.found) {
              promise.deliver(make_error(error_code::auth_required));
              return;
            }
            apply_rename(st, old_key, new_key, req.new_nick);
            promise.deliver(rename_reply{req.new_nick});
          },
          [=](caf::error&) mutable {
            self->state.pending_nicks.erase(new_key);
            promise.deliver(make_error(error_code::unavailable));
          });
  return promise;
}

caf::result<register_reply> on_register(lobby_actor* self, const register_request& req) {
  auto& st = self->state;
  if (!st.users.count(fold_name(req.nick))) return make_error(error_code::not_logged_in);
  auto promise = self->make_response_promise<register_reply>();
  auto worker = storage::spawn_password_worker(self->system());
  auto timeout = st.config->request_timeout;
  self->request(worker, timeout,
                storage::hash_job{req.password, st.config->kdf_ops, st.config->kdf_mem_bytes})
      .then(
          [=](const std::string& hash) mutable {
            auto now = now_ms();
            storage::put_user_op op{storage::user_record{req.nick, hash, now, now}};
            self->request(self->state.storage, timeout, op)
                .then(
                    [=](storage::write_done) mutable { promise.deliver(register_reply{req.nick}); },
                    [=](caf::error&) mutable {
                      promise.deliver(make_error(error_code::unavailable));
                    });
          },
          [=](caf::error&) mutable { promise.deliver(make_error(error_code::unavailable)); });
  return promise;
}

std::size_t rooms_owned_by(const lobby_state& st, const std::string& owner_key) {
  return std::count_if(st.rooms.begin(), st.rooms.end(),
                       [&](auto& kv) { return fold_name(kv.second.owner) == owner_key; });
}

caf::result<room_info> on_create(lobby_actor* self, const create_room& req) {
  auto& st = self->state;
  if (!is_valid_name(req.name, name_kind::room)) return make_error(error_code::invalid_name);
  auto key = fold_name(req.name);
  if (st.room_ids.count(key) || st.pending_rooms.count(key))
    return make_error(error_code::room_exists);
  if (st.rooms.size() + st.pending_rooms.size() >= st.config->max_rooms ||
      rooms_owned_by(st, fold_name(req.owner)) >= st.config->max_rooms_per_user)
    return make_error(error_code::forbidden);
  st.pending_rooms.insert(key);
  storage::room_record record{++st.max_room_id, req.name, req.topic, req.owner, now_ms()};
  auto promise = self->make_response_promise<room_info>();
  self->request(st.storage, st.config->request_timeout, storage::create_room_op{record})
      .then(
          [=](storage::write_done) mutable {
            auto& st = self->state;
            st.pending_rooms.erase(key);
            room_info info{record.id, record.name, record.topic, record.owner, 0, nullptr};
            info.actor = spawn_room(self->system(), info, self, st.storage, st.config);
            st.rooms[info.id] = info;
            st.room_ids[key] = info.id;
            spdlog::info("room {} (id {}) created by {}", info.name, info.id, info.owner);
            promise.deliver(info);
          },
          [=](caf::error& err) mutable {
            self->state.pending_rooms.erase(key);
            promise.deliver(make_error(to_error_code(err)));
          });
  return promise;
}

void forget_room(lobby_state& st, uint64_t id) {
  auto it = st.rooms.find(id);
  if (it == st.rooms.end()) return;
  for (auto& [key, user] : st.users)
    if (user.room_id == id) user.room_id = 0;
  st.room_ids.erase(fold_name(it->second.name));
  st.rooms.erase(it);
}

caf::result<room_info> on_drop(lobby_actor* self, const drop_room& req) {
  auto& st = self->state;
  auto* room = lookup_room(st, req.name_or_id);
  if (!room) return make_error(error_code::no_such_room);
  if (room->owner.empty() || fold_name(room->owner) != fold_name(req.by))
    return make_error(error_code::forbidden);
  auto info = *room;
  auto promise = self->make_response_promise<room_info>();
  auto timeout = st.config->request_timeout;
  self->request(st.storage, timeout, storage::drop_room_op{info.id})
      .then(
          [=](storage::write_done) mutable {
            // The room tells its members before the owner gets the ok.
            self->request(info.actor, timeout, drop_now{})
                .then([=](drop_done) mutable { promise.deliver(info); },
                      [=](caf::error&) mutable { promise.deliver(info); });
            forget_room(self->state, info.id);
          },
          [=](caf::error& err) mutable { promise.deliver(make_error(to_error_code(err))); });
  return promise;
}

who_reply who(const lobby_state& st) {
  who_reply reply;
  for (auto& [key, user] : st.users) {
    auto room = st.rooms.find(user.room_id);
    reply.users.push_back(
        {user.nick, room == st.rooms.end() ? "" : room->second.name, st.config->node_name});
  }
  std::sort(reply.users.begin(), reply.users.end(),
            [](auto& a, auto& b) { return a.nick < b.nick; });
  return reply;
}

room_list all_rooms(const lobby_state& st) {
  room_list list;
  for (auto& [id, info] : st.rooms) list.rooms.push_back(info);
  return list;
}

void load_rooms(lobby_actor* self, std::vector<storage::room_record> records) {
  auto& st = self->state;
  for (auto& r : records) {
    room_info info{r.id, r.name, r.topic, r.owner, 0, nullptr};
    info.actor = spawn_room(self->system(), info, self, st.storage, st.config);
    st.room_ids[fold_name(r.name)] = r.id;
    st.rooms[r.id] = std::move(info);
    st.max_room_id = std::max(st.max_room_id, r.id);
  }
}

caf::behavior lobby(lobby_actor* self, std::shared_ptr<const settings> config, caf::actor storage,
                    std::vector<storage::room_record> rooms, uint64_t max_room_id) {
  auto& st = self->state;
  st.config = std::move(config);
  st.storage = std::move(storage);
  st.max_room_id = max_room_id;
  load_rooms(self, std::move(rooms));
  // An error arriving as a plain message must not stop the lobby (CAF's default quits).
  self->set_error_handler([](caf::error& err) { spdlog::warn("lobby: {}", caf::to_string(err)); });
  self->set_down_handler([=](const caf::down_msg& down) {
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
      [=](const find_user& req) -> caf::result<user_ref> {
        auto it = self->state.users.find(fold_name(req.nick));
        if (it == self->state.users.end()) return make_error(error_code::no_such_user);
        return user_ref{it->second.nick, it->second.session};
      },
      [=](const who_request&) { return who(self->state); },
      [=](const stats_request&) {
        auto& st = self->state;
        return stats_reply{st.config->node_name, {}, st.users.size(), st.rooms.size(), 0, 0};
      },
      [=](const presence_update& msg) {
        auto it = self->state.users.find(fold_name(msg.nick));
        if (it != self->state.users.end()) move_user(self->state, it->second, msg.room_id);
      },
      [=](const logout& msg) { remove_user(self, fold_name(msg.nick)); },
      [=](const topic_changed& msg) {
        auto it = self->state.rooms.find(msg.id);
        if (it != self->state.rooms.end()) it->second.topic = msg.topic;
      },
      [=](lobby_shutdown_atom) {
        for (auto& [id, info] : self->state.rooms)
          self->send_exit(info.actor, caf::exit_reason::user_shutdown);
        self->quit();
      },
  };
}

}  // namespace

caf::actor spawn_lobby(caf::actor_system& sys, std::shared_ptr<const settings> config,
                       caf::actor storage, std::vector<storage::room_record> rooms,
                       uint64_t max_room_id) {
  return sys.spawn(lobby, std::move(config), std::move(storage), std::move(rooms), max_room_id);
}

}  // namespace chat
