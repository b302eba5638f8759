// Test harness for end-to-end tests: a real chatd process on a loopback port
// and real TCP clients. Every wait has a deadline; nothing sleeps for a guess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "json_lines.hpp"

namespace chat::test {

// A temporary folder, removed with everything in it when the object dies.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Waits (up to 20 s) until `port_file` in `dir` holds a port, which chatd
// renames into place once it listens; throws if `pid` exits first.
uint16_t wait_for_port_file(pid_t pid, const std::string& dir, const std::string& port_file);

// A chatd child process. Started with --port 0 and a port file, so tests never
// race for ports; the database lives in `data_dir` unless args say otherwise.
class server_process {
 public:
  explicit server_process(std::string data_dir, std::vector<std::string> extra_args = {});
  ~server_process();  // SIGKILL if still running
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits (up to `limit`) for the exit; returns the exit code,
  // 128+signal for a death by signal, or -1 on timeout.
  int stop(int sig, std::chrono::milliseconds limit = 10s);
  bool running();
  // Resident memory of the server process, in KiB (VmRSS).
  long rss_kib() const;

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// A chatd run that is expected to stop on its own (a refused start): its exit
// code (128+signal for a death by signal, -1 if still running at `limit`, then
// killed) and everything it wrote to stdout and stderr.
struct finished_run {
  int exit_code = -1;
  std::string output;
};
finished_run run_chatd_to_exit(const std::vector<std::string>& args,
                               std::chrono::milliseconds limit = 20s);

// A client connection speaking the line protocol over a plain socket; the
// json helpers (reply, command, event, login) are json_lines'.
class client : public json_lines {
 public:
  explicit client(uint16_t port);
  // Connects from `source`, another loopback address (127.0.0.2 ...), to test
  // limits by network: the whole 127.0.0.0/8 reaches a server on 127.0.0.1.
  client(uint16_t port, const std::string& source);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void send_line(const std::string& line) override;  // appends CRLF
  void send_raw(const std::string& bytes);           // exactly these bytes
  // The next line from the server (without CRLF), or nullopt at the deadline or EOF.
  std::optional<std::string> read_line(std::chrono::milliseconds limit = 5s) override;
  // Everything up to and including the first `marker` (which need not end a
  // line, e.g. a prompt), or nullopt at the deadline or EOF.
  std::optional<std::string> read_until(const std::string& marker,
                                        std::chrono::milliseconds limit = 5s);
  // True once the server has closed the connection (reads until EOF or the deadline).
  bool wait_closed(std::chrono::milliseconds limit = 5s);

  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  std::size_t read_pos_ = 0;  // start of the first unread line in buffer_
};

}  // namespace chat::test
