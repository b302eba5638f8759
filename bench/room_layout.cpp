#include "bench/room_layout.hpp"

#include <algorithm>

namespace bench {

room_layout::room_layout(uint32_t clients, uint32_t rooms, uint32_t senders_per_room)
    : clients_(clients),
      rooms_(std::min(rooms, clients)),  // no empty rooms
      senders_per_room_(senders_per_room),
      base_(rooms_ ? clients / rooms_ : 0),
      extra_(rooms_ ? clients % rooms_ : 0) {}

uint32_t room_layout::room_of(uint32_t client) const {
  uint64_t big_rooms_end = uint64_t{extra_} * (base_ + 1);
  if (client < big_rooms_end) return static_cast<uint32_t>(client / (base_ + 1));
  return static_cast<uint32_t>(extra_ + (client - big_rooms_end) / base_);
}

uint32_t room_layout::first_member(uint32_t room) const {
  if (room < extra_) return room * (base_ + 1);
  return extra_ * (base_ + 1) + (room - extra_) * base_;
}

uint32_t room_layout::member_count(uint32_t room) const {
  return room < extra_ ? base_ + 1 : base_;
}

uint32_t room_layout::senders_in(uint32_t room) const {
  return std::min(senders_per_room_, member_count(room));
}

int32_t room_layout::sender_slot(uint32_t client) const {
  if (!has_rooms() || client >= clients_) return -1;
  uint32_t room = room_of(client);
  uint32_t position = client - first_member(room);
  return position < senders_in(room) ? static_cast<int32_t>(position) : -1;
}

uint32_t room_layout::total_senders() const {
  uint32_t total = 0;
  for (uint32_t r = 0; r < rooms_; ++r) total += senders_in(r);
  return total;
}

}  // namespace bench
