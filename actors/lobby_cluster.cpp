// The lobby as its node's endpoint in a cluster: linking with peers (and again
// after they are lost), exchanging replicated state and presence, agreeing on
// nicks, and carrying room events between room replicas. The rules are in
// docs/cluster.md; the decisions in actors/replica_rules.hpp.
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>

#include "actors/chat_error.hpp"
#include "actors/cluster_transport.hpp"
#include "actors/lobby_internal.hpp"
#include "actors/names.hpp"
#include "actors/replica_digest.hpp"
#include "actors/replica_rules.hpp"
#include "storage/storage_actor.hpp"

namespace chat {
namespace {

// Requests to peers wait no longer than a peer takes to be declared gone.
caf::timespan peer_timeout(const lobby_state& st) {
  return std::min<caf::timespan>(st.config->request_timeout, st.config->heartbeat_timeout);
}

// Writes a replicated change to this node's database. Nobody waits for it:
// the change is already acknowledged where it was made.
template <class Op>
void persist(lobby_actor* self, Op op) {
  self->request(self->state.storage, until_committed, std::move(op))
      .then([](storage::write_done) {},
            [](caf::error& err) {
              // A tombstone for a room never seen here is written all the same.
              if (to_error_code(err) == error_code::no_such_room) return;
              spdlog::warn("replicated change not written here: {}", caf::to_string(err));
            });
}

node_hello my_hello(lobby_actor* self) {
  auto& st = self->state;
  node_hello hello{st.node, st.config->cluster_name, st.slot, st.endpoint, {}, self};
  hello.known.assign(st.endpoints.begin(), st.endpoints.end());
  return hello;
}

bool split_endpoint(const std::string& endpoint, std::string& host, uint16_t& port) {
  auto colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = endpoint.substr(0, colon);
  try {
    auto n = std::stoul(endpoint.substr(colon + 1));
    if (n == 0 || n > 65535) return false;
    port = static_cast<uint16_t>(n);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

void schedule_redial(lobby_actor* self, const std::string& endpoint) {
  auto& st = self->state;
  if (st.partitioned || endpoint.empty() || endpoint == st.endpoint) return;
  if (!st.dialing.insert(endpoint).second) return;  // already on its way
  auto& wait = st.backoff_ms[endpoint];
  self->delayed_send(self, std::chrono::milliseconds(wait), redial_atom::value, endpoint);
  // 0 (first try at once), 250 ms, 500 ms, ... up to the setting.
  wait = std::clamp<int64_t>(wait * 2, 250, st.config->redial_max.count());
}

// The next comparison of digests with every peer (docs/cluster.md, anti-entropy).
void schedule_anti_entropy(lobby_actor* self) {
  self->delayed_send(self, self->state.config->anti_entropy_interval, anti_entropy_atom::value);
}

replica_state replica_state_of(const lobby_state& st) {
  replica_state state;
  for (auto& [id, record] : st.records) state.rooms.push_back(record);
  state.dropped.assign(st.dropped.begin(), st.dropped.end());
  for (auto& [key, user] : st.registered) state.users.push_back(user);
  return state;
}

void send_state(lobby_actor* self, const caf::actor& peer) {
  auto& st = self->state;
  self->send(peer, replica_state_of(st));
  presence_state presence{st.node, {}};
  for (auto& [key, user] : st.users)
    presence.users.push_back({user.nick, user.room_id, user.session, user.login_ms});
  self->send(peer, std::move(presence));
}

// `name` by value: callers often pass the key of the entry erased here.
void peer_gone(lobby_actor* self, std::string name) {
  auto& st = self->state;
  auto it = st.peers.find(name);
  if (it == st.peers.end()) return;
  auto link = it->second;
  st.peers.erase(it);
  self->demonitor(link.lobby);
  std::vector<std::string> gone;
  if (auto it = st.remote_users.find(name); it != st.remote_users.end())
    for (auto& [key, user] : it->second) gone.push_back(key);
  st.remote_users.erase(name);
  for (auto& key : gone) nick_freed(self, key);
  for (auto grant = st.grants.begin(); grant != st.grants.end();)
    grant = grant->second.node == name ? st.grants.erase(grant) : std::next(grant);
  for (auto& [id, room] : st.rooms) self->send(room.actor, node_gone{name});
  spdlog::warn("node {} is gone (netsplit)", name);
  schedule_redial(self, link.endpoint);
}

// `share` false: the caller sends our state later (after its reply to the
// hello, which the peer must see first).
void link_up(lobby_actor* self, const node_hello& hello, bool share) {
  auto& st = self->state;
  if (auto it = st.peers.find(hello.node); it != st.peers.end()) {
    if (it->second.lobby == hello.lobby) return;  // linked already (both dialed)
    peer_gone(self, hello.node);                  // a restarted node: its old self is gone
  }
  st.peers[hello.node] = peer_link{hello.lobby, hello.endpoint, hello.slot};
  st.refused_logged.erase(hello.endpoint);
  self->monitor(hello.lobby);
  if (!hello.endpoint.empty()) {
    st.endpoints.insert(hello.endpoint);
    st.backoff_ms[hello.endpoint] = 0;
  }
  spdlog::info("linked with node {} ({})", hello.node, hello.endpoint);
  // The mesh grows by itself: dial whoever the peer knows and we do not.
  for (auto& endpoint : hello.known)
    if (!endpoint.empty() && endpoint != st.endpoint && st.endpoints.insert(endpoint).second)
      schedule_redial(self, endpoint);
  if (share) send_state(self, hello.lobby);
}

// Why a peer cannot link with us, or "" if it can.
std::string refusal(const lobby_state& st, const node_hello& hello) {
  if (st.partitioned) return "this node is partitioned";
  if (hello.cluster != st.config->cluster_name)
    return "cluster " + hello.cluster + " is not " + st.config->cluster_name;
  if (hello.node == st.node) return "two nodes are named " + st.node;
  if (hello.slot == st.slot)
    return "nodes " + hello.node + " and " + st.node + " share room id slot " +
           std::to_string(st.slot) + ": give one another --node-id";
  return "";
}

bool peers_linked_at(const lobby_state& st, const std::string& endpoint) {
  return std::any_of(st.peers.begin(), st.peers.end(),
                     [&](auto& kv) { return kv.second.endpoint == endpoint; });
}

void dial(lobby_actor* self, const std::string& endpoint) {
  auto& st = self->state;
  std::string host;
  uint16_t port = 0;
  if (st.partitioned || peers_linked_at(st, endpoint) || !split_endpoint(endpoint, host, port)) {
    st.dialing.erase(endpoint);
    return;
  }
  auto failed = [=](const std::string& why) {
    self->state.dialing.erase(endpoint);
    spdlog::debug("cannot link with {}: {}", endpoint, why);
    schedule_redial(self, endpoint);
  };
  auto timeout = peer_timeout(st);
  // With cluster TLS chatd's TLS transport dials (docs/security.md).
  auto middleman = cluster_middleman(self->system());
  // The middleman connects without blocking us: its answer comes as a message.
  self->request(middleman, timeout, caf::connect_atom::value, host, port)
      .then(
          [=](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
            auto peer = caf::actor_cast<caf::actor>(ptr);
            if (!peer) return failed("nothing published there");
            self->request(peer, timeout, my_hello(self))
                .then(
                    [=](const node_hello& theirs) {
                      self->state.dialing.erase(endpoint);
                      if (auto why = refusal(self->state, theirs); !why.empty()) {
                        spdlog::error("not linking with {}: {}", endpoint, why);
                        return schedule_redial(self, endpoint);
                      }
                      link_up(self, theirs, true);
                    },
                    [=](caf::error& err) { failed(caf::to_string(err)); });
          },
          [=](caf::error& err) {
            // A TLS handshake that fails is a peer of another CA (or one that
            // refuses ours): said once per endpoint, not at every redial.
            if (err == caf::sec::disconnect_during_handshake &&
                self->state.refused_logged.insert(endpoint).second)
              spdlog::error(
                  "cluster link to {} refused during the TLS handshake: its certificate is "
                  "not signed by our cluster CA, or ours not by its CA",
                  endpoint);
            failed(caf::to_string(err));
          });
}

std::map<uint64_t, std::vector<std::string>> nicks_by_room(
    const std::unordered_map<std::string, online_user>& users) {
  std::map<uint64_t, std::vector<std::string>> rooms;
  for (auto& [key, user] : users)
    if (user.room_id != 0) rooms[user.room_id].push_back(user.nick);
  return rooms;
}

// A local session and a remote one have the same nick (they logged in on both
// sides of a split): the later login takes a free name.
void resolve_collision(lobby_actor* self, const std::string& node, const online_user& remote) {
  auto& st = self->state;
  auto key = name_key(remote.nick);
  auto it = st.users.find(key);
  if (it == st.users.end()) return;
  if (!claim_wins({remote.login_ms, node}, {it->second.login_ms, st.node})) return;
  auto old_nick = it->second.nick;
  auto new_nick = free_nick(old_nick, [&](const std::string& candidate) {
    auto k = name_key(candidate);
    return nick_in_use(st, k) || st.registered.count(k) > 0;
  });
  auto session = it->second.session;
  apply_rename(st, key, name_key(new_nick), new_nick);
  self->send(session,
             forced_rename{new_nick, "the nick " + old_nick + " was taken earlier on node " + node +
                                         ": you are now " + new_nick});
  announce(self, presence_change::rename, st.users.at(name_key(new_nick)), old_nick);
  spdlog::info("nick {} renamed to {}: {} logged in earlier on node {}", old_nick, new_nick,
               old_nick, node);
}

void lose_room(lobby_actor* self, uint64_t id, const storage::room_record& winner) {
  auto& st = self->state;
  auto loser = st.records.at(id);
  if (!loser.owner.empty())
    notify_user(self, loser.owner,
                "room " + loser.name + " was created earlier on node " + winner.origin +
                    " while the cluster was split: yours is merged into that one");
  spdlog::info("room {} (id {}) loses to id {} from node {}", loser.name, id, winner.id,
               winner.origin);
  self->request(st.rooms.at(id).actor, peer_timeout(st), drop_now{})
      .then([](drop_done) {}, [](caf::error&) {});
  forget_room(st, id);
  st.dropped.insert(id);
  persist(self, storage::drop_room_op{id, now_ms()});
}

}  // namespace

// ---- linking ----

void start_cluster(lobby_actor* self, const std::string& endpoint) {
  auto& st = self->state;
  st.endpoint = endpoint;
  schedule_anti_entropy(self);
  for (auto& peer : st.config->peers) {
    st.endpoints.insert(peer);
    schedule_redial(self, peer);
  }
}

caf::result<node_hello> on_hello(lobby_actor* self, const node_hello& hello) {
  if (auto why = refusal(self->state, hello); !why.empty()) {
    spdlog::error("refused node {} ({}): {}", hello.node, hello.endpoint, why);
    return make_error(error_code::forbidden);
  }
  link_up(self, hello, false);
  // Our state follows the reply: the peer accepts it only once it has linked.
  self->send(self, share_state_atom::value, hello.node);
  return my_hello(self);
}

void on_share_state(lobby_actor* self, const std::string& node) {
  if (auto it = self->state.peers.find(node); it != self->state.peers.end())
    send_state(self, it->second.lobby);
}

void on_redial(lobby_actor* self, const std::string& endpoint) {
  dial(self, endpoint);
}

bool on_peer_down(lobby_actor* self, const caf::down_msg& down) {
  auto& peers = self->state.peers;
  auto it = std::find_if(peers.begin(), peers.end(),
                         [&](auto& kv) { return kv.second.lobby.address() == down.source; });
  if (it == peers.end()) return false;
  peer_gone(self, it->first);
  return true;
}

void on_partition(lobby_actor* self, bool on) {
  auto& st = self->state;
  st.partitioned = on;
  spdlog::warn("partition switch: {}", on ? "every cluster link dropped" : "linking again");
  if (on) {
    std::vector<std::string> names;
    for (auto& [name, peer] : st.peers) names.push_back(name);
    for (auto& name : names) peer_gone(self, name);
    return;
  }
  for (auto& endpoint : st.endpoints) {
    st.backoff_ms[endpoint] = 0;
    schedule_redial(self, endpoint);
  }
}

// ---- replicated state ----

std::size_t on_replica_state(lobby_actor* self, const replica_state& state) {
  std::size_t changed = 0;
  // Drops first: a room dropped there must not be brought back here first.
  for (auto id : state.dropped) changed += on_room_tombstone(self, id, now_ms());
  for (auto& room : state.rooms) changed += on_room_upsert(self, room);
  for (auto& user : state.users) changed += on_user_upsert(self, user);
  return changed;
}

// ---- anti-entropy ----

namespace {
uint64_t my_digest(const lobby_state& st) {
  return replica_digest(st.records, st.dropped, st.registered, now_ms(),
                        st.config->nick_expiry_days);
}
}  // namespace

void on_anti_entropy_tick(lobby_actor* self) {
  auto& st = self->state;
  if (!st.peers.empty()) to_peers(self, replica_digest_msg{st.node, my_digest(st)});
  schedule_anti_entropy(self);
}

void on_replica_digest(lobby_actor* self, const replica_digest_msg& msg) {
  auto& st = self->state;
  auto peer = st.peers.find(msg.node);
  if (peer == st.peers.end() || msg.digest == my_digest(st)) return;
  // The peer merges our state; its own digest, due within an interval, makes
  // us merge its state the same way.
  self->send(peer->second.lobby, replica_repair{st.node, replica_state_of(st)});
}

void on_replica_repair(lobby_actor* self, const replica_repair& repair) {
  if (!self->state.peers.count(repair.node)) return;  // not (or no longer) linked
  auto changed = on_replica_state(self, repair.state);
  if (changed == 0) return;  // only in flight: the difference was a change on its way
  self->state.repairs += changed;
  spdlog::warn("anti-entropy: {} item(s) repaired from node {}", changed, repair.node);
}

bool on_room_upsert(lobby_actor* self, const storage::room_record& room) {
  auto& st = self->state;
  if (st.dropped.count(room.id)) return false;
  if (auto it = st.records.find(room.id); it != st.records.end()) {
    auto& mine = it->second;
    if (fold_name(mine.name) != fold_name(room.name)) {  // docs/cluster.md, known limits
      spdlog::warn("room id {} is {} here but {} on node {}: kept ours", room.id, mine.name,
                   room.name, room.origin);
      return false;
    }
    if (!topic_wins(room, mine)) return false;
    mine.topic = room.topic;
    mine.topic_ms = room.topic_ms;
    st.rooms.at(room.id).topic = room.topic;
    self->send(st.rooms.at(room.id).actor, topic_update{room.topic, room.topic_ms});
    persist(self, storage::upsert_room_op{mine});
    return true;
  }
  if (auto it = st.room_ids.find(name_key(room.name)); it != st.room_ids.end()) {
    if (room_wins(st.records.at(it->second), room)) {
      // Ours is earlier: theirs is dropped here, and there when they learn ours.
      st.dropped.insert(room.id);
      persist(self, storage::drop_room_op{room.id, now_ms()});
      return true;
    }
    lose_room(self, it->second, room);
  }
  persist(self, storage::upsert_room_op{room});
  add_room(self, room);
  spdlog::info("room {} (id {}) replicated from node {}", room.name, room.id, room.origin);
  return true;
}

bool on_room_tombstone(lobby_actor* self, uint64_t id, int64_t dropped_ms) {
  auto& st = self->state;
  if (!st.dropped.insert(id).second) return false;
  st.max_room_id = std::max(st.max_room_id, id);
  persist(self, storage::drop_room_op{id, dropped_ms});
  if (auto it = st.rooms.find(id); it != st.rooms.end()) {
    self->request(it->second.actor, peer_timeout(st), drop_now{})
        .then([](drop_done) {}, [](caf::error&) {});
    forget_room(st, id);
  }
  return true;
}

bool on_user_upsert(lobby_actor* self, const storage::user_record& user) {
  auto& st = self->state;
  auto now = now_ms();
  auto days = st.config->nick_expiry_days;
  // An expired registration from a node that has not swept yet stays gone;
  // an expired one here counts as gone (docs/cluster.md).
  if (registration_expired(user, now, days)) return false;
  auto key = name_key(user.nick);
  auto it = st.registered.find(key);
  if (it != st.registered.end() && registration_expired(it->second, now, days)) {
    auto& old = it->second;
    persist(self, storage::delete_user_op{old.nick, old.created_ms, old.origin});
    st.registered.erase(it);
    it = st.registered.end();
  }
  if (it != st.registered.end()) {
    if (!user_wins(user, it->second)) return false;
    bool other_registration =
        it->second.created_ms != user.created_ms || it->second.origin != user.origin;
    if (other_registration && it->second.origin == st.node)
      notify_user(self, it->second.nick,
                  "the nick " + user.nick + " was registered earlier on node " + user.origin +
                      " while the cluster was split: that registration stands, yours is gone");
    // A look-alike (registered on both sides of a split): the loser's row has
    // another folded key, so the put below would not replace it.
    if (fold_name(it->second.nick) != fold_name(user.nick)) {
      auto& loser = it->second;
      persist(self, storage::delete_user_op{loser.nick, loser.created_ms, loser.origin});
    }
  }
  st.registered[key] = user;
  persist(self, storage::put_user_op{user});
  return true;
}

// ---- presence ----

void announce(lobby_actor* self, presence_change change, const online_user& user,
              const std::string& old_nick) {
  auto& st = self->state;
  if (st.peers.empty()) return;
  to_peers(self, presence_delta{st.node, change,
                                remote_user{user.nick, user.room_id, user.session, user.login_ms},
                                old_nick});
}

void on_presence_state(lobby_actor* self, const presence_state& state) {
  auto& st = self->state;
  if (!st.peers.count(state.node)) return;  // from a link already lost
  auto before = nicks_by_room(st.remote_users[state.node]);
  auto& users = st.remote_users[state.node];
  users.clear();
  for (auto& u : state.users) {
    auto key = name_key(u.nick);
    users[key] = online_user{u.nick, u.session, u.room_id, u.login_ms};
    st.grants.erase(key);
  }
  auto now = nicks_by_room(users);
  for (auto& [id, nicks] : before) now.try_emplace(id);  // rooms they left: an empty list
  for (auto& [id, nicks] : now)
    if (auto room = st.rooms.find(id); room != st.rooms.end())
      self->send(room->second.actor, remote_members{state.node, nicks});
  for (auto& u : state.users)
    resolve_collision(self, state.node, online_user{u.nick, u.session, u.room_id, u.login_ms});
}

void on_presence_delta(lobby_actor* self, const presence_delta& delta) {
  auto& st = self->state;
  if (!st.peers.count(delta.node)) return;
  auto& users = st.remote_users[delta.node];
  auto key = name_key(delta.user.nick);
  online_user user{delta.user.nick, delta.user.session, delta.user.room_id, delta.user.login_ms};
  switch (delta.change) {
    case presence_change::logout:
      users.erase(key);
      nick_freed(self, key);
      return;
    case presence_change::move:
      users[key] = user;
      return;
    case presence_change::rename:
      users.erase(name_key(delta.old_nick));
      nick_freed(self, name_key(delta.old_nick));
      [[fallthrough]];
    case presence_change::login:
      users[key] = user;
      st.grants.erase(key);
      resolve_collision(self, delta.node, user);
      return;
  }
}

// ---- nick claims ----

void claim_nick(lobby_actor* self, const std::string& nick,
                std::function<void(std::optional<error_code>)> done) {
  auto& st = self->state;
  if (st.peers.empty()) return done(std::nullopt);
  auto key = name_key(nick);
  auto ts = st.pending_nicks.count(key) ? st.pending_nicks[key].ts_ms : now_ms();
  struct tally {
    std::size_t waiting = 0;
    bool refused = false;
    bool failed = false;
  };
  auto count = std::make_shared<tally>();
  count->waiting = st.peers.size();
  auto one_answer = [=] {
    if (--count->waiting > 0) return;
    auto& st = self->state;
    auto pending = st.pending_nicks.find(key);
    bool lost = pending == st.pending_nicks.end() || pending->second.lost;
    if (count->refused || lost || count->failed) to_peers(self, nick_release{nick, st.node});
    if (count->refused || lost) return done(error_code::nick_taken);
    if (count->failed) return done(error_code::unavailable);
    done(std::nullopt);
  };
  for (auto& [name, peer] : st.peers)
    self->request(peer.lobby, peer_timeout(st), nick_claim{nick, st.node, ts})
        .then(
            [=](const nick_claim_reply& reply) {
              count->refused |= !reply.granted;
              one_answer();
            },
            [=](caf::error&) {
              count->failed = true;
              one_answer();
            });
}

nick_claim_reply on_claim(lobby_actor* self, const nick_claim& claim) {
  auto& st = self->state;
  auto key = name_key(claim.nick);
  nick_claim_order theirs{claim.ts_ms, claim.node};
  if (st.users.count(key)) return {false};
  for (auto& [node, users] : st.remote_users)
    if (node != claim.node && users.count(key)) return {false};
  if (auto mine = st.pending_nicks.find(key); mine != st.pending_nicks.end()) {
    // Both nodes are taking it right now: the earlier claim wins on both.
    if (!claim_wins(theirs, {mine->second.ts_ms, st.node})) return {false};
    mine->second.lost = true;
  }
  auto now = now_ms();
  if (auto grant = st.grants.find(key);
      grant != st.grants.end() && grant->second.node != claim.node &&
      grant->second.expires_ms > now &&
      claim_wins({grant->second.ts_ms, grant->second.node}, theirs))
    return {false};
  auto hold = std::chrono::duration_cast<std::chrono::milliseconds>(2 * peer_timeout(st)).count();
  st.grants[key] = nick_grant{claim.node, claim.ts_ms, now + hold};
  return {true};
}

void on_release(lobby_actor* self, const nick_release& release) {
  auto& grants = self->state.grants;
  auto it = grants.find(name_key(release.nick));
  if (it != grants.end() && it->second.node == release.node) grants.erase(it);
}

// ---- room events between replicas ----

void on_outbound_relay(lobby_actor* self, const outbound_relay& out) {
  auto& st = self->state;
  bool chat = out.relay.ev.kind == event_kind::message;
  auto send_to = [&](const peer_link& peer) {
    self->send(peer.lobby, out.relay);
    if (chat) ++st.cluster_msgs_sent;
  };
  if (out.targets.empty()) {
    for (auto& [name, peer] : st.peers) send_to(peer);
    return;
  }
  for (auto& name : out.targets)
    if (auto it = st.peers.find(name); it != st.peers.end()) send_to(it->second);
}

void on_room_relay(lobby_actor* self, const room_relay& relay) {
  auto& st = self->state;
  if (!st.peers.count(relay.node)) return;  // from a link already lost
  if (relay.ev.kind == event_kind::message) ++st.cluster_msgs_received;
  if (auto it = st.rooms.find(relay.room_id); it != st.rooms.end())
    self->send(it->second.actor, relay);
}

}  // namespace chat
