// A program run by a test with its stdin, stdout and stderr on pipes
// (openssl s_client, build/chat). Every wait has a deadline; the process is
// killed when the object dies. One per test; not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace chat::test {

class child_process {
 public:
  explicit child_process(std::vector<std::string> argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  void write_stdin(const std::string& bytes);
  void close_stdin();
  // Reads until stdout holds `text` (true) or the deadline passes (false).
  bool wait_stdout(const std::string& text, std::chrono::milliseconds limit);
  // Waits for the exit, reading its output meanwhile: the exit code, 128+signal, or -1 at the
  // deadline.
  int wait_exit(std::chrono::milliseconds limit);
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  // Reads what is there (waiting until the deadline for something); false once both pipes ended.
  bool read_some(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int in_ = -1, stdout_ = -1, stderr_ = -1, pidfd_ = -1;
  std::string out_, err_;
  int exit_code_ = -1;
};

}  // namespace chat::test
