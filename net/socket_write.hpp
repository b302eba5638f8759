// Writing to a client socket at once, without a turn of CAF's event loop.
//
// CAF 0.17's stream only queues bytes on flush(): it registers the socket for
// writability with epoll, writes when epoll says so and unregisters it again,
// touching the scribe and the multiplexer's event list for every client on
// every turn. The gateway instead gathers a client's output of one turn and
// writes it at once while nothing of that client waits in CAF's buffers (the
// usual case: the socket buffer has room), handing CAF only what the kernel
// did not take, so the order of bytes on the wire never changes.
#pragma once

#include <cstddef>

namespace chat::net {

// Sends what the socket takes right now, without blocking and without
// SIGPIPE, and returns how many bytes that was: 0 when the socket buffer is
// full, and 0 when the socket is broken (the caller then hands the bytes to
// CAF, whose own write fails and reports the connection closed).
std::size_t write_now(int socket, const char* data, std::size_t size);

}  // namespace chat::net
