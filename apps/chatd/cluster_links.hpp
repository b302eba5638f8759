// The partition switch of PROTOCOL.md (SIGUSR2, for fault tests): cut this
// node's cluster links while both sides keep running.
#pragma once

#include <cstdint>

namespace chat {

// Shuts down every connected TCP socket of this process except the client
// connections (local port `client_port`, or `tls_port` when not 0): those are
// the cluster links, in and out. CAF sees them close, as the peers do, and both
// sides report the other gone at once. Returns how many were cut.
int cut_cluster_links(uint16_t client_port, uint16_t tls_port = 0);

}  // namespace chat
