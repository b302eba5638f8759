// Protocol error codes carried as caf::error between actors (and nodes), so that
// a request's failure says which error the user should see.
#pragma once

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <optional>
#include <string>

#include "actors/protocol_errors.hpp"

namespace chat {

constexpr caf::atom_value chat_error_category = caf::atom("chat");

inline caf::error make_error(error_code code) {
  return caf::error{static_cast<uint8_t>(code), chat_error_category};
}

// The same, with a sentence for the user that says what exactly was refused
// (which limit was hit); the session shows it in place of its own subject.
inline caf::error make_error(error_code code, std::string detail) {
  return caf::error{static_cast<uint8_t>(code), chat_error_category,
                    caf::make_message(std::move(detail))};
}

// The sentence of make_error(code, detail), or "" if there is none.
inline std::string error_detail(const caf::error& err) {
  if (err.category() != chat_error_category || !err.context().match_elements<std::string>())
    return {};
  return err.context().get_as<std::string>(0);
}

// The protocol code a failed request stands for. CAF's own failures (a request
// timeout, a peer that is gone) map to `unavailable`: nothing was changed.
inline error_code to_error_code(const caf::error& err) {
  if (err.category() == chat_error_category && err.code() >= 1 &&
      err.code() <= static_cast<uint8_t>(error_code::unavailable))
    return static_cast<error_code>(err.code());
  return error_code::unavailable;
}

}  // namespace chat
