#include "bench/payload.hpp"

#include <charconv>

namespace bench {
namespace {

template <class T>
void append_number(std::string& out, T value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  (void)ec;  // 24 chars hold any 64-bit value
  out.append(digits, end);
}

// Reads the decimal number at the front of `text` up to `stop` (or the end
// when stop is '\0'); leading zeros, signs and empty numbers are refused.
template <class T>
bool take_number(std::string_view& text, char stop, T& value) {
  std::size_t end = stop ? text.find(stop) : text.size();
  if (end == std::string_view::npos || end == 0) return false;
  if (end > 1 && text[0] == '0') return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, value);
  if (ec != std::errc{} || ptr != text.data() + end) return false;
  text.remove_prefix(end == text.size() ? end : end + 1);
  return true;
}

}  // namespace

void append_payload(std::string& out, const payload& p, std::size_t pad) {
  out.push_back('s');
  append_number(out, p.sender);
  out.push_back('#');
  append_number(out, p.seq);
  out.push_back('#');
  append_number(out, p.sent_ns);
  if (pad > 0) {
    out.push_back('#');
    out.append(pad, 'x');
  }
}

std::optional<payload> parse_payload(std::string_view text) {
  if (text.empty() || text[0] != 's') return std::nullopt;
  text.remove_prefix(1);
  payload p;
  if (!take_number(text, '#', p.sender) || !take_number(text, '#', p.seq)) return std::nullopt;
  std::size_t pad_at = text.find('#');
  std::string_view padding = pad_at == std::string_view::npos ? "" : text.substr(pad_at + 1);
  text = text.substr(0, pad_at);
  if (!take_number(text, '\0', p.sent_ns) || p.sent_ns < 0) return std::nullopt;
  if (pad_at != std::string_view::npos &&
      (padding.empty() || padding.find_first_not_of('x') != std::string_view::npos))
    return std::nullopt;
  return p;
}

}  // namespace bench
