#include "apps/chatd/options.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "actors/welcome.hpp"

namespace chat {
namespace {

void add_server_flags(CLI::App& app, launch_options& o) {
  auto& c = o.config;
  app.add_option("--host", c.host, "Address to listen on for clients")->capture_default_str();
  app.add_option("--port", c.port, "Port for clients (0: any free port)")->capture_default_str();
  app.add_option("--db", c.db_path, "SQLite database file (created with its folder)")
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--threads", c.threads, "Scheduler worker threads (0: one per core, at least 4)")
      ->capture_default_str();
  app.add_option("--node", c.node_name, "This node's name, shown in /who and /stats")
      ->capture_default_str();
  app.add_option_function<std::string>(
      "--motd-file",
      [&c](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw CLI::ValidationError("--motd-file", "cannot read " + path);
        std::ostringstream text;
        text << in.rdbuf();
        c.motd = text.str();
        if (auto problem = motd_problem(c.motd); !problem.empty())
          throw CLI::ValidationError("--motd-file", path + ": " + problem);
      },
      "Message of the day, shown to every connection in the banner (UTF-8, at most 4096 bytes)");
  app.add_option("--port-file", o.port_file, "Write the bound client port to this file");
  app.add_option("--default-room", c.default_rooms, "Rooms created at first start (repeatable)")
      ->capture_default_str();
}

void add_cluster_flags(CLI::App& app, launch_options& o) {
  auto& c = o.config;
  const std::string group = "Cluster (docs/cluster.md)";
  auto ms = [&](const char* name, std::chrono::milliseconds& field, const char* help) {
    app.add_option_function<int64_t>(
           name, [&field](int64_t v) { field = std::chrono::milliseconds(v); }, help)
        ->default_str(std::to_string(field.count()))
        ->check(CLI::PositiveNumber)
        ->group(group);
  };
  app.add_option("--cluster-name", c.cluster_name, "Cluster name; nodes of another are refused")
      ->capture_default_str()
      ->group(group);
  app.add_option("--cluster-host", c.cluster_host, "Address of the cluster port")
      ->capture_default_str()
      ->group(group);
  app.add_option("--cluster-port", c.cluster_port,
                 "Port for the other nodes (0: any free port); without it the node runs alone")
      ->check(CLI::Range(0, 65535))
      ->group(group);
  app.add_option("--cluster-port-file", o.cluster_port_file,
                 "Write the bound cluster port to this file")
      ->group(group);
  app.add_option("--peer", c.peers, "HOST:PORT of a node to link with (repeatable); one is enough")
      ->group(group);
  app.add_option("--node-id", c.node_id,
                 "Room id slot 1..1023, unique in the cluster (0: derived from --node)")
      ->check(CLI::Range(0, 1023))
      ->capture_default_str()
      ->group(group);
  app.add_option("--cluster-ca", c.cluster_ca, "PEM file of the cluster CA (docs/security.md)")
      ->group(group);
  app.add_option("--cluster-cert", c.cluster_cert, "PEM file of this node's certificate")
      ->group(group);
  app.add_option("--cluster-key", c.cluster_key, "PEM file of this node's private key")
      ->group(group);
  app.add_flag("--cluster-insecure", c.cluster_insecure,
               "Link without TLS; refused unless the cluster host and every peer are loopback")
      ->group(group);
  ms("--heartbeat-interval-ms", c.heartbeat_interval,
     "Heartbeat between nodes; the same on every node");
  ms("--heartbeat-timeout-ms", c.heartbeat_timeout,
     "A node silent this long is gone (netsplit); the same on every node");
  ms("--cluster-handshake-timeout-ms", c.cluster_handshake_timeout,
     "A cluster connection whose TLS handshake takes longer is closed");
  ms("--redial-max-ms", c.redial_max, "Longest wait between attempts to link with a lost node");
  ms("--anti-entropy-ms", c.anti_entropy_interval,
     "How often linked nodes compare digests of their replicated state and repair differences");
}

void add_tls_flags(CLI::App& app, launch_options& o) {
  auto& c = o.config;
  const std::string group = "TLS for clients (docs/security-clients.md)";
  auto* port =
      app.add_option("--tls-port", c.tls_port, "Port for clients over TLS (0: any free port)")
          ->check(CLI::Range(0, 65535))
          ->group(group);
  auto* cert = app.add_option("--tls-cert", c.tls_cert,
                              "PEM certificate of the TLS port (re-read on SIGHUP)")
                   ->group(group);
  auto* key = app.add_option("--tls-key", c.tls_key, "PEM private key of --tls-cert")->group(group);
  port->needs(cert)->needs(key);
  cert->needs(port);
  key->needs(port);
  app.add_flag("--tls-only", c.tls_only, "No plain client port: clients must use TLS")
      ->needs(port)
      ->group(group);
  app.add_option_function<int64_t>(
         "--tls-handshake-timeout-ms",
         [&c](int64_t ms) { c.tls_handshake_timeout = std::chrono::milliseconds(ms); },
         "Milliseconds a TLS handshake may take before the connection is closed")
      ->default_str(std::to_string(c.tls_handshake_timeout.count()))
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--tls-port-file", o.tls_port_file, "Write the bound TLS port to this file")
      ->group(group);
}

void add_limit_flags(CLI::App& app, settings& c) {
  const std::string group = "Limits";
  auto add = [&](const char* name, auto& field, const char* help) {
    app.add_option(name, field, help)->capture_default_str()->group(group);
  };
  add("--max-line-bytes", c.max_line_bytes, "Longest input line; longer ones: line_too_long");
  add("--read-chunk-bytes", c.read_chunk_bytes, "Read buffer per connection");
  add("--send-queue-bytes", c.send_queue_bytes, "Unsent output that ends a session (timeout)");
  add("--max-queued-lines", c.max_queued_lines,
      "Input lines waiting behind a slow command that end a session (flood)");
  add("--max-connections", c.max_connections, "Client connections in all");
  add("--max-connections-per-ip", c.max_connections_per_ip,
      "Client connections open at once from one network (see --limits-ipv*-prefix)");
  add("--max-connections-per-minute", c.max_connections_per_minute,
      "New connections a minute from one network (0: no limit)");
  add("--max-registrations-per-hour", c.max_registrations_per_hour,
      "/register a hour from one network (0: no limit)");
  add("--max-room-creations-per-hour", c.max_room_creations_per_hour,
      "/create a hour from one network (0: no limit)");
  add("--max-rooms-per-unregistered-session", c.max_rooms_per_unregistered_session,
      "Rooms a session with an unregistered nick may create");
  app.add_option("--limits-ipv4-prefix", c.limits_ipv4_prefix,
                 "IPv4 addresses count as one network per this many leading bits")
      ->capture_default_str()
      ->check(CLI::Range(0, 32))
      ->group(group);
  app.add_option("--limits-ipv6-prefix", c.limits_ipv6_prefix,
                 "IPv6 addresses count as one network per this many leading bits")
      ->capture_default_str()
      ->check(CLI::Range(0, 128))
      ->group(group);
  add("--limits-exempt", c.limits_exempt,
      "Comma-separated networks free of the per-network limits (\"\": none)");
  add("--rate-burst", c.rate_burst, "Chat lines' worth of input a session may send at once");
  add("--rate-per-sec", c.rate_per_sec, "Chat lines' worth of input per second, sustained");
  add("--max-held-lines", c.max_held_lines,
      "Input lines held back beyond the burst (fakelag); one more is refused rate_limited");
  add("--cost-listing", c.costs.listing, "Weight of /who, /rooms and /login, in chat lines");
  add("--cost-heavy", c.costs.heavy, "Weight of /create and /register, in chat lines");
  add("--rate-strikes-to-kick", c.rate_strikes_to_kick,
      "Refused lines in a row that end a session");
  add("--max-rooms", c.max_rooms, "Rooms in all");
  add("--max-rooms-per-user", c.max_rooms_per_user, "Rooms one nick may own");
  add("--max-members-per-room", c.max_members_per_room, "Members of one room");
  app.add_option("--nick-expiry-days", c.nick_expiry_days,
                 "Days without a login after which a registration is dropped (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->group(group);
  add("--kdf-ops", c.kdf_ops, "argon2id passes per password hash");
  add("--kdf-mem-bytes", c.kdf_mem_bytes, "argon2id memory per password hash");
  add("--max-password-bytes", c.max_password_bytes, "Longest password");
  add("--hash-threads", c.hash_threads, "Password hashing threads (0: one less than the cores)");
  add("--hash-queue", c.hash_queue,
      "Password hashes that may wait for a thread; beyond, login and /register get unavailable");
}

void add_timeout_flags(CLI::App& app, settings& c) {
  const std::string group = "Timeouts";
  auto seconds = [&](const char* name, std::chrono::seconds& field, const char* help) {
    app.add_option_function<int64_t>(
           name, [&field](int64_t s) { field = std::chrono::seconds(s); }, help)
        ->default_str(std::to_string(field.count()))
        ->check(CLI::NonNegativeNumber)
        ->group(group);
  };
  seconds("--login-timeout", c.login_timeout, "Seconds a connection may take to log in (0: off)");
  seconds("--idle-timeout", c.idle_timeout, "Seconds a logged-in session may stay silent (0: off)");
  app.add_option_function<int64_t>(
         "--request-timeout-ms",
         [&c](int64_t ms) { c.request_timeout = std::chrono::milliseconds(ms); },
         "Milliseconds any request between actors may take")
      ->default_str(std::to_string(c.request_timeout.count()))
      ->check(CLI::PositiveNumber)
      ->group(group);
}

}  // namespace

std::optional<launch_options> parse_options(int argc, char** argv, int& exit_code) {
  launch_options options;
  CLI::App app{"chatd: a chat server for telnet and programs (see docs/protocol.md)"};
  app.set_config("--config", "", "Read settings from this TOML/INI file (keys = long flag names)");
  // A key chatd does not know is a typo (or a snake_case spelling) that would
  // otherwise leave the setting at its default without a word: refuse to start.
  app.allow_config_extras(CLI::config_extras_mode::error);
  add_server_flags(app, options);
  add_cluster_flags(app, options);
  add_tls_flags(app, options);
  add_limit_flags(app, options.config);
  add_timeout_flags(app, options.config);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  return options;
}

}  // namespace chat
