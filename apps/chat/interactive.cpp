#include "apps/chat/interactive.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "apps/chat/backoff.hpp"
#include "apps/chat/blocking_io.hpp"
#include "apps/chat/connection.hpp"
#include "apps/chat/display_text.hpp"
#include "apps/chat/exit_codes.hpp"
#include "apps/chat/handshake.hpp"
#include "apps/chat/password_prompt.hpp"
#include "apps/chat/prompt.hpp"
#include "apps/chat/session_view.hpp"
#include "apps/chat/signal_pipe.hpp"
#include "apps/chat/terminal.hpp"
#include "apps/chat/user_input.hpp"

namespace chat::client {

namespace {

using nlohmann::json;

std::string seconds_text(std::chrono::milliseconds wait) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(wait.count()) / 1000.0 << " s";
  return out.str();
}

class interactive_client {
 public:
  interactive_client(const client_options& options, const std::string& password,
                     const client_settings& settings, const render_style& style,
                     const net::tls_context& tls)
      : options_(options),
        settings_(settings),
        style_(style),
        first_plan_{options.nick, password, options.room, true},
        conn_(settings.max_line_bytes, tls),
        backoff_(settings.backoff, static_cast<uint32_t>(::getpid())),
        term_([this](std::optional<std::string> line) { on_user_line(std::move(line)); },
              [this](std::string_view line, std::size_t start, std::string_view word) {
                return completions(line, start, word, view_.names());
              }) {}

  int run() {
    connect_now();
    while (!exit_code_) step();
    term_.stop();
    return *exit_code_;
  }

 private:
  enum class phase { connecting, handshaking, chatting, waiting, quitting, finished };

  // ---- the loop ----

  void step() {
    pollfd fds[3] = {{signals_.fd(), POLLIN, 0}, {-1, 0, 0}, {-1, 0, 0}};
    if (conn_.fd() >= 0) {
      fds[1].fd = conn_.fd();
      fds[1].events =
          static_cast<short>((conn_.open() ? POLLIN : 0) | (conn_.wants_write() ? POLLOUT : 0));
    }
    if (term_.started()) fds[2] = {0, POLLIN, 0};
    const int rc = ::poll(fds, 3, poll_timeout_ms());
    if (rc < 0 && errno != EINTR) return finish(exit_failure);
    if (fds[0].revents != 0) on_signals();
    if (!exit_code_ && fds[1].revents != 0 && fds[1].fd == conn_.fd()) on_socket(fds[1].revents);
    if (!exit_code_ && fds[2].revents != 0 && term_.started()) term_.on_input();
    if (!exit_code_ && conn_.open()) {
      if (auto error = conn_.flush()) connection_lost(*error);
    }
    if (!exit_code_ && deadline_ && clock::now() >= *deadline_) on_deadline();
  }

  // Until the deadline, or the next paced line's time, whichever comes first.
  int poll_timeout_ms() const {
    const int paced = conn_.open() ? ms_until(conn_.next_release()) : -1;
    if (!deadline_) return paced;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - clock::now()).count();
    return sooner_ms(static_cast<int>(std::max<int64_t>(0, left) + 1), paced);
  }

  void on_signals() {
    for (int signal : signals_.take()) {
      if (signal == SIGWINCH) {
        term_.resized();
      } else if (phase_ == phase::quitting) {
        return finish(exit_ok);  // a second Ctrl-C: do not wait for the server
      } else {
        begin_quit("/quit");
      }
      if (exit_code_) return;
    }
  }

  void on_socket(short revents) {
    if (conn_.connecting()) {
      if (auto error = conn_.on_connect_ready()) return connect_failed(*error);
      if (conn_.open()) on_connected();
      return;
    }
    if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
    std::vector<std::string> lines;
    const auto status = conn_.read(lines);
    for (const auto& line : lines) {
      if (phase_ == phase::handshaking) {
        on_handshake_line(line);
      } else if (phase_ == phase::chatting || phase_ == phase::quitting) {
        on_chat_line(line);
      }
      if (exit_code_ || !conn_.open()) return;
    }
    if (status != connection::read_status::ok) connection_lost(conn_.reason());
  }

  void on_deadline() {
    deadline_.reset();
    switch (phase_) {
      case phase::connecting:
        return connect_failed("no answer in time");
      case phase::handshaking:
        if (!logged_in_once_) return fail_start("the server did not answer in time");
        return retry_later("the server did not answer in time");
      case phase::waiting:
        return connect_now();
      case phase::quitting:
        // A paste still going out goes first (a second Ctrl-C leaves at once).
        if (conn_.open() && conn_.lines_waiting() > 0) {
          deadline_ = clock::now() + settings_.quit_timeout;
          return;
        }
        return finish(exit_ok);  // the server was told; no need to wait longer
      case phase::chatting:
      case phase::finished:
        return;
    }
  }

