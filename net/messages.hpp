// The messages between the gateway (which owns every client socket) and the
// actors that speak to clients. All of them stay on one node: a session talks
// to the gateway of its own node, and a room fans out through the gateway of
// the node it runs on.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/line_framer.hpp"
#include "net/tls_context.hpp"

namespace chat::net {

// Identifies one client connection within its gateway: issued by the gateway,
// counting up from 1, never reused while the process runs (unlike the socket
// number, which the kernel hands to the next connection).
using conn_id = uint64_t;

// Rendered output shared by every recipient of one event: rendered once per
// format, never copied per member.
using shared_bytes = std::shared_ptr<const std::string>;

// gateway -> session: the lines of one read, in order (a batch: one actor
// message per read, not per line), and the telnet option negotiation it held
// (line_framer::take_negotiation), for the session to answer.
struct client_lines {
  std::vector<framed_line> lines;
  std::string negotiation;
  bool telnet = false;  // the client has sent a telnet command (line_framer::saw_telnet)
  // When the gateway read them (steady clock, ns since its epoch): the session's
  // rate limit charges lines by arrival, not by when it got to them.
  int64_t arrived_ns = 0;
};
// gateway -> session: the client closed the connection (or the server is shutting down).
struct client_closed {};
// gateway -> session: the client does not read; its output queue passed the limit.
// The gateway writes nothing more to it; the session ends with reason timeout.
struct send_queue_full {};

// session -> gateway: bytes for its own client.
struct client_output {
  conn_id conn = 0;
  std::string bytes;
};
// session -> gateway: the output format of a client, used to pick a fanout's bytes.
struct client_mode {
  conn_id conn = 0;
  bool json = false;
};
// session -> gateway: the client logged in; from now on the idle timeout
// applies to it instead of the login timeout.
struct client_logged_in {
  conn_id conn = 0;
};
// gateway -> session: the client passed its login timeout (`login`) or, logged
// in, its idle timeout. The gateway keeps these deadlines for every connection
// on one sweep timer, so that a closed session holds no timer (CAF 0.17's
// delayed messages cannot be cancelled and keep their receiver alive).
struct client_timed_out {
  bool login = false;
};
// session -> gateway: flush what is queued, then close.
struct close_client {
  conn_id conn = 0;
};

// room -> gateway: one event for many clients; each gets `json` or `text` by its mode.
struct fanout {
  shared_bytes text;
  shared_bytes json;
  std::vector<conn_id> conns;
};

// main -> gateway: tell every client `notice` (rendered in both modes), flush,
// close every connection, stop accepting, and quit.
struct shutdown_gateway {
  std::string text_notice;
  std::string json_notice;
};

// main -> gateway: the TLS certificate and key were re-read (SIGHUP): new TLS
// connections use this context; open ones keep theirs.
struct reload_tls {
  tls_context context;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, framed_line& x) {
  return f(caf::meta::type_name("framed_line"), x.text, x.status);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_lines& x) {
  return f(caf::meta::type_name("client_lines"), x.lines, x.negotiation, x.telnet, x.arrived_ns);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_closed&) {
  return f(caf::meta::type_name("client_closed"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, send_queue_full&) {
  return f(caf::meta::type_name("send_queue_full"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_output& x) {
  return f(caf::meta::type_name("client_output"), x.conn, x.bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_mode& x) {
  return f(caf::meta::type_name("client_mode"), x.conn, x.json);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_logged_in& x) {
  return f(caf::meta::type_name("client_logged_in"), x.conn);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_timed_out& x) {
  return f(caf::meta::type_name("client_timed_out"), x.login);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_client& x) {
  return f(caf::meta::type_name("close_client"), x.conn);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shutdown_gateway& x) {
  return f(caf::meta::type_name("shutdown_gateway"), x.text_notice, x.json_notice);
}

inline void register_net_messages(caf::actor_system_config& cfg) {
  cfg.add_message_type<framed_line>("framed_line");
  cfg.add_message_type<client_lines>("client_lines");
  cfg.add_message_type<client_closed>("client_closed");
  cfg.add_message_type<send_queue_full>("send_queue_full");
  cfg.add_message_type<client_output>("client_output");
  cfg.add_message_type<client_mode>("client_mode");
  cfg.add_message_type<client_logged_in>("client_logged_in");
  cfg.add_message_type<client_timed_out>("client_timed_out");
  cfg.add_message_type<close_client>("close_client");
  cfg.add_message_type<shutdown_gateway>("shutdown_gateway");
}

}  // namespace chat::net

// A fanout carries shared pointers and never leaves its node, so it has no wire form.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chat::net::fanout)
// Nor does a TLS context (main to the gateway of the same process).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chat::net::reload_tls)
