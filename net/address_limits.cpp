#include "net/address_limits.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace chat::net {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int bits_of(const ip_address& addr) {
  return addr.v6 ? 128 : 32;
}

ip_address masked(const ip_address& addr, int prefix) {
  ip_address out = addr;
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(prefix - 8 * i, 0, 8);
    out.bytes[i] &= static_cast<uint8_t>(0xFF00 >> keep);
  }
  return out;
}

std::string to_text(const ip_address& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(addr.v6 ? AF_INET6 : AF_INET, addr.bytes.data(), text, sizeof(text));
  return text;
}

std::optional<network> parse_network(std::string_view item) {
  auto slash = item.find('/');
  auto addr = parse_address(item.substr(0, slash));
  if (!addr) return std::nullopt;
  int prefix = bits_of(*addr);
  if (slash != std::string_view::npos) {
    auto digits = item.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > bits_of(*addr)) return std::nullopt;
  }
  return network{masked(*addr, prefix), prefix};
}

}  // namespace

std::optional<ip_address> parse_address(std::string_view text) {
  std::string s{trim(text)};
  ip_address addr;
  if (inet_pton(AF_INET, s.c_str(), addr.bytes.data()) == 1) return addr;
  if (inet_pton(AF_INET6, s.c_str(), addr.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::equal(std::begin(mapped_prefix), std::end(mapped_prefix), addr.bytes.begin())) {
    std::copy(addr.bytes.begin() + 12, addr.bytes.end(), addr.bytes.begin());
    std::fill(addr.bytes.begin() + 4, addr.bytes.end(), 0);
    return addr;
  }
  addr.v6 = true;
  return addr;
}

std::optional<std::vector<network>> parse_networks(std::string_view list, std::string& error) {
  std::vector<network> out;
  while (!trim(list).empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    auto net = parse_network(item);
    if (!net) {
      error = "'" + std::string{item} + "' is not an address or network (like 10.0.0.0/8 or ::1)";
      return std::nullopt;
    }
    out.push_back(*net);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return out;
}

bool contains(const network& net, const ip_address& addr) {
  if (net.base.v6 != addr.v6) return false;
  return masked(addr, net.prefix).bytes == net.base.bytes;
}

std::string limit_key(const address_policy& policy, std::string_view peer) {
  auto addr = parse_address(peer);
  if (!addr) return std::string{peer};
  for (auto& net : policy.exempt)
    if (contains(net, *addr)) return "";
  int prefix = std::clamp(addr->v6 ? policy.v6_prefix : policy.v4_prefix, 0, bits_of(*addr));
  return to_text(masked(*addr, prefix)) + "/" + std::to_string(prefix);
}

keyed_rate::keyed_rate(std::size_t limit, std::chrono::milliseconds period)
    : limit_{limit}, period_{std::max(period, std::chrono::milliseconds{1})} {}

double keyed_rate::refill(bucket& b, clock::time_point now) const {
  auto elapsed = std::chrono::duration<double, std::milli>(now - b.last).count();
  if (elapsed > 0) {
    b.tokens = std::min(static_cast<double>(limit_),
                        b.tokens + elapsed * static_cast<double>(limit_) / period_.count());
    b.last = now;
  }
  return b.tokens;
}

bool keyed_rate::allow(const std::string& key, clock::time_point now) {
  if (limit_ == 0) return true;
  auto [it, fresh] = buckets_.try_emplace(key, bucket{static_cast<double>(limit_), now});
  if (refill(it->second, now) < 1.0) return false;
  it->second.tokens -= 1.0;
  return true;
}

void keyed_rate::prune(clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (refill(it->second, now) >= static_cast<double>(limit_))
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace chat::net
