#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

extern char** environ;

namespace chat::client::testing {

namespace {

int ms_left(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// This process's environment with `extra` added or replacing entries.
std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (const auto& entry : extra) vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> out;
  for (auto& [name, entry] : vars) out.push_back(entry);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// In the child: becomes the program, or exits 127.
[[noreturn]] void exec_child(std::vector<std::string> argv, std::vector<std::string> env) {
  auto args = c_strings(argv);
  auto vars = c_strings(env);
  ::execve(args[0], args.data(), vars.data());
  std::_Exit(127);
}

std::optional<int> reap(pid_t pid, bool block) {
  int status = 0;
  const pid_t rc = ::waitpid(pid, &status, block ? 0 : WNOHANG);
  if (rc != pid) return std::nullopt;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

// SIGTERM, a grace period, then SIGKILL; always reaps.
void terminate(pid_t pid, milliseconds grace) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  const auto deadline = clock::now() + grace;
  while (clock::now() < deadline) {
    if (reap(pid, false)) return;
    ::poll(nullptr, 0, 20);
  }
  ::kill(pid, SIGKILL);
  reap(pid, true);
}

}  // namespace

temp_dir::temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/chat-client-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

bool wait_listening(uint16_t port, milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  do {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (ok) return true;
    ::poll(nullptr, 0, 25);
  } while (clock::now() < deadline);
  return false;
}

// ---- chatd_server ----

chatd_server::chatd_server(std::string binary, std::string db_path, std::string log_path,
                           std::vector<std::string> extra_args)
    : binary_(std::move(binary)),
      db_path_(std::move(db_path)),
      log_path_(std::move(log_path)),
      extra_args_(std::move(extra_args)),
      port_(free_port()) {}

bool chatd_server::start(std::string* why) {
  stop();
  pid_ = ::fork();
  if (pid_ == 0) {
    const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    std::vector<std::string> argv = {
        binary_, "--host", "127.0.0.1", "--port", std::to_string(port_), "--db", db_path_};
    argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
    exec_child(argv, environment_with({}));
  }
  const auto deadline = clock::now() + wait_limit;
  while (clock::now() < deadline) {
    if (auto code = reap(pid_, false)) {
      pid_ = -1;
      if (why) *why = "chatd exited with " + std::to_string(*code);
      break;
    }
    if (wait_listening(port_, 100ms)) return true;
  }
  std::ifstream log(log_path_);
  std::stringstream text;
  text << log.rdbuf();
  if (why)
    *why += "; chatd did not come up on port " + std::to_string(port_) + "; log:\n" + text.str();
  stop();
  return false;
}

void chatd_server::stop() {
  terminate(pid_, 5000ms);
  pid_ = -1;
}

// ---- pty_process ----

pty_process::pty_process(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env) {
  winsize size{};
  size.ws_row = 50;
  size.ws_col = 200;  // wide: no line of the tests wraps
  auto vars = environment_with(env);
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ == 0) exec_child(argv, vars);
  if (master_ >= 0) ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
}

pty_process::~pty_process() {
  if (!exit_code_) terminate(pid_, 2000ms);
  if (master_ >= 0) ::close(master_);
}

void pty_process::type(std::string_view keys) {
  while (!keys.empty()) {
    const ssize_t n = ::write(master_, keys.data(), keys.size());
    if (n > 0) {
      keys.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return;
    } else {
      pollfd p{master_, POLLOUT, 0};
      ::poll(&p, 1, 100);
    }
  }
}

void pty_process::pump(milliseconds timeout) {
  pollfd p{master_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n <= 0) {
      // EIO: the child closed the terminal (it exited); stop polling it hot.
      if (n < 0 && errno == EIO) ::poll(nullptr, 0, 10);
      return;
    }
    raw_.append(buffer, static_cast<std::size_t>(n));
    screen_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

std::string pty_process::screen() {
  pump(0ms);
  return screen_.text();
}

bool pty_process::wait_for(std::string_view text, milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const std::string shown = screen();
    const auto at = shown.find(text, seen_);
    if (at != std::string::npos) {
      seen_ = std::min(at + text.size(), screen_.finished());
      return true;
    }
    if (clock::now() >= deadline) return false;
    pump(milliseconds(std::min(ms_left(deadline), 50)));
  }
}

std::optional<int> pty_process::wait_exit(milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!exit_code_) {
    exit_code_ = reap(pid_, false);
    if (exit_code_ || clock::now() >= deadline) break;
    pump(10ms);
  }
  pump(0ms);
  return exit_code_;
}

