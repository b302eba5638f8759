// The interactive client: one poll() loop over the server's socket, the
// keyboard (readline) and signals. It logs in (asking for the password of a
// registered nick), shows what arrives while the user types, and when the
// connection drops says so, reconnects with back-off, logs in again and
// rejoins the room it was in.
#pragma once

#include <string>

#include "apps/chat/options.hpp"
#include "apps/chat/render.hpp"
#include "apps/chat/settings.hpp"
#include "net/tls_context.hpp"

namespace chat::client {

// Needs a terminal on stdin and stdout. Returns the exit code.
int run_interactive(const client_options& options, const std::string& password,
                    const client_settings& settings, const render_style& style,
                    const net::tls_context& tls);

}  // namespace chat::client
