// chat-bench's command line: the scenario (a preset plus overrides) and how
// to reach and watch the server. One struct, defaults beside the fields.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/scenario.hpp"

namespace bench {

struct bench_options {
  scenario plan;                         // what to run (scenario.hpp)
  std::string dialect = "chat";          // chat (chatd) or irc
  std::string host = "127.0.0.1";        // the server; loopback only (127.0.0.0/8)
  std::vector<uint16_t> ports{5000};     // several: a cluster's nodes, clients round robin
  uint32_t conns_per_source = 10000;     // beyond this many, the next 127.0.0.x source address
  pid_t server_pid = 0;                  // 0: no server memory or CPU figures
  std::string nick_prefix = "b";         // nicks are <prefix><client index>
  std::string room_prefix = "bench";     // rooms are <prefix><room index>
  double setup_timeout_s = 120;          // bound on each setup phase (login, join)
  double settle_quiet_s = 0.3;           // setup is over when input has been quiet this long...
  double settle_max_s = 30;              // ...or after this long at most
  double room_spread_s = 10;             // several servers: a new room reaches them all by then
  double drain_timeout_s = 5;            // wait for the last deliveries after sending stops
  double in_flight_timeout_s = 5;        // a message not complete by then frees its window slot
  std::size_t max_line_bytes = 4 << 20;  // longer server lines: the connection is broken
  uint64_t max_messages = 100'000'000;   // sending stops here whatever the duration
  std::string json_path;                 // machine-readable report ("-": stdout)
  std::string tsv_path;                  // append one summary row (for bench/run.sh)
  std::string servers_tsv_path;          // append one row per server (several ports only)
  std::string label;                     // names the run in the TSV row (default: scenario)
  bool strict = false;                   // exit 1 on any loss, duplicate, reordering or failure
  bool quiet = false;                    // no text report
  bool tls = false;                      // connect over TLS (chatd's --tls-port)
};

// Parses argv. Returns nullopt when the program should exit at once with
// `exit_code` (after --help or a bad flag, whose message has been printed).
std::optional<bench_options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace bench
