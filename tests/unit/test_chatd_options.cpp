// chatd's flags and config file (apps/chatd/options.cpp): keys in the config
// file are the long flag names, and a key chatd does not know stops start-up
// with a message that names it, instead of leaving a setting silently unset.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "apps/chatd/options.hpp"

namespace chat {
namespace {

class ChatdOptions : public ::testing::Test {
 protected:
  ~ChatdOptions() override { std::remove(config_path.c_str()); }

  // Parses `chatd --config FILE` with `text` as FILE; what CLI11 printed to
  // stderr lands in `printed`.
  std::optional<launch_options> parse_config(const std::string& text) {
    std::ofstream(config_path) << text;
    std::vector<std::string> args{"chatd", "--config", config_path};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    testing::internal::CaptureStderr();
    auto options = parse_options(static_cast<int>(argv.size()), argv.data(), exit_code);
    printed = testing::internal::GetCapturedStderr();
    return options;
  }

  std::string config_path = testing::TempDir() + "chatd-options-" +
                            testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml";
  int exit_code = 0;
  std::string printed;
};

TEST_F(ChatdOptions, LongFlagNamesInTheConfigFileAreApplied) {
  auto options = parse_config("rate-burst = 7\nmax-connections-per-ip = 3\n");
  ASSERT_TRUE(options) << printed;
  EXPECT_EQ(options->config.rate_burst, 7);
  EXPECT_EQ(options->config.max_connections_per_ip, 3u);
}

TEST_F(ChatdOptions, AnUnknownKeyStopsStartUpAndIsNamed) {
  auto options = parse_config("rate-burst = 7\nmax_connections_per_ip = 3\n");
  EXPECT_FALSE(options);
  EXPECT_NE(exit_code, 0);
  EXPECT_NE(printed.find("max_connections_per_ip"), std::string::npos) << printed;
}

TEST_F(ChatdOptions, MotdFileIsReadIntoTheSettings) {
  auto motd_path = config_path + ".motd";
  std::ofstream(motd_path) << "Be kind.\n";
  auto options = parse_config("motd-file = \"" + motd_path + "\"\n");
  std::remove(motd_path.c_str());
  ASSERT_TRUE(options) << printed;
  EXPECT_EQ(options->config.motd, "Be kind.\n");
}

TEST_F(ChatdOptions, AMissingOrBadMotdFileStopsStartUp) {
  EXPECT_FALSE(parse_config("motd-file = \"/nonexistent/motd\"\n"));
  EXPECT_NE(printed.find("cannot read /nonexistent/motd"), std::string::npos) << printed;
  auto motd_path = config_path + ".motd";
  std::ofstream(motd_path) << "bad \xff byte\n";
  EXPECT_FALSE(parse_config("motd-file = \"" + motd_path + "\"\n"));
  std::remove(motd_path.c_str());
  EXPECT_NE(printed.find("not valid UTF-8"), std::string::npos) << printed;
}

TEST_F(ChatdOptions, TlsSettingsComeFromTheConfigFile) {
  auto options = parse_config(
      "tls-port = 0\ntls-cert = \"/etc/chatd/cert.pem\"\ntls-key = \"/etc/chatd/key.pem\"\n"
      "tls-only = true\ntls-handshake-timeout-ms = 2500\n");
  ASSERT_TRUE(options) << printed;
  EXPECT_EQ(options->config.tls_port, 0);
  EXPECT_EQ(options->config.tls_cert, "/etc/chatd/cert.pem");
  EXPECT_EQ(options->config.tls_key, "/etc/chatd/key.pem");
  EXPECT_TRUE(options->config.tls_only);
  EXPECT_EQ(options->config.tls_handshake_timeout.count(), 2500);
}

TEST_F(ChatdOptions, ATlsPortWithoutCertificateAndKeyIsRefused) {
  auto options = parse_config("tls-port = 6000\ntls-cert = \"cert.pem\"\n");
  EXPECT_FALSE(options);
  EXPECT_NE(exit_code, 0);
  EXPECT_NE(printed.find("--tls-key"), std::string::npos) << printed;
}

TEST_F(ChatdOptions, TlsOnlyWithoutATlsPortIsRefused) {
  auto options = parse_config("tls-only = true\n");
  EXPECT_FALSE(options);
  EXPECT_NE(printed.find("--tls-port"), std::string::npos) << printed;
}

}  // namespace
}  // namespace chat
