// build/chat: a terminal client for chatd (docs/client.md). Picks the mode
// from the command line and the terminal: --send, --json, interactive (stdin
// and stdout are a terminal), or piped lines. Only the interactive mode
// touches readline.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <variant>

#include "apps/chat/ansi.hpp"
#include "apps/chat/exit_codes.hpp"
#include "apps/chat/interactive.hpp"
#include "apps/chat/options.hpp"
#include "apps/chat/pipe_mode.hpp"
#include "apps/chat/prompt.hpp"
#include "apps/chat/send_once.hpp"
#include "apps/chat/tls_setup.hpp"

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace chat::client;
  auto parsed = parse_options(argc, argv, std::cout, std::cerr);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  client_options options = std::get<client_options>(parsed);
  const client_settings settings;
  // The password of a registered nick, for scripts and bots; people are asked.
  const std::string password = env_or_empty("CHAT_PASSWORD");
  const auto tls = client_tls(options);
  if (!tls.error.empty()) {
    std::cerr << "chat: " << tls.error << "\n";
    return exit_usage;
  }
  if (!tls.warning.empty()) std::cerr << "chat: " << tls.warning << "\n";
  const render_style style{ansi::colour_wanted(::isatty(1) != 0, std::getenv("NO_COLOR"),
                                               std::getenv("TERM"), options.no_color),
                           false};

  if (options.send_text && options.nick.empty()) options.nick = env_or_empty("USER");
  // An impossible nick is refused here, before connecting: the server would
  // take "bad nick" as the nick "bad" and the password "nick".
  if (!options.nick.empty()) {
    if (auto problem = nick_problem(options.nick); !problem.empty()) {
      std::cerr << "chat: " << problem << "\n";
      return exit_login;
    }
  }
  if (options.send_text) {
    if (options.nick.empty()) {
      std::cerr << "chat: --send needs --nick\n";
      return exit_usage;
    }
    return run_send_once(options, password, settings, std::cerr, tls.context);
  }
  if (options.json || ::isatty(0) == 0 || ::isatty(1) == 0) {
    return run_pipe_mode(options, password, settings, {options.json, style}, std::cout, std::cerr,
                         tls.context);
  }
  return run_interactive(options, password, settings, style, tls.context);
}
