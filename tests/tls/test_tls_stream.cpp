// tls_stream on its own: a server and a client stream in one process, bytes
// moved between them by hand, so every step of a handshake and every hostile
// input is deterministic.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "net/tls_context.hpp"
#include "net/tls_stream.hpp"
#include "tests/tls/test_pki.hpp"

namespace chat::net {
namespace {

using state = tls_stream::state;

// Files of one test PKI in a fresh folder, removed afterwards.
class pki_files {
 public:
  explicit pki_files(const std::string& name = "chatd test server")
      : pki_(test::make_test_pki(name)) {
    char pattern[] = "/tmp/chatd-tls-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    test::write_file(ca(), pki_.ca_cert);
    test::write_file(cert(), pki_.cert);
    test::write_file(key(), pki_.key);
  }
  ~pki_files() {
    for (auto& f : {ca(), cert(), key()}) ::unlink(f.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string ca() const { return dir_ + "/ca.pem"; }
  std::string cert() const { return dir_ + "/cert.pem"; }
  std::string key() const { return dir_ + "/key.pem"; }
  const std::string& dir() const { return dir_; }

 private:
  test::test_pki pki_;
  std::string dir_;
};

tls_context server_context(const pki_files& files) {
  auto made = make_server_tls(files.cert(), files.key());
  EXPECT_TRUE(made) << made.error;
  return made.context;
}

tls_context client_context(const std::string& ca_file, bool verify = true) {
  auto made = make_client_tls(ca_file, verify);
  EXPECT_TRUE(made) << made.error;
  return made.context;
}

// Moves ciphertext both ways until neither side has any to send.
void pump(tls_stream& client, tls_stream& server, std::string& client_plain,
          std::string& server_plain) {
  for (int round = 0; round < 20; ++round) {
    std::string bytes;
    bool moved = false;
    if (client.take_output(bytes)) {
      server.feed(bytes.data(), bytes.size(), server_plain);
      moved = true;
    }
    bytes.clear();
    if (server.take_output(bytes)) {
      client.feed(bytes.data(), bytes.size(), client_plain);
      moved = true;
    }
    if (!moved) return;
  }
}

TEST(TlsStream, HandshakeThenPlaintextBothWays) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "127.0.0.1");
  EXPECT_TRUE(client.has_output()) << "a client has its ClientHello ready at once";
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  ASSERT_EQ(client.current(), state::open) << client.error();
  ASSERT_EQ(server.current(), state::open) << server.error();
  EXPECT_EQ(client.protocol(), "TLSv1.3");
  EXPECT_EQ(client.peer_subject(), "CN=chatd test server");

  client.write("/login ann\r\n");
  server.write("welcome\r\n");
  pump(client, server, to_client, to_server);
  EXPECT_EQ(to_server, "/login ann\r\n");
  EXPECT_EQ(to_client, "welcome\r\n");
}

TEST(TlsStream, PlaintextWrittenDuringTheHandshakeIsHeldThenSentInOrder) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "localhost");
  server.write("banner line 1\r\n");  // chatd's welcome goes out at accept
  server.write("banner line 2\r\n");
  EXPECT_EQ(server.held_bytes(), 30u);
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  ASSERT_EQ(server.current(), state::open);
  EXPECT_EQ(server.held_bytes(), 0u);
  EXPECT_EQ(to_client, "banner line 1\r\nbanner line 2\r\n");
}

TEST(TlsStream, CiphertextFedOneByteAtATimeStillWorks) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "127.0.0.1");
  std::string to_client, to_server;
  for (int round = 0; round < 10 && !(client.handshake_done() && server.handshake_done());
       ++round) {
    std::string bytes;
    client.take_output(bytes);
    for (char b : bytes) server.feed(&b, 1, to_server);
    bytes.clear();
    server.take_output(bytes);
    for (char b : bytes) client.feed(&b, 1, to_client);
  }
  ASSERT_TRUE(client.handshake_done() && server.handshake_done());
  client.write("hello\n");
  std::string bytes;
  client.take_output(bytes);
  for (char b : bytes) server.feed(&b, 1, to_server);
  EXPECT_EQ(to_server, "hello\n");
}

