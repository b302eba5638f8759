// Words for people that go with an error code in a reply. Pure.
#pragma once

#include <string>
#include <string_view>

#include "actors/protocol_errors.hpp"

namespace chat {

// e.g. describe_error(no_such_room, "pyton") == "no such room: pyton".
// `subject` (the room, nick or command concerned) may be empty.
std::string describe_error(error_code code, std::string_view subject);

}  // namespace chat
