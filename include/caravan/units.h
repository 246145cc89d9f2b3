// caravan/units.h — typed units: instants, durations, distance, mass, modes.
//
// Units are fixed once here and nowhere else:
//   time      UTC instants and durations in whole seconds (std::chrono)
//   distance  metres (int64)
//   mass      kilograms (int64)
//   CO2       grams (int64)
// Local time exists only for opening hours and display (see time_zone.h).
//
// Thread safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "caravan/error.h"

namespace caravan {

/// A span of time, whole seconds.
using Duration = std::chrono::seconds;
/// A point in time, UTC, whole seconds since 1970-01-01T00:00:00Z.
using Instant = std::chrono::sys_seconds;

/// Hours (may be fractional) to a Duration, rounded to the nearest second.
Duration hours(double h);
/// A Duration as fractional hours.
double to_hours(Duration d);

/// Parses ISO-8601: `2026-03-02`, `2026-03-02T08:00`, `2026-03-02T08:00:00Z`,
/// `2026-03-02T08:00+05:00`. A value without an offset is UTC.
/// Fails with a message naming the expected form.
Result<Instant> parse_instant(std::string_view text);
/// `2026-03-02T08:00:00Z`.
std::string format_instant_utc(Instant t);

/// Distance in metres.
struct Distance {
  std::int64_t meters = 0;
  static Distance from_km(double km) { return {static_cast<std::int64_t>(km * 1000.0 + (km >= 0 ? 0.5 : -0.5))}; }
  double km() const { return static_cast<double>(meters) / 1000.0; }
  friend Distance operator+(Distance a, Distance b) { return {a.meters + b.meters}; }
  Distance& operator+=(Distance b) {
    meters += b.meters;
    return *this;
  }
  friend auto operator<=>(Distance, Distance) = default;
};

/// Mass in kilograms.
struct Mass {
  std::int64_t kg = 0;
  static Mass from_tonnes(double t) { return {static_cast<std::int64_t>(t * 1000.0 + 0.5)}; }
  double tonnes() const { return static_cast<double>(kg) / 1000.0; }
  friend auto operator<=>(Mass, Mass) = default;
};

/// How cargo moves on a link, crossing or service.
enum class Mode : std::uint8_t { kRail, kRoad, kFerry, kSea, kAir };
inline constexpr int kModeCount = 5;

/// `rail`, `road`, `ferry`, `sea`, `air`.
std::string_view to_string(Mode m);
/// Inverse of to_string; nullopt for anything else.
std::optional<Mode> parse_mode(std::string_view s);

/// A set of modes, as a bitmask.
struct ModeSet {
  std::uint8_t bits = 0;
  static ModeSet all() { return {static_cast<std::uint8_t>((1u << kModeCount) - 1)}; }
  bool has(Mode m) const { return (bits >> static_cast<int>(m)) & 1u; }
  void add(Mode m) { bits |= static_cast<std::uint8_t>(1u << static_cast<int>(m)); }
  bool empty() const { return bits == 0; }
};
/// Parses `rail,road,ferry`; fails naming the bad item.
Result<ModeSet> parse_mode_set(std::string_view s);

/// Track gauge in millimetres; 0 means not rail.
using GaugeMm = std::uint16_t;

/// What a shipment is counted in (docs/adr/0500-bookable-options.md section 1):
/// containers of one size, or general cargo by weight.
enum class UnitKind : std::uint8_t {
  kTeu,    ///< 20-ft dry box
  kFeu,    ///< 40-ft dry box
  kFeuHc,  ///< 40-ft high-cube box
  kKg,     ///< general cargo, `units` kilograms; may use road and air only
};
inline constexpr int kBoxKinds = 3;  ///< TEU, FEU, FEU_HC: the container kinds, as indexes
/// `TEU`, `FEU`, `FEU_HC`, `KG`.
std::string_view to_string(UnitKind u);
/// `TEU`, `FEU`, `FEU_HC` (also `HC`, `40HC`) or `KG`, any case.
std::optional<UnitKind> parse_unit_kind(std::string_view s);

/// True for TEU, FEU and FEU_HC; false for KG.
inline constexpr bool is_container(UnitKind u) { return u != UnitKind::kKg; }
/// True for a 40-ft box: it pays the 40-ft figure of every row that has one.
inline constexpr bool is_forty_foot(UnitKind u) { return u == UnitKind::kFeu || u == UnitKind::kFeuHc; }

/// TEU-equivalents of one unit, for capacities (TEU a day, TEU a run): an FEU
/// or high-cube counts as two; 0 for KG.
inline constexpr int teu_per_unit(UnitKind u) { return u == UnitKind::kTeu ? 1 : (is_forty_foot(u) ? 2 : 0); }

/// Default cargo (payload) mass per box used when the user gives none: 10 t
/// per TEU and 20 t per 40-ft box — the common GLEC assumption of about 10 t of
/// cargo per loaded TEU. See docs/methodology.md. 0 for KG (units are kg).
Mass default_cargo_mass(UnitKind u);

/// Who owns the boxes: the carrier (COC: the through-rates of these lanes are
/// for the operator's box, which must go back empty) or the shipper (SOC).
enum class Equipment : std::uint8_t { kCoc, kSoc };
std::string_view to_string(Equipment e);                       ///< `coc`, `soc`
std::optional<Equipment> parse_equipment(std::string_view s);  ///< any case

/// How a movement passes a land border; a crossing may time and charge each
/// differently (crossing_classes.csv).
enum class TrafficClass : std::uint8_t {
  kBlockTrain,  ///< a ride on a scheduled rail service through the border
  kRail,        ///< other rail traffic (on-demand wagons, boxes between trains)
  kTruck,       ///< road
};
inline constexpr int kTrafficClasses = 3;
std::string_view to_string(TrafficClass c);  ///< `block_train`, `rail`, `truck`
std::optional<TrafficClass> parse_traffic_class(std::string_view s);

}  // namespace caravan
