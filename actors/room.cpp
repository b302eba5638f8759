#include "actors/room.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/chat_error.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/error_text.hpp"
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
  time_zone_ref zone;    // UTC unless the member chose one (/tz)
  std::string identity;  // actors/identity.hpp
  std::string peer;      // its client's address
};

time_zone_ref zone_named(const std::string& name) {
  if (name.empty()) return {};
  return time_zone_ref::find(name).value_or(time_zone_ref{});
}

struct room_state {
  room_info info;
  caf::actor lobby;
  storage::storage_actor storage;
  std::shared_ptr<const settings> config;
  std::vector<member> members;  // in the order they joined
  // Members on other nodes, by node: their replicas of this room tell us.
  std::map<std::string, std::vector<std::string>> remote;
  static inline const char* name = "room";
};

using room_pointer = room_actor::stateful_pointer<room_state>;

member* find_member(room_state& st, const std::string& key) {
  auto it = std::find_if(st.members.begin(), st.members.end(),
                         [&](const member& m) { return m.key == key; });
  return it == st.members.end() ? nullptr : &*it;
}

room_snapshot snapshot(const room_state& st) {
  room_snapshot snap{st.info.id, st.info.name, st.info.topic, {}};
  for (auto& m : st.members) snap.members.push_back(m.nick);
  for (auto& [node, nicks] : st.remote)
    snap.members.insert(snap.members.end(), nicks.begin(), nicks.end());
  return snap;
}

std::size_t member_count(const room_state& st) {
  auto count = st.members.size();
  for (auto& [node, nicks] : st.remote) count += nicks.size();
  return count;
}

// A typed actor may send() only to typed actors (CAF 0.17 checks it when
// compiling), and the lobby, the sessions and the gateways are dynamically
// typed. This is what send() does underneath, without that check: the same
// sender, priority and scheduling. (anon_send would drop the sender and
// schedule the receiver as if from outside the worker thread.)
template <class Message>
void tell(room_pointer self, const caf::actor& to, Message&& msg) {
  if (!to) return;
  to->enqueue(caf::actor_cast<caf::strong_actor_ptr>(self), caf::make_message_id(),
              caf::make_message(std::forward<Message>(msg)), self->context());
}

// Hands `ev` to the replicas of this room on other nodes, through the lobby:
// to `targets`, or to every linked node when empty.
void relay(room_pointer self, const event& ev, std::vector<std::string> targets = {}) {
  auto& st = self->state;
  tell(self, st.lobby,
       outbound_relay{std::move(targets), room_relay{st.info.id, st.config->node_name, ev}});
}

// Chat goes only to the nodes that have members here: one message per node.
std::vector<std::string> nodes_with_members(const room_state& st) {
  std::vector<std::string> nodes;
  for (auto& [node, nicks] : st.remote)
    if (!nicks.empty()) nodes.push_back(node);
  return nodes;
}

// Renders `ev` once per format and sends one fanout per gateway to the members
// that `wants` it. On one node there is one gateway, hence one message.
template <class Predicate>
void deliver(room_pointer self, const event& ev, Predicate wants) {
  auto text = std::make_shared<const std::string>(render_event(ev, output_mode::text));
  auto json = std::make_shared<const std::string>(render_event(ev, output_mode::json));
  std::unordered_map<caf::actor, net::fanout> per_gateway;
  // Members who chose a time zone (few, usually) get text rendered for their
  // zone: one more rendering and one more fanout per zone and gateway.
  std::map<std::pair<std::string, caf::actor>, net::fanout> per_zone;
  for (auto& m : self->state.members) {
    if (!wants(m)) continue;
    if (!m.zone.is_utc()) {
      auto& out = per_zone[{m.zone.name(), m.gateway}];
      if (!out.text) {
        out.text = std::make_shared<const std::string>(render_event(ev, output_mode::text, m.zone));
        out.json = json;
      }
      out.conns.push_back(m.conn);
      continue;
    }
    auto& out = per_gateway[m.gateway];
    if (!out.text) {
      out.text = text;
      out.json = json;
      out.conns.reserve(self->state.members.size());
    }
    out.conns.push_back(m.conn);
  }
  for (auto& [gateway, out] : per_gateway) tell(self, gateway, std::move(out));
  for (auto& [zone_gateway, out] : per_zone) tell(self, zone_gateway.second, std::move(out));
}

