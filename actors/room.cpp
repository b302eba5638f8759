#include "actors/room.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/chat_error.hpp"
#include "actors/names.hpp"
#include "actors/render.hpp"
#include "net/messages.hpp"
#include "storage/storage_actor.hpp"

namespace chat {
namespace {

struct member {
  std::string nick;
  std::string key;  // folded nick
  caf::actor session;
  caf::actor gateway;
  net::conn_id conn = 0;
  bool muted = false;
  std::unordered_set<std::string> ignoring;
};

struct room_state {
  room_info info;
  caf::actor lobby;
  caf::actor storage;
  std::shared_ptr<const settings> config;
  std::vector<member> members;  // in the order they joined
  static inline const char* name = "room";
};

using room_actor = caf::stateful_actor<room_state>;

member* find_member(room_state& st, const std::string& key) {
  auto it = std::find_if(st.members.begin(), st.members.end(),
                         [&](const member& m) { return m.key == key; });
  return it == st.members.end() ? nullptr : &*it;
}

room_snapshot snapshot(const room_state& st) {
  room_snapshot snap{st.info.id, st.info.name, st.info.topic, {}};
  for (auto& m : st.members) snap.members.push_back(m.nick);
  return snap;
}

// Renders `ev` once per format and sends one fanout per gateway to the members
// that `wants` it. On one node there is one gateway, hence one message.
template <class Predicate>
void deliver(room_actor* self, const event& ev, Predicate wants) {
  auto text = std::make_shared<const std::string>(render_event(ev, output_mode::text));
  auto json = std::make_shared<const std::string>(render_event(ev, output_mode::json));
  std::unordered_map<caf::actor, net::fanout> per_gateway;
  for (auto& m : self->state.members) {
    if (!wants(m)) continue;
    auto& out = per_gateway[m.gateway];
    if (!out.text) {
      out.text = text;
      out.json = json;
      out.conns.reserve(self->state.members.size());
    }
    out.conns.push_back(m.conn);
  }
  for (auto& [gateway, out] : per_gateway) self->send(gateway, std::move(out));
}

void deliver_to_all(room_actor* self, const event& ev) {
  deliver(self, ev, [](const member&) { return true; });
}

event room_event(room_actor* self, event_kind kind, std::string nick) {
  event ev;
  ev.kind = kind;
  ev.room = self->state.info.name;
  ev.nick = std::move(nick);
  ev.ts_ms = now_ms();
  return ev;
}

caf::result<room_snapshot> on_enter(room_actor* self, member_ref ref) {
  auto& st = self->state;
  auto key = fold_name(ref.nick);
  if (auto* existing = find_member(st, key)) {
    existing->session = ref.session;  // the same session joining again: no events
    return snapshot(st);
  }
  if (st.members.size() >= st.config->max_members_per_room)
    return make_error(error_code::forbidden);
  deliver_to_all(self, room_event(self, event_kind::join, ref.nick));
  self->monitor(ref.session);
  member m{ref.nick, key, ref.session, ref.gateway, ref.conn, ref.muted, {}};
  m.ignoring.insert(ref.ignoring.begin(), ref.ignoring.end());
  st.members.push_back(std::move(m));
  return snapshot(st);
}

void remove_member(room_actor* self, const std::string& key, const std::string& reason,
                   const std::string& text) {
  auto& members = self->state.members;
  auto it =
      std::find_if(members.begin(), members.end(), [&](const member& m) { return m.key == key; });
  if (it == members.end()) return;
  auto ev = room_event(self, event_kind::leave, it->nick);
  ev.reason = reason;
  ev.text = text;
  self->demonitor(it->session);
  members.erase(it);
  deliver_to_all(self, ev);
}

caf::result<said> on_say(room_actor* self, const say& msg) {
  auto key = fold_name(msg.nick);
  if (!find_member(self->state, key)) return make_error(error_code::not_in_room);
  auto ev = room_event(self, event_kind::message, msg.nick);
  ev.text = msg.text;
  ev.action = msg.action;
  // The sender always gets its own message (it is the acknowledgment).
  deliver(self, ev, [&](const member& m) {
    if (m.key == key) return true;
    return !m.muted && m.ignoring.count(key) == 0;
  });
  return said{};
}

caf::result<room_snapshot> on_set_topic(room_actor* self, const set_topic& msg) {
  auto& st = self->state;
  if (st.info.owner.empty() || fold_name(st.info.owner) != fold_name(msg.by))
    return make_error(error_code::forbidden);
  auto promise = self->make_response_promise<room_snapshot>();
  // Acknowledged means durable: the topic changes only after the commit.
  self->request(st.storage, st.config->request_timeout,
                storage::set_topic_op{st.info.id, msg.topic})
      .then(
          [=](storage::write_done) mutable {
            self->state.info.topic = msg.topic;
            auto ev = room_event(self, event_kind::topic, msg.by);
            ev.text = msg.topic;
            deliver_to_all(self, ev);
            self->send(self->state.lobby, topic_changed{self->state.info.id, msg.topic});
            promise.deliver(snapshot(self->state));
          },
          [=](caf::error& err) mutable { promise.deliver(make_error(to_error_code(err))); });
  return promise;
}

void on_rename(room_actor* self, const rename_member& msg) {
  auto* m = find_member(self->state, fold_name(msg.old_nick));
  if (!m) return;
  m->nick = msg.new_nick;
  m->key = fold_name(msg.new_nick);
  auto ev = room_event(self, event_kind::nick, msg.old_nick);
  ev.other = msg.new_nick;
  deliver_to_all(self, ev);
}

void on_filters(room_actor* self, const set_filters& msg) {
  auto* m = find_member(self->state, fold_name(msg.nick));
  if (!m) return;
  m->muted = msg.muted;
  m->ignoring = {msg.ignoring.begin(), msg.ignoring.end()};
}

// Every member, the owner too, gets a leave with its own nick and reason
// `dropped`, and its session goes back to the lobby.
drop_done on_drop(room_actor* self) {
  auto& st = self->state;
  for (auto& m : st.members) {
    auto ev = room_event(self, event_kind::leave, m.nick);
    ev.reason = "dropped";
    deliver(self, ev, [&](const member& other) { return other.key == m.key; });
    self->send(m.session, room_dropped{st.info.id});
  }
  st.members.clear();
  spdlog::info("room {} (id {}) dropped", st.info.name, st.info.id);
  self->quit();
  return drop_done{};
}

caf::behavior room(room_actor* self, room_info info, caf::actor lobby, caf::actor storage,
                   std::shared_ptr<const settings> config) {
  auto& st = self->state;
  st.info = std::move(info);
  st.info.actor = nullptr;
  st.lobby = std::move(lobby);
  st.storage = std::move(storage);
  st.config = std::move(config);
  self->set_error_handler([](caf::error& err) { spdlog::warn("room: {}", caf::to_string(err)); });
  // A session that dies without saying goodbye (a crash, a lost node) leaves.
  self->set_down_handler([=](const caf::down_msg& down) {
    auto& members = self->state.members;
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const member& m) { return m.session.address() == down.source; });
    if (it != members.end()) remove_member(self, it->key, "disconnected", "");
  });
  return {
      [=](const enter_room& msg) { return on_enter(self, msg.member); },
      [=](const exit_room& msg) { remove_member(self, fold_name(msg.nick), msg.reason, msg.text); },
      [=](const say& msg) { return on_say(self, msg); },
      [=](const look_request&) { return snapshot(self->state); },
      [=](const set_topic& msg) { return on_set_topic(self, msg); },
      [=](const set_filters& msg) { on_filters(self, msg); },
      [=](const rename_member& msg) { on_rename(self, msg); },
      [=](const drop_now&) { return on_drop(self); },
  };
}

}  // namespace

caf::actor spawn_room(caf::actor_system& sys, room_info info, caf::actor lobby, caf::actor storage,
                      std::shared_ptr<const settings> config) {
  return sys.spawn(room, std::move(info), std::move(lobby), std::move(storage), std::move(config));
}

}  // namespace chat
