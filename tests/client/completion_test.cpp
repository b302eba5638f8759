#include "apps/chat/completion.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using list = std::vector<std::string>;

class ClientCompletion : public ::testing::Test {
 protected:
  ClientCompletion() {
    names.add_room("general");
    names.add_room("python");
    names.add_room("Pyramids");
    names.add_nick("alice");
    names.add_nick("Albert");
    names.add_nick("bob");
  }

  // Completes the last word of `line`.
  list complete(const std::string& line) {
    const auto start = line.find_last_of(' ') == std::string::npos ? 0 : line.find_last_of(' ') + 1;
    return completions(line, start, std::string_view(line).substr(start), names);
  }

  name_book names;
};

TEST_F(ClientCompletion, CommandsAtTheStartOfTheLine) {
  EXPECT_EQ(complete("/jo"), list{"/join"});
  EXPECT_EQ(complete("/l"), (list{"/leave", "/list", "/login", "/logout", "/look", "/ls"}));
  EXPECT_EQ(complete("/JO"), list{"/join"});
  EXPECT_TRUE(complete("/zz").empty());
}

TEST_F(ClientCompletion, CommandsLearntFromTheServer) {
  EXPECT_TRUE(complete("/sta").empty());
  names.add_command("/stats");
  EXPECT_EQ(complete("/sta"), list{"/stats"});
}

TEST_F(ClientCompletion, RoomsAfterCommandsThatTakeARoom) {
  EXPECT_EQ(complete("/join py"), (list{"Pyramids", "python"}));
  EXPECT_EQ(complete("/enter g"), list{"general"});
  EXPECT_EQ(complete("/drop "), (list{"general", "Pyramids", "python"}));
  EXPECT_TRUE(complete("/join python x").empty());
}

TEST_F(ClientCompletion, NicksAfterCommandsThatTakeANick) {
  EXPECT_EQ(complete("/msg al"), (list{"Albert", "alice"}));
  EXPECT_EQ(complete("/ignore b"), list{"bob"});
  EXPECT_EQ(complete("/unignore B"), list{"bob"});
}

TEST_F(ClientCompletion, NicksInChatText) {
  EXPECT_EQ(complete("al"), (list{"Albert", "alice"}));
  EXPECT_EQ(complete("thanks b"), list{"bob"});
  EXPECT_EQ(complete("/msg alice ask b"), list{"bob"});
  EXPECT_EQ(complete("/me waves at b"), list{"bob"});
}

TEST_F(ClientCompletion, AtNickForPrivateMessages) {
  EXPECT_EQ(complete("@b"), list{"@bob"});
  EXPECT_EQ(complete("@bob hi a"), (list{"Albert", "alice"}));
}

TEST_F(ClientCompletion, HelpTakesCommandNames) {
  EXPECT_EQ(complete("/help jo"), list{"join"});
}

TEST_F(ClientCompletion, ModeOffersOnlyJson) {
  EXPECT_EQ(complete("/mode "), list{"json"});
}

TEST_F(ClientCompletion, NothingForNewNames) {
  EXPECT_TRUE(complete("/create py").empty());
  EXPECT_TRUE(complete("/nick a").empty());
  EXPECT_TRUE(complete("/login a").empty());
}

TEST_F(ClientCompletion, NamesAreKeptOnceCaseInsensitively) {
  names.add_nick("BOB");
  EXPECT_EQ(complete("/msg b"), list{"BOB"});
  names.add_nick("two words");
  names.add_nick("");
  EXPECT_EQ(complete("/msg t"), list{});
}

}  // namespace
}  // namespace chat::client
