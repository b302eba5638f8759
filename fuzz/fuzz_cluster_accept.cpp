// Fuzzes what any host that reaches a cluster port can send before a TLS
// handshake (issue 14): arbitrary bytes, the 32-byte BASP header claiming a
// 4 GiB payload among them, into the code chatd runs for an accepted cluster
// connection (apps/chatd/tls_policy.hpp): start_tls_session() with the bytes
// already waiting (SSL_accept runs inside the accept, as on a busy node), then
// an empty write and reads through tls_policy as CAF's stream makes them,
// until the connection ends.
//
// Input: byte 0 says how many of the bytes are there before the accept
// (0: none, 255: all), byte 1 the size of the pieces the rest arrives in
// between reads (0: at once); then the bytes the stranger sends before it
// shuts its side for writing.
//
// Invariants: no read hands on a byte, so nothing reaches BASP (the input
// cannot hold a certificate of the cluster CA with its key's signature); the
// connection ends refused, inside the accept or in the policy, which then
// leaves nothing in the handshake deadlines; while it lives, the memory
// allocated grows by less than max_growth (a plain node allocated 4 GiB for
// the BASP header).
//
// At start it makes a cluster CA and a certificate with
// deploy/cluster-certs.sh (CAF's OpenSSL module reads them from files for
// every session) and checks that a peer with a certificate of that CA does
// get its bytes through the same code, so the invariants cannot hold merely
// because nothing ever passes.

#include <sanitizer/allocator_interface.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/native_socket.hpp>
#include <caf/openssl/manager.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/chatd/tls_policy.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace chat;
using caf::io::network::rw_state;

// A TLS session with its context (CAF makes one per connection: CA,
// certificate, key) and OpenSSL's buffers took 93 to 98 KB with the seeds;
// the bound is 10 MB for 100 such connections.
constexpr std::size_t max_growth = 1 << 20;
// More input than a socket pair holds unread is no new case.
constexpr std::size_t max_input = 64 * 1024;
// The member's handshake takes a few rounds.
constexpr int max_rounds = 1000;

std::string cert_dir;
caf::actor_system* node = nullptr;  // never destroyed: its threads run until exit

struct socket_pair {
  int stranger = -1, node = -1;
  socket_pair() {
    int fds[2];
    FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    stranger = fds[0];
    node = fds[1];
    FUZZ_CHECK(caf::io::network::nonblocking(node, true));
  }
  ~socket_pair() {
    close(stranger);
    close(node);
  }
  socket_pair(const socket_pair&) = delete;
  socket_pair& operator=(const socket_pair&) = delete;
};

std::shared_ptr<handshake_deadlines> no_deadlines() {
  return std::make_shared<handshake_deadlines>();
}

std::shared_ptr<refusal_log> refusals() {
  return std::make_shared<refusal_log>(std::chrono::seconds(60));
}

void make_certificates() {
  char dir[] = "/tmp/chatd-fuzz-certs.XXXXXX";
  FUZZ_CHECK(mkdtemp(dir) != nullptr);
  cert_dir = dir;
  std::atexit([] { std::filesystem::remove_all(cert_dir); });
  auto command =
      std::string{CHATD_SOURCE_DIR} + "/deploy/cluster-certs.sh " + cert_dir + " member >/dev/null";
  FUZZ_CHECK(std::system(command.c_str()) == 0);
}

void start_node() {
  auto cfg = new caf::actor_system_config;
  cfg->load<caf::io::middleman>();
  cfg->load<caf::openssl::manager>();
  cfg->set("scheduler.max-threads", 1);
  cfg->openssl_cafile = cert_dir + "/ca.pem";
  cfg->openssl_certificate = cert_dir + "/member.pem";
  cfg->openssl_key = cert_dir + "/member.key";
  node = new caf::actor_system{*cfg};
}

