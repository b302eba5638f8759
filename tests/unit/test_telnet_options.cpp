// Telnet option negotiation: what chatd answers, and the echo switch for passwords.
#include <gtest/gtest.h>

#include <string>

#include "net/telnet_options.hpp"

namespace chat::net {
namespace {

// IAC <verb> <option>, and the two-byte form line_framer hands over.
std::string cmd(unsigned char verb, unsigned char option) {
  return {'\xff', static_cast<char>(verb), static_cast<char>(option)};
}
std::string got(unsigned char verb, unsigned char option) {
  return {static_cast<char>(verb), static_cast<char>(option)};
}

constexpr unsigned char will = 251, wont = 252, do_ = 253, dont = 254;
constexpr unsigned char echo = 1, sga = 3, naws = 31, linemode = 34;

TEST(TelnetOptions, CharacterModeGetsLocalEchoAndNoGoAhead) {
  // netkit telnet's `mode character` asks DO SGA, DO ECHO. Refusing ECHO makes
  // it echo locally; without any answer it would show nothing the user types.
  telnet_options options;
  EXPECT_EQ(options.answer(got(do_, sga) + got(do_, echo)), cmd(will, sga) + cmd(wont, echo));
  EXPECT_FALSE(options.hiding_input());
}

TEST(TelnetOptions, ARepeatedRequestForTheSameStateIsNotAnswered) {
  telnet_options options;
  EXPECT_EQ(options.answer(got(do_, sga)), cmd(will, sga));
  EXPECT_EQ(options.answer(got(do_, sga)), "");
  EXPECT_EQ(options.answer(got(dont, sga)), cmd(wont, sga));
  EXPECT_EQ(options.answer(got(dont, sga)), "");
  EXPECT_EQ(options.answer(got(dont, echo)), "");  // off already
  EXPECT_EQ(options.answer(got(wont, naws)), "");
}

TEST(TelnetOptions, ClientOptionsAreRefused) {
  telnet_options options;
  EXPECT_EQ(options.answer(got(will, linemode) + got(will, naws)),
            cmd(dont, linemode) + cmd(dont, naws));
  EXPECT_EQ(options.answer(got(do_, 24)), cmd(wont, 24));  // terminal type: we send none
}

TEST(TelnetOptions, PasswordEchoOffThenOn) {
  telnet_options options;
  EXPECT_EQ(options.hide_input(true), cmd(will, echo));
  EXPECT_TRUE(options.hiding_input());
  EXPECT_EQ(options.hide_input(true), "");        // already off
  EXPECT_EQ(options.answer(got(do_, echo)), "");  // the client's ack: no loop
  EXPECT_EQ(options.hide_input(false), cmd(wont, echo));
  EXPECT_EQ(options.answer(got(dont, echo)), "");  // the ack again
  EXPECT_EQ(options.hide_input(false), "");
}

TEST(TelnetOptions, AClientRefusingOurEchoIsAnsweredOnce) {
  telnet_options options;
  options.hide_input(true);
  EXPECT_EQ(options.answer(got(dont, echo)), cmd(wont, echo));
  EXPECT_FALSE(options.hiding_input());
  EXPECT_EQ(options.answer(got(dont, echo)), "");
}

TEST(TelnetOptions, AnOddByteAtTheEndIsIgnored) {
  telnet_options options;
  EXPECT_EQ(options.answer(got(do_, sga) + std::string(1, '\xfd')), cmd(will, sga));
}

}  // namespace
}  // namespace chat::net
