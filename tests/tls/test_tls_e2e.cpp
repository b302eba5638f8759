// chatd's TLS port end to end (issue 14, client TLS): TLS and plain clients in
// one room, the welcome banner over TLS, a certificate reloaded on SIGHUP
// while connections stay up, plaintext and stalled handshakes on the TLS
// port, --tls-only, and `openssl s_client -quiet` used as telnet.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/e2e/harness.hpp"
#include "tests/tls/child_process.hpp"
#include "tests/tls/tls_client.hpp"
#include "tests/tls/tls_server.hpp"

namespace chat::test {
namespace {

using steady = std::chrono::steady_clock;

// Connects over TLS (trusting `ca`) and returns the certificate subject the
// server showed, or the reason the handshake failed.
std::string subject_seen(uint16_t port, const std::string& ca) {
  tls_client probe(port, ca);
  if (!probe.handshake()) return "failed: " + probe.error();
  return probe.stream().peer_subject();
}

// Listening TCP sockets of process `pid` (from /proc/<pid>/fd and /proc/net/tcp).
std::size_t listening_sockets(pid_t pid) {
  std::set<std::string> inodes;
  const std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd/";
  for (int fd = 0; fd < 4096; ++fd) {
    char target[256];
    auto n = readlink((fd_dir + std::to_string(fd)).c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    std::string link(target, static_cast<std::size_t>(n));
    if (link.rfind("socket:[", 0) == 0) inodes.insert(link.substr(8, link.size() - 9));
  }
  std::size_t listening = 0;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state == "0A" && inodes.count(inode) > 0) ++listening;  // 0A: LISTEN
    }
  }
  return listening;
}

TEST(TlsE2E, TlsAndPlainClientsChatInOneRoom) {
  tls_server server;
  tls_client ann(server.tls_port(), server.ca_file());
  ASSERT_TRUE(ann.handshake()) << ann.error();
  EXPECT_EQ(ann.stream().protocol(), "TLSv1.3");
  client bob(server.port());
  ASSERT_EQ(ann.login("ann")["type"], "ok");
  ASSERT_EQ(bob.login("bob")["type"], "ok");
  ASSERT_EQ(ann.command("/join general")["type"], "ok");
  ASSERT_EQ(bob.command("/join general")["type"], "ok");
  ASSERT_EQ(ann.event("join")["nick"], "bob");

  ann.send_line("over TLS");
  EXPECT_EQ(bob.event("message")["text"], "over TLS");
  EXPECT_EQ(ann.event("message")["text"], "over TLS");
  bob.send_line("in the clear");
  auto heard = ann.event("message");
  EXPECT_EQ(heard["from"], "bob");
  EXPECT_EQ(heard["text"], "in the clear");
  ann.send_line("/msg bob psst");
  EXPECT_EQ(bob.event("private")["text"], "psst");
}

TEST(TlsE2E, RegisteredPasswordsWorkOverTls) {
  tls_server server;
  {
    tls_client ann(server.tls_port(), server.ca_file());
    ASSERT_TRUE(ann.handshake()) << ann.error();
    ASSERT_EQ(ann.login("ann")["type"], "ok");
    ASSERT_EQ(ann.command("/register s3cret-pass")["type"], "ok");
    ann.send_line("/quit");
    ASSERT_TRUE(ann.wait_closed());
  }
  client watcher(server.port());
  ASSERT_EQ(watcher.login("watcher")["type"], "ok");
  // The old session may take a moment to be gone: retried until the nick is free.
  json reply;
  for (int attempt = 0; attempt < 50; ++attempt) {
    tls_client again(server.tls_port(), server.ca_file());
    ASSERT_TRUE(again.handshake()) << again.error();
    EXPECT_EQ(again.login("ann", "wrong")["code"], "bad_password");
    tls_client ann(server.tls_port(), server.ca_file());
    ASSERT_TRUE(ann.handshake()) << ann.error();
    reply = ann.login("ann", "s3cret-pass");
    if (reply["type"] == "ok") break;
  }
  EXPECT_EQ(reply["type"], "ok") << reply.dump();
}

TEST(TlsE2E, TheWelcomeBannerArrivesOverTls) {
  tls_server server;
  tls_client ann(server.tls_port(), server.ca_file());
  ASSERT_TRUE(ann.handshake()) << ann.error();
  auto first = ann.read_line();
  ASSERT_TRUE(first) << ann.error();
  client plain(server.port());
  EXPECT_EQ(*first, plain.read_line().value_or("none")) << "the same banner as in the clear";
}

