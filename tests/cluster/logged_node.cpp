#include "logged_node.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chat::test {

logged_node::logged_node(const std::string& dir, std::vector<std::string> args, bool wait_listening)
    : dir_(dir) {
  std::vector<std::string> all{
      CHATD_BINARY, "--port",          "0",           "--port-file", dir + "/port",
      "--db",       dir + "/chat.db",  "--log-level", "info",        "--kdf-ops",
      "1",          "--kdf-mem-bytes", "8192"};
  all.insert(all.end(), args.begin(), args.end());
  auto log_path = dir + "/chatd.log";
  pid_ = fork();
  if (pid_ == 0) {
    int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(log, 1);
    dup2(log, 2);
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (wait_listening) port_ = wait_for_port_file(pid_, dir, dir + "/port");
}

logged_node::~logged_node() {
  if (pid_ > 0) stop(SIGKILL);
}

std::string logged_node::log() const {
  std::ifstream in(dir_ + "/chatd.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool logged_node::wait_log(const std::string& text, std::chrono::milliseconds limit) {
  int watch = inotify_init1(IN_CLOEXEC);
  inotify_add_watch(watch, (dir_ + "/chatd.log").c_str(), IN_MODIFY);
  auto deadline = std::chrono::steady_clock::now() + limit;
  bool found = log().find(text) != std::string::npos;
  while (!found) {
    if (remaining_ms(deadline) == 0) break;
    pollfd p{watch, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) break;
    char events[4096];
    [[maybe_unused]] auto n = read(watch, events, sizeof events);
    found = log().find(text) != std::string::npos;
  }
  close(watch);
  return found;
}

int logged_node::wait_exit(std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  int code = exit_code_by(pid_, std::chrono::steady_clock::now() + limit);
  if (code >= 0) pid_ = -1;
  return code;
}

int logged_node::stop(int sig, std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  return wait_exit(limit);
}

int count_rows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_stmt* stmt = nullptr;
  auto sql = "SELECT count(*) FROM " + table;
  int rows = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    rows = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

}  // namespace chat::test
