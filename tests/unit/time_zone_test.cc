#include <gtest/gtest.h>

#include "caravan/time_zone.h"

namespace caravan {
namespace {

Instant at(const char* iso) { return *parse_instant(iso); }
TimeZone zone(const char* name) { return *TimeZone::locate(name); }

TEST(TimeZone, ChinaIsUtcPlusEightAlongTheWholeBorder) {
  EXPECT_EQ(zone("Asia/Shanghai").offset(at("2026-07-01")).count(), 8 * 3600);
}

TEST(TimeZone, KazakhstanMovedToUtcPlusFiveInMarch2024) {
  TimeZone almaty = zone("Asia/Almaty");
  EXPECT_EQ(almaty.offset(at("2024-02-28T12:00Z")).count(), 6 * 3600);
  EXPECT_EQ(almaty.offset(at("2024-03-02T12:00Z")).count(), 5 * 3600);
}

TEST(TimeZone, FormatsLocalTimeWithOffset) {
  EXPECT_EQ(zone("Asia/Tashkent").format_local(at("2026-03-02T08:00Z")), "2026-03-02 13:00 (UTC+05:00)");
  EXPECT_EQ(zone("Asia/Tehran").format_local(at("2026-03-02T08:00Z")), "2026-03-02 11:30 (UTC+03:30)");
}

TEST(TimeZone, UnknownZoneIsAnError) {
  auto z = TimeZone::locate("Asia/Atlantis");
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.error().message, "unknown time zone \"Asia/Atlantis\" (expected an IANA zone such as Asia/Almaty)");
}

TEST(OpeningHours, ParsesRulesAndAnswersOpenOrClosed) {
  auto h = OpeningHours::parse("Mon-Fri 09:00-18:00;Sat 09:00-13:00");
  ASSERT_TRUE(h.ok());
  TimeZone utc = TimeZone::utc();
  // 2026-03-02 is a Monday.
  EXPECT_TRUE(h->is_open_local(utc.local_seconds(at("2026-03-02T09:00Z"))));
  EXPECT_FALSE(h->is_open_local(utc.local_seconds(at("2026-03-02T18:00Z"))));
  EXPECT_TRUE(h->is_open_local(utc.local_seconds(at("2026-03-07T12:59Z"))));   // Saturday
  EXPECT_FALSE(h->is_open_local(utc.local_seconds(at("2026-03-08T10:00Z"))));  // Sunday
}

TEST(OpeningHours, NextOpenSkipsTheWeekend) {
  auto h = OpeningHours::parse("Mon-Fri 09:00-18:00");
  ASSERT_TRUE(h.ok());
  auto t = h->next_open(at("2026-03-06T19:00Z"), TimeZone::utc());  // Friday evening
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_instant_utc(*t), "2026-03-09T09:00:00Z");  // Monday morning
}

TEST(OpeningHours, RangesPastMidnightAndOnSunday) {
  auto h = OpeningHours::parse("Sun 22:00-06:00");
  ASSERT_TRUE(h.ok());
  TimeZone utc = TimeZone::utc();
  EXPECT_TRUE(h->is_open_local(utc.local_seconds(at("2026-03-09T05:59Z"))));  // Monday early
  EXPECT_FALSE(h->is_open_local(utc.local_seconds(at("2026-03-09T06:00Z"))));
  EXPECT_EQ(h->close_after_local(utc.local_seconds(at("2026-03-08T23:00Z"))),
            utc.local_seconds(at("2026-03-09T06:00Z")));
}

TEST(OpeningHours, TwentyFourSevenIsAlwaysOpen) {
  auto h = OpeningHours::parse("24/7");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->is_always_open());
  auto full = OpeningHours::parse("Mon-Sun 00:00-24:00");
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(full->is_always_open());
}

TEST(OpeningHours, RejectsImpossibleHoursAndSyntax) {
  for (const char* bad :
       {"Mon-Fri 09:00-25:00", "Mon-Fri 09:60-10:00", "Funday 09:00-10:00", "Mon-Fri 9-18", "Mon 10:00-10:00", ""}) {
    auto h = OpeningHours::parse(bad);
    EXPECT_FALSE(h.ok()) << bad;
    if (!h.ok()) {
      EXPECT_NE(h.error().message.find("(expected 24/7 or rules like"), std::string::npos) << bad;
    }
  }
}

TEST(OpeningHours, BothSidesAcrossATimeZoneDifference) {
  // Exit post in China (UTC+8) opens 09:00-18:00 local = 01:00-10:00 UTC;
  // entry post in Kazakhstan (UTC+5) opens 09:00-18:00 local = 04:00-13:00 UTC.
  // Goods pass only in the overlap, 04:00-10:00 UTC.
  auto h = *OpeningHours::parse("09:00-18:00");
  TimeZone cn = zone("Asia/Shanghai"), kz = zone("Asia/Almaty");
  auto t = next_open_both(at("2026-03-02T02:00Z"), h, cn, h, kz);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_instant_utc(*t), "2026-03-02T04:00:00Z");
  auto late = next_open_both(at("2026-03-02T11:00Z"), h, cn, h, kz);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(format_instant_utc(*late), "2026-03-03T04:00:00Z");
}

TEST(OpeningHours, WindowsThatNeverOverlapGiveNothing) {
  auto day = *OpeningHours::parse("08:00-12:00");
  auto night = *OpeningHours::parse("20:00-23:00");
  EXPECT_FALSE(next_open_both(at("2026-03-02"), day, TimeZone::utc(), night, TimeZone::utc()).has_value());
}

TEST(Weekday, ParsesThreeLetterEnglishNamesInAnyCase) {
  EXPECT_EQ(parse_weekday("Mon"), 0);
  EXPECT_EQ(parse_weekday("thu"), 3);
  EXPECT_EQ(parse_weekday("SUN"), 6);
  EXPECT_EQ(parse_weekday("Monday"), std::nullopt);
  EXPECT_EQ(parse_weekday("Mo"), std::nullopt);
  EXPECT_EQ(parse_weekday(""), std::nullopt);
  EXPECT_EQ(parse_weekday("Mun"), std::nullopt);
}

}  // namespace
}  // namespace caravan
