#include "caravan/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include <date/date.h>

namespace caravan {

Duration hours(double h) { return Duration(static_cast<std::int64_t>(std::llround(h * 3600.0))); }

double to_hours(Duration d) { return static_cast<double>(d.count()) / 3600.0; }

namespace {

// Reads exactly `n` digits at text[pos]; returns -1 on failure.
int read_digits(std::string_view text, std::size_t& pos, int n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

Result<Instant> parse_instant(std::string_view text) {
  auto fail = [&] {
    return Error::invalid("bad date-time \"" + std::string(text) +
                          "\" (expected ISO-8601 such as 2026-03-02 or 2026-03-02T08:00Z or 2026-03-02T13:00+05:00)");
  };
  std::size_t pos = 0;
  int y = read_digits(text, pos, 4);
  if (y < 0 || !expect(text, pos, '-')) return fail();
  int mo = read_digits(text, pos, 2);
  if (mo < 0 || !expect(text, pos, '-')) return fail();
  int d = read_digits(text, pos, 2);
  if (d < 0) return fail();
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)), date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return fail();
  int hh = 0, mm = 0, ss = 0;
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    hh = read_digits(text, pos, 2);
    if (hh < 0 || !expect(text, pos, ':')) return fail();
    mm = read_digits(text, pos, 2);
    if (mm < 0) return fail();
    if (expect(text, pos, ':')) {
      ss = read_digits(text, pos, 2);
      if (ss < 0) return fail();
    }
    if (hh > 23 || mm > 59 || ss > 59) return fail();
    if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = read_digits(text, pos, 2);
      if (oh < 0) return fail();
      int om = 0;
      if (expect(text, pos, ':')) {
        om = read_digits(text, pos, 2);
      } else if (pos < text.size()) {
        om = read_digits(text, pos, 2);
      }
      if (om < 0 || oh > 14 || om > 59) return fail();
      offset_s = sign * (oh * 3600 + om * 60);
    }
  }
  if (pos != text.size()) return fail();
  auto days = date::sys_days(ymd);
  return Instant(std::chrono::duration_cast<Duration>(days.time_since_epoch()) +
                 Duration(hh * 3600 + mm * 60 + ss - offset_s));
}

std::string format_instant_utc(Instant t) {
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd(day);
  auto secs = (t - day).count();
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    return buf;
  }
  // Written digit by digit: every leg of every answer prints two of these,
  // and snprintf was a visible share of rendering.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](std::size_t at, long long v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10)
      out[at + static_cast<std::size_t>(k)] = static_cast<char>('0' + v % 10);
  };
  put(0, year, 4);
  put(5, static_cast<unsigned>(ymd.month()), 2);
  put(8, static_cast<unsigned>(ymd.day()), 2);
  put(11, secs / 3600, 2);
  put(14, secs / 60 % 60, 2);
  put(17, secs % 60, 2);
  return out;
}

std::string_view to_string(Mode m) {
  switch (m) {
    case Mode::kRail:
      return "rail";
    case Mode::kRoad:
      return "road";
    case Mode::kFerry:
      return "ferry";
    case Mode::kSea:
      return "sea";
    case Mode::kAir:
      return "air";
  }
  return "?";
}

std::optional<Mode> parse_mode(std::string_view s) {
  for (int i = 0; i < kModeCount; ++i) {
    if (to_string(static_cast<Mode>(i)) == s) return static_cast<Mode>(i);
  }
  return std::nullopt;
}

Result<ModeSet> parse_mode_set(std::string_view s) {
  ModeSet set;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view item = s.substr(start, end - start);
    auto m = parse_mode(item);
    if (!m) {
      return Error::invalid("unknown mode \"" + std::string(item) + "\" (expected rail, road, ferry, sea or air)");
    }
    set.add(*m);
    start = end + 1;
  }
  return set;
}

std::string_view to_string(UnitKind u) {
  switch (u) {
    case UnitKind::kTeu:
      return "TEU";
    case UnitKind::kFeu:
      return "FEU";
    case UnitKind::kFeuHc:
      return "FEU_HC";
    case UnitKind::kKg:
      return "KG";
  }
  return "?";
}

std::optional<UnitKind> parse_unit_kind(std::string_view s) {
  std::string up;
  for (char c : s) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "TEU") return UnitKind::kTeu;
  if (up == "FEU") return UnitKind::kFeu;
  if (up == "FEU_HC" || up == "HC" || up == "40HC") return UnitKind::kFeuHc;
  if (up == "KG") return UnitKind::kKg;
  return std::nullopt;
}

Mass default_cargo_mass(UnitKind u) { return Mass::from_tonnes(10.0 * teu_per_unit(u)); }

std::string_view to_string(Equipment e) { return e == Equipment::kSoc ? "soc" : "coc"; }

std::optional<Equipment> parse_equipment(std::string_view s) {
  std::string low;
  for (char c : s) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (low == "coc") return Equipment::kCoc;
  if (low == "soc") return Equipment::kSoc;
  return std::nullopt;
}

std::string_view to_string(TrafficClass c) {
  switch (c) {
    case TrafficClass::kBlockTrain:
      return "block_train";
    case TrafficClass::kRail:
      return "rail";
    case TrafficClass::kTruck:
      return "truck";
  }
  return "?";
}

std::optional<TrafficClass> parse_traffic_class(std::string_view s) {
  for (int i = 0; i < kTrafficClasses; ++i) {
    if (to_string(static_cast<TrafficClass>(i)) == s) return static_cast<TrafficClass>(i);
  }
  return std::nullopt;
}

}  // namespace caravan
