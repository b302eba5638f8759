// Names: which nicks and room names are allowed, and when two are the same.
#include <gtest/gtest.h>

#include <string>

#include "actors/names.hpp"

namespace chat {
namespace {

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(Names, AcceptsAsciiNamesWithAllowedPunctuation) {
  for (const char* name : {"alice", "bob_2.0", "a-b", "X", "7", "_", "..."})
    EXPECT_TRUE(is_valid_name(name, name_kind::nick)) << name;
}

TEST(Names, AcceptsChineseAndAccentedNames) {
  for (const char* name : {"张伟", "李娜_2", "Ærø", "José", "Zoë", "Ärger", "Ñandú", "Дмитрий",
                           "ελένη", "محمد", "さくら"}) {
    EXPECT_TRUE(is_valid_name(name, name_kind::nick)) << name;
    EXPECT_TRUE(is_valid_name(name, name_kind::room)) << name;
  }
}

TEST(Names, AllowsCombiningMarksOnlyAfterTheFirstCharacter) {
  EXPECT_TRUE(is_valid_name("नमस्ते", name_kind::nick));  // virama and vowel signs are marks
  EXPECT_TRUE(is_valid_name("e\u0301", name_kind::nick));
  EXPECT_FALSE(is_valid_name("\u0301e", name_kind::nick));
}

TEST(Names, RejectsEmptyNames) {
  EXPECT_FALSE(is_valid_name("", name_kind::nick));
  EXPECT_FALSE(is_valid_name("", name_kind::room));
  ASSERT_TRUE(name_error("", name_kind::nick).has_value());
}

TEST(Names, RejectsSpacesAndBlanks) {
  for (const char* name : {"a b", " alice", "alice ", "a\tb", "a\u00A0b", "a\u3000b"})
    EXPECT_FALSE(is_valid_name(name, name_kind::nick)) << name;
}

TEST(Names, RejectsControlCharacters) {
  for (const char* name : {"bad\x01nick", "\x1b[31mred", "a\x7f", "a\u0085b", "a\rb", "a\nb"})
    EXPECT_FALSE(is_valid_name(name, name_kind::nick)) << name;
  EXPECT_FALSE(is_valid_name(std::string_view("a\0b", 3), name_kind::nick));
}

TEST(Names, RejectsPunctuationSymbolsAndInvisibleCharacters) {
  for (const char* name : {"a!b", "@bob", "a/b", "a:b", "a,b", "😀", "a\u200Bb", "a\u202Eb"})
    EXPECT_FALSE(is_valid_name(name, name_kind::nick)) << name;
}

TEST(Names, ErrorTextNamesTheCharacterWithoutPrintingIt) {
  auto error = name_error(
      "bad\x1b"
      "nick",
      name_kind::nick);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("U+001B"), std::string::npos) << *error;
  EXPECT_EQ(error->find('\x1b'), std::string::npos);
}

TEST(Names, NickLengthCountsCodePoints) {
  EXPECT_TRUE(is_valid_name(std::string(32, 'x'), name_kind::nick));
  EXPECT_FALSE(is_valid_name(std::string(33, 'x'), name_kind::nick));
  auto cjk32 = repeat("张", 32);
  ASSERT_EQ(cjk32.size(), 96u);
  EXPECT_TRUE(is_valid_name(cjk32, name_kind::nick));
  EXPECT_FALSE(is_valid_name(repeat("张", 33), name_kind::nick));
  auto error = name_error(std::string(33, 'x'), name_kind::nick);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("32"), std::string::npos) << *error;
}

TEST(Names, RoomLengthCountsCodePoints) {
  EXPECT_TRUE(is_valid_name(std::string(33, 'r'), name_kind::room));
  EXPECT_TRUE(is_valid_name(std::string(64, 'r'), name_kind::room));
  EXPECT_FALSE(is_valid_name(std::string(65, 'r'), name_kind::room));
  EXPECT_TRUE(is_valid_name(repeat("é", 64), name_kind::room));
  EXPECT_FALSE(is_valid_name(repeat("é", 65), name_kind::room));
}

TEST(Names, RejectsInvalidUtf8) {
  for (const char* name : {"\xc0\xaf", "a\xe0\x80\xaf", "\xed\xa0\x80", "ab\xe5\xbc", "\x80",
                           "\xf4\x90\x80\x80", "\xff"})
    EXPECT_FALSE(is_valid_name(name, name_kind::nick)) << testing::PrintToString(name);
}

TEST(NamesFold, EquatesCaseVariants) {
  EXPECT_EQ(fold_name("Alice"), fold_name("alice"));
  EXPECT_EQ(fold_name("ALICE"), fold_name("alice"));
  EXPECT_EQ(fold_name("Ärger"), fold_name("äRGER"));
  EXPECT_EQ(fold_name("ΣΟΦΙΑ"), fold_name("σοφια"));
  EXPECT_EQ(fold_name("Straße"), fold_name("STRASSE"));
}

