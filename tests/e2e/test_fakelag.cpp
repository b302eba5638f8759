// End to end: fakelag. Lines beyond the burst are held and delivered at the
// sustained rate, in order (a paste arrives whole, late rather than cut); only
// a line beyond the held queue is refused, and only a client that keeps
// overflowing it is disconnected. Lines are charged by their arrival, so a
// server that was stalled does not turn honest typing into a flood.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "harness.hpp"

namespace chat::test {
namespace {

using steady = std::chrono::steady_clock;
using seconds_f = std::chrono::duration<double>;

std::string numbered(int i) {
  return "line " + std::to_string(i);
}

// `count` lines in one write, as a terminal sends a paste.
std::string paste(int count) {
  std::string bytes;
  for (int i = 0; i < count; ++i) bytes += numbered(i) + "\r\n";
  return bytes;
}

// Waits for `count` messages from `from` and checks they are the pasted lines
// in order; returns how many matched before one was missing or out of place.
int receive_in_order(client& reader, const std::string& from, int count) {
  for (int i = 0; i < count; ++i) {
    auto ev = reader.event("message", 10s);
    if (ev["type"] != "message" || ev["from"] != from || ev["text"] != numbered(i)) return i;
  }
  return count;
}

// Two users in general on a server started with `args`.
struct room_of_two {
  temp_dir dir;
  server_process server;
  client reader{server.port()};
  client paster{server.port()};
  explicit room_of_two(std::vector<std::string> args) : server{dir.path(), std::move(args)} {
    EXPECT_EQ(reader.login("reader")["type"], "ok");
    EXPECT_EQ(reader.command("/join general")["type"], "ok");
    EXPECT_EQ(paster.login("paster")["type"], "ok");
    EXPECT_EQ(paster.command("/join general")["type"], "ok");
  }
};

TEST(E2EFakelag, ATwentyFiveLinePasteArrivesWholeWithinItsTime) {
  room_of_two room{{"--rate-burst", "10", "--rate-per-sec", "10"}};
  auto sent = steady::now();
  room.paster.send_raw(paste(25));
  EXPECT_EQ(receive_in_order(room.reader, "paster", 25), 25);
  double took = seconds_f(steady::now() - sent).count();
  std::printf("25-line paste arrived whole in %.2f s\n", took);
  // (25 - burst) / rate = 1.5 s: the last line is held that long, and not
  // much longer (/mode, /login and /join weighed 4 of the burst just before).
  EXPECT_GE(took, 1.4) << "lines beyond the burst were not held";
  EXPECT_LE(took, 1.5 + 0.4 + 1.0);
  // Nothing was refused: the next answer the paster gets is its /look's ok.
  EXPECT_EQ(room.paster.command("/look")["type"], "ok");
}

TEST(E2EFakelag, ASixtyFiveLinePasteArrivesWholeAndNobodyIsDisconnected) {
  room_of_two room{{"--rate-burst", "10", "--rate-per-sec", "25"}};
  room.paster.send_raw(paste(65));
  EXPECT_EQ(receive_in_order(room.reader, "paster", 65), 65);
  EXPECT_EQ(room.paster.command("/look")["members"].size(), 2u) << "both are still in the room";
}

TEST(E2EFakelag, LinesBeyondTheHeldQueueAreRefusedAndTheRestDelivered) {
  room_of_two room{{"--rate-burst", "10", "--rate-per-sec", "10", "--max-held-lines", "5"}};
  // The paste, then a /look that finds the held queue full as well: its
  // refusal marks the end of the refusals.
  room.paster.send_raw(paste(40) + "/look\r\n");
  int refused = 0;
  for (;;) {
    auto answer = room.paster.reply();
    ASSERT_EQ(answer["type"], "error") << answer.dump();
    ASSERT_EQ(answer["code"], "rate_limited");
    if (answer["cmd"] == "look") break;
    EXPECT_EQ(answer["cmd"], "say");
    ++refused;
  }
  // What is left of the burst after /mode, /login and /join (6 to 10 units)
  // ran at once, 5 more were held; the rest was refused.
  EXPECT_GE(refused, 40 - 10 - 5);
  EXPECT_LE(refused, 40 - 6 - 5);
  int delivered = 40 - refused;
  EXPECT_EQ(receive_in_order(room.reader, "paster", delivered), delivered);
  EXPECT_EQ(room.paster.command("/look")["type"], "ok") << "nothing else was refused";
}

TEST(E2EFakelag, AClientThatKeepsOverflowingIsDisconnected) {
  room_of_two room{{"--rate-burst", "10", "--rate-per-sec", "1", "--max-held-lines", "5",
                    "--rate-strikes-to-kick", "30"}};
  room.paster.send_raw(paste(100));
  auto left = room.reader.event("leave", 10s);
  EXPECT_EQ(left["nick"], "paster");
  EXPECT_EQ(left["reason"], "disconnected");
  EXPECT_TRUE(room.paster.wait_closed(5s));
}

TEST(E2EFakelag, LinesTypedWhileTheServerIsStoppedAreAllDeliveredWithoutError) {
  room_of_two room{{}};  // the defaults: a burst of 10, 2 lines a second
  ASSERT_EQ(::kill(room.server.pid(), SIGSTOP), 0);
  // One line every 200 ms for 3 s, typed into a server that reads nothing.
  for (int i = 0; i < 15; ++i) {
    room.paster.send_line(numbered(i));
    std::this_thread::sleep_for(200ms);  // the typist's pace, not a wait for the server
  }
  ASSERT_EQ(::kill(room.server.pid(), SIGCONT), 0);
  EXPECT_EQ(receive_in_order(room.reader, "paster", 15), 15);
  EXPECT_EQ(room.paster.command("/look")["type"], "ok") << "no line was refused";
}

TEST(E2EFakelag, HeavyCommandsWeighMoreThanAChatLine) {
  // No line may be held: what does not fit in the burst is refused at once.
  room_of_two room{{"--rate-burst", "10", "--rate-per-sec", "0.1", "--max-held-lines", "0"}};
  // /mode, /login and /join left 6 of 10; a /create weighs 4: one fits, the
  // next does not.
  EXPECT_EQ(room.paster.command("/create first")["type"], "ok");
  auto refused = room.paster.command("/create second");
  EXPECT_EQ(refused["code"], "rate_limited") << refused.dump();
  EXPECT_EQ(refused["cmd"], "create");
  // Two chat lines' worth is left, for a cheaper command.
  EXPECT_EQ(room.paster.command("/look")["type"], "ok");
  auto rooms = room.reader.command("/rooms");
  EXPECT_EQ(rooms["rooms"].size(), 2u) << "only general and first: " << rooms.dump();
}

}  // namespace
}  // namespace chat::test
