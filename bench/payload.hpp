// The text of every benchmark message: "s<sender>#<seq>#<send_ns>", then
// optionally "#" and padding. The receiver learns from the text alone who sent
// it, its place in that sender's order and when it left, so nothing has to be
// looked up per delivery. Only [0-9s#x] appear: no JSON escaping, no IRC
// specials. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

struct payload {
  uint32_t sender = 0;  // client index of the sender
  uint32_t seq = 0;     // 0, 1, 2, ... per sender
  int64_t sent_ns = 0;  // monotonic send time (clock.hpp)
};

// Appends the text of `p` to out; pad > 0 adds "#" and `pad` filler bytes.
void append_payload(std::string& out, const payload& p, std::size_t pad = 0);

// Reads a text written by append_payload; nullopt for anything else.
std::optional<payload> parse_payload(std::string_view text);

}  // namespace bench
