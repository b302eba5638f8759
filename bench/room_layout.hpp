// Who is in which room and who sends. The members of a room are consecutive
// client indices, rooms differ in size by at most one, the first member of a
// room creates it and its first `senders_per_room` members send. With no
// rooms, clients stay in the lobby (idle and connection-storm scenarios).
// Pure; immutable after construction.
#pragma once

#include <cstdint>

namespace bench {

class room_layout {
 public:
  room_layout(uint32_t clients, uint32_t rooms, uint32_t senders_per_room);

  uint32_t clients() const { return clients_; }
  uint32_t rooms() const { return rooms_; }
  bool has_rooms() const { return rooms_ > 0; }

  uint32_t room_of(uint32_t client) const;  // requires has_rooms()
  uint32_t first_member(uint32_t room) const;
  uint32_t member_count(uint32_t room) const;
  uint32_t senders_in(uint32_t room) const;

  // The sender's position among its room's senders, or -1 for a listener.
  int32_t sender_slot(uint32_t client) const;
  uint32_t total_senders() const;

 private:
  uint32_t clients_;
  uint32_t rooms_;
  uint32_t senders_per_room_;
  uint32_t base_;   // members of a smaller room
  uint32_t extra_;  // rooms that have one member more than base_
};

}  // namespace bench
