#include "bench/load_driver.hpp"

#include <arpa/inet.h>
#include <string.h>
#include <sys/resource.h>

#include <algorithm>
#include <stdexcept>

#include "bench/clock.hpp"
#include "bench/payload.hpp"
#include "bench/proc_stats.hpp"

namespace bench {
namespace {

// A poll never sleeps longer, so deadlines are met within this.
constexpr int max_poll_wait_ms = 100;
// Rate mode sends what is due within this, so the loop can sleep whole
// milliseconds instead of spinning until the exact moment. A send goes out
// at most this early, never late; its stamp is taken when the line really
// goes out, so latency is unaffected.
constexpr int64_t send_slack_ns = ns_per_ms;
// How often senders' windows are searched for messages to give up on.
constexpr int64_t expiry_check_ns = 100 * ns_per_ms;

int ms_until(int64_t deadline, int64_t now) {
  if (deadline <= now) return 0;
  int64_t ms = (deadline - now + ns_per_ms - 1) / ns_per_ms;
  return static_cast<int>(std::min<int64_t>(ms, max_poll_wait_ms));
}

std::string error_text(int error) {
  if (error == 0) return "closed by server";
  if (error == -1) return "line too long";
  if (error == -2) return "TLS failed";
  return strerror(error);
}

// chat-bench talks only to loopback servers it was pointed at: it does not
// check certificates (the handshake's cost is the same either way).
chat::net::tls_context bench_tls(const bench_options& options) {
  if (!options.tls) return nullptr;
  auto made = chat::net::make_client_tls("", false);
  if (!made) throw std::runtime_error("TLS: " + made.error);
  return made.context;
}

}  // namespace

load_driver::load_driver(const bench_options& options, const dialect& protocol)
    : options_(options),
      protocol_(protocol),
      layout_(options.plan.clients, options.plan.rooms, options.plan.senders_per_room),
      spread_(options.plan.clients, static_cast<uint32_t>(options.ports.size())),
      loop_(*this, options.plan.clients, options.max_line_bytes, bench_tls(options)),
      clients_(options.plan.clients),
      sender_of_(options.plan.clients, -1) {
  for (uint16_t port : options.ports) {
    sockaddr_in& server = servers_.emplace_back();
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    inet_pton(AF_INET, options.host.c_str(), &server.sin_addr);  // checked by parse_options
  }
  rooms_.resize(layout_.rooms());
  for (uint32_t r = 0; r < rooms_.size(); ++r)
    rooms_[r].name = options.room_prefix + std::to_string(r);
  result_.label = options.label;
  result_.dialect = std::string(protocol.name());
  result_.plan = options.plan;
  result_.setup.clients = options.plan.clients;
  result_.server.pid = options.server_pid;
  if (spread_.spread()) {
    for (uint32_t i = 0; i < spread_.servers(); ++i) {
      server_traffic& on = result_.traffic.per_server.emplace_back();
      on.address = options.host + ":" + std::to_string(options.ports[i]);
      on.clients = spread_.clients_on(i);
      on.senders = spread_.senders_on(i, layout_);
    }
  }
}

bench_result load_driver::run() {
  int64_t started = now_ns();
  server_sample at_start = sample_server();
  result_.server.available = at_start.ok;
  result_.server.rss_start_kb = at_start.rss_kb;

  login_phase();
  if (layout_.has_rooms()) join_phase();
  settle_phase();

  server_sample ready = sample_server();
  result_.server.rss_ready_kb = ready.rss_kb;
  result_.server.connections = logged_in_connections();

  bool traffic = layout_.has_rooms() && layout_.total_senders() > 0 && options_.plan.duration_s > 0;
  if (traffic) {
    traffic_phase();
  } else {
    hold_phase(options_.plan.duration_s);
  }

  server_sample at_end = sample_server();
  result_.server.rss_end_kb = at_end.rss_kb;
  result_.server.peak_rss_kb = at_end.peak_rss_kb;
  result_.server.cpu_s_total = at_end.cpu_s - at_start.cpu_s;
  loop_.close_all();

  result_.wall_s = ns_to_seconds(now_ns() - started);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  result_.bench_cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  result_.bench_peak_rss_kb = static_cast<uint64_t>(usage.ru_maxrss);
  return result_;
}

// --- setup -----------------------------------------------------------------

void load_driver::login_phase() {
  int64_t start = now_ns();
  int64_t deadline = start + seconds_to_ns(options_.setup_timeout_s);
  start_connects();
  while (logins_done_ < clients_.size() && now_ns() < deadline) {
    loop_.poll(ms_until(deadline, now_ns()));
    start_connects();
  }
  fail_unfinished(client_state::connecting, client_state::logging_in, "login: timed out");
  fail_unfinished(client_state::waiting, client_state::waiting, "login: not started in time");
  if (last_login_ns_ > 0) result_.setup.connect_login_s = ns_to_seconds(last_login_ns_ - start);
}

void load_driver::start_connects() {
  uint32_t limit = options_.plan.connect_concurrency;
  while (next_connect_ < clients_.size() && (limit == 0 || logins_in_flight_ < limit)) {
    uint32_t id = next_connect_++;
    client& c = clients_[id];
    c.connect_started_ns = now_ns();
    c.state = client_state::connecting;
    ++logins_in_flight_;
    int error = loop_.connect(id, servers_[spread_.server_of(id)], source_address(id));
    if (error != 0) fail(id, "connect: " + error_text(error));
  }
}

in_addr_t load_driver::source_address(uint32_t id) const {
  // One source address holds one ephemeral port range per server address
  // (about 28,000 on Linux by default, fewer with TIME_WAIT leftovers of the
  // last run); spread big runs over 127.0.0.1, .2, ...
  if (clients_.size() <= options_.conns_per_source) return 0;
  return htonl(INADDR_LOOPBACK + id / options_.conns_per_source);
}

void load_driver::join_phase() {
  int64_t start = now_ns();
  int64_t deadline = start + seconds_to_ns(options_.setup_timeout_s);
  for (uint32_t r = 0; r < rooms_.size(); ++r) start_room(r);
  run_until(deadline, [this] { return joins_pending_ == 0; });
  fail_unfinished(client_state::waiting_for_room, client_state::joining, "join: timed out");
  if (last_join_ns_ > 0) result_.setup.join_s = ns_to_seconds(last_join_ns_ - start);
}

void load_driver::start_room(uint32_t r) {
  room& rm = rooms_[r];
  uint32_t first = layout_.first_member(r);
  uint32_t end = first + layout_.member_count(r);
  bool have_creator = false;
  for (uint32_t id = first; id < end; ++id) {
    client& c = clients_[id];
    if (c.state != client_state::lobby) continue;
    ++joins_pending_;
    line_.clear();
    if (!protocol_.rooms_need_creation()) {
      protocol_.append_join(line_, rm.name);
    } else if (!have_creator) {
      // The first member still here creates the room; the rest wait for it,
      // since joining a room that does not exist yet is an error.
      have_creator = true;
      rm.creator = id;
      protocol_.append_create(line_, rm.name);
    } else {
      c.state = client_state::waiting_for_room;
      continue;
    }
    c.state = client_state::joining;
    loop_.send(id, line_);
  }
}

void load_driver::release_waiting_members(uint32_t r) {
  room& rm = rooms_[r];
  rm.ready = true;
  rm.ready_ns = now_ns();
  uint32_t first = layout_.first_member(r);
  uint32_t end = first + layout_.member_count(r);
  line_.clear();
  protocol_.append_join(line_, rm.name);
  for (uint32_t id = first; id < end; ++id) {
    if (clients_[id].state != client_state::waiting_for_room) continue;
    clients_[id].state = client_state::joining;
    loop_.send(id, line_);
  }
}

void load_driver::settle_phase() {
  // Joins make the server tell every member about every later member: wait
  // for that to calm down, so the traffic phase measures chat alone.
  int64_t start = now_ns();
  int64_t deadline = start + seconds_to_ns(options_.settle_max_s);
  int64_t quiet = seconds_to_ns(options_.settle_quiet_s);
  last_input_ns_ = std::max(last_input_ns_, start);
  while (true) {
    int64_t now = now_ns();
    if (now >= deadline || now - last_input_ns_ >= quiet) break;
    loop_.poll(ms_until(std::min(deadline, last_input_ns_ + quiet), now));
  }
}

void load_driver::fail(uint32_t id, const std::string& reason) {
  client& c = clients_[id];
  setup_result& s = result_.setup;
  switch (c.state) {
    case client_state::connecting:
      ++s.connect_failed;
      --logins_in_flight_;
      ++logins_done_;
      break;
    case client_state::logging_in:
      ++s.refused;
      --logins_in_flight_;
      ++logins_done_;
      break;
    case client_state::waiting:
      ++s.refused;
      ++logins_done_;
      break;
    case client_state::waiting_for_room:
    case client_state::joining:
      ++s.join_failed;
      --joins_pending_;
      break;
    default:
      return;
  }
  ++s.failures[reason];
  c.state = client_state::failed;
  loop_.close(id);
}

void load_driver::fail_unfinished(client_state a, client_state b, const std::string& reason) {
  for (uint32_t id = 0; id < clients_.size(); ++id)
    if (clients_[id].state == a || clients_[id].state == b) fail(id, reason);
}

// --- traffic ---------------------------------------------------------------

void load_driver::traffic_phase() {
  prepare_traffic();
  traffic_result& t = result_.traffic;
  t.senders = senders_.size();
  if (senders_.empty()) return hold_phase(options_.plan.duration_s);

  double cpu_before = sample_server().cpu_s;
  traffic_start_ns_ = now_ns();
  traffic_end_ns_ = traffic_start_ns_ + seconds_to_ns(options_.plan.duration_s);
  sending_ = true;
  if (options_.plan.rate_per_sender <= 0) {
    // As fast as the windows allow: every completed message sends the next.
    for (sender& s : senders_) fill_window(s);
    for (int64_t now = now_ns(); now < traffic_end_ns_; now = now_ns()) {
      loop_.poll(ms_until(traffic_end_ns_, now));
      expire_lost_messages();
    }
  } else {
    auto period = static_cast<int64_t>(ns_per_sec / options_.plan.rate_per_sender);
    std::priority_queue<due_send, std::vector<due_send>, std::greater<>> due;
    for (uint32_t i = 0; i < senders_.size(); ++i)  // spread the first sends over one period
      due.emplace(traffic_start_ns_ + period * i / static_cast<int64_t>(senders_.size()), i);
    for (int64_t now = now_ns(); now < traffic_end_ns_; now = now_ns()) {
      fire_due_sends(due, period);
      // Wake up to one slack early (epoll counts whole milliseconds, rounded
      // up here): the next firing then sends it on time, without spinning.
      int64_t next = due.empty() ? traffic_end_ns_ : due.top().first - send_slack_ns;
      loop_.poll(ms_until(std::min(next, traffic_end_ns_), now_ns()));
      expire_lost_messages();
    }
  }
  sending_ = false;
  int64_t stopped = now_ns();
  t.run_s = ns_to_seconds(stopped - traffic_start_ns_);
  result_.server.cpu_s_traffic = sample_server().cpu_s - cpu_before;

  run_until(stopped + seconds_to_ns(options_.drain_timeout_s),
            [this] { return messages_in_flight() == 0; });
  t.drain_s = ns_to_seconds(now_ns() - stopped);
  count_losses();
}

void load_driver::prepare_traffic() {
  for (uint32_t id = 0; id < clients_.size(); ++id) {
    if (clients_[id].state != client_state::in_room) continue;
    clients_[id].from_senders.resize(layout_.senders_in(layout_.room_of(id)));
  }
  uint32_t not_self = protocol_.echoes_own_messages() ? 0 : 1;
  for (uint32_t id = 0; id < clients_.size(); ++id) {
    if (layout_.sender_slot(id) < 0 || clients_[id].state != client_state::in_room) continue;
    uint32_t members = rooms_[layout_.room_of(id)].in_room;
    sender_of_[id] = static_cast<int32_t>(senders_.size());
    senders_.push_back(sender{id, members - not_self, sender_window(options_.plan.window)});
  }
}

bool load_driver::may_send(const sender& s) const {
  return sending_ && s.window.can_send() && loop_.is_open(s.client) &&
         result_.traffic.sent < options_.max_messages;
}

void load_driver::fill_window(sender& s) {
  while (may_send(s) && now_ns() < traffic_end_ns_) send_message(s);
}

void load_driver::send_message(sender& s) {
  int64_t now = now_ns();
  text_.clear();
  append_payload(text_, payload{s.client, s.window.next_seq(), now}, options_.plan.pad_bytes);
  line_.clear();
  protocol_.append_chat(line_, rooms_[layout_.room_of(s.client)].name, text_);
  loop_.send(s.client, line_);
  s.window.on_sent(s.receivers, now);
  ++result_.traffic.sent;
}

void load_driver::fire_due_sends(
    std::priority_queue<due_send, std::vector<due_send>, std::greater<>>& due, int64_t period_ns) {
  int64_t now = now_ns();
  while (!due.empty() && due.top().first <= now + send_slack_ns) {
    auto [when, index] = due.top();
    due.pop();
    sender& s = senders_[index];
    if (may_send(s)) {
      send_message(s);
    } else if (loop_.is_open(s.client) && !s.window.can_send()) {
      ++result_.traffic.window_stalls;  // the server is behind: skip, never burst
    }
    int64_t next = when + period_ns;
    if (next < now) next = now + period_ns;  // fell behind: keep the rate, drop the backlog
    if (next < traffic_end_ns_) due.emplace(next, index);
  }
}

void load_driver::expire_lost_messages() {
  int64_t now = now_ns();
  if (now < next_expiry_check_ns_) return;
  next_expiry_check_ns_ = now + expiry_check_ns;
  int64_t cutoff = now - seconds_to_ns(options_.in_flight_timeout_s);
  for (sender& s : senders_) {
    uint32_t expired = s.window.expire_sent_before(cutoff);
    if (expired == 0) continue;
    result_.traffic.window_expired += expired;
    if (options_.plan.rate_per_sender <= 0) fill_window(s);
  }
}

uint64_t load_driver::messages_in_flight() const {
  uint64_t total = 0;
  for (const sender& s : senders_) total += s.window.in_flight();
  return total;
}

void load_driver::count_losses() {
  traffic_result& t = result_.traffic;
  bool self_too = protocol_.echoes_own_messages();
  for (const sender& s : senders_) {
    uint32_t r = layout_.room_of(s.client);
    auto slot = static_cast<std::size_t>(layout_.sender_slot(s.client));
    uint64_t sent = s.window.sent();
    uint32_t first = layout_.first_member(r);
    for (uint32_t id = first; id < first + layout_.member_count(r); ++id) {
      const client& c = clients_[id];
      if (c.from_senders.empty() || (id == s.client && !self_too)) continue;
      t.expected += sent;
      t.lost += sent - std::min<uint64_t>(sent, c.from_senders[slot].distinct());
    }
  }
}

void load_driver::hold_phase(double seconds) {
  run_until(now_ns() + seconds_to_ns(seconds), [] { return false; });
}

// --- events from the sockets -------------------------------------------------

void load_driver::on_connected(uint32_t id) {
  client& c = clients_[id];
  if (c.state != client_state::connecting) return;
  c.state = client_state::logging_in;
  ++result_.setup.connected;
  line_.clear();
  protocol_.append_login(line_, nick(id));
  loop_.send(id, line_);
}

void load_driver::on_line(uint32_t id, std::string_view line) {
  int64_t now = now_ns();
  last_input_ns_ = now;
  reply r = protocol_.parse(line);
  switch (r.kind) {
    case reply_kind::chat:
      on_chat(id, r.text, now);
      break;
    case reply_kind::ping:
      line_.clear();
      protocol_.append_pong(line_, r.text);
      loop_.send(id, line_);
      break;
    case reply_kind::logged_in:
      on_logged_in(id, now);
      break;
    case reply_kind::login_refused:
      if (clients_[id].state == client_state::logging_in) fail(id, "login: " + std::string(r.code));
      break;
    case reply_kind::room_created:
      on_room_created(id, now);
      break;
    case reply_kind::room_exists:
      on_room_exists(id);
      break;
    case reply_kind::joined:
      on_joined(id, now);
      break;
    case reply_kind::join_refused:
      on_join_refused(id, r.code);
      break;
    case reply_kind::send_refused:
      ++result_.traffic.refused_sends[std::string(r.code)];
      break;
    case reply_kind::server_error:
      ++result_.server_errors[std::string(r.code)];
      break;
    case reply_kind::ignored:
      break;
  }
}

void load_driver::on_closed(uint32_t id, int error) {
  client& c = clients_[id];
  switch (c.state) {
    case client_state::connecting:
      fail(id, "connect: " + error_text(error));
      break;
    case client_state::logging_in:
      fail(id, "login: " + error_text(error));
      break;
    case client_state::waiting_for_room:
    case client_state::joining:
      fail(id, "join: " + error_text(error));
      break;
    case client_state::in_room:
      --rooms_[layout_.room_of(id)].in_room;
      [[fallthrough]];
    case client_state::lobby:
      c.state = client_state::gone;
      ++result_.disconnects;
      ++result_.server_errors["disconnected: " + error_text(error)];
      break;
    default:
      break;
  }
}

void load_driver::on_logged_in(uint32_t id, int64_t now) {
  client& c = clients_[id];
  if (c.state != client_state::logging_in) return;
  c.state = client_state::lobby;
  ++result_.setup.logged_in;
  result_.setup.login_latency.record(now - c.connect_started_ns);
  last_login_ns_ = now;
  --logins_in_flight_;
  ++logins_done_;
}

void load_driver::on_room_created(uint32_t id, int64_t now) {
  if (clients_[id].state != client_state::joining) return;
  uint32_t r = layout_.room_of(id);
  on_joined(id, now);  // creating a room also enters it
  if (id == rooms_[r].creator) release_waiting_members(r);
}

void load_driver::on_room_exists(uint32_t id) {
  if (clients_[id].state != client_state::joining) return;
  // Left over from an earlier run on the same server: join it like the rest.
  uint32_t r = layout_.room_of(id);
  line_.clear();
  protocol_.append_join(line_, rooms_[r].name);
  loop_.send(id, line_);
  if (id == rooms_[r].creator) release_waiting_members(r);
}

void load_driver::on_joined(uint32_t id, int64_t now) {
  client& c = clients_[id];
  if (c.state != client_state::joining) return;
  c.state = client_state::in_room;
  ++result_.setup.joined;
  ++rooms_[layout_.room_of(id)].in_room;
  --joins_pending_;
  last_join_ns_ = now;
}

void load_driver::on_join_refused(uint32_t id, std::string_view code) {
  if (clients_[id].state != client_state::joining) return;
  if (retry_join(id, code)) return;
  uint32_t r = layout_.room_of(id);
  fail(id, "join: " + std::string(code));
  if (id != rooms_[r].creator || rooms_[r].ready) return;
  // The room could not be created: its other members have nothing to join.
  uint32_t first = layout_.first_member(r);
  for (uint32_t m = first; m < first + layout_.member_count(r); ++m)
    if (clients_[m].state == client_state::waiting_for_room)
      fail(m, "join: room not created (" + std::string(code) + ")");
}

bool load_driver::retry_join(uint32_t id, std::string_view code) {
  // In a cluster the room is created on its creator's node and reaches the
  // others a moment later, so a member on another node may ask too early.
  // Asking again is bounded by the time a room may take to get there.
  uint32_t r = layout_.room_of(id);
  const room& rm = rooms_[r];
  if (!spread_.spread() || code != "no_such_room" || !rm.ready || id == rm.creator ||
      now_ns() - rm.ready_ns > seconds_to_ns(options_.room_spread_s))
    return false;
  ++result_.setup.join_retries;
  line_.clear();
  protocol_.append_join(line_, rooms_[r].name);
  loop_.send(id, line_);
  return true;
}

void load_driver::on_chat(uint32_t id, std::string_view text, int64_t now) {
  traffic_result& t = result_.traffic;
  client& receiver = clients_[id];
  auto p = parse_payload(text);
  if (!p || p->sender >= clients_.size() || receiver.from_senders.empty() ||
      sender_of_[p->sender] < 0) {
    ++t.foreign;  // not this run's traffic (or not to a member that listens)
    return;
  }
  sender& s = senders_[static_cast<std::size_t>(sender_of_[p->sender])];
  if (layout_.room_of(p->sender) != layout_.room_of(id) || p->seq >= s.window.sent()) {
    ++t.foreign;  // wrong room, or a message that was never sent
    return;
  }
  auto slot = static_cast<std::size_t>(layout_.sender_slot(p->sender));
  switch (receiver.from_senders[slot].record(p->seq)) {
    case sequence_tracker::verdict::duplicate:
      ++t.duplicated;
      return;
    case sequence_tracker::verdict::out_of_order:
      ++t.out_of_order;
      break;
    case sequence_tracker::verdict::in_order:
      break;
  }
  ++t.deliveries;
  if (now <= traffic_end_ns_) ++t.deliveries_in_run;
  t.latency.record(now - p->sent_ns);
  if (!t.per_server.empty()) count_on_server(id, now, now - p->sent_ns);
  if (s.window.on_delivered(p->seq) && options_.plan.rate_per_sender <= 0) fill_window(s);
}

void load_driver::count_on_server(uint32_t id, int64_t now, int64_t latency_ns) {
  server_traffic& on = result_.traffic.per_server[spread_.server_of(id)];
  ++on.deliveries;
  if (now <= traffic_end_ns_) ++on.deliveries_in_run;
  on.latency.record(latency_ns);
}

// --- helpers -----------------------------------------------------------------

void load_driver::run_until(int64_t deadline, const std::function<bool()>& done) {
  for (int64_t now = now_ns(); now < deadline && !done(); now = now_ns())
    loop_.poll(ms_until(deadline, now));
}

load_driver::server_sample load_driver::sample_server() const {
  server_sample s;
  if (options_.server_pid <= 0) return s;
  auto memory = read_proc_memory(options_.server_pid);
  auto cpu = read_proc_cpu_seconds(options_.server_pid);
  if (!memory || !cpu) return s;
  s.ok = true;
  s.rss_kb = memory->rss_kb;
  s.peak_rss_kb = memory->peak_rss_kb;
  s.cpu_s = *cpu;
  return s;
}

std::string load_driver::nick(uint32_t id) const {
  return options_.nick_prefix + std::to_string(id);
}

uint32_t load_driver::logged_in_connections() const {
  return static_cast<uint32_t>(std::count_if(clients_.begin(), clients_.end(), [](const client& c) {
    return c.state == client_state::lobby || c.state == client_state::in_room;
  }));
}

}  // namespace bench
