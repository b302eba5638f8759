#include "apps/chatd/cluster_security.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace chat {
namespace {

// The host of a --peer "HOST:PORT" ("[::1]:7001" for IPv6).
std::string peer_host(const std::string& endpoint) {
  if (!endpoint.empty() && endpoint.front() == '[') {
    auto close = endpoint.find(']');
    return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
  }
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

}  // namespace

bool is_loopback_address(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
    return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  return false;
}

std::string cluster_security_problem(const settings& s) {
  if (s.cluster_port < 0) return "";  // alone: no cluster port
  bool any_tls = !s.cluster_ca.empty() || !s.cluster_cert.empty() || !s.cluster_key.empty();
  if (s.cluster_insecure) {
    if (any_tls)
      return "--cluster-insecure and --cluster-ca/--cluster-cert/--cluster-key exclude each other";
    if (!is_loopback_address(s.cluster_host))
      return "--cluster-insecure is accepted only with a loopback --cluster-host (127.0.0.1 or "
             "::1), not " +
             s.cluster_host + ": pass --cluster-ca, --cluster-cert and --cluster-key";
    for (auto& peer : s.peers)
      if (!is_loopback_address(peer_host(peer)))
        return "--cluster-insecure is accepted only with loopback peers, not " + peer +
               ": pass --cluster-ca, --cluster-cert and --cluster-key";
    return "";
  }
  std::string missing;
  auto need = [&](const std::string& value, const char* flag) {
    if (value.empty()) missing += (missing.empty() ? "" : ", ") + std::string{flag};
  };
  need(s.cluster_ca, "--cluster-ca");
  need(s.cluster_cert, "--cluster-cert");
  need(s.cluster_key, "--cluster-key");
  if (missing.empty()) return "";
  return "--cluster-port needs mutual TLS between nodes: pass " + missing +
         " (deploy/cluster-certs.sh makes them; docs/security.md), or --cluster-insecure for a "
         "cluster on loopback only";
}

}  // namespace chat
