// TCP keepalive on client sockets (issue 15, ghosts): a client whose host
// vanished (a laptop closed, a stopped telnet behind a dead NAT) sends no FIN,
// and without keepalive its session, and its nick, would last as long as the
// server runs. With it the kernel probes an idle connection and reports it
// closed once the peer stays silent: after idle + interval * probes seconds.
#pragma once

namespace chat::net {

struct keepalive_settings {
  int idle_seconds = 60;      // quiet this long before the first probe
  int interval_seconds = 10;  // between unanswered probes
  int probes = 6;             // unanswered probes before the connection is dropped
};

// Turns keepalive on for the connected TCP socket `fd`; false if the kernel
// refused an option (the connection works all the same, without it).
bool enable_keepalive(int fd, const keepalive_settings& settings);

}  // namespace chat::net
