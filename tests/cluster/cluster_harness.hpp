// Test harness for multi-node tests: real chatd processes on loopback that
// link into one cluster, each with its own folder, database, client port and
// cluster port. Heartbeats are short so that a lost node is noticed in about
// a second. Every wait has a deadline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../e2e/harness.hpp"

namespace chat::test {

// The heartbeat timeout the nodes run with, and the longest a test waits for
// a lost node to be noticed (the timeout plus slack for a loaded machine).
constexpr auto heartbeat_timeout = 1000ms;
constexpr auto netsplit_deadline = 5s;

class test_cluster {
 public:
  // Starts `nodes` nodes named n1, n2, ...; every node after the first is
  // given only the first as its peer (they learn the rest), and waits until
  // every node is linked with every other.
  // `extra_args` go to every node (and to it again on restart).
  explicit test_cluster(int nodes, std::vector<std::string> extra_args = {});

  int size() const { return static_cast<int>(nodes_.size()); }
  std::string name(int i) const { return "n" + std::to_string(i + 1); }
  uint16_t port(int i) const { return nodes_.at(i).process->port(); }
  server_process& process(int i) { return *nodes_.at(i).process; }
  uint16_t cluster_port(int i) const { return nodes_.at(i).cluster_port; }

  // Starts node i again (after stop/kill) on its folder, database and cluster
  // port; its peer is another node that runs.
  void restart(int i);
  // Sends `sig` to node i and waits for its exit; returns the exit code.
  int stop(int i, int sig) { return nodes_.at(i).process->stop(sig); }
  void signal(int i, int sig);

  // Waits until node i reports (in /stats) exactly these linked nodes.
  bool wait_linked(int i, std::vector<std::string> names, std::chrono::milliseconds limit = 10s);
  // Waits until every running node is linked with every other running node.
  bool wait_mesh(const std::vector<int>& running, std::chrono::milliseconds limit = 10s);
  // /stats of node i, from a fresh connection.
  json stats(int i);

 private:
  struct node {
    std::unique_ptr<temp_dir> dir;
    uint16_t cluster_port = 0;
    std::unique_ptr<server_process> process;
  };
  void start(int i, const std::string& peer);

  temp_dir certs_;  // the cluster CA and every node's certificate and key
  std::vector<std::string> extra_args_;
  std::vector<node> nodes_;
};

// Runs deploy/cluster-certs.sh DIR NODE... (a CA and a certificate per node); returns DIR.
std::string make_cluster_certs(const std::string& dir, const std::vector<std::string>& nodes);
// The chatd flags that give `node` its files made by make_cluster_certs in `dir`.
std::vector<std::string> tls_args(const std::string& dir, const std::string& node);

// Logs `c` in as `nick` and joins `room`; returns false if either failed.
bool login_and_join(client& c, const std::string& nick, const std::string& room);

// Waits until `c` has seen a `join` of each nick in `nicks` (in any order).
bool wait_joins(client& c, std::vector<std::string> nicks, std::chrono::milliseconds limit = 5s);

// Polls `probe` until it returns true or `limit` passes. The state it checks
// changes on another node, with no event to wait for on this connection.
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // A command round trip paces the loop: each probe asks a server.
  }
}

}  // namespace chat::test
