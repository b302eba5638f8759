// Every timeout and limit of the terminal client, with its default, in one
// place. Plain data; each mode of the client gets a copy. Tests shorten the
// timeouts and turn off jitter to make schedules deterministic.
#pragma once

#include <chrono>
#include <cstddef>

namespace chat::client {

struct backoff_settings {
  std::chrono::milliseconds initial{500};  // wait before the first reconnect attempt
  std::chrono::milliseconds cap{30000};    // no wait is ever longer than this
  double factor = 2.0;                     // each failed attempt multiplies the wait
  double jitter = 0.2;  // +/- this fraction of random spread, so that the clients
                        // of a restarted server do not all come back at once
};

struct client_settings {
  std::chrono::milliseconds connect_timeout{5000};     // TCP connect, per attempt
  std::chrono::milliseconds handshake_timeout{10000};  // /mode, /login, /join replies
  std::chrono::milliseconds send_timeout{10000};       // --send: the echo of the message
  std::chrono::milliseconds quit_timeout{2000};        // after /quit: waiting for the close
  std::size_t max_line_bytes = 1 << 20;                // a server line longer than this is cut off
  backoff_settings backoff;
};

}  // namespace chat::client
