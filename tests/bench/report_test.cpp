#include "bench/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace bench {
namespace {

bench_result sample_result() {
  bench_result r;
  r.label = "fanout";
  r.dialect = "chat";
  r.plan = *preset_scenario("fanout");
  r.setup.clients = r.setup.connected = r.setup.logged_in = r.setup.joined = 500;
  r.traffic.sent = 100;
  r.traffic.deliveries = r.traffic.deliveries_in_run = r.traffic.expected = 50000;
  r.traffic.run_s = 2;
  r.traffic.latency.record(1000);
  return r;
}

TEST(Report, CleanRun) {
  bench_result r = sample_result();
  EXPECT_TRUE(r.clean());
  auto j = to_json(r);
  EXPECT_EQ(j["traffic"]["deliveries_per_sec"], 25000.0);
  EXPECT_EQ(j["traffic"]["lost"], 0);
  EXPECT_EQ(j["scenario"]["members_per_room"], 500);
  EXPECT_TRUE(j["server"].is_null());
  EXPECT_TRUE(j["clean"]);
}

TEST(Report, AnyLossIsNotClean) {
  bench_result r = sample_result();
  r.traffic.lost = 1;
  EXPECT_FALSE(r.clean());
  r = sample_result();
  r.setup.joined = 499;
  EXPECT_FALSE(r.clean());
  r = sample_result();
  r.traffic.out_of_order = 1;
  EXPECT_FALSE(to_json(r)["clean"]);
}

TEST(Report, TsvRowMatchesHeader) {
  bench_result r = sample_result();
  auto tabs = [](const std::string& s) { return std::count(s.begin(), s.end(), '\t'); };
  EXPECT_EQ(tabs(tsv_row(r)), tabs(tsv_header()));
  r.server.available = true;
  r.server.pid = 1;
  EXPECT_EQ(tabs(tsv_row(r)), tabs(tsv_header()));
}

TEST(Report, RssPerConnection) {
  server_figures s;
  s.rss_start_kb = 1000;
  s.rss_ready_kb = 2000;
  s.connections = 512;
  EXPECT_DOUBLE_EQ(s.rss_per_connection_bytes(), 2000.0);  // 1000 kB over 512
  s.connections = 0;
  EXPECT_EQ(s.rss_per_connection_bytes(), 0.0);
}

TEST(Report, TextMentionsTheVerdict) {
  std::ostringstream out;
  write_text_report(out, sample_result());
  EXPECT_NE(out.str().find("verdict: clean"), std::string::npos);
}

// The cluster scenario's result: 300 members on three servers, the first
// receiving faster than the others.
bench_result spread_result() {
  bench_result r = sample_result();
  r.label = "cluster";
  r.plan = *preset_scenario("cluster");
  for (int i = 0; i < 3; ++i) {
    server_traffic& on = r.traffic.per_server.emplace_back();
    on.address = "127.0.0.1:" + std::to_string(5001 + i);
    on.clients = 100;
    on.senders = 2;
    on.deliveries = on.deliveries_in_run = i == 0 ? 20000 : 15000;
    on.latency.record(i == 0 ? 1000 : 3000'000);
  }
  r.traffic.senders = 6;
  r.setup.join_retries = 7;
  return r;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(sep, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

TEST(Report, OneServerHasNoPerServerFigures) {
  bench_result r = sample_result();
  auto j = to_json(r);
  EXPECT_FALSE(j["traffic"].contains("servers"));
  EXPECT_FALSE(j["setup"].contains("join_retries"));
  EXPECT_EQ(servers_tsv_rows(r), "");
  std::ostringstream out;
  write_text_report(out, r);
  EXPECT_EQ(out.str().find("server 1 ("), std::string::npos);
  EXPECT_EQ(out.str().find("spread over"), std::string::npos);
}

TEST(Report, SpreadRunReportsEachServer) {
  bench_result r = spread_result();
  auto j = to_json(r);
  ASSERT_EQ(j["traffic"]["servers"].size(), 3u);
  EXPECT_EQ(j["traffic"]["servers"][0]["address"], "127.0.0.1:5001");
  EXPECT_EQ(j["traffic"]["servers"][0]["deliveries_per_sec"], 10000.0);  // 20,000 in 2 s
  EXPECT_EQ(j["traffic"]["servers"][1]["deliveries_per_sec"], 7500.0);
  EXPECT_EQ(j["traffic"]["servers"][2]["senders"], 2);
  EXPECT_EQ(j["setup"]["join_retries"], 7);
  std::ostringstream out;
  write_text_report(out, r);
  EXPECT_NE(out.str().find("server 2 (127.0.0.1:5002, 100 clients, 2 senders)"), std::string::npos);
  EXPECT_NE(out.str().find("joins retried 7 times"), std::string::npos);
}

TEST(Report, ServersTsvHasOneRowPerServerUnderItsHeader) {
  bench_result r = spread_result();
  auto header = split(servers_tsv_header(), '\t');
  auto lines = split(servers_tsv_rows(r), '\n');
  ASSERT_EQ(lines.size(), 4u);  // three rows, each ending in a newline
  EXPECT_EQ(lines[3], "");
  for (int i = 0; i < 3; ++i) {
    auto cells = split(lines[i], '\t');
    ASSERT_EQ(cells.size(), header.size()) << lines[i];
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < cells.size(); ++c) row[header[c]] = cells[c];
    EXPECT_EQ(row["label"], "cluster");
    EXPECT_EQ(row["server"], std::to_string(i + 1));
    EXPECT_EQ(row["address"], "127.0.0.1:" + std::to_string(5001 + i));
    EXPECT_EQ(row["deliveries_per_sec"], i == 0 ? "10000" : "7500");
    EXPECT_EQ(std::stod(row["p99_us"]) > 2000, i != 0) << row["p99_us"];
  }
}

}  // namespace
}  // namespace bench
