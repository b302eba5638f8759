#include "cluster_harness.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace chat::test {

std::string make_cluster_certs(const std::string& dir, const std::vector<std::string>& nodes) {
  std::string command = std::string{CHATD_SOURCE_DIR} + "/deploy/cluster-certs.sh " + dir;
  for (auto& n : nodes) command += " " + n;
  command += " >/dev/null";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("deploy/cluster-certs.sh failed: " + command);
  return dir;
}

std::vector<std::string> tls_args(const std::string& dir, const std::string& node) {
  return {"--cluster-ca",  dir + "/ca.pem",          "--cluster-cert", dir + "/" + node + ".pem",
          "--cluster-key", dir + "/" + node + ".key"};
}

test_cluster::test_cluster(int nodes, std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {
  nodes_.resize(nodes);
  std::vector<std::string> names;
  for (int i = 0; i < nodes; ++i) names.push_back(name(i));
  make_cluster_certs(certs_.path(), names);
  for (int i = 0; i < nodes; ++i) {
    nodes_[i].dir = std::make_unique<temp_dir>();
    start(i, i == 0 ? "" : "127.0.0.1:" + std::to_string(nodes_[0].cluster_port));
  }
  std::vector<int> all(nodes);
  for (int i = 0; i < nodes; ++i) all[i] = i;
  if (!wait_mesh(all)) throw std::runtime_error("the cluster did not form a full mesh");
}

void test_cluster::start(int i, const std::string& peer) {
  auto& n = nodes_.at(i);
  auto dir = n.dir->path();
  auto cluster_port_file = dir + "/cluster-port";
  std::remove(cluster_port_file.c_str());
  std::vector<std::string> args{"--node", name(i), "--cluster-port", std::to_string(n.cluster_port),
                                "--cluster-port-file", cluster_port_file, "--heartbeat-interval-ms",
                                "200", "--heartbeat-timeout-ms",
                                std::to_string(heartbeat_timeout.count()), "--redial-max-ms", "500",
                                // Tests send bursts; flood control has tests of its own.
                                "--rate-burst", "1000", "--rate-per-sec", "1000"};
  auto tls = tls_args(certs_.path(), name(i));
  args.insert(args.end(), tls.begin(), tls.end());
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  if (!peer.empty()) {
    args.push_back("--peer");
    args.push_back(peer);
  }
  n.process = std::make_unique<server_process>(dir, args);
  // The cluster port file follows the client port's: wait for it too, and
  // keep the port, so that a restart comes back where the peers dial.
  n.cluster_port = wait_for_port_file(n.process->pid(), dir, cluster_port_file);
}

void test_cluster::restart(int i) {
  std::string peer;
  for (int j = 0; j < size(); ++j)
    if (j != i && nodes_[j].process->running())
      peer = "127.0.0.1:" + std::to_string(nodes_[j].cluster_port);
  start(i, peer);
}

void test_cluster::signal(int i, int sig) {
  ::kill(nodes_.at(i).process->pid(), sig);
}

namespace {
// Probe clients log in under names of their own: a probe's nick may still be
// online for a moment after its connection closed.
std::string probe_nick(const char* what) {
  static int count = 0;
  return std::string{what} + "-probe-" + std::to_string(++count);
}
}  // namespace

json test_cluster::stats(int i) {
  client c{port(i)};
  auto login = c.login(probe_nick("stats"));
  if (login["type"] != "ok") throw std::runtime_error("stats probe cannot log in: " + login.dump());
  return c.command("/stats");
}

bool test_cluster::wait_linked(int i, std::vector<std::string> names,
                               std::chrono::milliseconds limit) {
  std::sort(names.begin(), names.end());
  client c{port(i)};
  if (c.login(probe_nick("link"))["type"] != "ok") return false;
  return eventually(
      [&] {
        auto reply = c.command("/stats");
        return reply["type"] == "ok" && reply["nodes"].get<std::vector<std::string>>() == names;
      },
      limit);
}

bool test_cluster::wait_mesh(const std::vector<int>& running, std::chrono::milliseconds limit) {
  for (int i : running) {
    std::vector<std::string> others;
    for (int j : running)
      if (j != i) others.push_back(name(j));
    if (!wait_linked(i, others, limit)) return false;
  }
  return true;
}

bool login_and_join(client& c, const std::string& nick, const std::string& room) {
  return c.login(nick)["type"] == "ok" && c.command("/join " + room)["type"] == "ok";
}

bool wait_joins(client& c, std::vector<std::string> nicks, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!nicks.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    auto ev = c.event("join", left);
    if (ev["type"] != "join") return false;
    nicks.erase(std::remove(nicks.begin(), nicks.end(), ev["nick"]), nicks.end());
  }
  return true;
}

}  // namespace chat::test
