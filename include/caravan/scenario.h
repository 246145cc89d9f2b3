// caravan/scenario.h — "what if": scenarios of measures, applied as an overlay.
//
// A scenario is a TOML file of measures (DESIGN.md section 8): a green lane
// that shortens clearance at a crossing, 24/7 opening hours, a link opened or
// closed, a location shut for a time window, a new or more frequent service,
// more punctual trains, new capacities or tariffs, another exchange rate.
//
//     id = "green-lanes"                       # optional; default: the file stem
//     name = "Green lanes at the China–Kazakhstan rail crossings"
//     description = "What clearance at CPMM's best quartile would do"
//     source = ["cpmm-2023-prc"]               # ids of sources.csv or of [[sources]] below
//
//     [[sources]]                              # optional: sources the dataset lacks
//     id = "consensus-2022"
//     kind = "announced"                       # measured, published, announced, estimate
//     title = "…"
//     url = "https://…"
//
//     [[measures]]
//     type = "set_clearance"
//     crossing = "khorgos-altynkol-rail"
//     median_h = 6.0
//     p90_h = 12.0
//     note = "…"
//
// Measures and their keys (each may also carry `source` — an id or a list of
// ids — and `note`):
//   set_clearance   crossing, median_h, p90_h
//   set_hours       crossing, and hours (both sides) or exit_open and/or entry_open
//   open_link       link                     (a planned or closed link carries traffic)
//   close_link      link
//   close_location  location, from, until    (ISO-8601 or TOML date-times; from < until)
//   add_service     id, name, mode, stops, days, depart_local, stop_offsets_h,
//                   tariff_per_unit, currency, and optionally operator, capacity_units
//   set_frequency   service, days, and optionally depart_local
//   set_punctuality service, delay_median_h, delay_p90_h   (hours late on arrival)
//   set_capacity    one of crossing, link, service; capacity (units a day, or per run)
//   set_tariff      link (tariff_per_unit_km and/or tariff_per_unit), service
//                   (tariff_per_unit) or crossing (cost and/or gauge_change_cost_per_unit);
//                   amounts in the currency the row already charges
//   set_fx          currency, per_usd
//
// Scenarios compose in order: later measures override earlier ones on the
// same target. The base Network is never changed; an Overlay holds the
// differences and is consumed by RouteIndex (route.h).
//
// Errors name the file and line: `green.toml:12: unknown crossing "x" (expected
// a crossing id of the dataset)`.
//
// Thread safety: Scenario and Overlay are immutable values once built; share
// them freely between threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "caravan/error.h"
#include "caravan/network.h"

