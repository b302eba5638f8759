// A chatd process whose log (stdout and stderr) goes to a file, for tests that
// assert what a node says: why it refused a peer, why it will not start.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "../e2e/harness.hpp"

namespace chat::test {

class logged_node {
 public:
  // Starts chatd with `args` (after --port 0, a port file, --db DIR/chat.db,
  // --log-level info and fast password hashing) and its log in DIR/chatd.log;
  // waits until it listens unless `wait_listening` is false.
  logged_node(const std::string& dir, std::vector<std::string> args, bool wait_listening = true);
  ~logged_node();  // SIGKILL if still running
  logged_node(const logged_node&) = delete;
  logged_node& operator=(const logged_node&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const;  // everything logged so far
  std::string db_path() const { return dir_ + "/chat.db"; }
  std::string port_file(const char* name) const { return dir_ + "/" + name; }
  // Waits (inotify on the log) until the log holds `text`.
  bool wait_log(const std::string& text, std::chrono::milliseconds limit = 10s);
  // Sends `sig` and waits up to `limit` for the exit; the exit code, 128+signal, or -1.
  int stop(int sig, std::chrono::milliseconds limit = 10s);
  // Waits up to `limit` for an exit of its own; the exit code, or -1.
  int wait_exit(std::chrono::milliseconds limit);

 private:
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// The number of rows of `table` in the SQLite database at `path`.
int count_rows(const std::string& path, const std::string& table);

}  // namespace chat::test
