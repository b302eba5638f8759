// chat --send "text" --room R: log in, join R, say one line, wait for the
// server's echo of it (the acknowledgment, PROTOCOL.md "Replies"), quit.
// For cron jobs and bots: prints nothing on success, one line on stderr
// otherwise.
#pragma once

#include <ostream>
#include <string>

#include "apps/chat/exit_codes.hpp"
#include "apps/chat/options.hpp"
#include "apps/chat/settings.hpp"
#include "net/tls_context.hpp"

namespace chat::client {

int run_send_once(const client_options& options, const std::string& password,
                  const client_settings& settings, std::ostream& err, const net::tls_context& tls);

}  // namespace chat::client