TEST(TlsE2E, SighupReloadsTheCertificateAndKeepsConnections) {
  tls_server server({}, "first certificate");
  tls_client old(server.tls_port(), server.ca_file());
  ASSERT_TRUE(old.handshake()) << old.error();
  ASSERT_EQ(old.login("old")["type"], "ok");
  EXPECT_EQ(old.stream().peer_subject(), "CN=first certificate");

  const std::string second_ca = server.dir() + "/ca2.pem";
  server.replace_certificate("second certificate", second_ca);
  ASSERT_EQ(kill(server.process().pid(), SIGHUP), 0);
  // The reload is asynchronous (signal, main thread, gateway): new connections
  // are made until one shows the new certificate, which must chain to the new CA.
  std::string seen;
  for (int attempt = 0; attempt < 200 && seen != "CN=second certificate"; ++attempt)
    seen = subject_seen(server.tls_port(), "");
  EXPECT_EQ(seen, "CN=second certificate");
  EXPECT_EQ(subject_seen(server.tls_port(), second_ca), "CN=second certificate");
  EXPECT_NE(subject_seen(server.tls_port(), server.ca_file()).find("certificate verify failed"),
            std::string::npos);

  // The old connection was never dropped: it still talks, with the old certificate.
  EXPECT_EQ(old.command("/join general")["type"], "ok");
  old.send_line("still here");
  EXPECT_EQ(old.event("message")["text"], "still here");
  EXPECT_TRUE(server.process().running());
}

TEST(TlsE2E, ABadCertificateOnSighupChangesNothing) {
  tls_server server({}, "good certificate");
  tls_client old(server.tls_port(), server.ca_file());
  ASSERT_TRUE(old.handshake()) << old.error();
  ASSERT_EQ(old.login("old")["type"], "ok");
  write_file(server.cert_file(), "not a certificate\n");
  ASSERT_EQ(kill(server.process().pid(), SIGHUP), 0);
  // Then a good one: signals are handled in order, so once it shows, the bad
  // one was handled before it (and the server lived through it).
  const std::string third_ca = server.dir() + "/ca3.pem";
  server.replace_certificate("third certificate", third_ca);
  ASSERT_EQ(kill(server.process().pid(), SIGHUP), 0);
  std::string seen;
  for (int attempt = 0; attempt < 200 && seen != "CN=third certificate"; ++attempt) {
    seen = subject_seen(server.tls_port(), "");
    // Until the good reload, every new connection still gets the good old certificate.
    if (seen != "CN=third certificate") {
      ASSERT_EQ(seen, "CN=good certificate");
    }
  }
  EXPECT_EQ(seen, "CN=third certificate");
  EXPECT_EQ(old.command("/who")["type"], "ok");
}

TEST(TlsE2E, PlaintextOnTheTlsPortIsClosedAndPassesNothingOn) {
  tls_server server;
  client watcher(server.port());
  ASSERT_EQ(watcher.login("watcher")["type"], "ok");
  ASSERT_EQ(watcher.command("/join general")["type"], "ok");
  client telnet(server.tls_port());
  // One write: the server may close after the first bytes, and a second
  // write to a closed socket would fail the test for the wrong reason.
  telnet.send_raw("/login mallory\r\n/join general\r\nhello in the clear\r\n");
  EXPECT_TRUE(telnet.wait_closed());
  // Nothing of it became a session: nobody by that nick, and the nick is free.
  auto who = watcher.command("/who");
  EXPECT_EQ(who["type"], "ok");
  EXPECT_EQ(who.dump().find("mallory"), std::string::npos) << who.dump();
  client mallory(server.port());
  EXPECT_EQ(mallory.login("mallory")["type"], "ok");
}

