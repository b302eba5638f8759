// Whether a node may open its cluster port with the settings it was given
// (docs/security.md). Pure functions: no files, no sockets.
#pragma once

#include <string>

#include "actors/settings.hpp"

namespace chat {

// True for a literal loopback address: 127.0.0.0/8 or ::1. Names are not
// resolved: "localhost" may map to anything in /etc/hosts.
bool is_loopback_address(const std::string& host);

// Why this node must not open its cluster port, or "" if it may. A cluster
// port needs --cluster-ca, --cluster-cert and --cluster-key (mutual TLS);
// --cluster-insecure replaces them only while the cluster host and every
// --peer are loopback addresses, so that plain BASP never leaves the machine.
std::string cluster_security_problem(const settings& s);

}  // namespace chat
