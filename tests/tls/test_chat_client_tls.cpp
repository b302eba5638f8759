// build/chat over TLS against a real chatd: --tls with --ca, the system's CAs
// (which do not know the test CA), --insecure (which says what it gives up),
// the host name check, --tls pointed at the plain port, and the flag rules.
#include <gtest/gtest.h>

#include "tests/e2e/harness.hpp"
#include "tests/tls/child_process.hpp"
#include "tests/tls/tls_server.hpp"

namespace chat::test {
namespace {

const std::string chat_binary = std::string(CHATD_BUILD_DIR) + "/chat";

class ChatClientTls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(watcher.login("watcher")["type"], "ok");
    ASSERT_EQ(watcher.command("/join general")["type"], "ok");
  }

  // chat --send TEXT as `nick` to general, with `flags`; waits for its exit.
  int send(const std::string& nick, const std::string& text, std::vector<std::string> flags,
           uint16_t port = 0) {
    std::vector<std::string> args{
        chat_binary, "--port", std::to_string(port != 0 ? port : server.tls_port()),
        "--nick",    nick,     "--room",
        "general",   "--send", text};
    args.insert(args.end(), flags.begin(), flags.end());
    run = std::make_unique<child_process>(args);
    return run->wait_exit(20s);
  }

  tls_server server;
  client watcher{server.port()};
  std::unique_ptr<child_process> run;
};

TEST_F(ChatClientTls, SendsOverTlsCheckingTheServerAgainstTheGivenCa) {
  EXPECT_EQ(send("ann", "hello over TLS", {"--tls", "--ca", server.ca_file()}), 0) << run->err();
  auto heard = watcher.event("message");
  EXPECT_EQ(heard["from"], "ann");
  EXPECT_EQ(heard["text"], "hello over TLS");
  EXPECT_EQ(run->err(), "");
}

TEST_F(ChatClientTls, ChecksTheHostNameToo) {
  EXPECT_EQ(send("ann", "by name", {"--tls", "--ca", server.ca_file(), "--host", "localhost"}), 0)
      << run->err();
  EXPECT_EQ(watcher.event("message")["text"], "by name");
}

TEST_F(ChatClientTls, TheSystemCasDoNotVouchForAnUnknownCa) {
  EXPECT_EQ(send("ann", "never sent", {"--tls"}), 1);
  EXPECT_NE(run->err().find("certificate verify failed"), std::string::npos) << run->err();
  // Nothing reached the room.
  watcher.send_line("marker");
  EXPECT_EQ(watcher.event("message")["text"], "marker");
}

TEST_F(ChatClientTls, InsecureConnectsAndSaysWhatItGivesUp) {
  EXPECT_EQ(send("ann", "unchecked", {"--tls", "--insecure"}), 0) << run->err();
  EXPECT_EQ(watcher.event("message")["text"], "unchecked");
  EXPECT_NE(run->err().find("--insecure: the server's certificate is not checked"),
            std::string::npos)
      << run->err();
}

TEST_F(ChatClientTls, TlsToThePlainPortFailsWithAHint) {
  EXPECT_EQ(send("ann", "never sent", {"--tls", "--ca", server.ca_file()}, server.port()), 1);
  EXPECT_NE(run->err().find("TLS port"), std::string::npos) << run->err();
}

TEST_F(ChatClientTls, PipedLinesGoBothWaysOverTls) {
  child_process chat({chat_binary, "--port", std::to_string(server.tls_port()), "--tls", "--ca",
                      server.ca_file(), "--nick", "pam", "--room", "general"});
  chat.write_stdin("from a pipe\n");
  EXPECT_EQ(watcher.event("message")["text"], "from a pipe");
  watcher.send_line("back to the pipe");
  EXPECT_TRUE(chat.wait_stdout("back to the pipe", 10s)) << chat.out() << chat.err();
  chat.close_stdin();
  EXPECT_EQ(chat.wait_exit(10s), 0) << chat.err();
}

TEST_F(ChatClientTls, TlsFlagsFollowTheirRules) {
  EXPECT_EQ(send("ann", "x", {"--ca", server.ca_file()}), 2) << "--ca needs --tls";
  EXPECT_EQ(send("ann", "x", {"--insecure"}), 2) << "--insecure needs --tls";
  EXPECT_EQ(send("ann", "x", {"--tls", "--insecure", "--ca", server.ca_file()}), 2);
  EXPECT_EQ(send("ann", "x", {"--tls", "--ca", server.dir() + "/missing.pem"}), 2);
  EXPECT_EQ(send("ann", "x", {"--tls", "--ca", server.key_file()}), 2) << "not a certificate";
  EXPECT_NE(run->err().find("key.pem"), std::string::npos) << run->err();
}

}  // namespace
}  // namespace chat::test
