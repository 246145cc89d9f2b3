#include "caravan/units.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <random>

namespace caravan {
namespace {

TEST(Instant, ParsesDateOnlyAsUtcMidnight) {
  auto t = parse_instant("2026-03-02");
  ASSERT_TRUE(t.ok());
  // 2026-03-02 is day 20514 since the epoch: 56 years incl. 14 leap days, plus 60 days.
  EXPECT_EQ(t->time_since_epoch().count(), 20514LL * 86400);
  EXPECT_EQ(format_instant_utc(*t), "2026-03-02T00:00:00Z");
}

TEST(Instant, AppliesUtcOffset) {
  auto local = parse_instant("2026-03-02T13:00+05:00");
  auto utc = parse_instant("2026-03-02T08:00:00Z");
  ASSERT_TRUE(local.ok() && utc.ok());
  EXPECT_EQ(*local, *utc);
  auto neg = parse_instant("2026-03-02T05:30-02:30");
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(format_instant_utc(*neg), "2026-03-02T08:00:00Z");
}

TEST(Instant, RejectsImpossibleDates) {
  for (const char* bad :
       {"2026-02-30", "2026-13-01", "2026-03-02T24:00", "2026-3-2", "yesterday", "2026-03-02T08:00+5"}) {
    auto t = parse_instant(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_NE(t.error().message.find("expected ISO-8601"), std::string::npos);
    }
  }
}

TEST(Instant, FormatsUtcAsTheDateLibraryDoes) {
  std::mt19937_64 rng(3);
  // 1900-01-01 .. 2199-12-31, any second.
  std::uniform_int_distribution<std::int64_t> second(-2208988800LL, 7258118399LL);
  for (int i = 0; i < 20000; ++i) {
    const Instant t{Duration(second(rng))};
    const std::string want = date::format("%Y-%m-%dT%H:%M:%SZ", date::sys_seconds(t.time_since_epoch()));
    ASSERT_EQ(format_instant_utc(t), want);
    ASSERT_EQ(parse_instant(want).value(), t);
  }
}

TEST(Hours, RoundTripToSeconds) {
  EXPECT_EQ(hours(1.5).count(), 5400);
  EXPECT_EQ(hours(0.0001).count(), 0);
  EXPECT_DOUBLE_EQ(to_hours(Duration(9000)), 2.5);
}

TEST(Distance, KilometresToMetres) {
  EXPECT_EQ(Distance::from_km(1.2345).meters, 1235);  // rounds half up
  EXPECT_DOUBLE_EQ((Distance::from_km(3) + Distance::from_km(4.5)).km(), 7.5);
}

TEST(Mode, ParsesSetsAndRejectsUnknown) {
  auto s = parse_mode_set("rail,ferry");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->has(Mode::kRail));
  EXPECT_TRUE(s->has(Mode::kFerry));
  EXPECT_FALSE(s->has(Mode::kRoad));
  auto bad = parse_mode_set("rail,boat");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "unknown mode \"boat\" (expected rail, road, ferry, sea or air)");
}

TEST(Units, FeuCountsAsTwoTeuAndTwentyTonnes) {
  EXPECT_EQ(teu_per_unit(UnitKind::kFeu), 2);
  EXPECT_EQ(default_cargo_mass(UnitKind::kTeu).kg, 10000);
  EXPECT_EQ(default_cargo_mass(UnitKind::kFeu).kg, 20000);
  EXPECT_EQ(parse_unit_kind("feu"), UnitKind::kFeu);
  EXPECT_FALSE(parse_unit_kind("pallet").has_value());
}

}  // namespace
}  // namespace caravan
