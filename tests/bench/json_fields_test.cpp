#include "bench/json_fields.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace bench {
namespace {

// Every top-level member as key -> value, plus whether the line was well formed.
std::pair<std::map<std::string, std::string>, bool> read_all(std::string_view line) {
  std::map<std::string, std::string> fields;
  json_object_reader reader(line);
  json_field f;
  while (reader.next(f)) fields[std::string(f.key)] = std::string(f.value);
  return {fields, reader.ok()};
}

TEST(JsonFields, ChatMessage) {
  auto [f, ok] = read_all(
      R"({"type":"message","room":"bench0","from":"b3","text":"s3#17#99","ts":"2024-01-01T00:00:00.000Z"})");
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["type"], "message");
  EXPECT_EQ(f["text"], "s3#17#99");
  EXPECT_EQ(f["room"], "bench0");
}

TEST(JsonFields, NestedValuesAreSkippedWhole) {
  auto [f, ok] = read_all(
      R"({"type":"ok","cmd":"join","members":["a","b\"]}",{"x":[1,2]}],"topic":"t","id":7,"n":null,"b":true})");
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["cmd"], "join");
  EXPECT_EQ(f["members"], R"(["a","b\"]}",{"x":[1,2]}])");
  EXPECT_EQ(f["topic"], "t");
  EXPECT_EQ(f["id"], "7");
  EXPECT_EQ(f["n"], "null");
  EXPECT_EQ(f["b"], "true");
}

TEST(JsonFields, EscapesStayRaw) {
  auto [f, ok] = read_all(R"({"text":"a \"quoted\" \\ word \u00e9","type":"message"})");
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["text"], R"(a \"quoted\" \\ word \u00e9)");
  EXPECT_EQ(f["type"], "message");
}

TEST(JsonFields, KeyInsideAValueIsNotAField) {
  auto [f, ok] = read_all(R"({"from":"\"text\":\"fake","text":"real"})");
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["text"], "real");
}

TEST(JsonFields, WhitespaceAllowed) {
  auto [f, ok] = read_all(" { \"type\" : \"ok\" , \"cmd\" : \"login\" } ");
  EXPECT_TRUE(ok);
  EXPECT_EQ(f["cmd"], "login");
}

TEST(JsonFields, EmptyObject) {
  auto [f, ok] = read_all("{}");
  EXPECT_TRUE(ok);
  EXPECT_TRUE(f.empty());
}

TEST(JsonFields, MalformedLinesAreReported) {
  for (const char* line :
       {"", "hello", "[1]", "{", R"({"a":1,})", R"({"a" 1})", R"({"a":"x)", R"({"a":[1,2})",
        R"({"a":1} trailing)", R"({a:1})", R"({"a":})", "{\"a\":\"x\ty\"}"}) {
    EXPECT_FALSE(read_all(line).second) << line;
  }
}

}  // namespace
}  // namespace bench
