// Runs one benchmark from the first connect to the last delivery: connects
// and logs in every client, gets them into their rooms, drives the chat
// traffic for the set time, waits for late deliveries, and fills a
// bench_result. Every phase ends by its own deadline, so a run always ends,
// whatever the server does. Single-threaded; owns the event loop, every
// client and every counter.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "bench/dialect.hpp"
#include "bench/event_loop.hpp"
#include "bench/options.hpp"
#include "bench/results.hpp"
#include "bench/room_layout.hpp"
#include "bench/sender_window.hpp"
#include "bench/sequence_tracker.hpp"
#include "bench/server_spread.hpp"

namespace bench {

class load_driver final : private connection_events {
 public:
  load_driver(const bench_options& options, const dialect& protocol);
  bench_result run();

 private:
  enum class client_state : uint8_t {
    waiting,           // not connected yet (connect concurrency)
    connecting,        // TCP handshake under way
    logging_in,        // login lines sent
    lobby,             // logged in, in no room
    waiting_for_room,  // its room is being created by another member
    joining,           // create or join sent
    in_room,
    failed,  // gave up during setup (see setup_result::failures)
    gone,    // lost after setup
  };
  struct client {
    client_state state = client_state::waiting;
    int64_t connect_started_ns = 0;
    std::vector<sequence_tracker> from_senders;  // by sender slot; only clients that receive
  };
  struct sender {
    uint32_t client;
    uint32_t receivers;  // members each message must reach
    sender_window window;
  };
  struct room {
    std::string name;
    uint32_t creator = 0;
    bool ready = false;    // created (or found existing): members may join
    int64_t ready_ns = 0;  // when it became ready
    uint32_t in_room = 0;  // members joined and still connected
  };
  struct server_sample {
    bool ok = false;
    uint64_t rss_kb = 0;
    uint64_t peak_rss_kb = 0;
    double cpu_s = 0;
  };
  using due_send = std::pair<int64_t, uint32_t>;  // (due time, sender)

  // The phases, in order.
  void login_phase();
  void join_phase();
  void settle_phase();
  void traffic_phase();
  void hold_phase(double seconds);

  // Setup steps.
  void start_connects();
  void start_room(uint32_t r);
  void release_waiting_members(uint32_t r);
  void fail(uint32_t id, const std::string& reason);
  void fail_unfinished(client_state a, client_state b, const std::string& reason);

  // Traffic steps.
  void prepare_traffic();
  bool may_send(const sender& s) const;  // window open, connected, under max_messages
  void fill_window(sender& s);
  void send_message(sender& s);
  void fire_due_sends(std::priority_queue<due_send, std::vector<due_send>, std::greater<>>& due,
                      int64_t period_ns);
  uint64_t messages_in_flight() const;
  void expire_lost_messages();  // at most every expiry_check_ns
  void count_losses();

  // Replies and events.
  void on_connected(uint32_t id) override;
  void on_line(uint32_t id, std::string_view line) override;
  void on_closed(uint32_t id, int error) override;
  void on_logged_in(uint32_t id, int64_t now);
  void on_room_created(uint32_t id, int64_t now);
  void on_room_exists(uint32_t id);
  void on_joined(uint32_t id, int64_t now);
  void on_join_refused(uint32_t id, std::string_view code);
  bool retry_join(uint32_t id, std::string_view code);
  void on_chat(uint32_t id, std::string_view text, int64_t now);
  void count_on_server(uint32_t id, int64_t now, int64_t latency_ns);

  // Polls until done() or the deadline.
  void run_until(int64_t deadline, const std::function<bool()>& done);
  server_sample sample_server() const;
  in_addr_t source_address(uint32_t id) const;
  std::string nick(uint32_t id) const;
  uint32_t logged_in_connections() const;

  const bench_options& options_;
  const dialect& protocol_;
  room_layout layout_;
  server_spread spread_;
  event_loop loop_;
  std::vector<sockaddr_in> servers_;  // by server index (server_spread.hpp)
  std::vector<client> clients_;
  std::vector<room> rooms_;
  std::vector<sender> senders_;
  std::vector<int32_t> sender_of_;  // client -> index in senders_, -1 for listeners
  bench_result result_;

  uint32_t next_connect_ = 0;      // next client to connect
  uint32_t logins_in_flight_ = 0;  // connecting or logging in
  uint32_t logins_done_ = 0;       // logged in or failed
  uint32_t joins_pending_ = 0;     // waiting for a room, or joining
  int64_t last_login_ns_ = 0;
  int64_t last_join_ns_ = 0;
  int64_t last_input_ns_ = 0;
  bool sending_ = false;
  int64_t traffic_start_ns_ = 0;
  int64_t traffic_end_ns_ = INT64_MAX;  // deliveries up to here count as "in run"
  int64_t next_expiry_check_ns_ = 0;
  std::string text_;  // scratch: a message text
  std::string line_;  // scratch: lines to send
};

}  // namespace bench
