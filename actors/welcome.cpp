#include "actors/welcome.hpp"

#include <utf8proc.h>

#include <algorithm>

#include "actors/render.hpp"

namespace chat {
namespace {

std::string here(uint32_t members) {
  if (members == 0) return "nobody here yet";
  return std::to_string(members) + " here";
}

bool valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) return false;
    p += used;
    left -= used;
  }
  return true;
}

}  // namespace

std::vector<room_count> busiest_rooms(std::vector<room_count> rooms, std::size_t n) {
  auto busier = [](const room_count& a, const room_count& b) {
    return a.members != b.members ? a.members > b.members : a.id < b.id;
  };
  n = std::min(n, rooms.size());
  std::partial_sort(rooms.begin(), rooms.begin() + static_cast<std::ptrdiff_t>(n), rooms.end(),
                    busier);
  rooms.resize(n);
  return rooms;
}

std::string render_banner(std::string_view node_name, std::string_view motd,
                          const std::optional<welcome_info>& info) {
  std::vector<std::string> out{"chatd, node " + std::string{node_name}};
  // The file's own line ends, whichever they are; trailing empty lines dropped.
  std::string line;
  std::vector<std::string> motd_lines;
  for (char c : motd) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      motd_lines.push_back(std::move(line));
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) motd_lines.push_back(std::move(line));
  while (!motd_lines.empty() && motd_lines.back().empty()) motd_lines.pop_back();
  out.insert(out.end(), motd_lines.begin(), motd_lines.end());
  if (info) {
    std::string summary = std::to_string(info->online) + " online";
    if (!info->busiest.empty()) {
      summary += "; busiest rooms: ";
      for (std::size_t i = 0; i < info->busiest.size(); ++i)
        summary += (i ? ", " : "") + info->busiest[i].name + " (" +
                   std::to_string(info->busiest[i].members) + ")";
    }
    out.push_back(summary);
  }
  out.push_back("Welcome: log in with /login <nick> [password], or just type a nickname.");
  out.push_back("/help lists the commands; /mode json switches to JSON lines for programs.");
  return render_text_lines(out);
}

std::string lobby_hint(const std::vector<room_count>& busiest) {
  if (busiest.empty()) return "you are in the lobby: /create <room> starts a room";
  return "you are in the lobby: /join " + busiest.front().name + " (" +
         here(busiest.front().members) + ") or /rooms";
}

std::string motd_problem(std::string_view motd) {
  if (motd.size() > max_motd_bytes)
    return "longer than " + std::to_string(max_motd_bytes) + " bytes";
  if (!valid_utf8(motd)) return "not valid UTF-8";
  return "";
}

}  // namespace chat
