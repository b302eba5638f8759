#include "bench/proc_stats.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace bench {
namespace {

TEST(ProcStats, ParsesStatus) {
  auto m = parse_proc_status(
      "Name:\tchatd\nVmPeak:\t  900 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\nThreads:\t5\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rss_kb, 40000u);
  EXPECT_EQ(m->peak_rss_kb, 51234u);
}

TEST(ProcStats, StatusKeyMustStartALine) {
  EXPECT_FALSE(parse_proc_status("Name:\tVmRSS:\nVmHWM:\t1 kB\n"));
  EXPECT_FALSE(parse_proc_status("VmRSS:\t  \nVmHWM:\t1 kB\n"));
}

TEST(ProcStats, ParsesStatWithAwkwardName) {
  // Field 2 may hold spaces and parentheses; utime=14 is 1500, stime=15 is 250.
  auto ticks = parse_proc_stat_ticks(
      "4242 (chat d) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 5 0 123 456");
  ASSERT_TRUE(ticks);
  EXPECT_EQ(*ticks, 1750u);
}

TEST(ProcStats, RejectsTruncatedStat) {
  EXPECT_FALSE(parse_proc_stat_ticks("4242 (chatd) S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat_ticks("no parenthesis at all"));
}

TEST(ProcStats, ReadsOwnProcess) {
  auto m = read_proc_memory(getpid());
  ASSERT_TRUE(m);
  EXPECT_GT(m->rss_kb, 0u);
  EXPECT_GE(m->peak_rss_kb, m->rss_kb);
  EXPECT_TRUE(read_proc_cpu_seconds(getpid()));
  EXPECT_FALSE(read_proc_memory(-1));
}

}  // namespace
}  // namespace bench
