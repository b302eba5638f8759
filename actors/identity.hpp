// Who a user is, beyond the nick it goes by (issue 15). Rooms, ignores, bans
// and operator rights belong to an identity, never to a nick string, because
// anyone can /nick into a nick that is not registered:
// - a session logged in to an account (/login with the password, or
//   /register) is that account, across every /nick, until the registration
//   it logged in under is gone;
// - any other session is itself: its identity ends when the session does.
// Identities are keys: plain strings, so they persist in SQLite, replicate and
// compare as they are.
//   "a:<name_key of the nick>:<created_ms>:<origin>"  one registration of an account
//   "s:<node>:<process nonce>:<connection id>"         one session of a user who is not registered
// A registration dropped and made again by someone else is another account
// (its created_ms differs); a node restarted reuses no session key (the nonce
// is the process's start time).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chat {

// The registration a session logged in under (issue 15): a nick and the
// identity of its registration (when and where), so that a registration
// dropped and made again by someone else is not the same account.
struct account_ref {
  std::string nick;  // empty: not logged in to an account
  int64_t created_ms = 0;
  std::string origin;
};

std::string account_key(const account_ref& account);
std::string session_key(std::string_view node, uint64_t conn);

bool is_account_key(std::string_view key);
bool is_session_key(std::string_view key);

// The identity of a session: its account's key when it is logged in to one
// (account.nick not empty), else its own session key.
std::string identity_key(const account_ref& account, std::string_view node, uint64_t conn);

// The node of a session key ("" for anything else): a node that restarts ends
// every session key it gave out.
std::string_view session_key_node(std::string_view key);

}  // namespace chat
