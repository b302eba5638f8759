// Everything a run measured, as plain data: filled by the load driver,
// written out by report.cpp. Counts are over the whole run unless a comment
// says otherwise.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/latency_histogram.hpp"
#include "bench/scenario.hpp"

namespace bench {

struct setup_result {
  uint32_t clients = 0;
  uint32_t connected = 0;  // TCP connections established
  uint32_t logged_in = 0;
  uint32_t joined = 0;              // clients in their room (rooms > 0 only)
  uint32_t connect_failed = 0;      // connect() failed: refused, no address, ...
  uint32_t refused = 0;             // closed, refused or timed out before the login succeeded
  uint32_t join_failed = 0;         // closed, refused or timed out while joining
  uint32_t join_retries = 0;        // joins repeated: the room had not reached that node yet
  double connect_login_s = 0;       // from the first connect to the last successful login
  double join_s = 0;                // from the first join to the last one done
  latency_histogram login_latency;  // per client: connect() to the login reply
  std::map<std::string, uint64_t> failures;  // why clients failed, by reason

  bool complete(bool rooms) const { return logged_in == clients && (!rooms || joined == clients); }
};

// What the members on one server received, when the clients are spread over
// several (server_spread.hpp): a cluster's figures per receiving node.
struct server_traffic {
  std::string address;             // host:port
  uint32_t clients = 0;            // clients that talk to this server
  uint32_t senders = 0;            // of them, senders
  uint64_t deliveries = 0;         // first arrivals at its members, run and drain
  uint64_t deliveries_in_run = 0;  // first arrivals before sending stopped
  latency_histogram latency;       // send (on any server) to arrival at its members
};

struct traffic_result {
  uint64_t senders = 0;
  uint64_t sent = 0;
  uint64_t expected = 0;           // sent x members who should receive each message
  uint64_t deliveries = 0;         // first arrivals, during the run and the drain
  uint64_t deliveries_in_run = 0;  // first arrivals before sending stopped
  uint64_t lost = 0;               // expected, never arrived
  uint64_t duplicated = 0;         // arrived again
  uint64_t out_of_order = 0;       // arrived after a later message of the same sender
  uint64_t foreign = 0;            // chat lines that are not this run's messages
  uint64_t window_stalls = 0;      // rate mode: sends skipped because the window was full
  uint64_t window_expired = 0;     // messages given up on (in_flight_timeout_s) to free the window
  double run_s = 0;                // time spent sending
  double drain_s = 0;              // time waiting for late deliveries
  latency_histogram latency;       // send to arrival, every first arrival
  std::map<std::string, uint64_t> refused_sends;  // chat lines refused, by error code
  std::vector<server_traffic> per_server;         // only when spread over several servers

  double deliveries_per_sec() const { return run_s > 0 ? deliveries_in_run / run_s : 0; }
  double deliveries_per_sec(const server_traffic& s) const {
    return run_s > 0 ? s.deliveries_in_run / run_s : 0;
  }
};

struct server_figures {
  pid_t pid = 0;              // 0: no figures
  bool available = false;     // /proc could be read at the start
  uint64_t rss_start_kb = 0;  // before the first connect
  uint64_t rss_ready_kb = 0;  // everyone logged in and in their rooms, setup traffic calm
  uint64_t rss_end_kb = 0;
  uint64_t peak_rss_kb = 0;  // VmHWM at the end: the peak over the server's life
  double cpu_s_total = 0;    // user + system, over the whole run
  double cpu_s_traffic = 0;  // user + system, while sending
  uint32_t connections = 0;  // logged-in connections at `ready`

  // Memory the server spent per connection: growth from start to ready.
  double rss_per_connection_bytes() const {
    if (connections == 0 || rss_ready_kb < rss_start_kb) return 0;
    return (rss_ready_kb - rss_start_kb) * 1024.0 / connections;
  }
};

struct bench_result {
  std::string label;
  std::string dialect;
  scenario plan;
  setup_result setup;
  traffic_result traffic;
  server_figures server;
  uint64_t disconnects = 0;                       // connections lost after setup
  std::map<std::string, uint64_t> server_errors;  // other error replies, by code
  double wall_s = 0;
  double bench_cpu_s = 0;
  uint64_t bench_peak_rss_kb = 0;

  // No client failed, nothing was lost, duplicated or reordered.
  bool clean() const {
    return setup.complete(plan.rooms > 0) && disconnects == 0 && traffic.lost == 0 &&
           traffic.duplicated == 0 && traffic.out_of_order == 0;
  }
};

}  // namespace bench