  // ---- the connection's life ----

  void connect_now() {
    phase_ = phase::connecting;
    deadline_ = clock::now() + settings_.connect_timeout;
    if (auto error = conn_.start(options_.host, options_.port)) return connect_failed(*error);
    if (conn_.open()) on_connected();
  }

  void connect_failed(const std::string& reason) {
    conn_.close();
    if (!logged_in_once_) {
      return fail_start("cannot connect to " + address() + ": " + reason, exit_failure);
    }
    retry_later("cannot connect to " + address() + ": " + reason);
  }

  void on_connected() {
    shake_.emplace(logged_in_once_ ? view_.rejoin_plan() : first_plan_);
    send(shake_->start());
    phase_ = phase::handshaking;
    deadline_ = clock::now() + settings_.handshake_timeout;
  }

  void on_handshake_line(const std::string& line) {
    auto step = shake_->on_line(line);
    send(step.send);
    if (step.what == handshake_step::kind::event) {
      view_.on_server_object(step.object);
      show(render_server_object(step.object, style_));
    } else if (step.what == handshake_step::kind::reply) {
      conn_.note_reply(step.object);  // the ok of /login says the server's rate
      view_.on_server_object(step.object);
      if (!logged_in_once_ && worth_showing(step.object)) {
        show(render_server_object(step.object, style_));
      }
    }
    switch (shake_->state()) {
      case handshake_state::need_password:
        return ask_password();
      case handshake_state::failed:
        return handshake_failed();
      case handshake_state::done:
        return logged_in();
      default:
        return;
    }
  }

  // During the first login, the replies that tell the user something.
  static bool worth_showing(const json& reply) {
    const std::string cmd = field_text(reply, "cmd");
    if (field_text(reply, "type") == "error") return cmd == "join";
    return cmd == "login" || cmd == "join";
  }

  void ask_password() {
    if (logged_in_once_) {
      show({render_local_error(shake_->failure_message() + "; start chat again", style_)});
      return finish(exit_login);
    }
    auto password = ask_secret("password for " + terminal_safe(shake_->plan().nick) + ": ");
    if (!password) return fail_start("no password given");
    send(shake_->give_password(std::move(*password)));
    deadline_ = clock::now() + settings_.handshake_timeout;
  }

  void handshake_failed() {
    const std::string& code = shake_->failure_code();
    // A mistyped password is asked again, as a login prompt does (the server
    // slows down repeated guesses on its side).
    if (!logged_in_once_ && code == "bad_password" && ++password_tries_ < max_password_tries) {
      show({render_local_error(shake_->failure_message() + ": try again", style_)});
      auto password = ask_secret("password for " + terminal_safe(shake_->plan().nick) + ": ");
      if (!password) return fail_start("no password given");
      send(shake_->give_password(std::move(*password)));
      deadline_ = clock::now() + settings_.handshake_timeout;
      return;
    }
    if (!logged_in_once_) return fail_start(shake_->failure_message(), login_exit_code(*shake_));
    // The old connection may linger on the server for a moment: try again later.
    if (code == "nick_taken" || code == "unavailable" || code == "protocol") {
      return retry_later("cannot log in again: " + shake_->failure_message());
    }
    show({render_local_error("cannot log in again: " + shake_->failure_message(), style_)});
    finish(exit_login);
  }

  void logged_in() {
    view_.logged_in(shake_->nick(), shake_->plan().password, shake_->room());
    backoff_.reset();
    status_.clear();
    attempts_ = 0;
    phase_ = phase::chatting;
    deadline_.reset();
    if (!logged_in_once_) {
      logged_in_once_ = true;
      show({render_status("connected to " + address() + "; /help lists the commands, /quit leaves",
                          style_)});
      term_.start(prompt());
      return;
    }
    refresh_prompt();
    std::string news = "reconnected as " + view_.nick();
    if (!view_.room().empty()) news += ", back in " + view_.room();
    show({render_status(news, style_)});
    if (const auto& error = shake_->join_error()) {
      show({render_local_error("could not rejoin " + terminal_safe(shake_->plan().room) + ": " +
                                   field_text(*error, "text"),
                               style_)});
    }
  }

