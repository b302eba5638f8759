// The json-mode conversation of a test connection, whatever carries its lines
// (a plain socket: client in harness.hpp; TLS: tls_client in
// tests/tls/tls_client.hpp): replies in order, events kept aside until a test
// asks for them. Subclasses send and read lines. Every wait has a deadline.
#pragma once

#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "waits.hpp"

namespace chat::test {

using json = nlohmann::json;
using namespace std::chrono_literals;

class json_lines {
 public:
  virtual ~json_lines() = default;

  virtual void send_line(const std::string& line) = 0;  // appends CRLF
  // The next line from the server (without CRLF), or nullopt at the deadline or EOF.
  virtual std::optional<std::string> read_line(std::chrono::milliseconds limit) = 0;

  // The next reply (ok or error), keeping events seen on the way in a queue;
  // a json object with "type":"timeout" if none came in time.
  json reply(std::chrono::milliseconds limit = 5s);
  // Sends a command and returns its reply.
  json command(const std::string& line, std::chrono::milliseconds limit = 5s);
  // The next event of `type` (from the queue first), or "type":"timeout".
  json event(const std::string& type, std::chrono::milliseconds limit = 5s);
  // Events received so far and not yet taken.
  std::deque<json>& pending_events() { return events_; }
  // Switches to json mode (skipping the text banner) and logs in. Returns the login reply.
  json login(const std::string& nick, const std::string& password = "");

 private:
  std::optional<json> next_json(std::chrono::milliseconds limit);
  std::deque<json> events_;
};

}  // namespace chat::test
