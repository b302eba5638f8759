// What the database keeps: rooms and registered users. Plain data with
// inspect() overloads, so records travel between actors and nodes as they are.
#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>

namespace chat::storage {

struct room_record {
  uint64_t id = 0;    // never changes, never reused (even after a drop)
  std::string name;   // as typed by its creator
  std::string topic;  // may be empty
  std::string owner;  // nick of the creator; empty for the default rooms
  int64_t created_ms = 0;
  std::string origin;    // node that created it ('' for rooms from before clustering)
  int64_t topic_ms = 0;  // when the topic was last set (0: at creation)
  // The owner's identity (actors/identity.hpp): an account, or the session of
  // an unregistered creator; '' when the room has no owner. `owner` is only
  // the name shown for it.
  std::string owner_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, room_record& x) {
  return f(caf::meta::type_name("room_record"), x.id, x.name, x.topic, x.owner, x.created_ms,
           x.origin, x.topic_ms, x.owner_id);
}

struct user_record {
  std::string nick;           // as registered (display form)
  std::string password_hash;  // libsodium crypto_pwhash_str (argon2id) string
  int64_t created_ms = 0;
  int64_t last_login_ms = 0;
  std::string origin;     // node where it was registered ('' before clustering)
  std::string time_zone;  // IANA zone for text-mode times (/tz); '' is UTC
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_record& x) {
  return f(caf::meta::type_name("user_record"), x.nick, x.password_hash, x.created_ms,
           x.last_login_ms, x.origin, x.time_zone);
}

}  // namespace chat::storage
