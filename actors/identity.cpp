#include "actors/identity.hpp"

#include "actors/event.hpp"
#include "actors/names.hpp"

namespace chat {

namespace {

// Distinguishes this process's connection ids from those of the node's
// earlier runs, which counted from 1 as well.
int64_t process_nonce() {
  static const int64_t started_ms = now_ms();
  return started_ms;
}

}  // namespace

std::string account_key(const account_ref& account) {
  return "a:" + name_key(account.nick) + ":" + std::to_string(account.created_ms) + ":" +
         account.origin;
}

std::string session_key(std::string_view node, uint64_t conn) {
  return "s:" + std::string(node) + ":" + std::to_string(process_nonce()) + ":" +
         std::to_string(conn);
}

bool is_account_key(std::string_view key) {
  return key.substr(0, 2) == "a:";
}

bool is_session_key(std::string_view key) {
  return key.substr(0, 2) == "s:";
}

std::string identity_key(const account_ref& account, std::string_view node, uint64_t conn) {
  return account.nick.empty() ? session_key(node, conn) : account_key(account);
}

std::string_view session_key_node(std::string_view key) {
  if (!is_session_key(key)) return {};
  key.remove_prefix(2);
  // Node names may not contain ':' (see settings); the nonce and id follow.
  auto end = key.find(':');
  return end == std::string_view::npos ? std::string_view{} : key.substr(0, end);
}

}  // namespace chat
