// Waits in the test harnesses have deadlines: what poll() may still wait, and
// a child process's exit, waited for on its pidfd.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

namespace chat::test {

// Milliseconds left until `deadline`, 0 once it has passed.
inline int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits until the child `pid` exits or `deadline` passes, and reaps it if it
// exited: its exit code, 128+signal for a death by signal, or -1 if it is
// still running (then it is left as it is).
inline int exit_code_by(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  int child = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  pollfd exited{child, POLLIN, 0};
  poll(&exited, 1, remaining_ms(deadline));
  close(child);
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace chat::test
