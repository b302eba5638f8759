// Words for people that go with an error code in a reply. Pure.
#pragma once

#include <string>
#include <string_view>

#include "actors/protocol_errors.hpp"

namespace chat {

// e.g. describe_error(no_such_room, "pyton") == "no such room: pyton".
// `subject` (the room, nick or command concerned) may be empty.
std::string describe_error(error_code code, std::string_view subject);

// The sentence of a `forbidden` for something only a room's owner may do:
// owner_only("set the topic of", "python", "alice") ==
// "only the owner (alice) can set the topic of python". A room without an
// owner (a default room) says that nobody can.
std::string owner_only(std::string_view action, std::string_view room, std::string_view owner);

}  // namespace chat