// A member (same CA) dials and sends "hello": the policy must hand it on.
void check_a_member_gets_through() {
  socket_pair pair;
  FUZZ_CHECK(caf::io::network::nonblocking(pair.stranger, true));
  session_failure failure{};
  std::string reason;
  auto dialing = start_tls_session(*node, pair.stranger, false, failure, reason);
  FUZZ_CHECK(dialing != nullptr);
  auto accepting = start_tls_session(*node, pair.node, true, failure, reason);
  FUZZ_CHECK(accepting != nullptr);
  const auto limit = std::chrono::seconds(5);
  tls_policy member(std::move(dialing), false, pair.stranger, "node", no_deadlines(), limit,
                    refusals());
  auto deadlines = no_deadlines();
  tls_policy accepted(std::move(accepting), true, pair.node, "member", deadlines, limit,
                      refusals());
  const std::string hello = "hello";
  std::size_t sent = 0;
  std::string got;
  for (int round = 0; round < max_rounds && got.size() < hello.size(); ++round) {
    if (sent < hello.size()) {
      std::size_t n = 0;
      FUZZ_CHECK(member.write_some(n, pair.stranger, hello.data() + sent, hello.size() - sent) !=
                 rw_state::failure);
      sent += n;
    }
    char buf[64];
    std::size_t n = 0;
    FUZZ_CHECK(accepted.read_some(n, pair.node, buf, sizeof buf) != rw_state::failure);
    got.append(buf, n);
  }
  FUZZ_CHECK(got == hello);
  FUZZ_CHECK(accepted.authenticated());
  FUZZ_CHECK(deadlines->pending() == 0);
}

// Writes `bytes` for the node to read (they fit in the socket buffer: max_input).
void send(int fd, const uint8_t* bytes, std::size_t size) {
  for (std::size_t sent = 0; sent < size;) {
    auto n = write(fd, bytes + sent, size - sent);
    FUZZ_CHECK(n > 0);
    sent += static_cast<std::size_t>(n);
  }
}

// A stranger's bytes, as the accepted side of a cluster connection sees them:
// `early` bytes are there before the accept, the rest arrives in pieces of
// `piece` bytes between the node's reads, then the stranger shuts its side.
void accept_stranger(const uint8_t* data, std::size_t size, std::size_t early, std::size_t piece) {
  socket_pair pair;
  send(pair.stranger, data, early);
  std::size_t sent = early;
  auto deliver_piece = [&] {
    auto n = std::min(piece, size - sent);
    send(pair.stranger, data + sent, n);
    sent += n;
    if (sent == size) shutdown(pair.stranger, SHUT_WR);
  };
  if (sent == size) shutdown(pair.stranger, SHUT_WR);
  auto before = __sanitizer_get_current_allocated_bytes();
  auto bounded = [&] { return __sanitizer_get_current_allocated_bytes() - before < max_growth; };
  session_failure failure{};
  std::string reason;
  auto session = start_tls_session(*node, pair.node, true, failure, reason);
  FUZZ_CHECK(bounded());
  if (!session) {
    FUZZ_CHECK(failure == session_failure::handshake);  // refused inside the accept
    return;
  }
  auto deadlines = no_deadlines();
  tls_policy policy(std::move(session), true, pair.node, "stranger", deadlines,
                    std::chrono::seconds(5), refusals());
  // As CAF's stream: an empty write drives SSL_accept, then reads.
  std::size_t n = 1;
  policy.write_some(n, pair.node, nullptr, 0);
  FUZZ_CHECK(n == 0);
  char buf[16 * 1024];
  const std::size_t max_reads = size + 16;  // a piece per read, then EOF
  for (std::size_t round = 0; round < max_reads && !policy.refused(); ++round) {
    if (sent < size) deliver_piece();
    n = 1;
    policy.read_some(n, pair.node, buf, sizeof buf);
    FUZZ_CHECK(n == 0);  // nothing handed on
    FUZZ_CHECK(!policy.authenticated());
    FUZZ_CHECK(bounded());
  }
  // The stranger hung up mid-handshake: the connection ends refused.
  FUZZ_CHECK(policy.refused());
  FUZZ_CHECK(deadlines->pending() == 0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // every input is a refused handshake
  make_certificates();
  start_node();
  check_a_member_gets_through();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2 || size > max_input) return 0;
  // Byte 0: the share of the bytes there before the accept (255: all);
  // byte 1: the size of the pieces the rest comes in (0: all at once).
  auto bytes = data + 2;
  auto count = size - 2;
  auto early = count * data[0] / 255;
  std::size_t piece = data[1] == 0 ? count : data[1];
  accept_stranger(bytes, count, early, piece);
  return 0;
}
