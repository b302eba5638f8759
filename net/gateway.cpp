#include "net/gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/io/network/native_socket.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/connection_log.hpp"
#include "net/socket_write.hpp"
#include "net/tcp_keepalive.hpp"
#include "net/tls_stream.hpp"

namespace chat::net {
namespace {

using caf::io::connection_handle;
using steady = std::chrono::steady_clock;
using sweep_atom = caf::atom_constant<caf::atom("gw_sweep")>;
using flush_atom = caf::atom_constant<caf::atom("gw_flush")>;

struct client {
  connection_handle hdl;  // CAF's handle; its id is the socket, which the kernel reuses
  line_framer framer;
  caf::actor session;
  std::string peer;
  std::string network;            // limit_key of the peer ("" if exempt): its per-network count
  steady::time_point last_input;  // or the accept time, before any input
  steady::time_point opened;
  std::string unsent{};    // output of this turn, written at the next flush_atom
  bool busy = false;       // had output since the last sweep: keeps its buffer
  std::size_t queued = 0;  // bytes in CAF's buffers, not yet taken by the kernel
  bool json = false;
  bool stalled = false;    // over its send queue: nothing more is written to it
  bool logged_in = false;  // the idle timeout applies, not the login timeout
  bool timed_out = false;  // its session was told; told once only
  // TLS connections only: ciphertext in, plaintext to the framer; `unsent`
  // holds plaintext, encrypted at flush time once the handshake is done.
  std::unique_ptr<tls_stream> tls{};
};

struct gateway_state {
  gateway_config config;
  session_factory make_session;
  uint16_t port = 0;
  // Clients by the gateway's own connection id: issued once, never reused in a
  // process, so a late message for a closed connection (a fanout, an output, a
  // close, a timeout) can never reach a new connection on the same socket.
  std::unordered_map<conn_id, client> clients;
  std::unordered_map<int64_t, conn_id> by_handle;  // CAF handle id -> connection id
  conn_id next_conn = 1;
  std::unordered_map<std::string, std::size_t> per_ip;  // open connections, by network
  std::optional<keyed_rate> connect_rate;               // new connections, by network
  std::optional<connection_summary> log;                // quiet logs under churn
  std::vector<framed_line> scratch;  // reused for every read, to spare allocations
  std::vector<conn_id> unflushed;    // clients with unsent output, in order
  bool flush_due = false;            // a flush_atom is in the mailbox
  bool closing = false;              // shutting down: quit once no flush_atom is due
  caf::io::accept_handle acceptor;
  caf::io::accept_handle tls_acceptor;
  uint16_t tls_port = 0;
  tls_context tls;  // for new TLS connections; replaced by reload_tls
  static inline const char* name = "gateway";
};

using gateway_actor = caf::stateful_actor<gateway_state, caf::io::broker>;

// In CAF 0.17's default multiplexer a connection handle's id is its socket.
caf::io::network::native_socket socket_of(connection_handle hdl) {
  return static_cast<caf::io::network::native_socket>(hdl.id());
}

// The client behind one of CAF's events, or nullptr for a connection already forgotten.
client* client_of(gateway_state& st, connection_handle hdl, conn_id* id = nullptr) {
  auto known = st.by_handle.find(hdl.id());
  if (known == st.by_handle.end()) return nullptr;
  if (id) *id = known->second;
  return &st.clients.at(known->second);
}

void forget(gateway_actor* self, conn_id id) {
  auto& st = self->state;
  auto it = st.clients.find(id);
  if (it == st.clients.end()) return;
  auto ip = st.per_ip.find(it->second.network);
  if (ip != st.per_ip.end() && --ip->second == 0) st.per_ip.erase(ip);
  st.by_handle.erase(it->second.hdl.id());
  st.clients.erase(it);
}

// Writes what a client was sent this turn: straight to its socket while
// nothing of it waits in CAF's buffers, and whatever the kernel does not take
// (or everything, once something waits) through CAF, so the bytes stay in
// order (see socket_write.hpp).
void flush_tls_client(gateway_actor* self, client& c);

void flush_client(gateway_actor* self, client& c) {
  if (c.tls) return flush_tls_client(self, c);
  if (c.unsent.empty()) return;
  std::size_t taken = 0;
  // A broken socket takes nothing: the bytes go to CAF, whose write fails and
  // reports the connection closed.
  if (c.queued == 0) taken = write_now(socket_of(c.hdl), c.unsent.data(), c.unsent.size());
  if (taken < c.unsent.size()) {
    auto& buf = self->wr_buf(c.hdl);
    buf.insert(buf.end(), c.unsent.begin() + static_cast<std::ptrdiff_t>(taken), c.unsent.end());
    c.queued += c.unsent.size() - taken;
    self->flush(c.hdl);
  }
  // The buffer's capacity stays for the next turn (allocating it anew each
  // turn costs more than the send); sweep() takes it back once idle.
  c.unsent.clear();
  c.busy = true;
}

// Ciphertext straight onto the socket while nothing waits in CAF's buffers,
// the rest through CAF (in order), as flush_client does for plaintext.
void write_wire(gateway_actor* self, client& c, const std::string& bytes) {
  std::size_t taken = 0;
  if (c.queued == 0) taken = write_now(socket_of(c.hdl), bytes.data(), bytes.size());
  if (taken < bytes.size()) {
    auto& buf = self->wr_buf(c.hdl);
    buf.insert(buf.end(), bytes.begin() + static_cast<std::ptrdiff_t>(taken), bytes.end());
    c.queued += bytes.size() - taken;
    self->flush(c.hdl);
  }
}

// A TLS client's plaintext of this turn, encrypted and written in one go.
// Until its handshake is done it stays in `unsent`, where it counts against
// the send queue like any output.
void flush_tls_client(gateway_actor* self, client& c) {
  if (!c.tls->handshake_done()) return;
  if (!c.unsent.empty()) c.tls->write(c.unsent);
  c.unsent.clear();
  std::string wire;
  if (c.tls->take_output(wire)) write_wire(self, c, wire);
  c.busy = true;
}

// Everything queued for a client, then, over TLS, close_notify: a TLS client
// can tell the server's close from a cut connection (openssl s_client exits
// 0 instead of reporting an unexpected EOF).
void flush_last(gateway_actor* self, client& c) {
  flush_client(self, c);
  if (!c.tls || !c.tls->handshake_done()) return;
  c.tls->close();
  std::string wire;
  if (c.tls->take_output(wire)) write_wire(self, c, wire);
}

// Closes a connection the gateway gave up on (a failed, closed or late TLS
// handshake) and tells its session, as if the client had closed it.
void close_and_forget(gateway_actor* self, conn_id id) {
  auto it = self->state.clients.find(id);
  if (it == self->state.clients.end()) return;
  self->close(it->second.hdl);
  self->state.log->closed();
  self->send(it->second.session, client_closed{});
  forget(self, id);
}

// Writes every client's output of this turn: one send per client for all the
// lines it got since the last flush, however many fanouts they came in.
void flush_all(gateway_actor* self) {
  auto& st = self->state;
  st.flush_due = false;
  for (auto id : st.unflushed) {
    // A client closed since is skipped (ids are never reused).
    auto it = st.clients.find(id);
    if (it != st.clients.end()) flush_client(self, it->second);
  }
  st.unflushed.clear();
  if (st.closing) self->quit();
}

// Queues bytes for a client, written at the end of this turn (flush_atom),
// unless its queue is over the limit: then the client is stalled and its
// session told, so that one reader who does not read costs bounded memory and
// never slows down anyone else.
void write_bytes(gateway_actor* self, conn_id id, client& c, const std::string& bytes) {
  if (c.stalled) return;
  auto& st = self->state;
  if (c.queued + c.unsent.size() + bytes.size() > st.config.send_queue_bytes) {
    c.stalled = true;
    self->send(c.session, send_queue_full{});
    return;
  }
  if (c.unsent.empty()) st.unflushed.push_back(id);
  c.unsent += bytes;
  if (!st.flush_due && !st.closing) {
    // Behind every message already in the mailbox: under load a turn gathers
    // many fanouts, and each client still costs one send.
    st.flush_due = true;
    self->send(self, flush_atom::value);
  }
}

void refuse(gateway_actor* self, connection_handle hdl, const std::string& why) {
  self->write(hdl, why.size(), why.data());
  self->flush(hdl);
  self->close(hdl);
}

// A refusal is counted for the minute's summary; an address is named in the
// log once a period, however often it comes back.
void refuse_logged(gateway_actor* self, connection_handle hdl, const std::string& peer,
                   const char* reason, const std::string& why) {
  if (self->state.log->refused(reason, peer))
    spdlog::warn("refused connection from {}: {} (logged once a minute)", peer, reason);
  refuse(self, hdl, why);
}

void accept_client(gateway_actor* self, connection_handle hdl, bool over_tls) {
  auto& st = self->state;
  auto peer = self->remote_addr(hdl);
  if (st.clients.size() >= st.config.max_connections)
    return refuse_logged(self, hdl, peer, "server full", st.config.refusal_total);
  auto network = limit_key(st.config.addresses, peer);
  if (!network.empty() && st.per_ip[network] >= st.config.max_connections_per_ip)
    return refuse_logged(self, hdl, network, "per-network open connections",
                         st.config.refusal_per_ip);
  if (!network.empty() && !st.connect_rate->allow(network, steady::now()))
    return refuse_logged(self, hdl, network, "per-network connections a minute",
                         st.config.refusal_rate);
  if (!network.empty()) ++st.per_ip[network];
  // Chat lines are small and latency matters more than packet count: no Nagle.
  caf::io::network::tcp_nodelay(socket_of(hdl), true);
  // A peer that vanished without a FIN goes away by itself (tcp_keepalive.hpp).
  enable_keepalive(static_cast<int>(socket_of(hdl)), keepalive_settings{});
  self->configure_read(hdl, caf::io::receive_policy::at_most(st.config.read_chunk_bytes));
  self->ack_writes(hdl, true);  // data_transferred_msg keeps `queued` true
  auto id = st.next_conn++;
  auto session = st.make_session(caf::actor_cast<caf::actor>(self), id, peer);
  auto now = steady::now();
  auto& c = st.clients
                .emplace(id, client{hdl, line_framer{st.config.max_line_bytes}, session, peer,
                                    network, now, now})
                .first->second;
  st.by_handle.emplace(hdl.id(), id);
  if (over_tls) c.tls = std::make_unique<tls_stream>(st.tls, tls_stream::role::server);
  st.log->opened();
  spdlog::debug("connection {} opened from {}{} (socket {})", id, peer, over_tls ? " (TLS)" : "",
                hdl.id());
}

// Ciphertext of a TLS client: decrypted into `plain`, handshake answers
// written at once. False when the connection failed or ended and is gone.
bool decrypt(gateway_actor* self, conn_id id, client& c, const caf::io::new_data_msg& msg,
             std::string& plain) {
  const bool was_done = c.tls->handshake_done();
  auto state = c.tls->feed(msg.buf.data(), msg.buf.size(), plain);
  std::string wire;
  if (c.tls->take_output(wire)) write_wire(self, c, wire);  // handshake, or an alert
  if (state == tls_stream::state::failed || state == tls_stream::state::closed) {
    if (state == tls_stream::state::failed)
      spdlog::info("connection {} from {}: TLS failed: {}", id, c.peer, c.tls->error());
    close_and_forget(self, id);
    return false;
  }
  if (!was_done && c.tls->handshake_done()) flush_client(self, c);  // the held banner
  return true;
}

void on_data(gateway_actor* self, const caf::io::new_data_msg& msg) {
  auto& st = self->state;
  conn_id id = 0;
  auto* c = client_of(st, msg.handle, &id);
  if (!c) return;
  auto now = steady::now();
  c->last_input = now;
  st.scratch.clear();
  if (c->tls) {
    std::string plain;
    if (!decrypt(self, id, *c, msg, plain)) return;
    c->framer.feed(plain.data(), plain.size(), st.scratch);
  } else {
    c->framer.feed(msg.buf.data(), msg.buf.size(), st.scratch);
  }
  auto negotiation = c->framer.take_negotiation();  // answered by the session
  if (st.scratch.empty() && negotiation.empty()) return;
  auto arrived = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
  self->send(c->session, client_lines{std::move(st.scratch), std::move(negotiation),
                                      c->framer.saw_telnet(), arrived.count()});
}

void on_fanout(gateway_actor* self, const fanout& out) {
  auto& clients = self->state.clients;
  for (auto id : out.conns) {
    auto it = clients.find(id);
    if (it == clients.end()) continue;
    write_bytes(self, id, it->second, it->second.json ? *out.json : *out.text);
  }
}

// How often deadlines are checked and idle buffers trimmed: a quarter of the
// shorter timeout, at most once a second, so a deadline is met within that.
std::chrono::milliseconds sweep_period(const gateway_config& cfg) {
  using std::chrono::milliseconds;
  milliseconds shortest{0};
  auto handshake = cfg.tls ? cfg.tls_handshake_timeout : milliseconds{0};
  for (auto timeout : {cfg.login_timeout, cfg.idle_timeout, handshake})
    if (timeout.count() > 0 && (shortest.count() == 0 || timeout < shortest)) shortest = timeout;
  if (shortest.count() == 0) return milliseconds{1000};
  return std::clamp(shortest / 4, milliseconds{10}, milliseconds{1000});
}

// A TLS handshake is closed when the peer has sent nothing for `timeout` (it
// stalled), and in any case after four times that (it sends a byte now and
// then, to hold the slot). Counted from the peer's last bytes rather than the
// accept: in a storm of connections the server's own backlog must not close
// handshakes whose peers did their part.
bool handshake_overdue(const client& c, steady::time_point now, std::chrono::milliseconds timeout) {
  return now - c.last_input >= timeout || now - c.opened >= 4 * timeout;
}

// Tells each session whose connection passed its deadline, and takes back the
// output buffer of a connection that got nothing since the last sweep. One
// timer for all connections, rather than one per session: see client_timed_out.
void sweep(gateway_actor* self) {
  auto& cfg = self->state.config;
  auto now = steady::now();
  std::vector<conn_id> unfinished;  // TLS handshakes past their deadline
  for (auto& [id, c] : self->state.clients) {
    if (c.unsent.empty() && c.unsent.capacity() > 0 && !c.busy) std::string{}.swap(c.unsent);
    // Idle TLS connections give back OpenSSL's buffers (docs/security-clients.md).
    if (c.tls && !c.busy) c.tls->release_buffers();
    c.busy = false;
    if (c.tls && !c.tls->handshake_done() && handshake_overdue(c, now, cfg.tls_handshake_timeout)) {
      unfinished.push_back(id);
      continue;
    }
    if (c.timed_out) continue;
    bool login_late =
        !c.logged_in && cfg.login_timeout.count() > 0 && now - c.opened >= cfg.login_timeout;
    bool idle =
        c.logged_in && cfg.idle_timeout.count() > 0 && now - c.last_input >= cfg.idle_timeout;
    if (!login_late && !idle) continue;
    c.timed_out = true;
    self->send(c.session, client_timed_out{login_late});
  }
  for (auto id : unfinished) {
    spdlog::info("connection {}: TLS handshake not done in time: closed", id);
    close_and_forget(self, id);
  }
  if (auto summary = self->state.log->take_summary(now)) {
    spdlog::info("{}", *summary);
    self->state.connect_rate->prune(now);  // once a period is often enough
  }
  self->delayed_send(self, sweep_period(cfg), sweep_atom::value);
}

void shut_down(gateway_actor* self, const shutdown_gateway& msg) {
  auto& st = self->state;
  spdlog::info("gateway closing {} connections", st.clients.size());
  st.closing = true;
  if (st.config.plain) self->close(st.acceptor);
  if (st.config.tls) self->close(st.tls_acceptor);
  for (auto& [id, c] : st.clients) {
    c.stalled = false;  // the notice goes out even to a slow reader, if it fits
    write_bytes(self, id, c, c.json ? msg.json_notice : msg.text_notice);
    flush_last(self, c);
    self->close(c.hdl);
    self->send(c.session, client_closed{});
  }
  st.clients.clear();
  st.by_handle.clear();
  // A message to itself left in the mailbox would keep the broker alive for
  // good (CAF 0.17's broker cleanup does not empty its mailbox): with a
  // flush_atom on its way, flush_all quits instead.
  if (!st.flush_due) self->quit();
}

caf::behavior gateway(gateway_actor* self, gateway_config config, session_factory make_session) {
  self->state.config = std::move(config);
  self->state.make_session = std::move(make_session);
  auto& cfg = self->state.config;
  if (cfg.plain) {
    auto bound = self->add_tcp_doorman(cfg.port, cfg.host.c_str(), true);
    if (!bound) {
      spdlog::error("cannot listen on {}:{}: {}", cfg.host, cfg.port,
                    self->system().render(bound.error()));
      self->quit(bound.error());
      return {};
    }
    self->state.acceptor = bound->first;
    self->state.port = bound->second;
  }
  if (cfg.tls) {
    auto bound = self->add_tcp_doorman(cfg.tls_port, cfg.host.c_str(), true);
    if (!bound) {
      spdlog::error("cannot listen for TLS on {}:{}: {}", cfg.host, cfg.tls_port,
                    self->system().render(bound.error()));
      self->quit(bound.error());
      return {};
    }
    self->state.tls_acceptor = bound->first;
    self->state.tls_port = bound->second;
    self->state.tls = cfg.tls;
  }
  self->state.connect_rate.emplace(cfg.max_connections_per_minute, std::chrono::minutes{1});
  self->state.log.emplace(steady::now(), cfg.log_summary_period);
  self->delayed_send(self, sweep_period(cfg), sweep_atom::value);
  return {
      [=](const caf::io::new_connection_msg& msg) {
        accept_client(self, msg.handle, self->state.tls && msg.source == self->state.tls_acceptor);
      },
      [=](const caf::io::new_data_msg& msg) { on_data(self, msg); },
      [=](const caf::io::connection_closed_msg& msg) {
        conn_id id = 0;
        auto* c = client_of(self->state, msg.handle, &id);
        if (!c) return;
        spdlog::debug("connection {} closed by {}", id, c->peer);
        self->state.log->closed();
        self->send(c->session, client_closed{});
        forget(self, id);
      },
      [=](const caf::io::acceptor_closed_msg&) { spdlog::warn("listening socket closed"); },
      [=](const client_output& out) {
        auto it = self->state.clients.find(out.conn);
        if (it != self->state.clients.end()) write_bytes(self, out.conn, it->second, out.bytes);
      },
      [=](const fanout& out) { on_fanout(self, out); },
      [=](const caf::io::data_transferred_msg& msg) {
        if (auto* c = client_of(self->state, msg.handle)) c->queued = msg.remaining;
      },
      [=](const client_mode& m) {
        auto it = self->state.clients.find(m.conn);
        if (it != self->state.clients.end()) it->second.json = m.json;
      },
      [=](const client_logged_in& msg) {
        auto it = self->state.clients.find(msg.conn);
        if (it == self->state.clients.end()) return;
        it->second.logged_in = true;
        it->second.last_input = steady::now();
      },
      [=](sweep_atom) { sweep(self); },
      [=](flush_atom) { flush_all(self); },
      [=](const close_client& c) {
        if (self->state.clients.count(c.conn) == 0) return;
        spdlog::debug("connection {} closed by the server", c.conn);
        self->state.log->closed();
        auto& closing = self->state.clients.at(c.conn);
        flush_last(self, closing);
        self->close(closing.hdl);
        forget(self, c.conn);
      },
      [=](const shutdown_gateway& msg) { shut_down(self, msg); },
      [=](port_atom) { return self->state.port; },
      [=](tls_port_atom) { return self->state.tls_port; },
      [=](const reload_tls& msg) {
        if (msg.context) self->state.tls = msg.context;  // open connections keep theirs
      },
      [=](count_atom) { return static_cast<uint64_t>(self->state.clients.size()); },
  };
}

}  // namespace

caf::expected<caf::actor> spawn_gateway(caf::actor_system& sys, const gateway_config& config,
                                        session_factory make_session) {
  auto gw = sys.middleman().spawn_broker(gateway, config, std::move(make_session));
  // The broker binds in its constructor-like init; ask for the port to learn
  // whether that worked (a failed bind makes the broker quit with the reason).
  caf::scoped_actor self{sys};
  caf::expected<caf::actor> result{gw};
  self->request(gw, std::chrono::seconds(5), port_atom::value)
      .receive([](uint16_t) {}, [&](caf::error& err) { result = std::move(err); });
  return result;
}

}  // namespace chat::net
