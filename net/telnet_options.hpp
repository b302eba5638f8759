// The server's side of telnet option negotiation (RFC 854, 857, 858), for a
// client that has shown it speaks telnet (line_framer::saw_telnet). Pure: it
// only turns what the client sent into the bytes to answer.
//
// chatd performs SGA (it never sends go-ahead) and, while a password is typed,
// ECHO: a server that "echoes" makes the client stop its local echo, and chatd
// then shows nothing, so the password stays off the screen. It performs no
// other option and asks the client to perform none. A request for the state
// already in force is not answered (RFC 854), so that two sides never loop
// acknowledging each other. Without an answer, netkit telnet in character mode
// (which asks DO ECHO) would neither echo locally nor be echoed to.
#pragma once

#include <string>
#include <string_view>

namespace chat::net {

class telnet_options {
 public:
  // `negotiation` is what line_framer::take_negotiation() returned: pairs of
  // verb (WILL, WONT, DO, DONT) and option. Returns the bytes to send back.
  std::string answer(std::string_view negotiation);

  // The bytes that turn the client's local echo off (IAC WILL ECHO) or back on
  // (IAC WONT ECHO); empty when it is already so.
  std::string hide_input(bool hide);

  bool hiding_input() const { return echo_; }

 private:
  std::string answer_one(unsigned char verb, unsigned char option);
  bool echo_ = false;  // we WILL ECHO: the client does not echo locally
  bool sga_ = false;   // we WILL SUPPRESS-GO-AHEAD
};

}  // namespace chat::net
