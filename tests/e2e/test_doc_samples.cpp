// The sample sessions of docs/protocol.md, run against a real chatd: every
// line the server sends must be the documented line, byte for byte (times of
// day and json `ts` excepted: they are the clock's). A change of wording in
// the server without the same change in the docs fails here.
//
// In a sample, `C:` is a line the client sends, `S:` a line it receives, and
// `B:` a line another user types on a connection of its own (the test waits
// for that line to be answered before going on; only the client's screen is
// shown). Each sample runs on a fresh server.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "harness.hpp"

namespace chat::test {
namespace {

struct step {
  char who;  // 'C', 'S' or 'B'
  std::string text;
};

// The steps of the fenced block after the heading `title` in protocol.md.
std::vector<step> sample(const std::string& title) {
  std::ifstream in(std::string{CHATD_DOCS} + "/protocol.md");
  std::stringstream all;
  all << in.rdbuf();
  auto doc = all.str();
  auto at = doc.find("\n## " + title + "\n");
  if (at == std::string::npos) return {};
  auto open = doc.find("```\n", at);
  auto close = doc.find("\n```", open + 4);
  std::istringstream block(doc.substr(open + 4, close - open - 4));
  std::vector<step> steps;
  for (std::string line; std::getline(block, line);)
    if (line.size() >= 3 && line[1] == ':' && line[2] == ' ' &&
        (line[0] == 'C' || line[0] == 'S' || line[0] == 'B'))
      steps.push_back({line[0], line.substr(3)});
  return steps;
}

// Times are the clock's: "[10:43:07 UTC]" and "ts":"...Z" match any time.
std::string without_times(const std::string& line) {
  static const std::regex clock(R"(^\[\d\d:\d\d:\d\d )");
  static const std::regex ts(R"("ts":"[^"]*")");
  return std::regex_replace(std::regex_replace(line, clock, "[hh:mm:ss "), ts, "\"ts\":\"…\"");
}

void run_sample(const std::string& title) {
  auto steps = sample(title);
  ASSERT_GE(steps.size(), 10u) << "no sample under " << title;
  temp_dir dir;
  server_process server{dir.path()};
  client c{server.port()};
  std::optional<client> other;
  bool other_logged_in = false;
  for (auto& s : steps) {
    if (s.who == 'C') {
      c.send_line(s.text);
    } else if (s.who == 'S') {
      auto got = c.read_line();
      ASSERT_TRUE(got.has_value()) << "expected: " << s.text;
      EXPECT_EQ(without_times(*got), without_times(s.text));
    } else {
      // The other user works in json mode, to know when each line is done.
      if (!other) {
        other.emplace(server.port());
        ASSERT_EQ(other->command("/mode json")["type"], "ok");
      }
      bool chat_line = other_logged_in && s.text[0] != '/';
      if (chat_line) {
        other->send_line(s.text);
        // Its own message is the acknowledgment; earlier ones are skipped.
        json msg;
        for (int i = 0; i < 100; ++i) {
          msg = other->event("message");
          if (msg["type"] == "timeout" || msg["text"] == s.text) break;
        }
        ASSERT_EQ(msg["text"], s.text);
      } else {
        auto reply = other->command(s.text);
        ASSERT_EQ(reply["type"], "ok") << s.text << ": " << reply.dump();
        other_logged_in = other_logged_in || reply["cmd"] == "login";
      }
    }
  }
  // Nothing more than the sample shows: the last reply, then the close.
  ASSERT_TRUE(c.wait_closed());
  EXPECT_FALSE(c.read_line(0ms).has_value());
}

TEST(DocSamples, TextModeSessionIsWhatTheServerSays) {
  run_sample("Sample session, text mode");
}

TEST(DocSamples, JsonModeSessionIsWhatTheServerSays) {
  run_sample("Sample session, json mode");
}

}  // namespace
}  // namespace chat::test