void deliver_to_all(room_pointer self, const event& ev) {
  deliver(self, ev, [](const member&) { return true; });
}

event room_event(room_pointer self, event_kind kind, std::string nick) {
  event ev;
  ev.kind = kind;
  ev.room = self->state.info.name;
  ev.nick = std::move(nick);
  ev.ts_ms = now_ms();
  return ev;
}

caf::result<room_snapshot> on_enter(room_pointer self, member_ref ref) {
  auto& st = self->state;
  auto key = fold_name(ref.nick);
  if (auto* existing = find_member(st, key)) {
    existing->session = ref.session;  // the same session joining again: no events
    return snapshot(st);
  }
  if (member_count(st) >= st.config->max_members_per_room)
    return make_error(error_code::forbidden, "room " + st.info.name + " is full (" +
                                                 std::to_string(st.config->max_members_per_room) +
                                                 " members)");
  auto joined = room_event(self, event_kind::join, ref.nick);
  deliver_to_all(self, joined);
  relay(self, joined);
  self->monitor(ref.session);
  member m{ref.nick,  key, ref.session,          ref.gateway,  ref.conn,
           ref.muted, {},  zone_named(ref.zone), ref.identity, ref.peer};
  m.ignoring.insert(ref.ignoring.begin(), ref.ignoring.end());
  st.members.push_back(std::move(m));
  return snapshot(st);
}

void remove_member(room_pointer self, const std::string& key, const std::string& reason,
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
  relay(self, ev);
}

caf::result<said> on_say(room_pointer self, const say& msg) {
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
  if (auto nodes = nodes_with_members(self->state); !nodes.empty())
    relay(self, ev, std::move(nodes));
  return said{};
}

caf::result<room_snapshot> on_set_topic(room_pointer self, const set_topic& msg) {
  auto& st = self->state;
  if (msg.due.passed()) return make_error(error_code::unavailable);
  if (st.info.owner.empty() || fold_name(st.info.owner) != fold_name(msg.by))
    return make_error(error_code::forbidden,
                      owner_only("set the topic of", st.info.name, st.info.owner));
  auto promise = self->make_response_promise<room_snapshot>();
  auto topic_ms = now_ms();
  // Acknowledged means durable: the topic changes only after the commit.
  self->request(st.storage, until_committed, storage::set_topic_op{st.info.id, msg.topic, topic_ms})
      .then(
          [=](storage::write_done) mutable {
            self->state.info.topic = msg.topic;
            auto ev = room_event(self, event_kind::topic, msg.by);
            ev.text = msg.topic;
            deliver_to_all(self, ev);
            relay(self, ev);
            tell(self, self->state.lobby, topic_changed{self->state.info.id, msg.topic, topic_ms});
            promise.deliver(snapshot(self->state));
          },
          [=](caf::error& err) mutable { promise.deliver(make_error(to_error_code(err))); });
  return promise;
}

void on_rename(room_pointer self, const rename_member& msg) {
  auto* m = find_member(self->state, fold_name(msg.old_nick));
  if (!m) return;
  m->nick = msg.new_nick;
  m->key = fold_name(msg.new_nick);
  auto ev = room_event(self, event_kind::nick, msg.old_nick);
  ev.other = msg.new_nick;
  deliver_to_all(self, ev);
  relay(self, ev);
}

// ---- members on other nodes ----

std::vector<std::string>::iterator find_remote(std::vector<std::string>& nicks,
                                               const std::string& nick) {
  auto key = fold_name(nick);
  return std::find_if(nicks.begin(), nicks.end(),
                      [&](const std::string& n) { return fold_name(n) == key; });
}

