// Cuts a byte stream into lines ending in LF; a CR before the LF is dropped.
// The unfinished tail waits for the next read. Complete lines in a read are
// handed out straight from the read buffer, so the common case copies nothing.
// A line longer than the limit means the peer is broken (or not a chat
// server): the splitter says so and the connection should be closed.
// Pure; one per connection; not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bench {

class line_splitter {
 public:
  enum class status { ok, stopped, overflow };

  explicit line_splitter(std::size_t max_line) : max_line_(max_line) {}

  // Calls on_line(std::string_view) -> bool for each complete line in `data`
  // (plus what was kept from earlier reads). on_line returns false to stop:
  // the rest of `data` is then dropped.
  template <class OnLine>
  status feed(std::string_view data, OnLine&& on_line) {
    if (!tail_.empty()) {
      std::size_t lf = data.find('\n');
      if (lf == std::string_view::npos) return keep(data);
      if (tail_.size() + lf > max_line_) return status::overflow;
      tail_.append(data.data(), lf);
      data.remove_prefix(lf + 1);
      std::string line;
      line.swap(tail_);  // on_line may feed or reset this splitter again
      if (!on_line(trim_cr(line))) return status::stopped;
    }
    while (!data.empty()) {
      std::size_t lf = data.find('\n');
      if (lf == std::string_view::npos) return keep(data);
      if (lf > max_line_) return status::overflow;
      if (!on_line(trim_cr(data.substr(0, lf)))) return status::stopped;
      data.remove_prefix(lf + 1);
    }
    return status::ok;
  }

  void reset() { tail_.clear(); }
  std::size_t pending_bytes() const { return tail_.size(); }

 private:
  static std::string_view trim_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  status keep(std::string_view rest) {
    if (tail_.size() + rest.size() > max_line_) return status::overflow;
    tail_.append(rest.data(), rest.size());
    return status::ok;
  }

  std::size_t max_line_;
  std::string tail_;
};

}  // namespace bench
