// Processes for the client's end-to-end tests: a real chatd on a free
// loopback port, the chat client on a pseudo-terminal (forkpty) or with
// pipes, and a raw json-mode connection that watches what the server sends.
// Every wait has a deadline; every process is killed when its owner goes.
// Each object belongs to one test; not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/chat/line_splitter.hpp"

namespace chat::client::testing {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

inline constexpr milliseconds wait_limit{15000};  // any single expected thing

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A port nobody listens on right now (bind to port 0, read it back, close).
uint16_t free_port();

// True once something accepts TCP connections on 127.0.0.1:port.
bool wait_listening(uint16_t port, milliseconds timeout);

// The chatd binary on 127.0.0.1:port with its own database; its output goes
// to log_path, `extra_args` (settings such as "--rate-burst", "10") on its
// command line. start() waits until it accepts connections.
class chatd_server {
 public:
  chatd_server(std::string binary, std::string db_path, std::string log_path,
               std::vector<std::string> extra_args = {});
  ~chatd_server() { stop(); }
  chatd_server(const chatd_server&) = delete;
  chatd_server& operator=(const chatd_server&) = delete;

  // False (and the log in `why`) when it did not come up in time.
  bool start(std::string* why);
  // SIGTERM, then SIGKILL if it lingers.
  void stop();
  uint16_t port() const { return port_; }

 private:
  std::string binary_;
  std::string db_path_;
  std::string log_path_;
  std::vector<std::string> extra_args_;
  uint16_t port_;
  pid_t pid_ = -1;
};

// What a terminal shows, line by line, from the bytes a program writes to it:
// carriage return, backspace, erase-to-end-of-line and cursor left/right are
// applied; colours and other sequences are dropped. Enough to see what
// readline leaves on the screen after redrawing a line.
class screen_model {
 public:
  void feed(std::string_view bytes);
  // Finished lines, each ending in '\n', then the line the cursor is on.
  std::string text() const { return done_ + line_; }
  // The length of the finished lines, which do not change any more.
  std::size_t finished() const { return done_.size(); }

 private:
  void control_sequence(std::string_view params, char final);

  std::string done_;
  std::string line_;
  std::size_t column_ = 0;
  std::string pending_;  // an escape sequence cut between two reads
};

// A child on a pseudo-terminal, as a person at a terminal would run it.
class pty_process {
 public:
  // `env` entries ("NAME=value") are added to (or replace) this process's
  // environment.
  pty_process(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  ~pty_process();
  pty_process(const pty_process&) = delete;
  pty_process& operator=(const pty_process&) = delete;

  void type(std::string_view keys);
  // Waits until `text` shows on the screen after the previous match. A match
  // on the line being edited may be matched again, as that line may be
  // redrawn; a match on finished lines is passed.
  bool wait_for(std::string_view text, milliseconds timeout = wait_limit);
  // The screen so far (finished lines and the current one), and the raw bytes.
  std::string screen();
  const std::string& raw() const { return raw_; }
  // The exit code, or nullopt when still running at the deadline.
  std::optional<int> wait_exit(milliseconds timeout = wait_limit);

 private:
  void pump(milliseconds timeout);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string raw_;
  screen_model screen_;
  std::size_t seen_ = 0;  // in screen_.text()
  std::optional<int> exit_code_;
};

struct run_result {
  int exit_code = -1;  // -1: killed at the deadline
  std::string out;
  std::string err;
};

// Runs a child with pipes: `input` on its stdin (then closed), its output kept.
run_result run_piped(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     const std::string& input, milliseconds timeout = wait_limit);

// A string field of a server object; empty when missing, null or not a string.
std::string text_of(const nlohmann::json& obj, const char* key);

// A raw json-mode connection to the server (what a script would hold).
class json_watcher {
 public:
  explicit json_watcher(uint16_t port);
  ~json_watcher();
  bool connected() const { return fd_ >= 0; }

  void send(const std::string& line);
  // The first object (from now on) for which `match` is true.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& match,
                                         milliseconds timeout = wait_limit);
  // Sends `line` and waits for its reply (the next ok or error).
  std::optional<nlohmann::json> command(const std::string& line);

 private:
  int fd_ = -1;
  line_splitter lines_{1 << 20};
  std::vector<std::string> pending_;
};

}  // namespace chat::client::testing
