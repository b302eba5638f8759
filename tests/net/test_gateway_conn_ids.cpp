// Connection ids: the gateway issues its own 64-bit ids and never reuses one,
// so a message for a closed connection never reaches the next connection that
// the kernel gives the same socket number.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/gateway.hpp"
#include "net/messages.hpp"

namespace chat::net {
namespace {

using namespace std::chrono_literals;

struct config : caf::actor_system_config {
  config() {
    load<caf::io::middleman>();
    register_net_messages(*this);
  }
};

// A plain blocking loopback client.
class raw_client {
 public:
  explicit raw_client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ADD_FAILURE();
  }
  ~raw_client() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Reads until `want` bytes came, EOF, or 5 s passed.
  std::string read_bytes(std::size_t want) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (got.size() < want && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }

 private:
  int fd_ = -1;
};

// Every connection the gateway opened, in order, with the id it issued.
struct opened_log {
  std::mutex mutex;
  std::vector<conn_id> ids;
  std::size_t size() {
    std::lock_guard<std::mutex> lock{mutex};
    return ids.size();
  }
  conn_id at(std::size_t i) {
    std::lock_guard<std::mutex> lock{mutex};
    return ids.at(i);
  }
};

class GatewayConnIds : public ::testing::Test {
 protected:
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  opened_log opened;
  caf::actor gateway;
  uint16_t port = 0;

  void SetUp() override {
    gateway_config gc;
    gc.port = 0;
    gc.max_connections_per_minute = 0;  // this test opens more than a minute's worth
    auto made = spawn_gateway(sys, gc, [this](const caf::actor&, conn_id id, const std::string&) {
      std::lock_guard<std::mutex> lock{opened.mutex};
      opened.ids.push_back(id);
      // A session that ignores everything: this test speaks to the gateway directly.
      return sys.spawn([](caf::event_based_actor* session) -> caf::behavior {
        // Anything else is ignored without an answer (caf::drop would answer
        // an error, and an error message ends the gateway).
        session->set_default_handler(
            [](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
              return caf::message{};
            });
        return {[](client_lines&) {}};
      });
    });
    ASSERT_TRUE(made);
    gateway = *made;
    self->request(gateway, 5s, port_atom::value)
        .receive([&](uint16_t p) { port = p; }, [&](caf::error& e) { FAIL() << sys.render(e); });
  }
  void TearDown() override { self->send(gateway, shutdown_gateway{"", ""}); }

  uint64_t open_count() {
    uint64_t n = UINT64_MAX;  // a failed request: never a count waited for
    self->request(gateway, 5s, count_atom::value)
        .receive([&](uint64_t c) { n = c; },
                 [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
    return n;
  }
  // Waits until the gateway has opened `n` connections in all.
  bool wait_opened(std::size_t n) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (opened.size() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    return opened.size() >= n;
  }
  bool wait_open_count(uint64_t n) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (open_count() != n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    return open_count() == n;
  }
};

TEST_F(GatewayConnIds, MessagesForAClosedConnectionNeverReachTheNextOne) {
  raw_client first{port};
  ASSERT_TRUE(wait_opened(1));
  auto old_id = opened.at(0);
  first.close();
  ASSERT_TRUE(wait_open_count(0)) << "the gateway saw the first connection close";

  // The kernel gives the next connection the lowest free descriptor: the
  // gateway's socket for it is the one the first connection had.
  raw_client second{port};
  ASSERT_TRUE(wait_opened(2));
  auto new_id = opened.at(1);
  EXPECT_NE(new_id, old_id);
  EXPECT_GT(new_id, old_id) << "ids count up";

  // Late messages for the closed connection, then one for the new one. The
  // gateway handles one sender's messages in order: had the stale ones reached
  // the new client, their bytes would come first, or it would be closed.
  std::vector<conn_id> both{old_id, new_id};
  auto stale = std::make_shared<const std::string>("stale fanout\r\n");
  self->send(gateway, client_output{old_id, "stale output\r\n"});
  self->send(gateway, fanout{stale, stale, {old_id}});
  self->send(gateway, close_client{old_id});
  self->send(gateway, client_output{new_id, "fresh\r\n"});
  EXPECT_EQ(second.read_bytes(7), "fresh\r\n");
  EXPECT_EQ(open_count(), 1u) << "close_client of the old id left the new connection open";
  self->send(gateway, client_output{new_id, "still here\r\n"});
  EXPECT_EQ(second.read_bytes(12), "still here\r\n");
}

TEST_F(GatewayConnIds, IdsAreNeverReusedAcrossManyConnections) {
  constexpr std::size_t rounds = 50;
  for (std::size_t i = 0; i < rounds; ++i) {
    raw_client c{port};
    ASSERT_TRUE(wait_opened(i + 1));
    c.close();
    ASSERT_TRUE(wait_open_count(0));
  }
  std::vector<conn_id> ids;
  for (std::size_t i = 0; i < rounds; ++i) ids.push_back(opened.at(i));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "an id was issued twice";
}

}  // namespace
}  // namespace chat::net
