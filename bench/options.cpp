#include "bench/options.hpp"

#include <arpa/inet.h>

#include <CLI/CLI.hpp>
#include <iostream>

namespace bench {
namespace {

// The scenario flags, each remembered so that a preset fills only the ones
// that were not given.
struct scenario_flags {
  CLI::Option* clients;
  CLI::Option* rooms;
  CLI::Option* senders;
  CLI::Option* rate;
  CLI::Option* window;
  CLI::Option* duration;
  CLI::Option* concurrency;
  CLI::Option* pad;
};

scenario_flags add_scenario_flags(CLI::App& app, scenario& s) {
  const std::string group = "Scenario (override the preset)";
  scenario_flags f;
  f.clients = app.add_option("--clients,-n", s.clients, "Client connections")->group(group);
  f.rooms = app.add_option("--rooms", s.rooms, "Rooms; 0: clients stay in the lobby")->group(group);
  f.senders = app.add_option("--senders", s.senders_per_room, "Senders per room")->group(group);
  f.rate = app.add_option("--rate", s.rate_per_sender,
                          "Messages/s per sender; 0: as fast as the window allows")
               ->check(CLI::NonNegativeNumber)
               ->group(group);
  f.window = app.add_option("--window", s.window, "Messages in flight per sender")
                 ->check(CLI::Range(1u, 1u << 20))
                 ->group(group);
  f.duration = app.add_option("--duration", s.duration_s,
                              "Seconds of traffic (idle: seconds to stay connected)")
                   ->check(CLI::Range(0.0, 3600.0))
                   ->group(group);
  f.concurrency = app.add_option("--connect-concurrency", s.connect_concurrency,
                                 "Connections logging in at once; 0: all at once")
                      ->group(group);
  f.pad = app.add_option("--pad", s.pad_bytes, "Filler bytes added to each message")
              ->check(CLI::Range(0, 3000))
              ->group(group);
  return f;
}

template <class T>
void fill_unless_given(CLI::Option* flag, T& field, const T& preset_value) {
  if (flag->count() == 0) field = preset_value;
}

void apply_preset(const scenario_flags& f, const scenario& preset, scenario& s) {
  s.name = preset.name;
  fill_unless_given(f.clients, s.clients, preset.clients);
  fill_unless_given(f.rooms, s.rooms, preset.rooms);
  fill_unless_given(f.senders, s.senders_per_room, preset.senders_per_room);
  fill_unless_given(f.rate, s.rate_per_sender, preset.rate_per_sender);
  fill_unless_given(f.window, s.window, preset.window);
  fill_unless_given(f.duration, s.duration_s, preset.duration_s);
  fill_unless_given(f.concurrency, s.connect_concurrency, preset.connect_concurrency);
  fill_unless_given(f.pad, s.pad_bytes, preset.pad_bytes);
}

void add_target_flags(CLI::App& app, bench_options& o) {
  app.add_option("--dialect", o.dialect, "Protocol: chat (chatd) or irc")
      ->check(CLI::IsMember({"chat", "irc"}))
      ->capture_default_str();
  app.add_option("--host", o.host, "Server address (loopback only)")
      ->check([](const std::string& host) -> std::string {
        in_addr addr{};
        if (inet_pton(AF_INET, host.c_str(), &addr) != 1) return "not an IPv4 address";
        if ((ntohl(addr.s_addr) >> 24) != 127) return "only loopback (127.0.0.0/8) is allowed";
        return {};
      })
      ->capture_default_str();
  app.add_option("--port", o.ports,
                 "Server port; several, comma-separated (a cluster's nodes): clients go to "
                 "them round robin, and the report has figures per server")
      ->delimiter(',')
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  app.add_option("--server-pid", o.server_pid, "Server process for memory and CPU figures");
  app.add_flag("--tls", o.tls, "Speak TLS (to chatd's --tls-port); certificates are not checked");
  app.add_option("--conns-per-source", o.conns_per_source,
                 "Connections per 127.0.0.x source address (the next address beyond)")
      ->check(CLI::Range(1u, 60000u))
      ->capture_default_str();
  app.add_option("--nick-prefix", o.nick_prefix, "Nicks are <prefix><index>")
      ->capture_default_str();
  app.add_option("--room-prefix", o.room_prefix, "Rooms are <prefix><index>")
      ->capture_default_str();
}

void add_timing_flags(CLI::App& app, bench_options& o) {
  const std::string group = "Time bounds";
  app.add_option("--setup-timeout", o.setup_timeout_s, "Seconds for each of login and join")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("--drain-timeout", o.drain_timeout_s, "Seconds to wait for late deliveries")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("--in-flight-timeout", o.in_flight_timeout_s,
                 "Seconds before an undelivered message frees its window slot")
      ->check(CLI::Range(0.001, 600.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("--room-spread-timeout", o.room_spread_s,
                 "With several servers: seconds a new room may take to reach them all "
                 "(joins that find no room are repeated until then)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("--settle-max", o.settle_max_s, "Seconds at most for setup traffic to calm")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-messages", o.max_messages, "Messages sent at most, whatever the duration")
      ->capture_default_str()
      ->group(group);
}

void add_report_flags(CLI::App& app, bench_options& o) {
  const std::string group = "Report";
  app.add_option("--json", o.json_path, "Write the report as JSON to this file ('-': stdout)")
      ->group(group);
  app.add_option("--tsv", o.tsv_path, "Append a one-line summary to this TSV file")->group(group);
  app.add_option("--servers-tsv", o.servers_tsv_path,
                 "With several ports: append one line per server to this TSV file")
      ->group(group);
  app.add_option("--label", o.label, "Name of the run in the TSV row")->group(group);
  app.add_flag("--strict", o.strict, "Exit 1 on any loss, duplicate, reordering or failed client")
      ->group(group);
  app.add_flag("--quiet,-q", o.quiet, "No text report")->group(group);
}

}  // namespace

std::optional<bench_options> parse_options(int argc, char** argv, int& exit_code) {
  bench_options o;
  CLI::App app{"chat-bench: load generator for chatd (and any IRC server), loopback only"};
  std::string preset_name = "custom";
  std::string presets;
  for (auto& name : preset_names()) presets += (presets.empty() ? "" : ", ") + name;
  app.add_option("--scenario,-s", preset_name, "Preset: " + presets)
      ->check(CLI::IsMember(preset_names()))
      ->capture_default_str();
  scenario_flags flags = add_scenario_flags(app, o.plan);
  add_target_flags(app, o);
  add_timing_flags(app, o);
  add_report_flags(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  if (o.ports.empty()) {
    std::cerr << "--port: at least one port\n";
    exit_code = 2;
    return std::nullopt;
  }
  apply_preset(flags, *preset_scenario(preset_name), o.plan);
  if (o.label.empty()) o.label = o.plan.name;
  return o;
}

}  // namespace bench
