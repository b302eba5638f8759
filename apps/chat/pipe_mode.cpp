#include "apps/chat/pipe_mode.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "apps/chat/blocking_io.hpp"
#include "apps/chat/display_text.hpp"
#include "apps/chat/exit_codes.hpp"
#include "apps/chat/user_input.hpp"

namespace chat::client {

namespace {

class pipe_session {
 public:
  pipe_session(const client_settings& settings, const pipe_mode_config& config, std::ostream& out,
               const net::tls_context& tls)
      : settings_(settings),
        config_(config),
        out_(out),
        conn_(settings.max_line_bytes, tls),
        stdin_lines_(settings.max_line_bytes) {}

  connection& conn() { return conn_; }

  // A line from the server, after the handshake or during it.
  void show(const std::string& line, const nlohmann::json& obj) {
    if (config_.raw_json) {
      out_ << line << "\n";
    } else if (!(field_text(obj, "type") == "ok" && field_text(obj, "cmd") == "mode")) {
      for (const auto& shown : render_server_object(obj, config_.style)) out_ << shown << "\n";
    }
    out_.flush();
  }

  // Runs until the server closes the connection; the exit code.
  int run(std::ostream& err) {
    std::vector<std::string> lines;
    for (;;) {
      if (conn_.flush()) return lost(err);
      // Input beyond what waits to be paced stays in the pipe: a file of any
      // size never piles up in memory.
      const bool take_input = stdin_open_ && conn_.lines_waiting() < max_lines_waiting;
      pollfd fds[2] = {{conn_.fd(), POLLIN, 0}, {take_input ? 0 : -1, POLLIN, 0}};
      if (conn_.wants_write()) fds[0].events |= POLLOUT;
      // The /quit leaves only after the lines queued before it: its wait
      // starts once it was sent.
      if (quitting_ && !quit_deadline_ && conn_.lines_waiting() == 0)
        quit_deadline_ = clock::now() + settings_.handshake_timeout;
      const int timeout = sooner_ms(ms_until(quit_deadline_), ms_until(conn_.next_release()));
      const int rc = ::poll(fds, 2, timeout);
      if (rc < 0 && errno == EINTR) continue;
      if (rc == 0 && quit_deadline_ && clock::now() >= *quit_deadline_)
        return exit_ok;  // quit sent; the server lingers
      if (fds[1].revents != 0) read_stdin();
      if (fds[0].revents != 0) {
        lines.clear();
        const auto status = conn_.read(lines);
        for (const auto& line : lines) on_server_line(line);
        if (status != connection::read_status::ok) {
          return quitting_ ? exit_ok : lost(err);
        }
      }
    }
  }

 private:
  void on_server_line(const std::string& line) {
    auto obj = nlohmann::json::parse(line, nullptr, false);
    if (obj.is_discarded()) {
      if (config_.raw_json) out_ << line << "\n" << std::flush;
      return;
    }
    conn_.note_reply(obj);  // a script's own /login says the rate too
    show(line, obj);
  }

  void read_stdin() {
    char buffer[4096];
    const ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) return;
    if (n <= 0) {
      // The end of the input: leave after the replies to everything sent.
      stdin_open_ = false;
      begin_quit("/quit");
      return;
    }
    std::vector<std::string> typed;
    stdin_lines_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), typed);
    for (const auto& line : typed) on_input_line(line);
  }

  void on_input_line(const std::string& line) {
    if (quitting_) return;
    // A script with --json owns its session: its lines go out unchanged, so
    // that every command gets the server's reply, in order.
    if (config_.raw_json) {
      if (classify_input(line).kind == input_kind::quit) return begin_quit(line);
      return conn_.send_line(line);
    }
    const auto action = classify_input(line);
    switch (action.kind) {
      case input_kind::nothing:
        return;
      case input_kind::send:
        conn_.send_line(action.line);
        return;
      case input_kind::quit:
        begin_quit(action.line);
        return;
      case input_kind::refuse:
        refuse(action.reason);
        return;
    }
  }

  void refuse(const std::string& reason) {
    out_ << render_local_error(reason, config_.style) << "\n" << std::flush;
  }

  void begin_quit(const std::string& line) {
    if (quitting_) return;
    quitting_ = true;
    conn_.send_line(line);  // the wait for the server starts once this went out (run())
  }

  int lost(std::ostream& err) {
    err << "chat: connection lost: " << conn_.reason() << "\n";
    return exit_failure;
  }

  const client_settings& settings_;
  const pipe_mode_config& config_;
  std::ostream& out_;
  connection conn_;
  line_splitter stdin_lines_;
  bool stdin_open_ = true;
  bool quitting_ = false;
  static constexpr std::size_t max_lines_waiting = 1000;
  std::optional<clock::time_point> quit_deadline_;
};

}  // namespace

int run_pipe_mode(const client_options& options, const std::string& password,
                  const client_settings& settings, const pipe_mode_config& config,
                  std::ostream& out, std::ostream& err, const net::tls_context& tls) {
  pipe_session session(settings, config, out, tls);
  if (auto error = connect_blocking(session.conn(), options.host, options.port,
                                    static_cast<int>(settings.connect_timeout.count()))) {
    err << "chat: cannot connect to " << options.host << ":" << options.port << ": " << *error
        << "\n";
    return exit_failure;
  }
  handshake shake({options.nick, password, options.room, false});
  const std::string failure = login_blocking(
      session.conn(), shake, clock::now() + settings.handshake_timeout,
      [&](const std::string& line, const nlohmann::json& obj, bool) { session.show(line, obj); });
  if (!failure.empty()) {
    err << "chat: " << failure << "\n";
    return login_exit_code(shake);
  }
  return session.run(err);
}

}  // namespace chat::client