TEST(TlsE2E, AHandshakeThatDoesNotFinishIsClosed) {
  tls_server server({"--tls-handshake-timeout-ms", "400"});
  tls_client done(server.tls_port(), server.ca_file());
  ASSERT_TRUE(done.handshake()) << done.error();
  ASSERT_EQ(done.login("done")["type"], "ok");
  // A raw TCP connection that sends half a ClientHello, then nothing.
  client stalled(server.tls_port());
  stalled.send_raw(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  const auto start = steady::now();
  EXPECT_TRUE(stalled.wait_closed(5s));
  EXPECT_GE(steady::now() - start, 300ms) << "closed for the timeout, not at once";
  // A finished handshake is not subject to it.
  EXPECT_EQ(done.command("/who")["type"], "ok");
}

TEST(TlsE2E, AHandshakeDribbledByteByByteIsClosedAfterFourTimesTheTimeout) {
  tls_server server({"--tls-handshake-timeout-ms", "400"});
  client slow(server.tls_port());
  const std::string hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  const auto start = steady::now();
  bool closed = false;
  // One byte every 150 ms (under the 400 ms stall limit), padding after the
  // header, until the server gives up; bounded at 40 bytes (6 s).
  for (int sent = 0; sent < 40 && !closed; ++sent) {
    try {
      slow.send_raw(sent < 11 ? hello.substr(static_cast<std::size_t>(sent), 1) : "x");
    } catch (const std::runtime_error&) {
      closed = true;  // closed between the last wait and this byte
      break;
    }
    closed = slow.wait_closed(150ms);
  }
  EXPECT_TRUE(closed);
  EXPECT_GE(steady::now() - start, 1500ms) << "not closed as stalled: it kept sending";
}

TEST(TlsE2E, StalledHandshakesBlockNobody) {
  tls_server server({"--tls-handshake-timeout-ms", "60000"});
  std::vector<std::unique_ptr<client>> stalled;
  for (int i = 0; i < 50; ++i) {
    stalled.push_back(std::make_unique<client>(server.tls_port()));
    stalled.back()->send_raw(std::string("\x16\x03\x01\x02\x00", 5));
  }
  tls_client ann(server.tls_port(), server.ca_file());
  ASSERT_TRUE(ann.handshake(2s)) << ann.error();
  client bob(server.port());
  ASSERT_EQ(ann.login("ann")["type"], "ok");
  ASSERT_EQ(bob.login("bob")["type"], "ok");
  ASSERT_EQ(ann.command("/join general")["type"], "ok");
  ASSERT_EQ(bob.command("/join general")["type"], "ok");
  bob.send_line("not held up");
  EXPECT_EQ(ann.event("message", 2s)["text"], "not held up");
}

TEST(TlsE2E, TlsOnlyListensOnTheTlsPortAlone) {
  tls_server server({"--tls-only"});
  EXPECT_EQ(server.port(), server.tls_port()) << "the port file names the TLS port";
  EXPECT_EQ(listening_sockets(server.process().pid()), 1u);
  tls_client ann(server.tls_port(), server.ca_file());
  ASSERT_TRUE(ann.handshake()) << ann.error();
  EXPECT_EQ(ann.login("ann")["type"], "ok");
}

TEST(TlsE2E, BothPortsListenWithoutTlsOnly) {
  tls_server server;
  EXPECT_NE(server.port(), server.tls_port());
  EXPECT_EQ(listening_sockets(server.process().pid()), 2u);
}

TEST(TlsE2E, ChatdRefusesToStartWithAnUnusableCertificate) {
  temp_dir dir;
  write_file(dir.path() + "/cert.pem", "not a certificate\n");
  write_file(dir.path() + "/key.pem", "not a key\n");
  child_process chatd({CHATD_BINARY, "--port", "0", "--db", dir.path() + "/chat.db", "--tls-port",
                       "0", "--tls-cert", dir.path() + "/cert.pem", "--tls-key",
                       dir.path() + "/key.pem"});
  EXPECT_EQ(chatd.wait_exit(10s), 1);
  const std::string said = chatd.out() + chatd.err();
  EXPECT_NE(said.find("cannot use the TLS certificate " + dir.path() + "/cert.pem"),
            std::string::npos)
      << said;
}

TEST(TlsE2E, OpensslSClientWorksAsTelnetOverTls) {
  tls_server server;
  client watcher(server.port());
  ASSERT_EQ(watcher.login("watcher")["type"], "ok");
  ASSERT_EQ(watcher.command("/join general")["type"], "ok");
  child_process s_client({"openssl", "s_client", "-quiet", "-connect",
                          "127.0.0.1:" + std::to_string(server.tls_port()), "-CAfile",
                          server.ca_file(), "-verify_return_error"});
  // What a person types: a nick, a join, a line. s_client sends LF line ends.
  s_client.write_stdin("sam\n/join general\nhello from s_client\n");
  auto heard = watcher.event("message", 10s);
  EXPECT_EQ(heard["from"], "sam");
  EXPECT_EQ(heard["text"], "hello from s_client");
  EXPECT_TRUE(s_client.wait_stdout("hello from s_client", 10s)) << s_client.out();
  s_client.write_stdin("/quit\n");
  EXPECT_EQ(s_client.wait_exit(10s), 0) << s_client.err();
}

}  // namespace
}  // namespace chat::test
