#include "actors/protocol_errors.hpp"

namespace chat {

std::string_view error_code_name(error_code code) {
  switch (code) {
    case error_code::unknown_command:
      return "unknown_command";
    case error_code::bad_args:
      return "bad_args";
    case error_code::not_logged_in:
      return "not_logged_in";
    case error_code::already_logged_in:
      return "already_logged_in";
    case error_code::invalid_name:
      return "invalid_name";
    case error_code::nick_taken:
      return "nick_taken";
    case error_code::auth_required:
      return "auth_required";
    case error_code::bad_password:
      return "bad_password";
    case error_code::no_such_room:
      return "no_such_room";
    case error_code::room_exists:
      return "room_exists";
    case error_code::no_such_user:
      return "no_such_user";
    case error_code::not_in_room:
      return "not_in_room";
    case error_code::forbidden:
      return "forbidden";
    case error_code::rate_limited:
      return "rate_limited";
    case error_code::line_too_long:
      return "line_too_long";
    case error_code::bad_encoding:
      return "bad_encoding";
    case error_code::unavailable:
      return "unavailable";
  }
  // A value that came off the wire but is no code of ours.
  return "unavailable";
}

std::optional<error_code> error_code_from_name(std::string_view name) {
  constexpr auto first = static_cast<uint8_t>(error_code::unknown_command);
  constexpr auto last = static_cast<uint8_t>(error_code::unavailable);
  for (auto value = first; value <= last; ++value) {
    auto code = static_cast<error_code>(value);
    if (error_code_name(code) == name) return code;
  }
  return std::nullopt;
}

}  // namespace chat
