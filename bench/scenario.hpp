// What a benchmark run does, as one plain struct with its defaults beside each
// field, and the named presets of issue 5 (fanout, rooms, idle, storm, smoke)
// and of issue 13 (cluster). A preset only fills the fields the command line leaves alone. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct scenario {
  std::string name = "custom";
  uint32_t clients = 200;              // connections, each one logged-in user
  uint32_t rooms = 4;                  // 0: everyone stays in the lobby
  uint32_t senders_per_room = 5;       // the first members of each room send
  double rate_per_sender = 0;          // messages/s per sender; 0: as fast as the window allows
  uint32_t window = 32;                // messages in flight per sender (see sender_window.hpp)
  double duration_s = 3;               // chat traffic, or how long idle clients stay connected
  uint32_t connect_concurrency = 500;  // connections logging in at once; 0: all at once (storm)
  std::size_t pad_bytes = 0;           // filler added to every message text
};

// The preset of that name, or nullopt. "custom" is the defaults above.
std::optional<scenario> preset_scenario(std::string_view name);
std::vector<std::string> preset_names();

}  // namespace bench
