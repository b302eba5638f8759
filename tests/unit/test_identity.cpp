#include <gtest/gtest.h>

#include "actors/identity.hpp"

namespace chat {
namespace {

TEST(Identity, AnAccountIsOneRegistrationWhateverTheCaseOrLookOfItsNick) {
  account_ref bob{"Bob", 1000, "n1"};
  EXPECT_EQ(account_key(bob), account_key(account_ref{"bob", 1000, "n1"}));
  EXPECT_EQ(account_key(bob), account_key(account_ref{"b\xD0\xBE"
                                                      "b",
                                                      1000, "n1"}));  // Cyrillic o
  // Dropped and registered again, or registered on another node: another account.
  EXPECT_NE(account_key(bob), account_key(account_ref{"bob", 2000, "n1"}));
  EXPECT_NE(account_key(bob), account_key(account_ref{"bob", 1000, "n2"}));
  EXPECT_TRUE(is_account_key(account_key(bob)));
  EXPECT_FALSE(is_session_key(account_key(bob)));
}

TEST(Identity, ASessionWithoutAnAccountIsItselfAndNamesItsNode) {
  auto one = session_key("n1", 7);
  EXPECT_TRUE(is_session_key(one));
  EXPECT_FALSE(is_account_key(one));
  EXPECT_NE(one, session_key("n1", 8));
  EXPECT_NE(one, session_key("n2", 7));
  EXPECT_EQ(session_key_node(one), "n1");
  EXPECT_EQ(session_key_node(account_key(account_ref{"bob", 1, "n1"})), "");
}

TEST(Identity, ASessionLoggedInToAnAccountIsTheAccountElseItself) {
  EXPECT_EQ(identity_key(account_ref{"carol", 5, "n1"}, "n2", 3),
            account_key(account_ref{"carol", 5, "n1"}));
  EXPECT_EQ(identity_key(account_ref{}, "n2", 3), session_key("n2", 3));
}

}  // namespace
}  // namespace chat