TEST(NamesFold, EquatesComposedAndDecomposedForms) {
  EXPECT_EQ(fold_name("A\u0308rger"), fold_name("Ärger"));
  EXPECT_EQ(fold_name("A\u0308rger"), fold_name("äRGER"));
  EXPECT_EQ(fold_name("Jose\u0301"), fold_name("JOSÉ"));
}

TEST(NamesFold, KeepsDifferentNamesApart) {
  EXPECT_NE(fold_name("alice"), fold_name("alicia"));
  EXPECT_NE(fold_name("Ärger"), fold_name("Arger"));
  EXPECT_NE(fold_name("张伟"), fold_name("张"));
}

TEST(NamesFold, ProducesLowerCaseComposedKey) {
  EXPECT_EQ(fold_name("ALICE"), "alice");
  EXPECT_EQ(fold_name("A\u0308"), "\u00e4");
  EXPECT_EQ(fold_name("张伟"), "张伟");
}

TEST(Names, IsAllDigitsAcceptsOnlyAsciiDigits) {
  EXPECT_TRUE(is_all_digits("0"));
  EXPECT_TRUE(is_all_digits("1234567890"));
  EXPECT_FALSE(is_all_digits(""));
  EXPECT_FALSE(is_all_digits("12a"));
  EXPECT_FALSE(is_all_digits("-1"));
  EXPECT_FALSE(is_all_digits(" 1"));
  EXPECT_FALSE(is_all_digits("١٢"));  // Arabic-Indic digits name no id
}

}  // namespace
}  // namespace chat

namespace chat {
namespace {

// U+1F98 holds U+0345, a mark that folds to a letter: folding before putting
// the marks in canonical order gave the NFC and NFD spellings different keys
// (found by fuzz_names).
TEST(NamesFold, ComposedAndDecomposedGreekFoldAlike) {
  std::string composed = "\xe1\xbe\x98\xcc\x8a";                // U+1F98 U+030A
  std::string decomposed = "\xce\x97\xcc\x93\xcc\x8a\xcd\x85";  // its NFD form
  EXPECT_EQ(fold_name(composed), fold_name(decomposed));
  EXPECT_EQ(fold_name("\xe1\xbe\x98\xcc\xa5"), fold_name(fold_name("\xe1\xbe\x98\xcc\xa5")));
}

}  // namespace
}  // namespace chat

namespace chat {
namespace {

// U+043E CYRILLIC SMALL LETTER O, U+0430 CYRILLIC SMALL LETTER A, U+0435 IE.
const char* const cyrillic_o_bob =
    "b\xD0\xBE"
    "b";

TEST(NamesKey, LookAlikesShareTheKey) {
  EXPECT_EQ(name_key(cyrillic_o_bob), name_key("bob"));
  EXPECT_EQ(name_key("B\xD0\x9E"
                     "B"),
            name_key("bob"));  // Cyrillic capital O, upper case
  EXPECT_EQ(name_key("g\xD0\xB5neral"), name_key("general"));
  EXPECT_EQ(name_key("\xD0\xB0lice"), name_key("alice"));
  EXPECT_EQ(name_key("a1ice"), name_key("alice"));  // digit one looks like l
  EXPECT_EQ(name_key("rn"), name_key("m"));
  EXPECT_EQ(name_key("g00d"), name_key("good"));
}

TEST(NamesKey, KeepsTheFoldEquivalences) {
  EXPECT_EQ(name_key("Alice"), name_key("ALICE"));
  EXPECT_EQ(name_key("Jos\xC3\xA9"), name_key("Jose\xCC\x81"));  // NFC and NFD
}

TEST(NamesKey, DifferentLookingNamesStayApart) {
  EXPECT_NE(name_key("bob"), name_key("bobby"));
  EXPECT_NE(name_key("张伟"), name_key("张"));
  EXPECT_NE(name_key("Ærø"), name_key("Aero"));
  EXPECT_NE(name_key("bob_2.0"), name_key("bob_2-0"));
  EXPECT_NE(name_key("नमस्ते"), name_key("नमस्त"));
  EXPECT_NE(name_key("José"), name_key("Jose"));
}

TEST(NamesKey, AcceptedNamesStayAcceptedAndGetAKey) {
  for (const char* name : {"张伟", "Ærø", "bob_2.0", "नमस्ते", "Дмитрий", "_", "..."}) {
    EXPECT_TRUE(is_valid_name(name, name_kind::nick)) << name;
    EXPECT_FALSE(name_key(name).empty()) << name;
  }
}

TEST(NamesKey, LongAndInvalidInputGiveAKeyWithoutFailing) {
  std::string long_text(5000, 'm');  // longer than any name: a lookup of what a user typed
  EXPECT_FALSE(name_key(long_text).empty());
  // Not UTF-8 (the line framer lets none through): some key, no failure.
  EXPECT_FALSE(name_key("\xFF\xFE").empty());
}

}  // namespace
}  // namespace chat