void screen_model::feed(std::string_view bytes) {
  std::string input = pending_ + std::string(bytes);
  pending_.clear();
  for (std::size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (c == '\033') {
      if (i + 1 >= input.size()) {
        pending_ = input.substr(i);
        return;
      }
      const char kind = input[i + 1];
      if (kind == '[') {  // CSI: parameters, then one final byte in 0x40..0x7e
        std::size_t end = i + 2;
        while (end < input.size() && !(input[end] >= 0x40 && input[end] <= 0x7e)) ++end;
        if (end >= input.size()) {
          pending_ = input.substr(i);
          return;
        }
        control_sequence(std::string_view(input).substr(i + 2, end - i - 2), input[end]);
        i = end;
      } else if (kind == ']') {  // OSC: up to BEL or ESC backslash
        std::size_t end = input.find_first_of("\007\033", i + 2);
        if (end == std::string::npos) {
          pending_ = input.substr(i);
          return;
        }
        i = input[end] == '\033' ? end + 1 : end;
      } else {
        ++i;  // a two-byte sequence (ESC =, ESC >, ...)
      }
    } else if (c == '\r') {
      column_ = 0;
    } else if (c == '\n') {
      done_ += line_ + "\n";
      line_.clear();
      column_ = 0;
    } else if (c == '\b') {
      if (column_ > 0) --column_;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      // bell and the like: nothing to see
    } else {
      if (column_ < line_.size()) {
        line_[column_] = c;
      } else {
        line_.resize(column_, ' ');
        line_.push_back(c);
      }
      ++column_;
    }
  }
}

void screen_model::control_sequence(std::string_view params, char final) {
  const int n =
      params.empty() || params[0] == '?' ? 1 : std::max(1, std::atoi(std::string(params).c_str()));
  switch (final) {
    case 'K':  // erase in line; 0 (or nothing): from the cursor to the end
      if (params.empty() || params == "0") line_.resize(std::min(line_.size(), column_));
      if (params == "2") line_.clear();
      break;
    case 'D':
      column_ -= std::min<std::size_t>(column_, static_cast<std::size_t>(n));
      break;
    case 'C':
      column_ += static_cast<std::size_t>(n);
      break;
    case 'G':
      column_ = static_cast<std::size_t>(n - 1);
      break;
    default:
      break;  // colours, modes: nothing moves
  }
}

// ---- run_piped ----

run_result run_piped(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     const std::string& input, milliseconds timeout) {
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) return {};
  auto vars = environment_with(env);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    exec_child(argv, vars);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  run_result result;
  std::size_t written = 0;
  int to_child = in[1];
  if (input.empty()) {
    ::close(to_child);
    to_child = -1;
  }
  const auto deadline = clock::now() + timeout;
  int open_outputs = 2;
  while (open_outputs > 0 && clock::now() < deadline) {
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {to_child, POLLOUT, 0}};
    if (::poll(fds, 3, std::min(ms_left(deadline), 100)) <= 0) continue;
    if (fds[2].revents != 0 && to_child >= 0) {
      const ssize_t n = ::write(to_child, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) {
        ::close(to_child);
        to_child = -1;
      }
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].revents == 0 || fds[k].fd < 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[k].fd, buffer, sizeof buffer);
      if (n > 0) {
        (k == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[k].fd);
        (k == 0 ? out[0] : err[0]) = -1;
        --open_outputs;
      }
    }
  }
  if (to_child >= 0) ::close(to_child);
  for (int fd : {out[0], err[0]}) {
    if (fd >= 0) ::close(fd);
  }
  while (clock::now() < deadline) {
    if (auto code = reap(pid, false)) {
      result.exit_code = *code;
      return result;
    }
    ::poll(nullptr, 0, 10);
  }
  terminate(pid, 1000ms);
  result.exit_code = -1;
  return result;
}

// ---- json_watcher ----

std::string text_of(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json_watcher::json_watcher(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  send("/mode json");
  if (!wait_for([](const nlohmann::json& o) { return text_of(o, "cmd") == "mode"; })) {
    ::close(fd_);
    fd_ = -1;
  }
}

json_watcher::~json_watcher() {
  if (fd_ >= 0) ::close(fd_);
}

void json_watcher::send(const std::string& line) {
  const std::string bytes = line + "\r\n";
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::optional<nlohmann::json> json_watcher::wait_for(
    const std::function<bool(const nlohmann::json&)>& match, milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    while (!pending_.empty()) {
      const std::string line = std::move(pending_.front());
      pending_.erase(pending_.begin());
      auto obj = nlohmann::json::parse(line, nullptr, false);
      if (!obj.is_discarded() && obj.is_object() && match(obj)) return obj;
    }
    if (fd_ < 0 || clock::now() >= deadline) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms_left(deadline)) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    lines_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), pending_);
  }
}

std::optional<nlohmann::json> json_watcher::command(const std::string& line) {
  send(line);
  return wait_for([](const nlohmann::json& o) {
    const std::string type = text_of(o, "type");
    return type == "ok" || type == "error";
  });
}

}  // namespace chat::client::testing
