#include "apps/chat/options.hpp"

#include <CLI/CLI.hpp>

namespace chat::client {

std::string help_examples() {
  return "Examples, one per mode:\n"
         "  chat --host chat.example.org --nick alice --room general\n"
         "      chat on a terminal (the password of a registered nick is asked for)\n"
         "  chat --nick cron --room ops --send \"disk /var is 91% full\"\n"
         "      send one message and exit 0 once delivered (CHAT_PASSWORD for a registered nick)\n"
         "  printf '/rooms\\n/who\\n' | chat --json --nick bot\n"
         "      JSON lines for programs: stdin's lines in, the server's JSON lines out\n"
         "  tail -f alerts.log | chat --nick alerts --room ops\n"
         "      piped lines: each line is sent as typed, replies printed for people\n"
         "Exit codes: 0 done, 1 connection or room failed, 2 bad command line, 3 login refused.\n"
         "See docs/client.md.";
}

std::variant<client_options, int> parse_options(int argc, const char* const* argv,
                                                std::ostream& out, std::ostream& err) {
  client_options options;
  CLI::App app{"chat: a terminal client for chatd"};
  app.add_option("--host", options.host, "server address")->capture_default_str();
  app.add_option("--port", options.port, "server port")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--nick", options.nick, "nickname (default: asked for, or $USER)");
  auto* room = app.add_option("--room", options.room, "room to join after logging in");
  auto* json = app.add_flag("--json", options.json,
                            "scripts: print the server's JSON lines, send stdin's lines");
  auto* send = app.add_option("--send", options.send_text,
                              "send one message to --room and exit (cron jobs, bots)");
  send->needs(room)->excludes(json);
  app.add_flag("--no-color", options.no_color, "never use colour (as NO_COLOR=1 does)");
  auto* tls = app.add_flag("--tls", options.tls,
                           "connect over TLS, checking the server's certificate against the "
                           "system's CAs");
  auto* ca = app.add_option("--ca", options.ca_file, "--tls: trust these CA certificates (PEM)")
                 ->check(CLI::ExistingFile);
  auto* insecure = app.add_flag("--insecure", options.insecure,
                                "--tls: do not check the server's certificate (anyone on the "
                                "way can read and change the session)");
  ca->needs(tls);
  insecure->needs(tls)->excludes(ca);
  app.footer(help_examples());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }
  if (options.send_text && options.send_text->find_first_of("\r\n") != std::string::npos) {
    err << "--send: the message must be one line\n";
    return 2;
  }
  if (options.send_text && options.send_text->empty()) {
    err << "--send: the message is empty\n";
    return 2;
  }
  return options;
}

}  // namespace chat::client
