// chatd: one node of the chat service. Thin on purpose: read the settings,
// open the database, start the storage, lobby and gateway actors, and wait
// for SIGINT or SIGTERM to shut down in order (SIGHUP re-reads the TLS files).
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/manager.hpp>
#include <csignal>
#include <fstream>
#include <memory>

#include "actors/cluster_messages.hpp"
#include "actors/cluster_transport.hpp"
#include "actors/lobby.hpp"
#include "actors/messages.hpp"
#include "actors/names.hpp"
#include "actors/render.hpp"
#include "actors/replica_rules.hpp"
#include "actors/session.hpp"
#include "apps/chatd/cluster_links.hpp"
#include "apps/chatd/cluster_security.hpp"
#include "apps/chatd/cluster_tls.hpp"
#include "apps/chatd/options.hpp"
#include "apps/chatd/tls_transport.hpp"
#include "apps/chatd/wire_messages.hpp"
#include "net/gateway.hpp"
#include "net/messages.hpp"
#include "net/tls_context.hpp"
#include "storage/database.hpp"
#include "storage/database_lock.hpp"
#include "storage/password.hpp"
#include "storage/password_pool.hpp"
#include "storage/storage_actor.hpp"

namespace {

using namespace chat;

struct node_config : caf::actor_system_config {
  explicit node_config(const settings& s) {
    load<caf::io::middleman>();
    register_wire_messages(*this);
    if (s.cluster_port >= 0 && !s.cluster_insecure) {
      // Mutual TLS on every cluster link (docs/security.md). CAF's module reads
      // these files for each new connection; check_cluster_credentials() has
      // checked them before we get here.
      load<caf::openssl::manager>();
      openssl_cafile = s.cluster_ca;
      openssl_certificate = s.cluster_cert;
      openssl_key = s.cluster_key;
    }
    if (s.threads > 0) set("scheduler.max-threads", s.threads);
    if (s.cluster_port >= 0) {
      // Every node must use the same heartbeat settings (CAF-0.17.md, section 3):
      // with them a frozen or cut-off peer is detected, not only a killed one.
      set("middleman.heartbeat-interval", caf::timespan{s.heartbeat_interval});
      set("middleman.connection-timeout", caf::timespan{s.heartbeat_timeout});
      // Nodes of another cluster fail the handshake.
      set("middleman.app-identifiers", std::vector<std::string>{"chatd." + s.cluster_name});
    }
  }
};

// Default rooms take the smallest free ids below room_id_stride, so that
// nodes with the same settings give `general` the same id (docs/cluster.md).
uint64_t default_room_id(const lobby_seed& seed) {
  for (uint64_t id = 1; id < room_id_stride; ++id) {
    bool used =
        std::any_of(seed.rooms.begin(), seed.rooms.end(), [&](auto& r) { return r.id == id; }) ||
        std::count(seed.dropped.begin(), seed.dropped.end(), id) > 0;
    if (!used) return id;
  }
  return next_room_id(seed.max_room_id, 0);
}

// Creates the configured default rooms that the database does not have yet.
void add_default_rooms(storage::database& db, const settings& s, lobby_seed& seed) {
  auto& rooms = seed.rooms;
  std::vector<storage::write_op> ops;
  for (auto& name : s.default_rooms) {
    if (!is_valid_name(name, name_kind::room)) {
      spdlog::warn("default room '{}' is not a valid room name: skipped", name);
      continue;
    }
    auto key = name_key(name);
    bool present =
        std::any_of(rooms.begin(), rooms.end(), [&](auto& r) { return name_key(r.name) == key; });
    if (present) continue;
    storage::room_record record{default_room_id(seed), name, "", "", now_ms(), s.node_name, 0};
    seed.max_room_id = std::max(seed.max_room_id, record.id);
    ops.push_back(storage::create_room_op{record});
    rooms.push_back(record);
    spdlog::info("room {} (id {}) created as a default room", name, record.id);
  }
  if (!ops.empty()) db.apply(ops);
}

// The per-network limits' policy; nullopt (logged) when --limits-exempt is
// not a list of networks: chatd then refuses to start.
std::optional<net::address_policy> address_policy_of(const settings& s) {
  std::string error;
  auto exempt = net::parse_networks(s.limits_exempt, error);
  if (!exempt) {
    spdlog::critical("--limits-exempt: {}", error);
    return std::nullopt;
  }
  return net::address_policy{s.limits_ipv4_prefix, s.limits_ipv6_prefix, std::move(*exempt)};
}

net::gateway_config gateway_settings(const settings& s, net::address_policy addresses,
                                     net::tls_context tls) {
  net::gateway_config g;
  g.host = s.host;
  g.port = s.port;
  g.plain = !s.tls_only;
  g.tls = std::move(tls);
  g.tls_port = s.tls_port > 0 ? static_cast<uint16_t>(s.tls_port) : 0;
  g.tls_handshake_timeout = s.tls_handshake_timeout;
  g.max_line_bytes = s.max_line_bytes;
  g.read_chunk_bytes = s.read_chunk_bytes;
  g.send_queue_bytes = s.send_queue_bytes;
  g.max_connections = s.max_connections;
  g.max_connections_per_ip = s.max_connections_per_ip;
  g.max_connections_per_minute = s.max_connections_per_minute;
  g.addresses = std::move(addresses);
  g.login_timeout = s.login_timeout;
  g.idle_timeout = s.idle_timeout;
  event refusal;
  refusal.kind = event_kind::notice;
  refusal.text = "server full: too many connections, try again later";
  g.refusal_total = render_event(refusal, output_mode::text);
  refusal.text = "too many connections from your address";
  g.refusal_per_ip = render_event(refusal, output_mode::text);
  refusal.text = "too many new connections from your network, try again later";
  g.refusal_rate = render_event(refusal, output_mode::text);
  return g;
}

bool write_port_file(const std::string& path, uint16_t port) {
  std::ofstream out(path + ".tmp");
  out << port << "\n";
  out.close();
  // Renamed into place so that a reader never sees a half-written file.
  return out && std::rename((path + ".tmp").c_str(), path.c_str()) == 0;
}

void wait_for_down(caf::actor_system& sys, const caf::actor& who, std::chrono::seconds limit) {
  caf::scoped_actor self{sys};
  self->monitor(who);
  self->receive(
      [](const caf::down_msg&) {},
      caf::after(limit) >> [] { spdlog::warn("shutdown: gateway did not stop in time"); });
}

// Opens the cluster port (publishing the lobby there) and tells the lobby to
// link with its peers. Returns the bound port, or 0 if it could not open.
uint16_t open_cluster_port(caf::actor_system& sys, const caf::actor& lobby, const settings& s,
                           uint16_t port) {
  caf::expected<uint16_t> bound = caf::sec::no_actor_published_at_port;
  if (auto tls = sys.registry().get(cluster_middleman_key)) {
    caf::scoped_actor self{sys};
    self->request(caf::actor_cast<caf::io::middleman_actor>(tls), std::chrono::seconds(5),
                  caf::publish_atom::value, port, caf::actor_cast<caf::strong_actor_ptr>(lobby),
                  sys.message_types(lobby), s.cluster_host, true)
        .receive([&](uint16_t p) { bound = p; }, [&](caf::error& e) { bound = std::move(e); });
  } else {
    bound = sys.middleman().publish(lobby, port, s.cluster_host.c_str(), true);
  }
  if (!bound) {
    spdlog::critical("cannot open the cluster port {}:{}: {}", s.cluster_host, port,
                     sys.render(bound.error()));
    return 0;
  }
  return *bound;
}

// SIGUSR2 (PROTOCOL.md, for fault tests): drop every cluster link and accept
// or dial none until the next SIGUSR2; both sides keep running.
void toggle_partition(caf::actor_system& sys, const caf::actor& lobby, const settings& s,
                      uint16_t client_port, uint16_t tls_port, uint16_t cluster_port,
                      bool& partitioned) {
  partitioned = !partitioned;
  caf::scoped_actor self{sys};
  if (partitioned) {
    // The lobby first, so that it neither dials nor takes a hello meanwhile.
    self->request(lobby, std::chrono::seconds(5), partition_switch{true})
        .receive([](bool) {}, [](caf::error&) {});
    sys.middleman().close(cluster_port);
    int cut = cut_cluster_links(client_port, tls_port);
    spdlog::warn("partition: cluster port closed, {} cluster connections cut", cut);
    return;
  }
  if (open_cluster_port(sys, lobby, s, cluster_port) == 0) return;
  self->request(lobby, std::chrono::seconds(5), partition_switch{false})
      .receive([](bool) {}, [](caf::error&) {});
  spdlog::warn("partition healed: cluster port open again");
}

// The TLS context of the client port from the files in the settings; null
// (with the reason logged) when they cannot be used.
net::tls_context load_tls(const settings& s) {
  auto made = net::make_server_tls(s.tls_cert, s.tls_key);
  if (!made) spdlog::error("{}", made.error);
  return made.context;
}

// SIGHUP: re-reads the TLS certificate and key. New TLS connections get them;
// open ones keep the old ones. Files that cannot be used change nothing.
void reload_tls_files(const caf::actor& gateway, const settings& s) {
  if (s.tls_port < 0) {
    spdlog::info("SIGHUP: no TLS port, nothing to reload");
    return;
  }
  auto context = load_tls(s);
  if (!context) {
    spdlog::error("SIGHUP: TLS certificate not reloaded; the old one stays in use");
    return;
  }
  caf::anon_send(gateway, net::reload_tls{std::move(context)});
  spdlog::info("SIGHUP: TLS certificate {} and key {} reloaded", s.tls_cert, s.tls_key);
}

uint16_t ask_port(caf::actor_system& sys, const caf::actor& gateway, bool tls) {
  uint16_t port = 0;
  caf::scoped_actor self{sys};
  auto answer = [&](uint16_t p) { port = p; };
  if (tls) {
    self->request(gateway, std::chrono::seconds(5), net::tls_port_atom::value)
        .receive(answer, [](caf::error&) {});
  } else {
    self->request(gateway, std::chrono::seconds(5), net::port_atom::value)
        .receive(answer, [](caf::error&) {});
  }
  return port;
}

lobby_seed load_seed(storage::database& db, const settings& s) {
  lobby_seed seed;
  seed.rooms = db.load_rooms();
  seed.dropped = db.load_dropped_room_ids();
  seed.users = db.load_users();
  seed.max_room_id = db.max_room_id();
  add_default_rooms(db, s, seed);
  return seed;
}

int serve(const launch_options& options) {
  auto config = std::make_shared<const settings>(options.config);
  if (!is_valid_name(config->node_name, name_kind::nick)) {
    spdlog::critical("node name '{}' is not valid: it follows the rules of nicks",
                     config->node_name);
    return 1;
  }
  if (auto problem = cluster_security_problem(*config); !problem.empty()) {
    spdlog::critical("{}", problem);
    return 1;
  }
  if (config->cluster_port >= 0 && !config->cluster_insecure) {
    if (auto problem = check_cluster_credentials(*config); !problem.empty()) {
      spdlog::critical("{}", problem);
      return 1;
    }
    if (auto warning = key_file_permission_warning(config->cluster_key); !warning.empty())
      spdlog::warn("{}", warning);
  } else if (config->cluster_insecure) {
    spdlog::warn(
        "--cluster-insecure: cluster links are plain TCP without authentication; "
        "only for a cluster on this machine");
  }
  auto addresses = address_policy_of(*config);
  if (!addresses) return 1;
  std::unique_ptr<storage::database_lock> db_lock;  // held until serve() returns
  net::tls_context tls;
  if (config->tls_port >= 0 && !(tls = load_tls(*config))) {
    spdlog::critical("cannot open the TLS port: fix --tls-cert and --tls-key");
    return 1;
  }
  std::unique_ptr<storage::database> db;
  lobby_seed seed;
  try {
    // Before the database is opened: a second chatd must not even run the
    // migrations on a file another one serves.
    db_lock = std::make_unique<storage::database_lock>(config->db_path);
    db = std::make_unique<storage::database>(config->db_path);
    seed = load_seed(*db, *config);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  node_config cfg{*config};
  caf::actor_system sys{cfg};
  tls_transport transport;
  if (sys.has_openssl_manager()) {
    transport = spawn_tls_transport(sys, config->cluster_handshake_timeout);
    sys.registry().put(cluster_middleman_key,
                       caf::actor_cast<caf::strong_actor_ptr>(transport.middleman));
  }
  auto stop_transport = [&] {
    if (!transport.middleman) return;
    sys.registry().erase(cluster_middleman_key);
    caf::anon_send_exit(transport.middleman, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(transport.watchdog, caf::exit_reason::user_shutdown);
  };
  auto store = storage::spawn_storage(sys, std::move(db));
  auto passwords = storage::spawn_password_pool(
      sys, storage::password_pool_settings{config->hash_threads, config->hash_queue});
  auto lobby = spawn_lobby(sys, config, store, passwords, std::move(seed));
  auto stop_core = [&] {
    stop_transport();
    caf::anon_send(lobby, lobby_shutdown_atom::value);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(passwords, caf::exit_reason::user_shutdown);
  };
  auto gateway = net::spawn_gateway(
      sys, gateway_settings(*config, *addresses, tls),
      [&sys, lobby, config](const caf::actor& gw, net::conn_id conn, const std::string& peer) {
        return spawn_session(sys, gw, conn, peer, lobby, config);
      });
  if (!gateway) {
    spdlog::critical("cannot listen on {}:{}: {}", config->host, config->port,
                     sys.render(gateway.error()));
    stop_core();
    return 1;
  }
  const uint16_t port = config->tls_only ? 0 : ask_port(sys, *gateway, false);
  const uint16_t tls_port = config->tls_port >= 0 ? ask_port(sys, *gateway, true) : 0;
  if (port != 0)
    spdlog::info("chatd node {} listening on {}:{}, database {}", config->node_name, config->host,
                 port, config->db_path);
  if (tls_port != 0)
    spdlog::info("chatd node {} listening for TLS on {}:{}{}", config->node_name, config->host,
                 tls_port, config->tls_only ? " only" : "");
  // The TLS port file first: once the client port file is there, both are.
  if (!options.tls_port_file.empty() && !write_port_file(options.tls_port_file, tls_port))
    spdlog::error("cannot write port file {}", options.tls_port_file);
  // With --tls-only the port clients use is the TLS port.
  const uint16_t client_port = port != 0 ? port : tls_port;
  if (!options.port_file.empty() && !write_port_file(options.port_file, client_port))
    spdlog::error("cannot write port file {}", options.port_file);

  uint16_t cluster_port = 0;
  if (config->cluster_port >= 0) {
    cluster_port =
        open_cluster_port(sys, lobby, *config, static_cast<uint16_t>(config->cluster_port));
    if (cluster_port == 0) {
      caf::anon_send_exit(*gateway, caf::exit_reason::user_shutdown);
      stop_core();
      return 1;
    }
    auto endpoint = config->cluster_host + ":" + std::to_string(cluster_port);
    spdlog::info("cluster {}: node {} (room id slot {}) at {}", config->cluster_name,
                 config->node_name, node_slot(config->node_name, config->node_id), endpoint);
    if (!options.cluster_port_file.empty() &&
        !write_port_file(options.cluster_port_file, cluster_port))
      spdlog::error("cannot write port file {}", options.cluster_port_file);
    caf::anon_send(lobby, cluster_start_atom::value, endpoint);
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR2);
  sigaddset(&signals, SIGHUP);
  int signal_number = 0;
  bool partitioned = false;
  for (;;) {
    sigwait(&signals, &signal_number);
    if (signal_number == SIGHUP) {
      reload_tls_files(*gateway, *config);
      continue;
    }
    if (signal_number != SIGUSR2) break;
    if (cluster_port == 0) continue;  // alone: nothing to cut
    toggle_partition(sys, lobby, *config, port, tls_port, cluster_port, partitioned);
  }
  spdlog::info("signal {} received: shutting down", signal_number);
  // Peers see a node that shuts down as gone: its users leave with `netsplit`.
  if (cluster_port != 0 && !partitioned)
    toggle_partition(sys, lobby, *config, port, tls_port, cluster_port, partitioned);

  event bye;
  bye.kind = event_kind::notice;
  bye.text = "server shutting down";
  bye.ts_ms = now_ms();
  caf::anon_send(*gateway, net::shutdown_gateway{render_event(bye, output_mode::text),
                                                 render_event(bye, output_mode::json)});
  wait_for_down(sys, *gateway, std::chrono::seconds(3));
  // Behind every write already queued: the storage actor commits them first.
  stop_core();
  return 0;  // leaving the scope of `sys` waits for every actor to finish
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = chat::parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  spdlog::set_level(spdlog::level::from_str(options->log_level));

  // Blocked before any thread starts, so every CAF thread inherits the mask and
  // only sigwait() in serve() sees these signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR2);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return serve(*options);
}
