// Limits by network (issue 16): address parsing, masking to /32 and /64,
// exempt networks, and the per-network rate with a fake clock.
#include <gtest/gtest.h>

#include "net/address_limits.hpp"

namespace chat::net {
namespace {

using namespace std::chrono_literals;
using clock = keyed_rate::clock;

address_policy policy(const std::string& exempt, int v4 = 32, int v6 = 64) {
  std::string error;
  auto nets = parse_networks(exempt, error);
  EXPECT_TRUE(nets.has_value()) << error;
  return address_policy{v4, v6, nets.value_or(std::vector<network>{})};
}

TEST(AddressParse, Ipv4Ipv6AndMappedIpv4) {
  auto v4 = parse_address("192.0.2.7");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->v6);
  auto v6 = parse_address("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->v6);
  auto mapped = parse_address("::ffff:192.0.2.7");
  ASSERT_TRUE(mapped);
  EXPECT_FALSE(mapped->v6);
  EXPECT_EQ(mapped->bytes, v4->bytes);
  for (auto* bad : {"", "192.0.2", "192.0.2.256", "host.example", "2001:db8:::1", "1.2.3.4/8"})
    EXPECT_FALSE(parse_address(bad)) << bad;
}

TEST(AddressLimitKey, Ipv6AddressesOfOneSlash64ShareTheKey) {
  auto p = policy("");
  EXPECT_EQ(limit_key(p, "2001:db8:1:2::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(limit_key(p, "2001:db8:1:2:dead:beef:0:42"), "2001:db8:1:2::/64");
  EXPECT_NE(limit_key(p, "2001:db8:1:3::1"), limit_key(p, "2001:db8:1:2::1"));
}

TEST(AddressLimitKey, Ipv4AddressesAreTheirOwnNetworkByDefault) {
  auto p = policy("");
  EXPECT_EQ(limit_key(p, "192.0.2.7"), "192.0.2.7/32");
  EXPECT_NE(limit_key(p, "192.0.2.8"), limit_key(p, "192.0.2.7"));
  EXPECT_EQ(limit_key(p, "::ffff:192.0.2.7"), "192.0.2.7/32");  // dual-stack socket
}

TEST(AddressLimitKey, MasksAreSettable) {
  auto p = policy("", 24, 48);
  EXPECT_EQ(limit_key(p, "192.0.2.7"), "192.0.2.0/24");
  EXPECT_EQ(limit_key(p, "192.0.2.200"), "192.0.2.0/24");
  EXPECT_EQ(limit_key(p, "2001:db8:1:2::1"), "2001:db8:1::/48");
  EXPECT_EQ(limit_key(p, "2001:db8:1:ffff::1"), "2001:db8:1::/48");
}

TEST(AddressLimitKey, ExemptNetworksHaveNoKey) {
  auto p = policy("127.0.0.0/8,::1");
  EXPECT_EQ(limit_key(p, "127.0.0.1"), "");
  EXPECT_EQ(limit_key(p, "127.45.6.7"), "");
  EXPECT_EQ(limit_key(p, "::1"), "");
  EXPECT_EQ(limit_key(p, "::ffff:127.0.0.1"), "");
  EXPECT_EQ(limit_key(p, "128.0.0.1"), "128.0.0.1/32");
  EXPECT_EQ(limit_key(p, "::2"), "::/64");  // ::1 alone is exempt, not its /64
}

TEST(AddressLimitKey, EmptyExemptListExemptsNothing) {
  auto p = policy("");
  EXPECT_EQ(limit_key(p, "127.0.0.1"), "127.0.0.1/32");
  EXPECT_EQ(limit_key(p, "::1"), "::/64");
}

TEST(AddressNetworks, ParsesListsAndRefusesNonsense) {
  std::string error;
  auto nets = parse_networks(" 10.0.0.0/8 , 2001:db8::/32,192.0.2.1", error);
  ASSERT_TRUE(nets) << error;
  ASSERT_EQ(nets->size(), 3u);
  EXPECT_EQ((*nets)[2].prefix, 32);
  EXPECT_TRUE(contains((*nets)[0], *parse_address("10.200.3.4")));
  EXPECT_FALSE(contains((*nets)[0], *parse_address("11.0.0.1")));
  EXPECT_TRUE(contains((*nets)[1], *parse_address("2001:db8:ffff::1")));
  EXPECT_FALSE(contains((*nets)[1], *parse_address("10.0.0.1")));
  EXPECT_TRUE(parse_networks("", error)->empty());
  for (auto* bad :
       {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "localhost", "1.2.3.4,,x"}) {
    EXPECT_FALSE(parse_networks(bad, error)) << bad;
    EXPECT_FALSE(error.empty());
  }
}

TEST(KeyedRate, BurstThenOnePerSlice) {
  keyed_rate rate{3, 60s};  // 3 a minute: one every 20 s once the burst is spent
  auto t = clock::time_point{} + 1000s;
  EXPECT_TRUE(rate.allow("a", t));
  EXPECT_TRUE(rate.allow("a", t));
  EXPECT_TRUE(rate.allow("a", t));
  EXPECT_FALSE(rate.allow("a", t));
  EXPECT_FALSE(rate.allow("a", t + 19s));
  EXPECT_TRUE(rate.allow("a", t + 20s));
  EXPECT_FALSE(rate.allow("a", t + 21s));
}

TEST(KeyedRate, KeysAreCountedApart) {
  keyed_rate rate{1, 3600s};
  auto t = clock::time_point{} + 1s;
  EXPECT_TRUE(rate.allow("net-a", t));
  EXPECT_FALSE(rate.allow("net-a", t + 1s));
  EXPECT_TRUE(rate.allow("net-b", t + 1s));
}

TEST(KeyedRate, ZeroIsNoLimit) {
  keyed_rate rate{0, 60s};
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(rate.allow("a", clock::time_point{}));
  EXPECT_EQ(rate.keys(), 0u);
}

TEST(KeyedRate, PruneForgetsFullBucketsOnly) {
  keyed_rate rate{2, 60s};
  auto t = clock::time_point{} + 1s;
  rate.allow("old", t);
  rate.allow("busy", t + 50s);
  rate.prune(t + 60s);  // "old" has refilled, "busy" not yet
  EXPECT_EQ(rate.keys(), 1u);
  rate.prune(t + 200s);
  EXPECT_EQ(rate.keys(), 0u);
}

}  // namespace
}  // namespace chat::net
