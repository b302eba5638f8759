// Users on different nodes of one cluster: chat in one room (each message
// once, in order), one network message per node with members, /who, /look,
// /rooms and /msg across nodes, and nicks unique across the cluster.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "cluster_harness.hpp"

namespace chat::test {
namespace {

std::vector<std::string> real_users(const json& who) {
  std::vector<std::string> users;
  for (auto& u : who["users"]) {
    auto nick = u["nick"].get<std::string>();
    if (nick.find("-probe-") == std::string::npos)
      users.push_back(nick + "@" + u["node"].get<std::string>());
  }
  std::sort(users.begin(), users.end());
  return users;
}

TEST(ClusterChat, EveryMemberGetsEveryMessageOnceAndInOrderOnEveryNode) {
  test_cluster cluster{3};
  std::vector<std::unique_ptr<client>> clients;
  std::vector<std::string> nicks;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<client>(cluster.port(i % 3)));
    nicks.push_back("u" + std::to_string(i));
    ASSERT_TRUE(login_and_join(*clients.back(), nicks.back(), "general"));
  }
  // Everyone has seen everyone who joined after them: membership has spread.
  for (int i = 0; i < 6; ++i) {
    std::vector<std::string> later(nicks.begin() + i + 1, nicks.end());
    ASSERT_TRUE(wait_joins(*clients[i], later)) << nicks[i] << " missed a join";
  }
  constexpr int per_sender = 40;
  for (int n = 0; n < per_sender; ++n)
    for (int s = 0; s < 3; ++s) clients[s]->send_line(nicks[s] + " " + std::to_string(n));
  for (int i = 0; i < 6; ++i) {
    std::map<std::string, int> next;  // per sender: the sequence number expected next
    for (int got = 0; got < 3 * per_sender; ++got) {
      auto msg = clients[i]->event("message", 10s);
      ASSERT_EQ(msg["type"], "message") << nicks[i] << " got only " << got << " messages";
      auto text = msg["text"].get<std::string>();
      auto from = msg["from"].get<std::string>();
      ASSERT_EQ(text.substr(0, from.size()), from);
      int seq = std::stoi(text.substr(from.size() + 1));
      ASSERT_EQ(seq, next[from]) << nicks[i] << ": " << from << "'s messages out of order or twice";
      ++next[from];
    }
    for (int s = 0; s < 3; ++s) EXPECT_EQ(next[nicks[s]], per_sender);
  }
}

TEST(ClusterChat, ChatCostsOneMessagePerNodeWithMembers) {
  test_cluster cluster{3};
  client sender{cluster.port(0)}, b1{cluster.port(1)}, b2{cluster.port(1)};
  client elsewhere{cluster.port(2)};
  ASSERT_EQ(sender.login("sender")["type"], "ok");
  ASSERT_EQ(sender.command("/create counted")["type"], "ok");
  ASSERT_EQ(b1.login("b1")["type"], "ok");
  ASSERT_EQ(b2.login("b2")["type"], "ok");
  ASSERT_EQ(elsewhere.login("c1")["type"], "ok");
  ASSERT_EQ(elsewhere.command("/join general")["type"], "ok");
  ASSERT_TRUE(eventually([&] { return b1.command("/join counted")["type"] == "ok"; }));
  ASSERT_EQ(b2.command("/join counted")["type"], "ok");
  ASSERT_TRUE(wait_joins(sender, {"b1", "b2"}));
  std::vector<json> start{cluster.stats(0), cluster.stats(1), cluster.stats(2)};
  constexpr int lines = 10;
  for (int n = 0; n < lines; ++n) sender.send_line("line " + std::to_string(n));
  for (int n = 0; n < lines; ++n) {
    ASSERT_EQ(b1.event("message")["type"], "message");
    ASSERT_EQ(b2.event("message")["type"], "message");
  }
  auto sent =
      cluster.stats(0)["cluster_msgs_sent"].get<int>() - start[0]["cluster_msgs_sent"].get<int>();
  auto got_b = cluster.stats(1)["cluster_msgs_received"].get<int>() -
               start[1]["cluster_msgs_received"].get<int>();
  auto got_c = cluster.stats(2)["cluster_msgs_received"].get<int>() -
               start[2]["cluster_msgs_received"].get<int>();
  EXPECT_EQ(sent, lines) << "one message per line to n2 (two members there), none to n3";
  EXPECT_EQ(got_b, lines);
  EXPECT_EQ(got_c, 0) << "n3 has no member in the room";
}

