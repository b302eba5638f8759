// Blocking steps for the modes without a terminal (--send, --json, piped
// input): wait for lines with a deadline, and run the handshake to its end.
// Each call owns the thread until it returns; nothing here is shared.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/chat/connection.hpp"
#include "apps/chat/handshake.hpp"

namespace chat::client {

using clock = std::chrono::steady_clock;

enum class wait_result {
  stopped,    // on_line asked to stop
  closed,     // the server closed the connection (after the lines it sent)
  timed_out,  // the deadline passed
  failed,     // the connection broke; conn.reason() says why
};

// Sends what is queued and reads lines, handing each to `on_line`, until it
// returns true, the connection ends or the deadline passes.
wait_result read_until(connection& conn, clock::time_point deadline,
                       const std::function<bool(const std::string&)>& on_line);

// Runs `shake` (started here) until done or failed. Every object that arrives
// meanwhile goes to `seen`, with `is_reply` telling replies from events.
// Returns an empty string when done, otherwise a line for people saying why not.
std::string login_blocking(
    connection& conn, handshake& shake, clock::time_point deadline,
    const std::function<void(const std::string& line, const nlohmann::json& obj, bool is_reply)>&
        seen);

// The exit code after login_blocking failed: exit_login (3) when the server
// refused the login (wrong password, nick taken, ...), exit_failure (1) when
// the connection or the server failed.
int login_exit_code(const handshake& shake);

}  // namespace chat::client
