// The rules for opening a cluster port (apps/chatd/cluster_security.hpp) and
// the log limiter of refused handshakes (apps/chatd/refusal_log.hpp).
#include <gtest/gtest.h>

#include "apps/chatd/cluster_security.hpp"
#include "apps/chatd/refusal_log.hpp"

namespace chat {
namespace {

settings cluster(std::string host = "127.0.0.1") {
  settings s;
  s.cluster_port = 0;
  s.cluster_host = std::move(host);
  return s;
}

TEST(ClusterSecurityRules, LoopbackAddressesAreLiteral) {
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.8.9.10"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_FALSE(is_loopback_address("0.0.0.0"));
  EXPECT_FALSE(is_loopback_address("10.0.0.1"));
  EXPECT_FALSE(is_loopback_address("localhost"));
  EXPECT_FALSE(is_loopback_address(""));
}

TEST(ClusterSecurityRules, AClusterPortWithoutTlsFilesNamesWhatToPass) {
  auto problem = cluster_security_problem(cluster());
  EXPECT_NE(problem.find("--cluster-ca"), std::string::npos) << problem;
  EXPECT_NE(problem.find("--cluster-key"), std::string::npos) << problem;
  settings alone;
  EXPECT_EQ(cluster_security_problem(alone), "");
  auto s = cluster();
  s.cluster_ca = "ca.pem";
  s.cluster_cert = "n.pem";
  s.cluster_key = "n.key";
  EXPECT_EQ(cluster_security_problem(s), "");
  s.cluster_key.clear();
  EXPECT_NE(cluster_security_problem(s).find("--cluster-key"), std::string::npos);
}

TEST(ClusterSecurityRules, InsecureOnlyOnLoopbackHostAndPeers) {
  auto s = cluster();
  s.cluster_insecure = true;
  EXPECT_EQ(cluster_security_problem(s), "");
  s.peers = {"127.0.0.1:7001", "[::1]:7002"};
  EXPECT_EQ(cluster_security_problem(s), "");
  s.peers.push_back("10.1.2.3:7001");
  EXPECT_NE(cluster_security_problem(s).find("10.1.2.3:7001"), std::string::npos);
  auto wide = cluster("0.0.0.0");
  wide.cluster_insecure = true;
  EXPECT_NE(cluster_security_problem(wide).find("loopback"), std::string::npos);
  auto both = cluster();
  both.cluster_insecure = true;
  both.cluster_ca = "ca.pem";
  EXPECT_NE(cluster_security_problem(both), "");
}

TEST(RefusalLog, OneLinePerHostAndIntervalWithTheCountOfTheRest) {
  refusal_log log{std::chrono::seconds(60)};
  auto t = refusal_log::clock::now();
  EXPECT_EQ(log.note("10.0.0.1", "unknown ca", t), std::string{});
  EXPECT_EQ(log.note("10.0.0.1", "unknown ca", t + std::chrono::seconds(1)), std::nullopt);
  EXPECT_EQ(log.note("10.0.0.1", "unknown ca", t + std::chrono::seconds(2)), std::nullopt);
  EXPECT_EQ(log.note("10.0.0.2", "unknown ca", t), std::string{});
  auto later = log.note("10.0.0.1", "unknown ca", t + std::chrono::seconds(61));
  ASSERT_TRUE(later);
  EXPECT_NE(later->find("2 more"), std::string::npos) << *later;
  EXPECT_TRUE(log.note("10.0.0.1", "no certificate", t + std::chrono::seconds(62)));
}

}  // namespace
}  // namespace chat
