#include "bench/proc_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace bench {
namespace {

// "VmHWM:\t  12345 kB" -> 12345
std::optional<uint64_t> status_kb(std::string_view status, std::string_view key) {
  std::size_t at = 0;
  while ((at = status.find(key, at)) != std::string_view::npos) {
    bool line_start = at == 0 || status[at - 1] == '\n';
    if (line_start && status.substr(at + key.size(), 1) == ":") break;
    at += key.size();
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = status.substr(at + key.size() + 1);
  std::size_t digits = rest.find_first_not_of(" \t");
  if (digits == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(digits);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (ec != std::errc{} || end == rest.data()) return std::nullopt;
  return value;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<proc_memory> parse_proc_status(std::string_view status) {
  auto rss = status_kb(status, "VmRSS");
  auto hwm = status_kb(status, "VmHWM");
  if (!rss || !hwm) return std::nullopt;
  return proc_memory{*rss, *hwm};
}

std::optional<uint64_t> parse_proc_stat_ticks(std::string_view stat) {
  // The command name (field 2) is in parentheses and may hold spaces and
  // parentheses itself: count fields from the last ')'.
  std::size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = stat.substr(close + 1);
  uint64_t ticks = 0;
  for (int field = 3; field <= 15; ++field) {
    std::size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(start);
    std::size_t end = rest.find(' ');
    std::string_view word = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (field >= 14) {
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
      if (ec != std::errc{} || ptr != word.data() + word.size()) return std::nullopt;
      ticks += value;
    }
  }
  return ticks;
}

std::optional<proc_memory> read_proc_memory(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/status");
  if (!text) return std::nullopt;
  return parse_proc_status(*text);
}

std::optional<double> read_proc_cpu_seconds(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  auto ticks = parse_proc_stat_ticks(*text);
  long per_second = sysconf(_SC_CLK_TCK);
  if (!ticks || per_second <= 0) return std::nullopt;
  return static_cast<double>(*ticks) / static_cast<double>(per_second);
}

}  // namespace bench
