// chatd: one node of the chat service. Thin on purpose: read the settings,
// open the database, start the storage, lobby and gateway actors, and wait
// for SIGINT or SIGTERM to shut down in order.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <csignal>
#include <fstream>
#include <memory>

#include "actors/lobby.hpp"
#include "actors/messages.hpp"
#include "actors/names.hpp"
#include "actors/render.hpp"
#include "actors/session.hpp"
#include "apps/chatd/options.hpp"
#include "net/gateway.hpp"
#include "net/messages.hpp"
#include "storage/database.hpp"
#include "storage/password.hpp"
#include "storage/storage_actor.hpp"

namespace {

using namespace chat;

struct node_config : caf::actor_system_config {
  explicit node_config(const settings& s) {
    load<caf::io::middleman>();
    register_actor_messages(*this);
    net::register_net_messages(*this);
    storage::register_storage_messages(*this);
    storage::register_password_messages(*this);
    if (s.threads > 0) set("scheduler.max-threads", s.threads);
  }
};

// Creates the configured default rooms that the database does not have yet.
void add_default_rooms(storage::database& db, const settings& s,
                       std::vector<storage::room_record>& rooms, uint64_t& max_id) {
  std::vector<storage::write_op> ops;
  for (auto& name : s.default_rooms) {
    if (!is_valid_name(name, name_kind::room)) {
      spdlog::warn("default room '{}' is not a valid room name: skipped", name);
      continue;
    }
    auto key = fold_name(name);
    bool present =
        std::any_of(rooms.begin(), rooms.end(), [&](auto& r) { return fold_name(r.name) == key; });
    if (present) continue;
    storage::room_record record{++max_id, name, "", "", now_ms()};
    ops.push_back(storage::create_room_op{record});
    rooms.push_back(record);
    spdlog::info("room {} (id {}) created as a default room", name, record.id);
  }
  if (!ops.empty()) db.apply(ops);
}

net::gateway_config gateway_settings(const settings& s) {
  net::gateway_config g;
  g.host = s.host;
  g.port = s.port;
  g.max_line_bytes = s.max_line_bytes;
  g.read_chunk_bytes = s.read_chunk_bytes;
  g.send_queue_bytes = s.send_queue_bytes;
  g.max_connections = s.max_connections;
  g.max_connections_per_ip = s.max_connections_per_ip;
  event refusal;
  refusal.kind = event_kind::notice;
  refusal.text = "server full: too many connections, try again later";
  g.refusal_total = render_event(refusal, output_mode::text);
  refusal.text = "too many connections from your address";
  g.refusal_per_ip = render_event(refusal, output_mode::text);
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

int serve(const launch_options& options) {
  auto config = std::make_shared<const settings>(options.config);
  std::unique_ptr<storage::database> db;
  std::vector<storage::room_record> rooms;
  uint64_t max_room_id = 0;
  try {
    db = std::make_unique<storage::database>(config->db_path);
    rooms = db->load_rooms();
    max_room_id = db->max_room_id();
    add_default_rooms(*db, *config, rooms, max_room_id);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  node_config cfg{*config};
  caf::actor_system sys{cfg};
  auto store = storage::spawn_storage(sys, std::move(db));
  auto lobby = spawn_lobby(sys, config, store, std::move(rooms), max_room_id);
  auto gateway = net::spawn_gateway(
      sys, gateway_settings(*config),
      [&sys, lobby, config](const caf::actor& gw, net::conn_id conn, const std::string& peer) {
        return spawn_session(sys, gw, conn, peer, lobby, config);
      });
  if (!gateway) {
    spdlog::critical("cannot listen on {}:{}: {}", config->host, config->port,
                     sys.render(gateway.error()));
    caf::anon_send(lobby, lobby_shutdown_atom::value);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    return 1;
  }
  uint16_t port = 0;
  caf::scoped_actor {
    sys
    } -> request(*gateway, std::chrono::seconds(5), net::port_atom::value)
        .receive([&](uint16_t p) { port = p; }, [](caf::error&) {});
  spdlog::info("chatd node {} listening on {}:{}, database {}", config->node_name, config->host,
               port, config->db_path);
  if (!options.port_file.empty() && !write_port_file(options.port_file, port))
    spdlog::error("cannot write port file {}", options.port_file);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {} received: shutting down", signal_number);

  event bye;
  bye.kind = event_kind::notice;
  bye.text = "server shutting down";
  bye.ts_ms = now_ms();
  caf::anon_send(*gateway, net::shutdown_gateway{render_event(bye, output_mode::text),
                                                 render_event(bye, output_mode::json)});
  wait_for_down(sys, *gateway, std::chrono::seconds(3));
  caf::anon_send(lobby, lobby_shutdown_atom::value);
  // Behind every write already queued: the storage actor commits them first.
  caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
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
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return serve(*options);
}
