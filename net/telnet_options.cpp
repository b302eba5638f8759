#include "net/telnet_options.hpp"

namespace chat::net {
namespace {

constexpr unsigned char iac = 255;
constexpr unsigned char will = 251;
constexpr unsigned char wont = 252;
constexpr unsigned char do_ = 253;
constexpr unsigned char dont = 254;
constexpr unsigned char echo = 1;
constexpr unsigned char sga = 3;  // suppress go-ahead

std::string command(unsigned char verb, unsigned char option) {
  return {static_cast<char>(iac), static_cast<char>(verb), static_cast<char>(option)};
}

}  // namespace

std::string telnet_options::answer(std::string_view negotiation) {
  std::string out;
  for (std::size_t i = 0; i + 1 < negotiation.size(); i += 2)
    out += answer_one(static_cast<unsigned char>(negotiation[i]),
                      static_cast<unsigned char>(negotiation[i + 1]));
  return out;
}

std::string telnet_options::answer_one(unsigned char verb, unsigned char option) {
  // The options the client performs: none wanted. Its offer is refused once;
  // its WONT needs no answer, they are off already.
  if (verb == will) return command(dont, option);
  if (verb == wont) return {};
  bool* ours = option == echo ? &echo_ : option == sga ? &sga_ : nullptr;
  if (verb == do_) {
    if (ours && *ours) return {};  // already on: the ack of our WILL ECHO, or a repeat
    // SGA is always welcome; ECHO only while a password is typed (hide_input).
    if (option == sga) {
      sga_ = true;
      return command(will, option);
    }
    return command(wont, option);
  }
  if (verb == dont && ours && *ours) {
    *ours = false;
    return command(wont, option);
  }
  return {};  // DONT for an option that is off: the ack of our WONT, or a repeat
}

std::string telnet_options::hide_input(bool hide) {
  if (echo_ == hide) return {};
  echo_ = hide;
  return command(hide ? will : wont, echo);
}

}  // namespace chat::net