  void on_chat_line(const std::string& line) {
    auto obj = json::parse(line, nullptr, false);
    if (obj.is_discarded() || !obj.is_object()) return;  // not for this client
    view_.on_server_object(obj);
    if (phase_ == phase::quitting && field_text(obj, "type") == "ok" &&
        field_text(obj, "cmd") == "quit") {
      show(render_server_object(obj, style_));
      return finish(exit_ok);
    }
    show(render_server_object(obj, style_));
    refresh_prompt();
  }

  void connection_lost(const std::string& reason) {
    conn_.close();
    if (phase_ == phase::quitting) return finish(exit_ok);
    if (!logged_in_once_) return fail_start("connection lost: " + reason);
    retry_later("connection to " + address() + " lost (" + reason + ")");
  }

  void retry_later(const std::string& why) {
    conn_.close();
    const auto wait = backoff_.next();
    phase_ = phase::waiting;
    deadline_ = clock::now() + wait;
    // The first failure is news, a line of its own; later attempts only
    // update the status in the prompt, one line however long it takes.
    ++attempts_;
    status_ = "reconnecting in " + seconds_text(wait) +
              (attempts_ > 1 ? ", attempt " + std::to_string(attempts_) : "");
    if (attempts_ == 1) show({render_status(why, style_)});
    refresh_prompt();
  }

  // ---- the user ----

  void on_user_line(std::optional<std::string> line) {
    if (!line) return begin_quit("/quit");  // Ctrl-D
    const auto action = classify_input(*line);
    switch (action.kind) {
      case input_kind::nothing:
        return;
      case input_kind::refuse:
        return show({render_local_error(action.reason, style_)});
      case input_kind::quit:
        return begin_quit(action.line);
      case input_kind::send:
        break;
    }
    if (phase_ != phase::chatting) {
      return show(
          {render_local_error("not connected: not sent (use the up arrow to try again)", style_)});
    }
    view_.on_user_line(action.line);
    conn_.send_line(action.line);
  }

  void begin_quit(const std::string& line) {
    if (phase_ != phase::chatting) return finish(exit_ok);
    conn_.send_line(line);
    phase_ = phase::quitting;
    deadline_ = clock::now() + settings_.quit_timeout;
  }

  // ---- helpers ----

  void finish(int code) {
    phase_ = phase::finished;
    exit_code_ = code;
    term_.stop();
    conn_.close();
  }

  // Before the first login there is no chat screen yet: one line on stderr.
  void fail_start(const std::string& why, int code = exit_failure) {
    term_.stop();
    std::fflush(stdout);
    std::fprintf(stderr, "chat: %s\n", why.c_str());
    finish(code);
  }

  void send(const std::vector<std::string>& lines) {
    for (const auto& line : lines) conn_.send_line(line);
  }

  void show(const std::vector<std::string>& lines) { term_.show(lines); }

  std::string prompt() const {
    return make_prompt(view_.nick(), view_.room(), phase_ == phase::chatting, style_.colour,
                       status_);
  }

  void refresh_prompt() { term_.set_prompt(prompt()); }

  std::string address() const { return options_.host + ":" + std::to_string(options_.port); }

  const client_options& options_;
  const client_settings& settings_;
  const render_style& style_;
  const login_plan first_plan_;
  signal_pipe signals_;
  connection conn_;
  session_view view_;
  std::optional<handshake> shake_;
  backoff backoff_;
  terminal term_;
  phase phase_ = phase::connecting;
  std::optional<clock::time_point> deadline_;
  bool logged_in_once_ = false;
  std::optional<int> exit_code_;
  static constexpr int max_password_tries = 3;
  int password_tries_ = 0;
  int attempts_ = 0;    // reconnect attempts since the connection was lost
  std::string status_;  // shown in the prompt while offline
};

}  // namespace

int run_interactive(const client_options& options, const std::string& password,
                    const client_settings& settings, const render_style& style,
                    const net::tls_context& tls) {
  client_options chosen = options;
  if (chosen.nick.empty()) {
    const char* user = std::getenv("USER");
    std::string fallback = user != nullptr ? user : "";
    if (!nick_problem(fallback).empty()) fallback.clear();  // "John Smith" is no nick
    // Asked until there is a nick: Enter with nothing offered, or a name the
    // server would refuse, asks again (Ctrl-D gives up).
    while (chosen.nick.empty()) {
      auto nick = ask_line(fallback.empty() ? "nick: " : "nick [" + fallback + "]: ");
      if (!nick) return exit_failure;
      auto typed = nick->empty() ? fallback : *nick;
      if (auto problem = nick_problem(typed); !problem.empty()) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        continue;
      }
      chosen.nick = typed;
    }
  }
  interactive_client client(chosen, password, settings, style, tls);
  return client.run();
}

}  // namespace chat::client
