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

// The outcome of one non-blocking send.
struct write_result {
  std::size_t written = 0;  // bytes the kernel took (0 when its buffer is full)
  bool failed = false;      // the socket is broken (reset, closed); nothing was written
};

// Sends what the socket takes right now without blocking and without SIGPIPE.
write_result write_now(int socket, const char* data, std::size_t size);

}  // namespace chat::net
