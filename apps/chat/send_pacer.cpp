#include "apps/chat/send_pacer.hpp"

#include <algorithm>
#include <cctype>

namespace chat::client {

namespace {

send_pacer::clock::duration seconds(double s) {
  return std::chrono::duration_cast<send_pacer::clock::duration>(std::chrono::duration<double>(s));
}

// The command word of a line, lower-case ("/who"); empty for a chat line.
std::string command_word(std::string_view line) {
  if (line.empty() || line[0] != '/') return {};
  const auto end = line.find_first_of(" \t");
  std::string word(line.substr(0, end));
  for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

}  // namespace

std::optional<pace_rate> rate_from_reply(const nlohmann::json& reply) {
  if (!reply.is_object() || reply.value("type", "") != "ok" || reply.value("cmd", "") != "login")
    return std::nullopt;
  auto it = reply.find("rate");
  if (it == reply.end() || !it->is_object()) return std::nullopt;
  const auto& r = *it;
  auto number = [&](const char* key) -> std::optional<double> {
    auto f = r.find(key);
    if (f == r.end() || !f->is_number()) return std::nullopt;
    return f->get<double>();
  };
  auto burst = number("burst");
  auto per_sec = number("per_sec");
  auto max_held = number("max_held");
  // A rate of zero or less would hold every line for ever: keep the defaults.
  if (!burst || !per_sec || !max_held || !(*burst > 0) || !(*per_sec > 0) || *max_held < 0)
    return std::nullopt;
  return pace_rate{*burst, *per_sec, static_cast<std::size_t>(*max_held)};
}

double line_cost(std::string_view line) {
  const auto word = command_word(line);
  if (word == "/quit") return 0;
  if (word == "/who" || word == "/rooms" || word == "/login") return 2;
  if (word == "/create" || word == "/register") return 4;
  return 1;
}

void send_pacer::set_rate(pace_rate rate, clock::time_point now) {
  if (tat_ > now) {
    const double owed = std::chrono::duration<double>(tat_ - now).count() * rate_.per_sec;
    tat_ = now + seconds(owed / rate.per_sec);
  }
  rate_ = rate;
}

void send_pacer::push(std::string line) {
  const double cost = line_cost(line);
  queue_.push_back({std::move(line), cost});
}

send_pacer::clock::time_point send_pacer::earliest(double cost) const {
  // The bucket holds burst - (tat - t) * rate at time t; a line of `cost` may
  // go once that is at least its cost.
  return tat_ - seconds((rate_.burst - cost) / rate_.per_sec);
}

std::vector<std::string> send_pacer::take_due(clock::time_point now) {
  std::vector<std::string> due;
  while (!queue_.empty() && earliest(queue_.front().cost) <= now) {
    auto& head = queue_.front();
    tat_ = std::max(tat_, now) + seconds(head.cost / rate_.per_sec);
    due.push_back(std::move(head.line));
    queue_.pop_front();
  }
  return due;
}

std::optional<send_pacer::clock::time_point> send_pacer::next_due() const {
  if (queue_.empty()) return std::nullopt;
  return earliest(queue_.front().cost);
}

void send_pacer::reset() {
  rate_ = pace_rate{};
  tat_ = {};
  queue_.clear();
}

}  // namespace chat::client
