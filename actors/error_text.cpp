#include "actors/error_text.hpp"

namespace chat {
namespace {

std::string_view phrase(error_code code) {
  switch (code) {
    case error_code::unknown_command:
      return "unknown command";
    case error_code::bad_args:
      return "bad arguments";
    case error_code::not_logged_in:
      return "log in first with /login <nick>";
    case error_code::already_logged_in:
      return "you are already logged in";
    case error_code::invalid_name:
      return "invalid name (letters, digits, _ - . only; nicks up to 32, rooms up to 64)";
    case error_code::nick_taken:
      return "nick is taken";
    case error_code::auth_required:
      return "nick is registered: use /login <nick> <password>";
    case error_code::bad_password:
      return "wrong password";
    case error_code::no_such_room:
      return "no such room";
    case error_code::room_exists:
      return "room already exists";
    case error_code::no_such_user:
      return "no such user online";
    case error_code::not_in_room:
      return "you are not in a room: /rooms lists them, /join enters one";
    case error_code::forbidden:
      return "not allowed";
    case error_code::rate_limited:
      return "slow down: too many messages";
    case error_code::line_too_long:
      return "line too long: discarded";
    case error_code::bad_encoding:
      return "line is not valid UTF-8: discarded";
    case error_code::unavailable:
      return "service unavailable, nothing was changed: try again";
  }
  return "error";
}

// What would work instead, where the phrase does not say it already.
std::string hint(error_code code, std::string_view subject) {
  switch (code) {
    case error_code::no_such_room:
      return " (/rooms lists them)";
    case error_code::no_such_user:
      return " (/who lists who is online)";
    case error_code::nick_taken:
      return " (pick another)";
    case error_code::room_exists:
      return subject.empty() ? "" : " (/join " + std::string{subject} + " enters it)";
    case error_code::bad_password:
      return " (try again, or pick another nick)";
    default:
      return "";
  }
}

}  // namespace

std::string describe_error(error_code code, std::string_view subject) {
  // A refusal comes with its own sentence (who may, what the limit is).
  if (code == error_code::forbidden && !subject.empty()) return std::string{subject};
  std::string text{phrase(code)};
  if (!subject.empty()) {
    text += ": ";
    text += subject;
  }
  return text + hint(code, subject);
}

std::string owner_only(std::string_view action, std::string_view room, std::string_view owner) {
  std::string what = std::string{action} + " " + std::string{room};
  if (owner.empty()) return "nobody can " + what + ": it is a default room, which has no owner";
  return "only the owner (" + std::string{owner} + ") can " + what;
}

}  // namespace chat
