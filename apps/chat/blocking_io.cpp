#include "apps/chat/blocking_io.hpp"

#include <poll.h>

#include <cerrno>
#include <vector>

#include "apps/chat/exit_codes.hpp"

namespace chat::client {

wait_result read_until(connection& conn, clock::time_point deadline,
                       const std::function<bool(const std::string&)>& on_line) {
  std::vector<std::string> lines;
  for (;;) {
    if (conn.flush()) return wait_result::failed;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return wait_result::timed_out;
    pollfd p{conn.fd(), static_cast<short>(POLLIN | (conn.wants_write() ? POLLOUT : 0)), 0};
    const int rc = ::poll(&p, 1, sooner_ms(static_cast<int>(left), ms_until(conn.next_release())));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return wait_result::failed;
    if (rc == 0 || (p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    lines.clear();
    const auto status = conn.read(lines);
    for (const auto& line : lines) {
      if (on_line(line)) return wait_result::stopped;
    }
    if (status == connection::read_status::closed) return wait_result::closed;
    if (status == connection::read_status::failed) return wait_result::failed;
  }
}

std::string login_blocking(
    connection& conn, handshake& shake, clock::time_point deadline,
    const std::function<void(const std::string& line, const nlohmann::json& obj, bool is_reply)>&
        seen) {
  for (const auto& line : shake.start()) conn.send_line(line);
  const auto result = read_until(conn, deadline, [&](const std::string& line) {
    auto step = shake.on_line(line);
    if (step.what == handshake_step::kind::reply) conn.note_reply(step.object);
    if (step.what != handshake_step::kind::skipped) {
      seen(line, step.object, step.what == handshake_step::kind::reply);
    }
    for (const auto& out : step.send) conn.send_line(out);
    const auto state = shake.state();
    return state == handshake_state::done || state == handshake_state::failed ||
           state == handshake_state::need_password;
  });
  switch (result) {
    case wait_result::stopped:
      break;
    case wait_result::closed:
      return "the server closed the connection while logging in";
    case wait_result::timed_out:
      return "the server did not answer in time";
    case wait_result::failed:
      return "connection lost while logging in: " + conn.reason();
  }
  if (shake.state() == handshake_state::need_password) {
    return shake.failure_message() + " (set CHAT_PASSWORD)";
  }
  if (shake.state() == handshake_state::failed) return shake.failure_message();
  return {};
}

int login_exit_code(const handshake& shake) {
  const bool refused =
      shake.state() == handshake_state::need_password ||
      (shake.state() == handshake_state::failed && shake.failure_code() != "protocol" &&
       shake.failure_code() != "unavailable");
  return refused ? exit_login : exit_failure;
}

}  // namespace chat::client
