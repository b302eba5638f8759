#include "net/gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/io/network/native_socket.hpp>
#include <chrono>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/socket_write.hpp"

namespace chat::net {
namespace {

using caf::io::connection_handle;
using steady = std::chrono::steady_clock;
using sweep_atom = caf::atom_constant<caf::atom("gw_sweep")>;
using flush_atom = caf::atom_constant<caf::atom("gw_flush")>;

struct client {
  line_framer framer;
  caf::actor session;
  std::string peer;
  steady::time_point last_input;  // or the accept time, before any input
  steady::time_point opened;
  std::string unsent{};    // output of this turn, written at the next flush_atom
  bool busy = false;       // had output since the last sweep: keeps its buffer
  std::size_t queued = 0;  // bytes in CAF's buffers, not yet taken by the kernel
  bool json = false;
  bool stalled = false;    // over its send queue: nothing more is written to it
  bool logged_in = false;  // the idle timeout applies, not the login timeout
  bool timed_out = false;  // its session was told; told once only
};

struct gateway_state {
  gateway_config config;
  session_factory make_session;
  uint16_t port = 0;
  std::unordered_map<conn_id, client> clients;
  std::unordered_map<std::string, std::size_t> per_ip;
  std::vector<framed_line> scratch;  // reused for every read, to spare allocations
  std::vector<conn_id> unflushed;    // clients with unsent output, in order
  bool flush_due = false;            // a flush_atom is in the mailbox
  bool closing = false;              // shutting down: quit once no flush_atom is due
  caf::io::accept_handle acceptor;
  static inline const char* name = "gateway";
};

using gateway_actor = caf::stateful_actor<gateway_state, caf::io::broker>;

connection_handle handle_of(conn_id id) {
  return connection_handle::from_int(id);
}

// In CAF 0.17's default multiplexer a connection handle's id is its socket.
caf::io::network::native_socket socket_of(conn_id id) {
  return static_cast<caf::io::network::native_socket>(id);
}

void forget(gateway_actor* self, conn_id id) {
  auto& st = self->state;
  auto it = st.clients.find(id);
  if (it == st.clients.end()) return;
  auto ip = st.per_ip.find(it->second.peer);
  if (ip != st.per_ip.end() && --ip->second == 0) st.per_ip.erase(ip);
  st.clients.erase(it);
}

// Writes what a client was sent this turn: straight to its socket while
// nothing of it waits in CAF's buffers, and whatever the kernel does not take
// (or everything, once something waits) through CAF, so the bytes stay in
// order (see socket_write.hpp).
void flush_client(gateway_actor* self, conn_id id, client& c) {
  if (c.unsent.empty()) return;
  std::size_t taken = 0;
  // A broken socket takes nothing: the bytes go to CAF, whose write fails and
  // reports the connection closed.
  if (c.queued == 0) taken = write_now(socket_of(id), c.unsent.data(), c.unsent.size());
  if (taken < c.unsent.size()) {
    auto hdl = handle_of(id);
    auto& buf = self->wr_buf(hdl);
    buf.insert(buf.end(), c.unsent.begin() + static_cast<std::ptrdiff_t>(taken), c.unsent.end());
    c.queued += c.unsent.size() - taken;
    self->flush(hdl);
  }
  // The buffer's capacity stays for the next turn (allocating it anew each
  // turn costs more than the send); sweep() takes it back once idle.
  c.unsent.clear();
  c.busy = true;
}

// Writes every client's output of this turn: one send per client for all the
// lines it got since the last flush, however many fanouts they came in.
void flush_all(gateway_actor* self) {
  auto& st = self->state;
  st.flush_due = false;
  for (auto id : st.unflushed) {
    // A client closed since (or a new one on the same socket) is skipped or
    // flushed early; either is harmless.
    auto it = st.clients.find(id);
    if (it != st.clients.end()) flush_client(self, id, it->second);
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

void accept_client(gateway_actor* self, connection_handle hdl) {
  auto& st = self->state;
  auto peer = self->remote_addr(hdl);
  if (st.clients.size() >= st.config.max_connections) {
    spdlog::warn("refused connection from {}: {} connections open", peer, st.clients.size());
    refuse(self, hdl, st.config.refusal_total);
    return;
  }
  if (st.per_ip[peer] >= st.config.max_connections_per_ip) {
    spdlog::warn("refused connection from {}: per-address limit", peer);
    refuse(self, hdl, st.config.refusal_per_ip);
    return;
  }
  ++st.per_ip[peer];
  // Chat lines are small and latency matters more than packet count: no Nagle.
  caf::io::network::tcp_nodelay(socket_of(hdl.id()), true);
  self->configure_read(hdl, caf::io::receive_policy::at_most(st.config.read_chunk_bytes));
  self->ack_writes(hdl, true);  // data_transferred_msg keeps `queued` true
  auto id = hdl.id();
  auto session = st.make_session(caf::actor_cast<caf::actor>(self), id, peer);
  auto now = steady::now();
  st.clients.emplace(id, client{line_framer{st.config.max_line_bytes}, session, peer, now, now});
  spdlog::info("connection {} opened from {}", id, peer);
}

void on_data(gateway_actor* self, const caf::io::new_data_msg& msg) {
  auto& st = self->state;
  auto it = st.clients.find(msg.handle.id());
  if (it == st.clients.end()) return;
  it->second.last_input = steady::now();
  st.scratch.clear();
  auto& framer = it->second.framer;
  framer.feed(msg.buf.data(), msg.buf.size(), st.scratch);
  auto negotiation = framer.take_negotiation();  // answered by the session
  if (!st.scratch.empty() || !negotiation.empty())
    self->send(it->second.session,
               client_lines{std::move(st.scratch), std::move(negotiation), framer.saw_telnet()});
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
  for (auto timeout : {cfg.login_timeout, cfg.idle_timeout})
    if (timeout.count() > 0 && (shortest.count() == 0 || timeout < shortest)) shortest = timeout;
  if (shortest.count() == 0) return milliseconds{1000};
  return std::clamp(shortest / 4, milliseconds{10}, milliseconds{1000});
}

// Tells each session whose connection passed its deadline, and takes back the
// output buffer of a connection that got nothing since the last sweep. One
// timer for all connections, rather than one per session: see client_timed_out.
void sweep(gateway_actor* self) {
  auto& cfg = self->state.config;
  auto now = steady::now();
  for (auto& [id, c] : self->state.clients) {
    if (c.unsent.empty() && c.unsent.capacity() > 0 && !c.busy) std::string{}.swap(c.unsent);
    c.busy = false;
    if (c.timed_out) continue;
    bool login_late =
        !c.logged_in && cfg.login_timeout.count() > 0 && now - c.opened >= cfg.login_timeout;
    bool idle =
        c.logged_in && cfg.idle_timeout.count() > 0 && now - c.last_input >= cfg.idle_timeout;
    if (!login_late && !idle) continue;
    c.timed_out = true;
    self->send(c.session, client_timed_out{login_late});
  }
  self->delayed_send(self, sweep_period(cfg), sweep_atom::value);
}

void shut_down(gateway_actor* self, const shutdown_gateway& msg) {
  auto& st = self->state;
  spdlog::info("gateway closing {} connections", st.clients.size());
  st.closing = true;
  self->close(st.acceptor);
  for (auto& [id, c] : st.clients) {
    c.stalled = false;  // the notice goes out even to a slow reader, if it fits
    write_bytes(self, id, c, c.json ? msg.json_notice : msg.text_notice);
    flush_client(self, id, c);
    self->close(handle_of(id));
    self->send(c.session, client_closed{});
  }
  st.clients.clear();
  // A message to itself left in the mailbox would keep the broker alive for
  // good (CAF 0.17's broker cleanup does not empty its mailbox): with a
  // flush_atom on its way, flush_all quits instead.
  if (!st.flush_due) self->quit();
}

caf::behavior gateway(gateway_actor* self, gateway_config config, session_factory make_session) {
  self->state.config = std::move(config);
  self->state.make_session = std::move(make_session);
  auto& cfg = self->state.config;
  auto bound = self->add_tcp_doorman(cfg.port, cfg.host.c_str(), true);
  if (!bound) {
    spdlog::error("cannot listen on {}:{}: {}", cfg.host, cfg.port,
                  self->system().render(bound.error()));
    self->quit(bound.error());
    return {};
  }
  self->state.acceptor = bound->first;
  self->state.port = bound->second;
  self->delayed_send(self, sweep_period(cfg), sweep_atom::value);
  return {
      [=](const caf::io::new_connection_msg& msg) { accept_client(self, msg.handle); },
      [=](const caf::io::new_data_msg& msg) { on_data(self, msg); },
      [=](const caf::io::connection_closed_msg& msg) {
        auto it = self->state.clients.find(msg.handle.id());
        if (it == self->state.clients.end()) return;
        spdlog::info("connection {} closed by {}", msg.handle.id(), it->second.peer);
        self->send(it->second.session, client_closed{});
        forget(self, msg.handle.id());
      },
      [=](const caf::io::acceptor_closed_msg&) { spdlog::warn("listening socket closed"); },
      [=](const client_output& out) {
        auto it = self->state.clients.find(out.conn);
        if (it != self->state.clients.end()) write_bytes(self, out.conn, it->second, out.bytes);
      },
      [=](const fanout& out) { on_fanout(self, out); },
      [=](const caf::io::data_transferred_msg& msg) {
        auto it = self->state.clients.find(msg.handle.id());
        if (it != self->state.clients.end()) it->second.queued = msg.remaining;
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
        spdlog::info("connection {} closed by the server", c.conn);
        flush_client(self, c.conn, self->state.clients.at(c.conn));
        self->close(handle_of(c.conn));
        forget(self, c.conn);
      },
      [=](const shutdown_gateway& msg) { shut_down(self, msg); },
      [=](port_atom) { return self->state.port; },
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