namespace caravan {

struct SetClearance {
  CrossingIdx crossing;
  Duration median{0}, p90{0};
};
struct SetHours {
  CrossingIdx crossing;
  std::optional<OpeningHours> exit_open, entry_open;
};
struct OpenLink {
  LinkIdx link;
};
struct CloseLink {
  LinkIdx link;
};
/// No leg may start from, to or through `location` in [from, until); cargo
/// waits there until it reopens, or the planner goes around.
struct CloseLocation {
  LocationIdx location;
  Instant from{}, until{};
};
/// A new scheduled service. `service.stops` are resolved; distances and CO2
/// along the stops are computed when the Overlay is built (the links may be
/// ones that an earlier measure opens).
struct AddService {
  Service service;
};
struct SetFrequency {
  ServiceIdx service;
  std::uint8_t weekdays = 0;  ///< bit d = departs on weekday d (0 = Monday)
  std::optional<std::int32_t> depart_local_s;
};
/// How late a service arrives: lognormal hours with this median and p90.
struct SetPunctuality {
  ServiceIdx service;
  Duration delay_median{0}, delay_p90{0};
};
struct SetCapacity {
  CrossingIdx crossing;  ///< exactly one of the three is valid
  LinkIdx link;
  ServiceIdx service;
  std::uint32_t capacity = 0;
};
struct SetTariff {
  LinkIdx link;  ///< exactly one of the three is valid
  ServiceIdx service;
  CrossingIdx crossing;
  std::optional<double> tariff_per_teu_km;  ///< link, major units per TEU-km
  std::optional<Money> per_teu;             ///< link fixed charge or service whole-run tariff
  std::optional<Money> cost;                ///< crossing fee per TEU
  std::optional<Money> gauge_change_cost;   ///< crossing gauge change per TEU
};
struct SetFx {
  Currency currency;
  double per_usd = 1;
};

using MeasureAction = std::variant<SetClearance, SetHours, OpenLink, CloseLink, CloseLocation, AddService, SetFrequency,
                                   SetPunctuality, SetCapacity, SetTariff, SetFx>;

/// One measure of a scenario, with where it was written.
struct Measure {
  MeasureAction action;
  std::string type;                  ///< `set_clearance`, … as written
  std::vector<std::string> sources;  ///< cited source ids
  std::string note;
  std::string file;        ///< file name used in messages
  std::uint32_t line = 0;  ///< line of its `[[measures]]` header
};

/// A named, sourced set of measures.
struct Scenario {
  std::string id, name, description;
  std::vector<std::string> sources;  ///< cited source ids (sources.csv or new_sources)
  std::vector<Measure> measures;
  std::vector<Source> new_sources;   ///< sources defined by the file itself ([[sources]])
};

/// Parses a scenario from TOML text. `file_name` is used in messages and, when
/// the text has no `id`, gives the id (its stem). Every id is checked against
/// `net`. Fails with kInvalidInput (kNotFound for unknown ids), each error
/// carrying `file_name` and the line: unknown keys, unknown ids, wrong types,
/// impossible values (p90 below the median, an empty or reversed window).
Result<Scenario> parse_scenario(std::string_view toml_text, std::string_view file_name, const Network& net);

/// Reads and parses a scenario file; messages name the file by its path.
/// Fails with kNotFound when the file does not exist or cannot be opened, and
/// with kInvalidInput when it is not a regular file or exceeds
/// kMaxScenarioFileBytes (caravan/file.h).
Result<Scenario> load_scenario_file(const std::filesystem::path& path, const Network& net);

/// A closure window of one location.
struct ClosureWindow {
  Instant from{}, until{};
};

/// The network as changed by an ordered list of scenarios: the base plus the
/// patches, never a copy of the base. Build once, then give it to RouteIndex.
/// The Network must outlive the Overlay.
class Overlay {
 public:
  /// Applies the scenarios' measures in order. Fails (with the measure's
  /// file:line) when an added service cannot run: stops not joined by open
  /// links of its mode, a rail or road service crossing a border, a duplicate id.
  static Result<Overlay> build(const Network& net, const std::vector<Scenario>& scenarios);

  const Network& network() const { return *net_; }
  /// Ids of the scenarios applied, in order.
  const std::vector<std::string>& scenario_ids() const { return scenario_ids_; }

  /// The crossing as patched (clearance, hours, tariffs, capacity).
  const Crossing& crossing(CrossingIdx c) const;
  /// True when a measure set this crossing's clearance: its distribution is
  /// then the measure's lognormal, not the dataset's observations.
  bool clearance_set(CrossingIdx c) const;
  /// The link as patched (status, tariffs, capacity).
  const Link& link(LinkIdx l) const;
  /// Base services first (same indexes), then added ones.
  std::uint32_t service_count() const { return net_->services.size() + static_cast<std::uint32_t>(added_.size()); }
  const Service& service(ServiceIdx s) const;
  /// A set_punctuality for this service, if any: (median, p90) of its delay.
  std::optional<std::pair<Duration, Duration>> punctuality(ServiceIdx s) const;
  /// Closure windows of a location, sorted by start; empty for most.
  const std::vector<ClosureWindow>& closures(LocationIdx l) const;
  /// FX as changed by set_fx; only conversions to USD change.
  const FxTable& fx() const { return fx_; }

 private:
  explicit Overlay(const Network& net);
  const Network* net_;
  std::vector<std::string> scenario_ids_;
  std::unordered_map<std::uint32_t, Crossing> crossings_;  // patched crossings by index
  std::unordered_map<std::uint32_t, bool> clearance_set_;
  std::unordered_map<std::uint32_t, Link> links_;        // patched links by index
  std::unordered_map<std::uint32_t, Service> services_;  // patched base services by index
  std::vector<Service> added_;                           // added services, index base count + k
  std::unordered_map<std::uint32_t, std::pair<Duration, Duration>> punctuality_;
  std::unordered_map<std::uint32_t, std::vector<ClosureWindow>> closures_;
  FxTable fx_;
};

}  // namespace caravan
