#include "apps/chat/display_text.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <ctime>

#include "actors/unsafe_chars.hpp"

namespace chat::client {

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) {
      // Broken UTF-8 is no control: passed on byte by byte, as the terminal shows it.
      used = 1;
      auto c = static_cast<unsigned char>(*p);
      out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
    } else if (cp == '\t') {
      out.push_back(' ');
    } else if (is_control(cp) || is_bidi_control(cp)) {
      out.push_back('?');
    } else if (!is_format(cp)) {  // invisible: dropped
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(used));
    }
    p += used;
    left -= used;
  }
  return out;
}

std::string field_text(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (it->is_string()) return terminal_safe(it->get_ref<const std::string&>());
  return terminal_safe(it->dump());
}

bool field_flag(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

std::string time_of_day(std::string_view iso_ts, bool utc) {
  std::tm parts{};
  std::string ts(iso_ts);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(ts.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    return {};
  }
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  std::tm shown{};
  if (utc) {
    shown = parts;
  } else {
    const std::time_t when = timegm(&parts);
    if (localtime_r(&when, &shown) == nullptr) return {};
  }
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d:%02d", shown.tm_hour, shown.tm_min, shown.tm_sec);
  return out;
}

std::string readable_code(std::string_view code) {
  std::string out(code);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return terminal_safe(out);
}

std::string folded_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool same_name(std::string_view a, std::string_view b) {
  return folded_name(a) == folded_name(b);
}

std::string joined_list(const nlohmann::json& list, std::string_view empty) {
  if (!list.is_array() || list.empty()) return std::string(empty);
  std::string out;
  for (const auto& item : list) {
    if (!out.empty()) out += ", ";
    out += item.is_string() ? terminal_safe(item.get_ref<const std::string&>())
                            : terminal_safe(item.dump());
  }
  return out;
}

}  // namespace chat::client
