#include "apps/chat/send_once.hpp"

#include "apps/chat/blocking_io.hpp"
#include "apps/chat/display_text.hpp"

namespace chat::client {

int run_send_once(const client_options& options, const std::string& password,
                  const client_settings& settings, std::ostream& err, const net::tls_context& tls) {
  connection conn(settings.max_line_bytes, tls);
  if (auto error = connect_blocking(conn, options.host, options.port,
                                    static_cast<int>(settings.connect_timeout.count()))) {
    err << "chat: cannot connect to " << options.host << ":" << options.port << ": " << *error
        << "\n";
    return exit_failure;
  }
  handshake shake({options.nick, password, options.room, false});
  const std::string failure =
      login_blocking(conn, shake, clock::now() + settings.handshake_timeout,
                     [](const std::string&, const nlohmann::json&, bool) {});
  if (!failure.empty()) {
    err << "chat: " << failure << "\n";
    return login_exit_code(shake);
  }
  if (shake.join_error()) {
    err << "chat: cannot join " << terminal_safe(options.room) << ": "
        << field_text(*shake.join_error(), "text") << "\n";
    return exit_failure;
  }

  // /say, not the bare text: a message that starts with '/' is still a message.
  conn.send_line("/say " + *options.send_text);
  std::string refusal;
  const auto said =
      read_until(conn, clock::now() + settings.send_timeout, [&](const std::string& line) {
        auto obj = nlohmann::json::parse(line, nullptr, false);
        if (obj.is_discarded()) return false;
        const std::string type = field_text(obj, "type");
        if (type == "error") {
          refusal = field_text(obj, "text");
          if (refusal.empty()) refusal = readable_code(field_text(obj, "code"));
          return true;
        }
        return type == "message" && same_name(field_text(obj, "from"), shake.nick()) &&
               same_name(field_text(obj, "room"), shake.room());
      });
  if (!refusal.empty()) {
    err << "chat: message not sent: " << refusal << "\n";
    return exit_failure;
  }
  if (said != wait_result::stopped) {
    err << "chat: message not confirmed by the server: "
        << (said == wait_result::timed_out ? "no answer in time" : conn.reason()) << "\n";
    return exit_failure;
  }

  // The message is delivered; a slow goodbye does not make the run a failure.
  conn.send_line("/quit");
  read_until(conn, clock::now() + settings.quit_timeout, [](const std::string& line) {
    auto obj = nlohmann::json::parse(line, nullptr, false);
    return !obj.is_discarded() && field_text(obj, "type") == "ok" &&
           field_text(obj, "cmd") == "quit";
  });
  return exit_ok;
}

}  // namespace chat::client
