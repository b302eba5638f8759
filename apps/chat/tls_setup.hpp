// The TLS context of build/chat, from --tls, --ca and --insecure. Made once in
// main and shared by every connection of the run (the interactive client
// reconnects with it).
#pragma once

#include <string>

#include "apps/chat/options.hpp"
#include "net/tls_context.hpp"

namespace chat::client {

struct tls_setup {
  net::tls_context context;  // null without --tls
  std::string error;         // set when the context cannot be made (a bad --ca file)
  std::string warning;       // for stderr: --insecure says what it gives up
};

tls_setup client_tls(const client_options& options);

}  // namespace chat::client
