// The lobby's state, shared by the files that make up the lobby actor:
// lobby.cpp (commands of local sessions) and lobby_cluster.cpp (peers,
// replication, presence). Private to the actor: nothing else includes it.
#pragma once

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/messages.hpp"
#include "actors/settings.hpp"
#include "net/address_limits.hpp"
#include "storage/password_pool.hpp"
#include "storage/records.hpp"
#include "storage/storage_actor.hpp"

namespace chat {

struct online_user {
  std::string nick;
  caf::actor session;
  uint64_t room_id = 0;  // 0: in the lobby
  int64_t login_ms = 0;
};

// A login with the right password for an account that is online elsewhere
// (a ghost): it waits until the ghost has gone, then takes the nick.
struct ghost_wait {
  uint64_t id = 0;
  login_request req;
  storage::user_record user;
  caf::typed_response_promise<login_reply> promise;
};

// A nick being taken by a local login or rename, until the peers agreed.
struct pending_nick {
  int64_t ts_ms = 0;
  bool lost = false;  // an earlier claim from another node came in meanwhile
};

// A nick this node agreed another node may take; it blocks local claims
// until that node's login shows up in its presence, or the grant expires.
struct nick_grant {
  std::string node;
  int64_t ts_ms = 0;
  int64_t expires_ms = 0;
};

struct peer_link {
  caf::actor lobby;
  std::string endpoint;
  uint16_t slot = 0;
};

struct lobby_state {
  std::shared_ptr<const settings> config;
  storage::storage_actor storage;
  storage::password_pool_actor passwords;  // every hash and password check
  std::string node;                        // this node's name

  // --- users online ---
  std::unordered_map<std::string, online_user> users;  // this node's, by name_key of the nick
  std::unordered_map<std::string, pending_nick> pending_nicks;
  std::map<std::string, std::unordered_map<std::string, online_user>> remote_users;  // node -> key
  std::unordered_map<std::string, nick_grant> grants;                    // by name_key of the nick
  std::unordered_map<std::string, std::vector<ghost_wait>> ghost_waits;  // by name_key
  uint64_t next_ghost_wait = 1;

  // --- rooms and registrations (replicated) ---
  std::map<uint64_t, room_info> rooms;                 // by id; ordered for /rooms
  std::map<uint64_t, storage::room_record> records;    // the replicated fields, by id
  std::unordered_map<std::string, uint64_t> room_ids;  // by name_key of the name
  std::unordered_set<std::string> pending_rooms;       // creations in flight
  // Rooms held, by name_key of the owner: the per-user cap is checked on every
  // /create, which must not scan every room. (A session sends one command at a
  // time, so an owner never has two creations in flight.)
  std::unordered_map<std::string, std::size_t> rooms_per_owner;
  std::set<uint64_t> dropped;                                        // tombstones
  std::unordered_map<std::string, storage::user_record> registered;  // by name_key of the nick
  uint64_t max_room_id = 0;

  // The banner's busiest rooms, counted at most once a second: every new
  // connection asks, and a burst of thousands must not scan every user each.
  // (The online count is always exact: it costs one addition per node.)
  std::vector<room_count> busiest;
  std::chrono::steady_clock::time_point busiest_at{};

  // --- limits by network (net/address_limits.hpp): this node's count ---
  net::address_policy addresses;
  std::optional<net::keyed_rate> registration_rate;  // /register per network and hour
  std::optional<net::keyed_rate> creation_rate;      // /create per network and hour
  // A wrong password is logged once a minute per network: a guessing flood
  // must not flood the log (the per-minute count is in the line).
  std::optional<net::keyed_rate> bad_password_log;
  std::unordered_map<std::string, uint64_t> bad_passwords_unlogged;  // since the last line

  // --- cluster ---
  uint16_t slot = 0;
  std::string endpoint;                       // our cluster port, host:port ("" alone)
  bool partitioned = false;                   // SIGUSR2: no links until the next
  std::map<std::string, peer_link> peers;     // linked nodes, by name
  std::set<std::string> endpoints;            // every peer address we know: (re)dialed
  std::set<std::string> dialing;              // attempts in flight or scheduled
  std::map<std::string, int64_t> backoff_ms;  // next wait per endpoint
  std::set<std::string> refused_logged;       // endpoints whose TLS refusal was logged
  uint64_t cluster_msgs_sent = 0;
  uint64_t cluster_msgs_received = 0;
  uint64_t repairs = 0;  // replicated items anti-entropy changed here since start

  static inline const char* name = "lobby";
};

using lobby_actor = caf::stateful_actor<lobby_state>;

}  // namespace chat
