#include <gtest/gtest.h>

#include "bench/chat_dialect.hpp"
#include "bench/irc_dialect.hpp"

namespace bench {
namespace {

TEST(Dialect, FactoryKnowsBoth) {
  EXPECT_EQ(make_dialect("chat")->name(), "chat");
  EXPECT_EQ(make_dialect("irc")->name(), "irc");
  EXPECT_EQ(make_dialect("xmpp"), nullptr);
}

TEST(ChatDialect, Lines) {
  chat_dialect d;
  std::string out;
  d.append_login(out, "b7");
  d.append_create(out, "bench0");
  d.append_join(out, "bench0");
  d.append_chat(out, "bench0", "s7#0#1");
  d.append_pong(out, "x");
  EXPECT_EQ(out, "/mode json\r\n/login b7\r\n/create bench0\r\n/join bench0\r\ns7#0#1\r\n");
  EXPECT_TRUE(d.echoes_own_messages());
  EXPECT_TRUE(d.rooms_need_creation());
}

TEST(ChatDialect, Replies) {
  chat_dialect d;
  EXPECT_EQ(d.parse("Welcome to chatd. Log in with /login <nick>").kind, reply_kind::ignored);
  EXPECT_EQ(d.parse(R"({"type":"ok","cmd":"mode","mode":"json"})").kind, reply_kind::ignored);
  EXPECT_EQ(d.parse(R"({"type":"ok","cmd":"login","nick":"b1","registered":false})").kind,
            reply_kind::logged_in);
  EXPECT_EQ(d.parse(R"({"type":"ok","cmd":"create","room":"r","id":3})").kind,
            reply_kind::room_created);
  EXPECT_EQ(
      d.parse(R"({"type":"ok","cmd":"join","room":"r","id":3,"topic":"","members":["a"]})").kind,
      reply_kind::joined);
  auto exists = d.parse(R"({"type":"error","cmd":"create","code":"room_exists","text":"taken"})");
  EXPECT_EQ(exists.kind, reply_kind::room_exists);
  auto taken = d.parse(R"({"type":"error","cmd":"login","code":"nick_taken","text":"in use"})");
  EXPECT_EQ(taken.kind, reply_kind::login_refused);
  EXPECT_EQ(taken.code, "nick_taken");
  auto limited = d.parse(R"({"type":"error","cmd":"say","code":"rate_limited","text":"slow"})");
  EXPECT_EQ(limited.kind, reply_kind::send_refused);
  EXPECT_EQ(limited.code, "rate_limited");
  EXPECT_EQ(d.parse(R"({"type":"error","cmd":"join","code":"no_such_room","text":"?"})").kind,
            reply_kind::join_refused);
  EXPECT_EQ(d.parse(R"({"type":"error","cmd":null,"code":"unknown_command","text":"?"})").kind,
            reply_kind::server_error);
  EXPECT_EQ(d.parse(R"({"type":"join","room":"r","nick":"b2","ts":"x"})").kind,
            reply_kind::ignored);
}

TEST(ChatDialect, Message) {
  chat_dialect d;
  auto r = d.parse(
      R"({"type":"message","room":"bench0","from":"b3","text":"s3#17#99","ts":"2024-01-01T00:00:00.000Z"})");
  EXPECT_EQ(r.kind, reply_kind::chat);
  EXPECT_EQ(r.text, "s3#17#99");
  // Field order is not fixed by the protocol.
  r = d.parse(R"({"text":"s1#2#3","ts":"x","type":"message","from":"b1","room":"r"})");
  EXPECT_EQ(r.kind, reply_kind::chat);
  EXPECT_EQ(r.text, "s1#2#3");
}

TEST(ChatDialect, BrokenJsonIsAnError) {
  chat_dialect d;
  EXPECT_EQ(d.parse(R"({"type":"message","text":"s1#2#3")").kind, reply_kind::server_error);
}

TEST(IrcDialect, Lines) {
  irc_dialect d;
  std::string out;
  d.append_login(out, "b7");
  d.append_join(out, "bench0");
  d.append_create(out, "bench1");
  d.append_chat(out, "bench0", "s7#0#1");
  d.append_pong(out, "irc.local");
  EXPECT_EQ(out,
            "NICK b7\r\nUSER b7 0 * :chat-bench\r\nJOIN #bench0\r\nJOIN #bench1\r\n"
            "PRIVMSG #bench0 :s7#0#1\r\nPONG :irc.local\r\n");
  EXPECT_FALSE(d.echoes_own_messages());
  EXPECT_FALSE(d.rooms_need_creation());
}

TEST(IrcDialect, SplitsLines) {
  irc_line l;
  ASSERT_TRUE(split_irc_line("@time=x :nick!u@h PRIVMSG #c :hello there", l));
  EXPECT_EQ(l.command, "PRIVMSG");
  ASSERT_EQ(l.param_count, 2);
  EXPECT_EQ(l.params[0], "#c");
  EXPECT_EQ(l.params[1], "hello there");
  ASSERT_TRUE(split_irc_line("PING :irc.local", l));
  EXPECT_EQ(l.command, "PING");
  EXPECT_EQ(l.params[0], "irc.local");
  ASSERT_TRUE(split_irc_line(":srv 001 b1 :Welcome", l));
  EXPECT_EQ(l.command, "001");
  EXPECT_EQ(l.params[0], "b1");
  EXPECT_FALSE(split_irc_line("", l));
  EXPECT_FALSE(split_irc_line(":only.a.prefix", l));
}

TEST(IrcDialect, Replies) {
  irc_dialect d;
  EXPECT_EQ(d.parse(":irc.local NOTICE * :*** Looking up your hostname...").kind,
            reply_kind::ignored);
  EXPECT_EQ(d.parse(":irc.local 001 b1 :Welcome to the Localnet IRC Network b1").kind,
            reply_kind::logged_in);
  EXPECT_EQ(d.parse(":irc.local 366 b1 #bench0 :End of /NAMES list.").kind, reply_kind::joined);
  EXPECT_EQ(d.parse(":irc.local 353 b1 = #bench0 :@b0 b1").kind, reply_kind::ignored);
  EXPECT_EQ(d.parse(":irc.local 422 b1 :Message of the day file is missing.").kind,
            reply_kind::ignored);
  auto taken = d.parse(":irc.local 433 * b1 :Nickname is already in use.");
  EXPECT_EQ(taken.kind, reply_kind::login_refused);
  EXPECT_EQ(taken.code, "433");
  EXPECT_EQ(d.parse(":irc.local 404 b1 #bench0 :Cannot send").kind, reply_kind::send_refused);
  EXPECT_EQ(d.parse(":irc.local 471 b1 #bench0 :Channel is full").kind, reply_kind::join_refused);
  EXPECT_EQ(d.parse(":irc.local 421 b1 FOO :Unknown command").kind, reply_kind::server_error);
  auto ping = d.parse("PING :irc.local");
  EXPECT_EQ(ping.kind, reply_kind::ping);
  EXPECT_EQ(ping.text, "irc.local");
  auto msg = d.parse(":b3!b3@127.0.0.1 PRIVMSG #bench0 :s3#17#99");
  EXPECT_EQ(msg.kind, reply_kind::chat);
  EXPECT_EQ(msg.text, "s3#17#99");
  EXPECT_EQ(d.parse("ERROR :Closing link: (b1@127.0.0.1) [Registration timeout]").kind,
            reply_kind::server_error);
  EXPECT_EQ(d.parse(":b2!b2@127.0.0.1 JOIN :#bench0").kind, reply_kind::ignored);
}

}  // namespace
}  // namespace bench
