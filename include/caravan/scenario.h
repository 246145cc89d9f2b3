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
//   set_clearance   crossing, median_h, p90_h, and optionally class
//                   (block_train, rail, truck: that traffic class only; else all)
//   set_hours       crossing, and hours (both sides) or exit_open and/or entry_open,
//                   and optionally class
//   open_link       link                     (a planned or closed link carries traffic)
//   close_link      link
//   open_crossing   crossing                 (a planned or closed crossing carries traffic)
//   close_location  location, from, until    (ISO-8601 or TOML date-times; from < until)
//   close_crossing  crossing, from, until, and optionally class (dated, like a holiday)
//   add_service     id, name, mode, stops, days, depart_local, stop_offsets_h,
//                   tariff_per_unit, currency, and optionally operator, capacity_units,
//                   cutoff_h, tariff_per_feu
//   set_frequency   service, days, and optionally depart_local
//   set_punctuality service, delay_median_h, delay_p90_h   (hours late on arrival)
//   set_capacity    one of crossing, link, service; capacity (units a day, or per run)
//   set_port_dwell  location (a seaport), median_h, p90_h
//   set_tariff      one of link (tariff_per_unit_km and/or tariff_per_unit),
//                   service (tariff_per_unit and/or tariff_per_feu: the through-rate),
//                   rail_product (tariff_per_teu_km and/or tariff_per_teu_km_eastbound) or
//                   crossing (cost, cost_feu, gauge_change_cost_per_unit, gauge_change_cost_feu);
//                   amounts in the currency the row already charges
//   set_fx          currency, per_usd
//
// Scenarios compose in order: later measures override earlier ones on the
// same target. The base Network is never changed; an Overlay holds the
// differences and answers through a NetworkView (network.h).
//
// Errors name the file and line: `green.toml:12: unknown crossing "x" (expected
// a crossing id of the dataset)`.
//
// Thread safety: Scenario and Overlay are immutable values once built; share
// them freely between threads.
#pragma once

#include <filesystem>
#include <memory>
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
  std::optional<TrafficClass> cls;  ///< empty: every class
  Duration median{0}, p90{0};
};
struct SetHours {
  CrossingIdx crossing;
  std::optional<TrafficClass> cls;  ///< empty: every class
  std::optional<OpeningHours> exit_open, entry_open;
};
struct OpenLink {
  LinkIdx link;
};
struct CloseLink {
  LinkIdx link;
};
struct OpenCrossing {
  CrossingIdx crossing;
};
/// No leg may start from, to or through `location` in [from, until); cargo
/// waits there until it reopens, or the planner goes around.
struct CloseLocation {
  LocationIdx location;
  Instant from{}, until{};
};
/// A dated closure of a crossing, for one traffic class or all.
struct CloseCrossing {
  CrossingIdx crossing;
  std::optional<TrafficClass> cls;
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
/// A seaport's dwell before loading: lognormal hours with this median and p90.
struct SetPortDwell {
  LocationIdx location;
  Duration median{0}, p90{0};
};
struct SetTariff {
  LinkIdx link;  ///< exactly one of the four is valid
  ServiceIdx service;
  CrossingIdx crossing;
  ProductIdx product;
  std::optional<double> tariff_per_teu_km;            ///< link (per truck-km on road) or product, major units
  std::optional<double> tariff_per_teu_km_eastbound;  ///< product
  std::optional<Money> per_teu;                       ///< link toll, or service through-rate per 20-ft box
  std::optional<Money> per_feu;                       ///< service through-rate per 40-ft box
  std::optional<Money> cost;                          ///< crossing fee per 20-ft box or truck
  std::optional<Money> cost_feu;                      ///< crossing fee per 40-ft box
  std::optional<Money> gauge_change_cost;             ///< crossing gauge change per 20-ft box
  std::optional<Money> gauge_change_cost_feu;         ///< per 40-ft box
};
struct SetFx {
  Currency currency;
  double per_usd = 1;
};

using MeasureAction =
    std::variant<SetClearance, SetHours, OpenLink, CloseLink, OpenCrossing, CloseLocation, CloseCrossing, AddService,
                 SetFrequency, SetPunctuality, SetCapacity, SetPortDwell, SetTariff, SetFx>;

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
  std::vector<Source> new_sources;  ///< sources defined by the file itself ([[sources]])
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

/// The network as changed by an ordered list of scenarios: the base plus the
/// patches, never a copy of the base. Build once, then read it through view()
/// (or give it to RouteIndex). The Network must outlive the Overlay; the
/// Overlay must outlive its view and whatever reads through it.
class Overlay {
 public:
  /// Applies the scenarios' measures in order. Fails (with the measure's
  /// file:line) when an added service cannot run: stops not joined by open
  /// links of its mode, a rail service crossing a border other than at an open
  /// rail crossing, more than kMaxServiceStops stops, a duplicate id.
  static Result<Overlay> build(const Network& net, const std::vector<Scenario>& scenarios);

  Overlay(Overlay&&) noexcept;
  Overlay& operator=(Overlay&&) noexcept;
  ~Overlay();

  const Network& network() const { return view_->network(); }
  /// The data in force.
  const NetworkView& view() const { return *view_; }
  /// Ids of the scenarios applied, in order.
  const std::vector<std::string>& scenario_ids() const { return view_->scenario_ids(); }

  // Shorthands for view().
  const Crossing& crossing(CrossingIdx c) const { return view_->crossing(c); }
  const Link& link(LinkIdx l) const { return view_->link(l); }
  std::uint32_t service_count() const { return view_->service_count(); }
  const Service& service(ServiceIdx s) const { return view_->service(s); }
  const FxTable& fx() const { return view_->fx(); }

 private:
  struct Patches;
  Overlay();
  std::unique_ptr<Patches> p_;         // the patched copies the view points into
  std::unique_ptr<NetworkView> view_;  // on the heap, so a move keeps its address
};

}  // namespace caravan
