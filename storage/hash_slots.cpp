#include "storage/hash_slots.hpp"

#include <algorithm>

namespace chat::storage {

hash_slots::hash_slots(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

hash_refusal hash_slots::admit(const std::string& network) {
  if (!network.empty() && networks_.count(network) > 0) return hash_refusal::network_busy;
  if (in_flight_ >= capacity_) return hash_refusal::full;
  ++in_flight_;
  if (!network.empty()) networks_.insert(network);
  return hash_refusal::none;
}

void hash_slots::release(const std::string& network) {
  if (in_flight_ > 0) --in_flight_;
  if (!network.empty()) networks_.erase(network);
}

}  // namespace chat::storage
