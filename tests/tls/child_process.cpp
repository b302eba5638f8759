#include "tests/tls/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "tests/e2e/waits.hpp"

namespace chat::test {
namespace {

using clock_type = std::chrono::steady_clock;

}  // namespace

child_process::child_process(std::vector<std::string> argv) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2 failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  in_ = in[1];
  stdout_ = out[0];
  stderr_ = err[0];
  pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  signal(SIGPIPE, SIG_IGN);  // a child that exits early must not end the test
}

child_process::~child_process() {
  if (pid_ > 0 && exit_code_ < 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (int fd : {in_, stdout_, stderr_, pidfd_})
    if (fd >= 0) close(fd);
}

void child_process::write_stdin(const std::string& bytes) {
  std::size_t sent = 0;
  while (in_ >= 0 && sent < bytes.size()) {
    auto n = write(in_, bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

void child_process::close_stdin() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

bool child_process::read_some(clock_type::time_point deadline) {
  if (stdout_ < 0 && stderr_ < 0) return false;
  pollfd fds[2] = {{stdout_, POLLIN, 0}, {stderr_, POLLIN, 0}};
  if (poll(fds, 2, remaining_ms(deadline)) <= 0) return true;
  char chunk[4096];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].revents == 0) continue;
    int& fd = i == 0 ? stdout_ : stderr_;
    auto n = read(fd, chunk, sizeof chunk);
    if (n <= 0) {
      close(fd);
      fd = -1;
    } else {
      (i == 0 ? out_ : err_).append(chunk, static_cast<std::size_t>(n));
    }
  }
  return true;
}

bool child_process::wait_stdout(const std::string& text, std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  while (out_.find(text) == std::string::npos) {
    if (clock_type::now() >= deadline || !read_some(deadline)) return false;
  }
  return true;
}

int child_process::wait_exit(std::chrono::milliseconds limit) {
  if (exit_code_ >= 0) return exit_code_;
  auto deadline = clock_type::now() + limit;
  // The output first: a child blocked on a full pipe would never exit.
  while (clock_type::now() < deadline && read_some(deadline)) {
  }
  pollfd p{pidfd_, POLLIN, 0};
  if (poll(&p, 1, remaining_ms(deadline)) <= 0) return -1;
  int status = 0;
  if (waitpid(pid_, &status, 0) != pid_) return -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

}  // namespace chat::test
