#include "apps/chat/render.hpp"

#include "apps/chat/ansi.hpp"
#include "apps/chat/display_text.hpp"

namespace chat::client {

namespace {

// Server text for people may span lines; an error is always shown as one.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

}  // namespace

std::vector<std::string> render_server_object(const nlohmann::json& obj,
                                              const render_style& style) {
  if (!obj.is_object()) return {render_event(obj, style)};
  const std::string type = field_text(obj, "type");
  if (type == "ok") return render_ok(obj, style);
  if (type == "error") return {render_error(obj, style)};
  return {render_event(obj, style)};
}

std::string render_error(const nlohmann::json& obj, const render_style& style) {
  std::string text;
  const auto it = obj.find("text");
  if (it != obj.end() && it->is_string()) text = terminal_safe(one_line(it->get<std::string>()));
  if (text.empty()) text = readable_code(field_text(obj, "code"));
  if (text.empty()) text = "the server refused the command";
  return render_local_error(text, style);
}

std::string render_status(std::string_view text, const render_style& style) {
  return ansi::paint("-- " + terminal_safe(text), ansi::yellow, style.colour);
}

std::string render_local_error(std::string_view text, const render_style& style) {
  std::string line = "! ";
  line += one_line(std::string(text));
  return ansi::paint(line, "\033[1;31m", style.colour);
}

}  // namespace chat::client
