// The error codes of PROTOCOL.md, shared by the parser, the actors and the renderers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace chat {

enum class error_code : uint8_t {
  unknown_command = 1,
  bad_args,
  not_logged_in,
  already_logged_in,
  invalid_name,
  nick_taken,
  auth_required,
  bad_password,
  no_such_room,
  room_exists,
  no_such_user,
  not_in_room,
  forbidden,
  rate_limited,
  line_too_long,
  bad_encoding,
  unavailable,
};

// The wire name of a code: "no_such_room" and so on.
std::string_view error_code_name(error_code code);

// The reverse of error_code_name; nullopt for an unknown name.
std::optional<error_code> error_code_from_name(std::string_view name);

}  // namespace chat
