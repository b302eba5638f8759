#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace chat::test {
namespace {

using clock_type = std::chrono::steady_clock;

int read_port(const std::string& port_file) {
  std::ifstream in(port_file);
  int port = 0;
  return (in >> port) ? port : 0;
}

// Waits for the port file that chatd renames into place once it listens (told
// by inotify), or for the child to die (told by its pidfd).
}  // namespace

uint16_t wait_for_port_file(pid_t pid, const std::string& dir, const std::string& port_file) {
  int watch = inotify_init1(IN_CLOEXEC);
  inotify_add_watch(watch, dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
  int child = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  auto deadline = clock_type::now() + 20s;
  int port = read_port(port_file);
  while (port == 0 && clock_type::now() < deadline) {
    pollfd fds[2] = {{watch, POLLIN, 0}, {child, POLLIN, 0}};
    if (poll(fds, 2, remaining_ms(deadline)) <= 0) break;
    if (fds[1].revents & POLLIN) break;  // the child exited
    char events[4096];
    [[maybe_unused]] auto n = read(watch, events, sizeof(events));
    port = read_port(port_file);
  }
  close(watch);
  close(child);
  if (port == 0) throw std::runtime_error("chatd did not start listening");
  return static_cast<uint16_t>(port);
}

temp_dir::temp_dir() {
  char pattern[] = "/tmp/chatd-test-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

server_process::server_process(std::string data_dir, std::vector<std::string> extra_args) {
  auto port_file = data_dir + "/port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args{CHATD_BINARY,          "--port",      "0",
                                "--port-file",         port_file,     "--db",
                                data_dir + "/chat.db", "--log-level", "warn"};
  // Fast password hashing: tests check logic, not KDF cost (unless a test
  // sets the cost itself).
  if (std::find(extra_args.begin(), extra_args.end(), "--kdf-ops") == extra_args.end())
    args.insert(args.end(), {"--kdf-ops", "1", "--kdf-mem-bytes", "8192"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  port_ = wait_for_port_file(pid_, data_dir, port_file);
}

server_process::~server_process() {
  if (pid_ > 0 && running()) stop(SIGKILL);
}

bool server_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int server_process::stop(int sig, std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  const auto deadline = clock_type::now() + limit;
  kill(pid_, sig);
  int code = exit_code_by(pid_, deadline);
  if (code >= 0) pid_ = -1;
  return code;
}

finished_run run_chatd_to_exit(const std::vector<std::string>& args,
                               std::chrono::milliseconds limit) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_text{CHATD_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  finished_run run;
  auto deadline = clock_type::now() + limit;
  char buffer[4096];
  for (;;) {  // until EOF: the child (and anything it started) closed the pipe
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) break;
    auto n = read(out[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    run.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  // The pipe closes a moment before the child can be reaped: wait for its
  // exit (told by its pidfd) within what is left of the deadline.
  run.exit_code = exit_code_by(pid, deadline);
  if (run.exit_code < 0) {  // it did not stop by itself
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  return run;
}

long server_process::rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

client::client(uint16_t port) : client(port, "") {}

client::client(uint16_t port, const std::string& source) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) {
      close(fd_);
      throw std::runtime_error("cannot bind to " + source);
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    throw std::runtime_error("cannot connect to chatd");
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

client::~client() {
  if (fd_ >= 0) close(fd_);
}

void client::send_raw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

void client::send_line(const std::string& line) {
  send_raw(line + "\r\n");
}

std::optional<std::string> client::read_line(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto end = buffer_.find("\r\n", read_pos_);
    if (end != std::string::npos) {
      auto line = buffer_.substr(read_pos_, end - read_pos_);
      read_pos_ = end + 2;
      if (read_pos_ == buffer_.size()) {  // all consumed: start over without copying
        buffer_.clear();
        read_pos_ = 0;
      }
      return line;
    }
    if (read_pos_ > 0) {  // keep only the unfinished line before reading more
      buffer_.erase(0, read_pos_);
      read_pos_ = 0;
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) return std::nullopt;
    char chunk[65536];
    auto n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> client::read_until(const std::string& marker,
                                              std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto at = buffer_.find(marker, read_pos_);
    if (at != std::string::npos) {
      auto end = at + marker.size();
      auto text = buffer_.substr(read_pos_, end - read_pos_);
      buffer_.erase(0, end);
      read_pos_ = 0;
      return text;
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) return std::nullopt;
    char chunk[65536];
    auto n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool client::wait_closed(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  char chunk[65536];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
    auto n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace chat::test
