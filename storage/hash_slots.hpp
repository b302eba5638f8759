// Admission to the password pool: how many hashes may be running or waiting at
// once, and at most one of them per network, so that one address (or one /64)
// looping wrong passwords cannot fill the queue in front of everybody else.
// Pure bookkeeping: the pool actor asks before it queues and tells when a job
// has ended.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>

namespace chat::storage {

enum class hash_refusal {
  none,          // admitted: counts until release()
  full,          // every worker busy and the queue full
  network_busy,  // this network already has a hash running or waiting
};

class hash_slots {
 public:
  // `capacity`: jobs running plus waiting (workers + queue length), at least 1.
  explicit hash_slots(std::size_t capacity);

  // `network` is the caller's limit key (net::limit_key); an empty key (an
  // exempt network, such as loopback by default) is not limited per network.
  hash_refusal admit(const std::string& network);
  void release(const std::string& network);

  std::size_t in_flight() const { return in_flight_; }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::size_t in_flight_ = 0;
  std::unordered_set<std::string> networks_;
};

}  // namespace chat::storage