TEST(ClusterChat, WhoLookRoomsAndPrivateMessagesSpanTheCluster) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, b{cluster.port(1)}, c{cluster.port(2)};
  ASSERT_TRUE(login_and_join(a, "ann", "general"));
  ASSERT_TRUE(login_and_join(b, "ben", "general"));
  ASSERT_TRUE(login_and_join(c, "cat", "general"));
  ASSERT_TRUE(wait_joins(a, {"ben", "cat"}));
  ASSERT_TRUE(wait_joins(b, {"cat"}));
  std::vector<std::string> everyone{"ann@n1", "ben@n2", "cat@n3"};
  for (auto* x : {&a, &b, &c}) {
    ASSERT_TRUE(eventually([&] { return real_users(x->command("/who")) == everyone; }));
    auto look = x->command("/look");
    auto members = look["members"].get<std::vector<std::string>>();
    std::sort(members.begin(), members.end());
    EXPECT_EQ(members, (std::vector<std::string>{"ann", "ben", "cat"}));
  }
  // /rooms: the same rooms, ids and member counts on every node.
  ASSERT_TRUE(eventually([&] {
    auto ra = a.command("/rooms")["rooms"], rb = b.command("/rooms")["rooms"],
         rc = c.command("/rooms")["rooms"];
    return ra == rb && rb == rc && ra.size() == 1 && ra[0]["members"] == 3;
  }));
  // A private message to a user on another node, and ignoring a remote user.
  ASSERT_EQ(a.command("/msg cat over here")["type"], "ok");
  auto pm = c.event("private");
  EXPECT_EQ(pm["from"], "ann");
  EXPECT_EQ(pm["text"], "over here");
  ASSERT_EQ(c.command("/ignore ann")["type"], "ok");
  a.send_line("you will not see this");
  b.send_line("but this");
  auto seen = c.event("message");
  EXPECT_EQ(seen["from"], "ben") << "cat ignores ann, who is on another node";
}

TEST(ClusterNicks, ANickOnlineOnAnotherNodeIsTaken) {
  test_cluster cluster{2};
  client a{cluster.port(0)}, b{cluster.port(1)};
  ASSERT_EQ(a.login("solo")["type"], "ok");
  auto taken = b.login("SOLO");
  EXPECT_EQ(taken["code"], "nick_taken");
  ASSERT_EQ(b.command("/login other")["type"], "ok");
  EXPECT_EQ(b.command("/nick solo")["code"], "nick_taken");
}

TEST(ClusterNicks, OfTwoRacingLoginsExactlyOneSucceeds) {
  test_cluster cluster{3};
  for (int round = 0; round < 8; ++round) {
    auto nick = "racer" + std::to_string(round);
    std::vector<std::unique_ptr<client>> racers;
    for (int i = 0; i < 3; ++i) {
      racers.push_back(std::make_unique<client>(cluster.port(i)));
      racers.back()->command("/mode json");  // the banner and this reply are out of the way
    }
    for (auto& r : racers) r->send_line("/login " + nick);
    int ok = 0;
    for (auto& r : racers) {
      auto reply = r->reply();
      if (reply["type"] == "ok") {
        ++ok;
      } else {
        EXPECT_TRUE(reply["code"] == "nick_taken" || reply["code"] == "unavailable") << reply;
      }
    }
    EXPECT_EQ(ok, 1) << "round " << round;
  }
}

TEST(ClusterNicks, ARegistrationOnOneNodeProtectsTheNickOnEvery) {
  test_cluster cluster{2};
  client a{cluster.port(0)};
  ASSERT_EQ(a.login("owner")["type"], "ok");
  ASSERT_EQ(a.command("/register s3cret")["type"], "ok");
  ASSERT_EQ(a.command("/quit")["type"], "ok");
  ASSERT_TRUE(eventually([&] {
    client b{cluster.port(1)};
    return b.login("owner")["code"] == "auth_required";
  }));
  client wrong{cluster.port(1)};
  EXPECT_EQ(wrong.login("owner", "guess")["code"], "bad_password");
  client right{cluster.port(1)};
  EXPECT_EQ(right.login("owner", "s3cret")["type"], "ok");
}

}  // namespace
}  // namespace chat::test
