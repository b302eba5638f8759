#include "bench/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

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

}  // namespace
}  // namespace bench
