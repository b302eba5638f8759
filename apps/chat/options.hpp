// The command line of build/chat (docs/client.md). A plain struct with its
// defaults, filled by CLI11. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>

namespace chat::client {

struct client_options {
  std::string host = "127.0.0.1";
  uint16_t port = 5000;
  std::string nick;                      // empty: ask (on a terminal) or take $USER
  std::string room;                      // empty: stay in the lobby
  bool json = false;                     // pass the server's JSON lines through
  std::optional<std::string> send_text;  // send this one message to `room` and exit
  bool no_color = false;
  bool tls = false;       // speak TLS to the server (its TLS port)
  std::string ca_file;    // --tls: trust these CAs (PEM) instead of the system's
  bool insecure = false;  // --tls: do not check the server's certificate at all
};

// The options, or the exit code when there is nothing to run: 0 after --help,
// 2 after a usage error (the message went to `err`).
// The --help footer: one example for each mode (terminal, --send, --json, pipe).
std::string help_examples();

std::variant<client_options, int> parse_options(int argc, const char* const* argv,
                                                std::ostream& out, std::ostream& err);

}  // namespace chat::client
