// The events of PROTOCOL.md ("Events"): what rooms and sessions tell users.
// An event is plain data with an inspect() overload, so it crosses nodes as it is.
#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>

namespace chat {

enum class event_kind : uint8_t { message, private_message, join, leave, nick, topic, notice };

// Which fields matter, by kind (the json field names in brackets):
//   message          room, nick [from], text, action
//   private_message  nick [from], other [to], text
//   join             room, nick
//   leave            room, nick, reason, text (the /quit reason, optional),
//                    other (reason dropped: who dropped the room; empty if unknown)
//   nick             room, nick [old], other [new]
//   topic            room, nick [by], text [topic]
//   notice           text
struct event {
  event_kind kind = event_kind::notice;
  std::string room;
  std::string nick;
  std::string other;
  std::string text;
  std::string reason;
  int64_t ts_ms = 0;  // milliseconds since the Unix epoch, UTC
  bool action = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event& x) {
  return f(caf::meta::type_name("chat_event"), x.kind, x.room, x.nick, x.other, x.text, x.reason,
           x.ts_ms, x.action);
}

// Milliseconds since the Unix epoch, now.
int64_t now_ms();

}  // namespace chat
