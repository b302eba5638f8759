// Command-line flags and the config file of chatd: both fill one chat::settings.
#pragma once

#include <optional>
#include <string>

#include "actors/settings.hpp"

namespace chat {

struct launch_options {
  settings config;
  std::string log_level = "info";
  std::string port_file;          // if set, the bound port is written there (for scripts and tests)
  std::string cluster_port_file;  // the same for the cluster port
  std::string tls_port_file;      // the same for the TLS client port
};

// Parses argv (and the --config file it names). Returns nullopt when the
// program should exit at once with `exit_code` (after --help, or a bad flag,
// whose message CLI11 has printed).
std::optional<launch_options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace chat
