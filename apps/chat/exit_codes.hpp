// The exit codes of build/chat, in every mode (docs/client.md).
#pragma once

namespace chat::client {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // cannot connect, connection lost, refused by the server
inline constexpr int exit_usage = 2;    // bad command line
inline constexpr int exit_login = 3;    // login refused: wrong password, nick taken, ...

}  // namespace chat::client
