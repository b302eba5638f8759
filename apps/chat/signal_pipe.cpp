#include "apps/chat/signal_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace chat::client {

namespace {

int pipe_fds[2] = {-1, -1};
volatile std::sig_atomic_t stop_flag = 0;
constexpr int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};

void on_signal(int signal) {
  const int saved = errno;
  if (signal != SIGWINCH) stop_flag = 1;
  const char byte = static_cast<char>(signal);
  [[maybe_unused]] const auto n = ::write(pipe_fds[1], &byte, 1);
  errno = saved;
}

}  // namespace

signal_pipe::signal_pipe() {
  if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) return;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  for (int signal : caught) sigaction(signal, &action, nullptr);
}

signal_pipe::~signal_pipe() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int signal : caught) sigaction(signal, &action, nullptr);
  for (int& fd : pipe_fds) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

int signal_pipe::fd() const {
  return pipe_fds[0];
}

std::vector<int> signal_pipe::take() {
  std::vector<int> signals;
  char bytes[64];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], bytes, sizeof bytes)) > 0) {
    for (ssize_t i = 0; i < n; ++i) signals.push_back(bytes[i]);
  }
  return signals;
}

bool signal_pipe::stop_requested() {
  return stop_flag != 0;
}

}  // namespace chat::client
