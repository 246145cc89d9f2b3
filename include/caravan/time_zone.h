// caravan/time_zone.h — local time and weekly opening hours.
//
// Instants are UTC everywhere in caravan; local time matters only where people
// keep clocks: border posts open and close in their own local time, and
// services depart at local times. Zones come from the system tz database
// (IANA), so China is UTC+8 along its whole western border and Kazakhstan is
// UTC+5 since 1 March 2024 without any table of ours.
//
// Thread safety: TimeZone and OpeningHours are immutable values; the tz
// database is loaded once and read concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"
#include "caravan/units.h"

namespace date {
class time_zone;
}

namespace caravan {

/// An IANA time zone. Cheap to copy (a pointer into the tz database).
class TimeZone {
 public:
  /// Looks up `name` (e.g. `Asia/Almaty`); not_found for unknown zones.
  static Result<TimeZone> locate(std::string_view name);
  static TimeZone utc();

  std::string_view name() const;
  /// UTC offset in force at `t`.
  Duration offset(Instant t) const;
  /// Seconds since the epoch on the local wall clock at `t` (t + offset).
  std::int64_t local_seconds(Instant t) const { return t.time_since_epoch().count() + offset(t).count(); }
  /// `2026-03-02 08:00 (UTC+05:00)`.
  std::string format_local(Instant t) const;

 private:
  explicit TimeZone(const date::time_zone* z) : zone_(z) {}
  const date::time_zone* zone_ = nullptr;  // owned by the tz database; lives forever
};

/// `+05:00`, `-03:30`.
std::string format_utc_offset(Duration offset);

/// Weekly opening hours in local time, e.g. `Mon-Fri 09:00-18:00;Sat 09:00-13:00`
/// or `24/7`. Several ranges a day are comma-separated
/// (`Mon-Fri 09:00-13:00,14:00-18:00`); a range may run past midnight
/// (`22:00-06:00`); `24:00` ends a day.
class OpeningHours {
 public:
  static constexpr std::int64_t kWeek = 7 * 24 * 3600;

  /// Always open.
  static OpeningHours always() { return OpeningHours(); }
  /// Parses the syntax above; fails with what was expected.
  static Result<OpeningHours> parse(std::string_view text);

  bool is_always_open() const { return always_open_; }
  /// True when open at local wall-clock seconds `local` (any epoch-based value).
  bool is_open_local(std::int64_t local) const;
  /// The earliest local wall-clock second >= `local` at which it is open, or -1
  /// when never open.
  std::int64_t next_open_local(std::int64_t local) const;
  /// The first local second > `local` at which it closes after being open at
  /// `local`; INT64_MAX when always open. Requires is_open_local(local).
  std::int64_t close_after_local(std::int64_t local) const;
  /// Canonical text, e.g. `Mon-Fri 09:00-18:00` rendered per interval.
  const std::string& text() const { return text_; }

  /// Earliest instant >= t at which this is open on `zone`'s clock.
  /// Returns nullopt when never open.
  std::optional<Instant> next_open(Instant t, const TimeZone& zone) const;

 private:
  struct Interval {  // [begin, end) in seconds from Monday 00:00 local; merged, sorted
    std::int32_t begin, end;
  };
  bool always_open_ = true;
  std::vector<Interval> intervals_;
  std::string text_ = "24/7";
};

/// Earliest instant >= t at which both `a` (on `za`'s clock) and `b` (on
/// `zb`'s clock) are open at the same time; nullopt when their windows never
/// overlap. This is how a border works: goods pass only while both posts are open.
std::optional<Instant> next_open_both(Instant t, const OpeningHours& a, const TimeZone& za, const OpeningHours& b,
                                      const TimeZone& zb);

/// Weekday of local wall-clock seconds: 0 = Monday … 6 = Sunday.
int weekday_of_local(std::int64_t local);

/// A weekday from its English three-letter name, any case (`Mon`, `tue`):
/// 0 = Monday … 6 = Sunday; nullopt for anything else. The one spelling of days
/// in opening hours, timetables, scenarios and calibration rows.
std::optional<int> parse_weekday(std::string_view name);

}  // namespace caravan
