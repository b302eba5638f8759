// Time zones of text-mode times (/tz): lookup of IANA names, rendering in a zone.
#include <gtest/gtest.h>

#include "actors/render.hpp"
#include "actors/time_zone.hpp"

namespace chat {
namespace {

constexpr int64_t winter = 1'795'000'000'000;  // 2026-11-18T11:06:40Z
constexpr int64_t summer = 1'782'000'000'000;  // 2026-06-21T00:00:00Z

TEST(TimeZone, DefaultIsUtcAndNamesIt) {
  time_zone_ref utc;
  EXPECT_TRUE(utc.is_utc());
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.time_of_day(winter), "11:06:40 UTC");
  EXPECT_TRUE(time_zone_ref::find("UTC")->is_utc());
}

TEST(TimeZone, IanaZoneShowsLocalTimeAndItsAbbreviation) {
  auto berlin = time_zone_ref::find("Europe/Berlin");
  ASSERT_TRUE(berlin.has_value());
  EXPECT_EQ(berlin->name(), "Europe/Berlin");
  EXPECT_EQ(berlin->time_of_day(winter), "12:06:40 CET");
  EXPECT_EQ(berlin->time_of_day(summer), "02:00:00 CEST");  // and the next day there
  EXPECT_EQ(time_zone_ref::find("America/New_York")->time_of_day(winter), "06:06:40 EST");
  EXPECT_EQ(time_zone_ref::find("Asia/Kolkata")->time_of_day(winter), "16:36:40 IST");
}

TEST(TimeZone, UnknownOrHostileNamesAreRefused) {
  for (auto name : {"Mars/Olympus", "", "../../etc/passwd", "/etc/localtime", "Europe/Berlin\n",
                    "Europe/../Europe/Berlin", "Europe Berlin", "europe/berlin\x1b[2J"})
    EXPECT_FALSE(time_zone_ref::find(name).has_value()) << name;
  EXPECT_FALSE(time_zone_ref::find(std::string(65, 'a')).has_value());
}

TEST(TimeZone, EventTextCarriesTheZoneJsonStaysUtc) {
  event ev;
  ev.kind = event_kind::join;
  ev.room = "general";
  ev.nick = "bob";
  ev.ts_ms = winter;
  EXPECT_EQ(render_event(ev, output_mode::text), "[11:06:40 UTC] * bob joined general\r\n");
  auto berlin = *time_zone_ref::find("Europe/Berlin");
  EXPECT_EQ(render_event(ev, output_mode::text, berlin), "[12:06:40 CET] * bob joined general\r\n");
  EXPECT_EQ(render_event(ev, output_mode::json, berlin), render_event(ev, output_mode::json));
  EXPECT_NE(render_event(ev, output_mode::json).find("\"2026-11-18T11:06:40.000Z\""),
            std::string::npos);
}

TEST(TimeZone, TzReplyInTextMode) {
  EXPECT_EQ(render_ok("tz", {{"zone", "Europe/Berlin"}, {"kept", true}}, output_mode::text),
            "* times are shown in Europe/Berlin (kept with your registration)\r\n");
  EXPECT_EQ(render_ok("tz", {{"zone", "UTC"}, {"kept", false}}, output_mode::text),
            "* times are shown in UTC\r\n");
}

}  // namespace
}  // namespace chat
