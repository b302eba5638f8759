#include "apps/chat/password_prompt.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "apps/chat/signal_pipe.hpp"

namespace chat::client {

namespace {

std::optional<std::string> read_line_from_stdin() {
  std::string line;
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(0, &c, 1);
    if (n < 0 && errno == EINTR) {
      if (signal_pipe::stop_requested()) return std::nullopt;
      continue;
    }
    if (n <= 0) return std::nullopt;
    if (c == '\n') break;
    if (c != '\r') line.push_back(c);
  }
  return line;
}

// Turns echo off for its lifetime.
class echo_off {
 public:
  echo_off() {
    if (::tcgetattr(0, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    quiet.c_lflag |= ECHONL;  // the Enter still moves to the next line
    active_ = ::tcsetattr(0, TCSAFLUSH, &quiet) == 0;
  }
  ~echo_off() {
    if (active_) ::tcsetattr(0, TCSANOW, &saved_);
  }
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

}  // namespace

std::optional<std::string> ask_line(std::string_view prompt) {
  std::fwrite(prompt.data(), 1, prompt.size(), stdout);
  std::fflush(stdout);
  return read_line_from_stdin();
}

std::optional<std::string> ask_secret(std::string_view prompt) {
  echo_off quiet;
  return ask_line(prompt);
}

}  // namespace chat::client
