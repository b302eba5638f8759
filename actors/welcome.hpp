// What a newcomer is told: the banner (message of the day, who is online, the
// busiest rooms) and, for a chat line typed in the lobby, where to go.
// Pure functions: no state, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

struct room_count {
  std::string name;
  uint32_t members = 0;
  uint64_t id = 0;
};

// What the banner needs from the lobby.
struct welcome_info {
  uint64_t online = 0;              // users logged in, on every node
  std::vector<room_count> busiest;  // see busiest_rooms
};

// The `n` rooms with the most members, most first; ties go to the lower id
// (the default rooms, which exist from the start). Empty rooms count, so that
// a newcomer to a quiet server still learns a room's name.
std::vector<room_count> busiest_rooms(std::vector<room_count> rooms, std::size_t n);

// The banner, always text (json mode cannot be on before the first line):
// the node, the message of the day (its lines, control characters replaced),
// who is online and the busiest rooms, and how to log in. `info` is nullopt
// when the lobby did not answer: the counts are left out.
std::string render_banner(std::string_view node_name, std::string_view motd,
                          const std::optional<welcome_info>& info);

// The answer to a chat line typed in the lobby, which is not a room:
// "you are in the lobby: /join general (12 here) or /rooms".
std::string lobby_hint(const std::vector<room_count>& busiest);

// Why a message of the day cannot be used (empty if it can): it must be valid
// UTF-8 and at most max_motd_bytes, so that every banner stays small.
constexpr std::size_t max_motd_bytes = 4096;
std::string motd_problem(std::string_view motd);

}  // namespace chat
