// What one input line costs against its session's fakelag (actors/fakelag.hpp),
// in chat lines: commands that make the server work harder or answer with
// more (a room created and written to disk, a password hashed, a list of every
// room or user) weigh more, so no command is free to spam. Pure.
#pragma once

#include "actors/command.hpp"

namespace chat {

struct command_costs {
  double chat = 1;     // a chat line, /me, /msg, and every command not named below
  double listing = 2;  // /who, /rooms, /login (a password may be hashed)
  double heavy = 4;    // /create, /register: a disk write, a password hash
};

// The cost of a parsed line. A line that did not parse costs a chat line:
// answering it is work too.
double line_cost(const parse_result& parsed, const command_costs& costs);

}  // namespace chat
