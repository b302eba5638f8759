// The client without a terminal: stdin's lines go to the server, the
// server's lines come out on stdout, either as raw JSON (chat --json, for
// scripts: both directions unchanged) or rendered for people (stdin is a
// pipe or a file; a "/mode text" is refused there, as on the terminal). At the end of
// stdin the client sends /quit and exits when the server has closed the
// connection, so every reply to the lines sent is printed first.
#pragma once

#include <ostream>
#include <string>

#include "apps/chat/options.hpp"
#include "apps/chat/render.hpp"
#include "apps/chat/settings.hpp"
#include "net/tls_context.hpp"

namespace chat::client {

struct pipe_mode_config {
  bool raw_json = false;  // print the server's lines as they are
  render_style style;     // otherwise, how to render them
};

// Reads stdin (fd 0); writes `out` and `err`. Returns the exit code.
int run_pipe_mode(const client_options& options, const std::string& password,
                  const client_settings& settings, const pipe_mode_config& config,
                  std::ostream& out, std::ostream& err, const net::tls_context& tls);

}  // namespace chat::client