void remote_leave(room_pointer self, const std::string& node, const std::string& nick,
                  const std::string& reason, const std::string& text) {
  auto& nicks = self->state.remote[node];
  auto it = find_remote(nicks, nick);
  if (it == nicks.end()) return;
  auto ev = room_event(self, event_kind::leave, *it);
  ev.reason = reason;
  ev.text = text;
  nicks.erase(it);
  deliver_to_all(self, ev);
}

void remote_join(room_pointer self, const std::string& node, const std::string& nick) {
  auto& nicks = self->state.remote[node];
  if (find_remote(nicks, nick) != nicks.end()) return;  // known already
  nicks.push_back(nick);
  deliver_to_all(self, room_event(self, event_kind::join, nick));
}

// An event from this room's replica on another node.
void on_relay(room_pointer self, const room_relay& msg) {
  auto& st = self->state;
  auto ev = msg.ev;
  switch (ev.kind) {
    case event_kind::join:
      return remote_join(self, msg.node, ev.nick);
    case event_kind::leave:
      return remote_leave(self, msg.node, ev.nick, ev.reason, ev.text);
    case event_kind::nick: {
      auto& nicks = st.remote[msg.node];
      if (auto it = find_remote(nicks, ev.nick); it != nicks.end()) *it = ev.other;
      return deliver_to_all(self, ev);
    }
    case event_kind::topic:
      st.info.topic = ev.text;
      return deliver_to_all(self, ev);
    case event_kind::message: {
      auto key = fold_name(ev.nick);
      return deliver(self, ev,
                     [&](const member& m) { return !m.muted && m.ignoring.count(key) == 0; });
    }
    default:
      return;
  }
}

// What a node that just linked has in this room: joins for the new ones.
void on_remote_members(room_pointer self, const remote_members& msg) {
  auto now_there = msg.nicks;
  auto current = self->state.remote[msg.node];
  for (auto& nick : current)
    if (find_remote(now_there, nick) == now_there.end())
      remote_leave(self, msg.node, nick, "left", "");
  for (auto& nick : msg.nicks) remote_join(self, msg.node, nick);
}

void on_node_gone(room_pointer self, const std::string& node) {
  auto it = self->state.remote.find(node);
  if (it == self->state.remote.end()) return;
  auto nicks = it->second;
  for (auto& nick : nicks) remote_leave(self, node, nick, "netsplit", "");
  self->state.remote.erase(node);
}

void on_filters(room_pointer self, const set_filters& msg) {
  auto* m = find_member(self->state, fold_name(msg.nick));
  if (!m) return;
  m->muted = msg.muted;
  m->ignoring = {msg.ignoring.begin(), msg.ignoring.end()};
  m->zone = zone_named(msg.zone);
}

// Every member, the owner too, gets a leave with its own nick and reason
// `dropped`, and its session goes back to the lobby.
drop_done on_drop(room_pointer self, const std::string& by) {
  auto& st = self->state;
  for (auto& m : st.members) {
    auto ev = room_event(self, event_kind::leave, m.nick);
    ev.reason = "dropped";
    ev.other = by;
    deliver(self, ev, [&](const member& other) { return other.key == m.key; });
    tell(self, m.session, room_dropped{st.info.id});
  }
  st.members.clear();
  spdlog::info("room {} (id {}) dropped", st.info.name, st.info.id);
  self->quit();
  return drop_done{};
}

room_actor::behavior_type room(room_pointer self, room_info info, caf::actor lobby,
                               storage::storage_actor storage,
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
      [=](const drop_now& msg) { return on_drop(self, msg.by); },
      [=](const room_relay& msg) { on_relay(self, msg); },
      [=](const remote_members& msg) { on_remote_members(self, msg); },
      [=](const node_gone& msg) { on_node_gone(self, msg.node); },
      [=](const topic_update& msg) { self->state.info.topic = msg.topic; },
  };
}

}  // namespace

room_actor spawn_room(caf::actor_system& sys, room_info info, caf::actor lobby,
                      storage::storage_actor storage, std::shared_ptr<const settings> config) {
  return sys.spawn(room, std::move(info), std::move(lobby), std::move(storage), std::move(config));
}

}  // namespace chat
