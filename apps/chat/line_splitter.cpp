#include "apps/chat/line_splitter.hpp"

namespace chat::client {

void line_splitter::feed(std::string_view bytes, std::vector<std::string>& out) {
  for (char c : bytes) {
    if (c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      out.push_back(std::move(partial_));
      partial_.clear();
    } else if (partial_.size() < max_line_bytes_) {
      partial_.push_back(c);
    }
  }
}

}  // namespace chat::client
