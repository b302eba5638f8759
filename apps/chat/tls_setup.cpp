#include "apps/chat/tls_setup.hpp"

namespace chat::client {

tls_setup client_tls(const client_options& options) {
  tls_setup setup;
  if (!options.tls) return setup;
  auto made = net::make_client_tls(options.ca_file, !options.insecure);
  if (!made) {
    setup.error = made.error;
    return setup;
  }
  setup.context = std::move(made.context);
  if (options.insecure)
    setup.warning = "--insecure: the server's certificate is not checked; anyone on the way to " +
                    options.host + " can read and change this session, passwords included";
  return setup;
}

}  // namespace chat::client
