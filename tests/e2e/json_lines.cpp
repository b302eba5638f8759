#include "json_lines.hpp"

namespace chat::test {

using clock_type = std::chrono::steady_clock;

std::optional<json> json_lines::next_json(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto line = read_line(std::chrono::milliseconds(remaining_ms(deadline)));
    if (!line) return std::nullopt;
    auto parsed = json::parse(*line, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) return parsed;
  }
}

json json_lines::reply(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto msg = next_json(std::chrono::milliseconds(remaining_ms(deadline)));
    if (!msg) return {{"type", "timeout"}};
    auto type = msg->value("type", "");
    if (type == "ok" || type == "error") return *msg;
    events_.push_back(std::move(*msg));
  }
}

json json_lines::command(const std::string& line, std::chrono::milliseconds limit) {
  send_line(line);
  return reply(limit);
}

json json_lines::event(const std::string& type, std::chrono::milliseconds limit) {
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    if (it->value("type", "") == type) {
      auto found = std::move(*it);
      events_.erase(it);
      return found;
    }
  }
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto msg = next_json(std::chrono::milliseconds(remaining_ms(deadline)));
    if (!msg) return {{"type", "timeout"}};
    if (msg->value("type", "") == type) return *msg;
    events_.push_back(std::move(*msg));
  }
}

json json_lines::login(const std::string& nick, const std::string& password) {
  auto mode = command("/mode json");
  if (mode.value("type", "") != "ok") return mode;
  return command(password.empty() ? "/login " + nick : "/login " + nick + " " + password);
}

}  // namespace chat::test