TEST(TlsStream, Tls12IsAccepted) {
  pki_files files;
  auto old_client = client_context(files.ca());
  SSL_CTX_set_max_proto_version(old_client.get(), TLS1_2_VERSION);
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(old_client, tls_stream::role::client, "127.0.0.1");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  ASSERT_EQ(server.current(), state::open) << server.error();
  EXPECT_EQ(server.protocol(), "TLSv1.2");
}

TEST(TlsStream, Tls11IsRefused) {
  pki_files files;
  auto old_client = client_context("", false);
  SSL_CTX_set_security_level(old_client.get(), 0);  // let this client offer TLS 1.1 at all
  SSL_CTX_set_min_proto_version(old_client.get(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old_client.get(), TLS1_1_VERSION);
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(old_client, tls_stream::role::client);
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  EXPECT_EQ(server.current(), state::failed);
  EXPECT_NE(server.error().find("unsupported protocol"), std::string::npos) << server.error();
  EXPECT_EQ(client.current(), state::failed);
}

TEST(TlsStream, ClientRefusesACertificateOfAnotherCa) {
  pki_files files;
  pki_files other("someone else");
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(other.ca()), tls_stream::role::client, "127.0.0.1");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  EXPECT_EQ(client.current(), state::failed);
  EXPECT_NE(client.error().find("certificate verify failed"), std::string::npos) << client.error();
  EXPECT_EQ(server.current(), state::failed) << "the client's alert reaches the server";
}

TEST(TlsStream, ClientChecksTheServersName) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "chat.example.org");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  EXPECT_EQ(client.current(), state::failed);
  EXPECT_NE(client.error().find("mismatch"), std::string::npos) << client.error();
}

TEST(TlsStream, ClientWithoutVerificationTakesAnyCertificate) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context("", false), tls_stream::role::client, "chat.example.org");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  EXPECT_EQ(client.current(), state::open) << client.error();
}

TEST(TlsStream, PlaintextToATlsServerFailsWithoutPassingAnythingOn) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  std::string plain;
  const std::string telnet = "/login ann\r\n";
  EXPECT_EQ(server.feed(telnet.data(), telnet.size(), plain), state::failed);
  EXPECT_TRUE(plain.empty());
  EXPECT_FALSE(server.error().empty());
  // Later bytes change nothing.
  EXPECT_EQ(server.feed(telnet.data(), telnet.size(), plain), state::failed);
  EXPECT_TRUE(plain.empty());
}

TEST(TlsStream, CloseNotifyEndsTheStream) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "127.0.0.1");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  client.write("last words\n");
  client.close();
  client.write("never sent\n");
  pump(client, server, to_client, to_server);
  EXPECT_EQ(to_server, "last words\n");
  EXPECT_EQ(server.current(), state::closed);
}

TEST(TlsStream, ReleasedBuffersComeBackWhenTrafficResumes) {
  pki_files files;
  tls_stream server(server_context(files), tls_stream::role::server);
  tls_stream client(client_context(files.ca()), tls_stream::role::client, "127.0.0.1");
  std::string to_client, to_server;
  pump(client, server, to_client, to_server);
  const std::string big(64 * 1024, 'x');
  server.write(big);
  pump(client, server, to_client, to_server);
  EXPECT_EQ(to_client.size(), big.size());
  server.release_buffers();
  client.release_buffers();
  server.write("after the pause\n");
  client.write("me too\n");
  pump(client, server, to_client, to_server);
  EXPECT_EQ(to_client.substr(big.size()), "after the pause\n");
  EXPECT_EQ(to_server, "me too\n");
}

TEST(TlsContext, BadFilesAreNamedInTheError) {
  pki_files files;
  pki_files other("other");
  auto missing = make_server_tls(files.dir() + "/nope.pem", files.key());
  EXPECT_FALSE(missing);
  EXPECT_NE(missing.error.find("nope.pem"), std::string::npos) << missing.error;
  auto mismatched = make_server_tls(files.cert(), other.key());
  EXPECT_FALSE(mismatched);
  EXPECT_NE(mismatched.error.find("does not belong"), std::string::npos) << mismatched.error;
  auto key_as_cert = make_server_tls(files.key(), files.key());
  EXPECT_FALSE(key_as_cert);
  auto bad_ca = make_client_tls(files.dir() + "/none.pem", true);
  EXPECT_FALSE(bad_ca);
  EXPECT_NE(bad_ca.error.find("none.pem"), std::string::npos) << bad_ca.error;
}

}  // namespace
}  // namespace chat::net
