// The CI smoke run of chat-bench: a real chatd on a free loopback port, a
// few hundred clients for a few seconds, and only correctness asserted:
// everyone in, nothing lost, nothing duplicated, order kept. Speed is
// bench/run.sh's business, not CI's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../e2e/harness.hpp"

namespace {

using namespace std::chrono_literals;

// Runs `args` with stdout and stderr going to `log`.
pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

// The exit status, or -1 if the process is still running after `limit`.
int wait_for(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(20ms);
  }
  return -1;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// chatd with chat rate limits out of the way (a benchmark sends far above
// the human rate) and every client allowed from one address.
void write_chatd_config(const std::string& path) {
  std::ofstream out(path);
  // Keys are chatd's long flag names.
  out << "rate-burst = 1000000\nrate-per-sec = 1000000\nmax-connections-per-ip = 100000\n";
}

class SmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_chatd_config(dir.path() + "/chatd.toml");
    ASSERT_NO_THROW(chatd.emplace(
        dir.path(), std::vector<std::string>{"--config", dir.path() + "/chatd.toml"}));
  }
  void TearDown() override {
    if (chatd) chatd->stop(SIGTERM);  // what is left running, the destructor kills
  }

  chat::test::temp_dir dir;
  std::optional<chat::test::server_process> chatd;
};

TEST_F(SmokeTest, NothingLostDuplicatedOrReordered) {
  std::string report = dir.path() + "/report.json";
  pid_t bench = spawn(
      {CHATD_BUILD_DIR "/chat-bench", "--scenario", "smoke", "--clients", "200", "--duration", "3",
       "--port", std::to_string(chatd->port()), "--server-pid", std::to_string(chatd->pid()),
       "--json", report, "--setup-timeout", "30", "--drain-timeout", "10", "--strict"},
      dir.path() + "/bench.log");
  int status = wait_for(bench, 120s);
  if (status == -1) {
    kill(bench, SIGKILL);
    wait_for(bench, 5s);
  }
  std::string log = read_text(dir.path() + "/bench.log");
  ASSERT_NE(status, -1) << "chat-bench did not finish\n" << log;

  auto j = nlohmann::json::parse(read_text(report), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << "no JSON report\n" << log;
  EXPECT_EQ(j["setup"]["logged_in"], 200) << log;
  EXPECT_EQ(j["setup"]["joined"], 200) << log;
  EXPECT_GT(j["traffic"]["deliveries"].get<uint64_t>(), 0u) << log;
  EXPECT_EQ(j["traffic"]["lost"], 0) << log;
  EXPECT_EQ(j["traffic"]["duplicated"], 0) << log;
  EXPECT_EQ(j["traffic"]["out_of_order"], 0) << log;
  EXPECT_EQ(j["traffic"]["expected"], j["traffic"]["deliveries"]) << log;
  EXPECT_EQ(j["disconnects"], 0) << log;
  EXPECT_EQ(status, 0) << log;
}

}  // namespace
