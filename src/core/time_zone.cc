#include "caravan/time_zone.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include <date/tz.h>

namespace caravan {
namespace {

constexpr std::int64_t kDay = 24 * 3600;
// 1970-01-01 was a Thursday: shifting by three days puts Monday 00:00 at 0.
constexpr std::int64_t kEpochToMonday = 3 * kDay;

std::int64_t floor_mod(std::int64_t a, std::int64_t m) {
  std::int64_t r = a % m;
  return r < 0 ? r + m : r;
}

// Seconds since Monday 00:00 of the local week.
std::int64_t week_second(std::int64_t local) { return floor_mod(local + kEpochToMonday, OpeningHours::kWeek); }

}  // namespace

Result<TimeZone> TimeZone::locate(std::string_view name) {
  try {
    return TimeZone(date::locate_zone(name));
  } catch (const std::exception&) {
    return Error::not_found("unknown time zone \"" + std::string(name) +
                            "\" (expected an IANA zone such as Asia/Almaty)");
  }
}

TimeZone TimeZone::utc() {
  static const date::time_zone* z = date::locate_zone("Etc/UTC");
  return TimeZone(z);
}

std::string_view TimeZone::name() const { return zone_->name(); }

Duration TimeZone::offset(Instant t) const {
  // A zone's offset changes a few times a year at most, and a search asks
  // about nearby instants over and over: remembering the interval of the last
  // answer per zone (a small per-thread cache, so no locking) turns most
  // lookups into two comparisons instead of a walk of the tz database.
  struct Entry {
    const date::time_zone* zone = nullptr;
    Instant begin{}, end{};
    Duration offset{0};
  };
  thread_local std::array<Entry, 8> cache{};
  Entry& e = cache[(reinterpret_cast<std::uintptr_t>(zone_) >> 4) & 7];
  if (e.zone == zone_ && t >= e.begin && t < e.end) return e.offset;
  const date::sys_info info = zone_->get_info(t);
  e = {zone_, Instant(info.begin), Instant(info.end), info.offset};
  return info.offset;
}

std::string format_utc_offset(Duration offset) {
  std::int64_t s = offset.count();
  char sign = s < 0 ? '-' : '+';
  if (s < 0) s = -s;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%c%02lld:%02lld", sign, static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60));
  return buf;
}

std::string TimeZone::format_local(Instant t) const {
  std::int64_t local = local_seconds(t);
  auto day = date::floor<date::days>(date::sys_seconds(Duration(local)));
  date::year_month_day ymd(day);
  std::int64_t secs = local - std::chrono::duration_cast<Duration>(day.time_since_epoch()).count();
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld (UTC%s)", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                format_utc_offset(offset(t)).c_str());
  return buf;
}

int weekday_of_local(std::int64_t local) { return static_cast<int>(week_second(local) / kDay); }

std::optional<int> parse_weekday(std::string_view name) {
  static constexpr std::string_view kNames[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (name.size() != 3) return std::nullopt;
  char low[3];
  for (int i = 0; i < 3; ++i) low[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  for (int d = 0; d < 7; ++d) {
    if (std::string_view(low, 3) == kNames[d]) return d;
  }
  return std::nullopt;
}

namespace {

// "HH:MM" to seconds after midnight; 24:00 allowed; -1 on error.
int parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 3600 + m * 60;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<OpeningHours> OpeningHours::parse(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return Error::invalid("bad opening hours \"" + std::string(text) + "\": " + why +
                          " (expected 24/7 or rules like Mon-Fri 09:00-18:00;Sat 09:00-13:00)");
  };
  std::string_view t = trim(text);
  OpeningHours h;
  if (t == "24/7") return h;
  if (t.empty()) return fail("empty");
  h.always_open_ = false;
  h.text_ = std::string(t);
  std::vector<Interval> raw;
  for (std::string_view rule : split(t, ';')) {
    rule = trim(rule);
    if (rule.empty()) return fail("empty rule");
    std::string_view days_part, ranges_part;
    std::size_t space = rule.find(' ');
    if (space == std::string_view::npos) {
      days_part = "daily";
      ranges_part = rule;
    } else {
      days_part = trim(rule.substr(0, space));
      ranges_part = trim(rule.substr(space + 1));
    }
    bool days[7] = {};
    std::string low_days;
    for (char c : days_part) low_days += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (low_days == "daily") {
      std::fill(days, days + 7, true);
    } else {
      for (std::string_view sel : split(days_part, ',')) {
        std::size_t dash = sel.find('-');
        if (dash == std::string_view::npos) {
          int d = parse_weekday(sel).value_or(-1);
          if (d < 0) return fail("unknown day \"" + std::string(sel) + "\"");
          days[d] = true;
        } else {
          int a = parse_weekday(sel.substr(0, dash)).value_or(-1);
          int b = parse_weekday(sel.substr(dash + 1)).value_or(-1);
          if (a < 0 || b < 0) return fail("bad day range \"" + std::string(sel) + "\"");
          for (int d = a;; d = (d + 1) % 7) {
            days[d] = true;
            if (d == b) break;
          }
        }
      }
    }
    for (std::string_view range : split(ranges_part, ',')) {
      range = trim(range);
      std::size_t dash = range.find('-');
      if (dash == std::string_view::npos) return fail("bad time range \"" + std::string(range) + "\"");
      int a = parse_clock(range.substr(0, dash));
      int b = parse_clock(range.substr(dash + 1));
      if (a < 0 || b < 0) return fail("impossible time in \"" + std::string(range) + "\"");
      if (a == b) return fail("empty time range \"" + std::string(range) + "\"");
      if (a == 24 * 3600) return fail("range cannot start at 24:00");
      std::int64_t len = b > a ? b - a : b + kDay - a;  // past midnight runs into the next day
      for (int d = 0; d < 7; ++d) {
        if (!days[d]) continue;
        std::int64_t begin = d * kDay + a;
        std::int64_t end = begin + len;
        if (end <= kWeek) {
          raw.push_back({static_cast<std::int32_t>(begin), static_cast<std::int32_t>(end)});
        } else {  // Sunday night runs into Monday morning
          raw.push_back({static_cast<std::int32_t>(begin), static_cast<std::int32_t>(kWeek)});
          raw.push_back({0, static_cast<std::int32_t>(end - kWeek)});
        }
      }
    }
  }
  std::sort(raw.begin(), raw.end(), [](Interval x, Interval y) { return x.begin < y.begin; });
  for (Interval iv : raw) {
    if (!h.intervals_.empty() && iv.begin <= h.intervals_.back().end) {
      h.intervals_.back().end = std::max(h.intervals_.back().end, iv.end);
    } else {
      h.intervals_.push_back(iv);
    }
  }
  if (h.intervals_.size() == 1 && h.intervals_[0].begin == 0 && h.intervals_[0].end == kWeek) {
    return OpeningHours::always();
  }
  return h;
}

bool OpeningHours::is_open_local(std::int64_t local) const {
  if (always_open_) return true;
  std::int64_t w = week_second(local);
  for (const Interval& iv : intervals_) {
    if (w < iv.begin) return false;
    if (w < iv.end) return true;
  }
  return false;
}

std::int64_t OpeningHours::next_open_local(std::int64_t local) const {
  if (always_open_) return local;
  if (intervals_.empty()) return -1;
  std::int64_t w = week_second(local);
  for (const Interval& iv : intervals_) {
    if (w < iv.begin) return local + (iv.begin - w);
    if (w < iv.end) return local;
  }
  return local + (kWeek - w) + intervals_.front().begin;
}

std::int64_t OpeningHours::close_after_local(std::int64_t local) const {
  if (always_open_) return INT64_MAX;
  std::int64_t w = week_second(local);
  for (const Interval& iv : intervals_) {
    if (w >= iv.begin && w < iv.end) {
      std::int64_t close = local + (iv.end - w);
      // An interval ending at the week's end may continue in one starting at Monday 00:00.
      if (iv.end == kWeek && intervals_.front().begin == 0) close += intervals_.front().end;
      return close;
    }
  }
  assert(false && "close_after_local requires an open instant");
  return local;
}

std::optional<Instant> OpeningHours::next_open(Instant t, const TimeZone& zone) const {
  if (always_open_) return t;
  // A jump in local time (a DST change) between t and the opening can move the
  // target; re-check after each step. Two steps suffice in practice.
  for (int step = 0; step < 8; ++step) {
    std::int64_t local = zone.local_seconds(t);
    std::int64_t open = next_open_local(local);
    if (open < 0) return std::nullopt;
    if (open == local) return t;
    t += Duration(open - local);
  }
  return t;
}

std::optional<Instant> next_open_both(Instant t, const OpeningHours& a, const TimeZone& za, const OpeningHours& b,
                                      const TimeZone& zb) {
  const Instant limit = t + Duration(15 * kDay);
  while (t <= limit) {
    auto ta = a.next_open(t, za);
    if (!ta) return std::nullopt;
    auto tb = b.next_open(*ta, zb);
    if (!tb) return std::nullopt;
    if (*tb == *ta) return *ta;
    t = *tb;
  }
  return std::nullopt;  // the two windows never overlap
}

}  // namespace caravan
