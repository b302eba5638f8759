// Cuts the byte stream from the server into lines. The server ends lines with
// CRLF; a bare LF is accepted too. A line longer than the limit is cut there
// rather than growing the buffer without end (a broken or hostile server).
// Pure; owned by one connection; not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

class line_splitter {
 public:
  explicit line_splitter(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Appends bytes and moves every complete line (without its line end) to `out`.
  void feed(std::string_view bytes, std::vector<std::string>& out);

  // Forgets a partial line (after a reconnect).
  void clear() { partial_.clear(); }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
};

}  // namespace chat::client
