// caravan/route.h — the planner: itineraries over the multimodal network.
//
// A time-dependent, multi-criteria label-setting search (a multi-criteria
// Dijkstra over a FIFO time-dependent graph) of options a forwarder could
// book (docs/adr/0500-bookable-options.md, docs/methodology.md):
//   * containers (TEU, FEU, FEU high-cube) within their payload limits, or
//     general cargo by chargeable weight (KG), which alone may fly;
//   * rail only by a scheduled service (weekdays, local departure, cut-off,
//     through-rates, through borders) or a railway's on-demand product
//     (formation dwell, yard dwell, tariff per box-km); road by truck (trucks
//     per box from the road gross limits, per truck-km by country and
//     direction); ferries, ships and aircraft by their sailings and flights,
//     after a port's dwell;
//   * border posts open in local time on both sides, clearance and fees of
//     the traffic class (block train, other rail, truck), dated closures,
//     gauge changes at a 1435/1520 mm break;
//   * a lift (the location's transfer time and handling) whenever a box
//     changes vehicle; storage after the free days while it waits;
//   * at most two changes between rail and road (vessel legs do not count).
// Labels carry arrival instant, cost in USD cents, CO2 grams and the rail/road
// changes so far; Pareto dominance prunes them, and labels dominated by an
// answer already found at the destination are dropped early. Single-criterion
// objectives (time, cost, co2, generalized) run through the same code.
//
// Two objects, after RoutingKit's index/query split:
//   RouteIndex — built once from a NetworkView, immutable, shared by all threads;
//   Planner    — per-thread scratch memory for queries against one index;
//                move-only, reused across queries without reallocation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caravan/budget.h"
#include "caravan/error.h"
#include "caravan/money.h"
#include "caravan/network.h"
#include "caravan/units.h"

namespace caravan {

class Overlay;

/// What a search minimises. kPareto: every option no other beats on time,
/// cost and CO2 at once. kGeneralized: money (USD) + value of time × boxes ×
/// hours door to door (for KG: × tonnes).
enum class Objective : std::uint8_t { kPareto, kTime, kCost, kCo2, kGeneralized };
std::string_view to_string(Objective o);
std::optional<Objective> parse_objective(std::string_view s);

/// What to ship, from where to where, when, and under which constraints.
struct RouteQuery {
  LocationIdx from, to;
  Instant depart{};  ///< cargo ready at `from`
  /// Containers: the number of boxes, >= 1. KG: the cargo's kilograms, >= 1.
  std::uint32_t units = 1;
  UnitKind unit = UnitKind::kFeu;
  /// Containers: cargo (payload) per box, within the box's payload limit;
  /// default_cargo_mass() when empty. Not used for KG.
  std::optional<Mass> cargo_per_unit;
  /// KG only: the volume, m³; the chargeable weight is then
  /// max(kg, m³ × 1,000,000 / 6,000) (IATA 1:6000).
  std::optional<double> volume_m3;
  Equipment equipment = Equipment::kCoc;  ///< COC adds the destination's empty return
  /// USD per box-hour (containers) or per tonne-hour (KG) for kGeneralized;
  /// empty: the dataset's value_of_time_usd_per_box_hour / _per_tonne_hour.
  std::optional<double> value_of_time_usd;
  Objective objective = Objective::kPareto;
  std::vector<LocationIdx> via;              ///< visited in this order; a seaport: a vessel loaded or discharged there
  std::vector<LocationIdx> avoid;            ///< never entered
  std::vector<std::string> avoid_countries;  ///< ISO alpha-2; no location of these is entered
  ModeSet modes = ModeSet::all();            ///< modes allowed for moving legs and crossings
  /// Pareto only: an answer is dropped when another arrives no later and costs
  /// and emits at most (1 + epsilon) times as much. Bounds the set to options
  /// that differ meaningfully; 0 gives the exact Pareto set.
  double epsilon = 0.02;
  Budget budget;  ///< labels and time the search may use

  /// TEU-equivalents shipped (capacities); 0 for KG.
  std::uint32_t teu() const { return units * static_cast<std::uint32_t>(teu_per_unit(unit)); }
  /// Boxes shipped (containers), or 1 for a KG shipment (fees per shipment).
  std::uint32_t boxes() const { return is_container(unit) ? units : 1; }
  Mass cargo_mass() const;  ///< total payload (KG: the units)
  /// KG: what air charges by, with the volume weight; containers: cargo_mass().
  Mass chargeable_mass() const;
};

enum class LegKind : std::uint8_t { kMove, kWait, kTransfer, kBorder, kGaugeChange };

/// One step of an itinerary. Moving legs carry the mode; the others happen at
/// a location (`from`, and for a border `from` = exit side, `to` = entry side).
struct Leg {
  LegKind kind = LegKind::kMove;
  Mode mode = Mode::kRail;  ///< for kMove
  LocationIdx from, to;
  Instant depart{}, arrive{};
  Distance km;
  Money cost;                       ///< in the currency charged; zero USD when free
  std::int64_t cost_usd_cents = 0;  ///< `cost` at the dataset's FX rates
  std::int64_t co2_g = 0;
  LinkIdx link;                               ///< set for moving legs over a link
  ServiceIdx service;                         ///< set for every leg of a ride on a service (its border legs too)
  CrossingIdx crossing;                       ///< set for border and gauge-change legs
  ProductIdx product;                         ///< set for on-demand rail legs (and their formation wait)
  std::optional<TrafficClass> traffic_class;  ///< set for border legs
  std::string note;                           ///< why a wait happened, e.g. "border closed"
  SourceList sources;

  /// `rail`, `road`, …, `wait`, `transfer`, `border`, `gauge_change`.
  std::string_view kind_name() const;
};

/// How sure an itinerary is, from a Monte Carlo replay (stochastic.h).
/// Hours are from the query's departure to arrival.
struct Reliability {
  std::uint32_t samples = 0;
  double p5_hours = 0, p10_hours = 0;                  ///< the early tail: a published record run can be set against it
  double p50_hours = 0, p80_hours = 0, p95_hours = 0;  ///< infinity when that share never arrives
  std::optional<double> on_time_probability;           ///< P(arrive by the deadline), when one was given
  std::uint32_t never_arrived = 0;                     ///< samples stuck (e.g. a border that never opens)
};

/// A door-to-door plan. Totals are sums of the legs.
struct Itinerary {
  Instant depart{}, arrive{};
  Distance km;
  std::int64_t cost_usd_cents = 0;
  std::int64_t co2_g = 0;
  CurrencyTotals cost_by_currency;
  std::vector<CrossingIdx> border_crossings;
  int gauge_changes = 0;
  int mode_changes = 0;  ///< changes between consecutive moving modes
  /// cost + value of time × boxes (KG: tonnes) × hours, USD cents, at the query's value of time.
  std::int64_t generalized_cost_usd_cents = 0;
  std::vector<Leg> legs;
  /// The search arcs taken, in the RouteIndex that planned it; lets the Monte
  /// Carlo replay the same path with other stage durations.
  std::vector<std::uint32_t> arcs;
  std::optional<Reliability> reliability;  ///< when asked (stochastic.h)
  bool most_reliable = false;              ///< the option most likely to arrive by the deadline

  Duration duration() const { return arrive - depart; }
};

/// Durations of the uncertain stages of a journey: border clearance (by
/// traffic class), gauge change, travel on a link, a service's lateness, the
/// formation of an on-demand rail product and a port's dwell. The planner and
/// the Monte Carlo replay walk arcs with the same rules (waiting for
/// departures, both border posts open, closures) and ask this for the
/// durations. Within one search an implementation must answer the same stage
/// the same way. The data passed are those in force (with any scenario).
class StageTiming {
 public:
  virtual ~StageTiming() = default;
  virtual Duration clearance(CrossingIdx c, TrafficClass k, const CrossingTerms& terms) = 0;
  virtual Duration gauge_change(CrossingIdx c, const Crossing& data) = 0;
  /// Time to travel a link given its nominal time (length / speed, plus yard dwell on rail).
  virtual Duration link_travel(LinkIdx l, Duration nominal) = 0;
  /// How late a ride on the service arrives after its timetable.
  virtual Duration service_delay(ServiceIdx s, const Service& data) = 0;
  /// Dwell when a box enters an on-demand rail product.
  virtual Duration formation(ProductIdx p, const RailProduct& data) = 0;
  /// Time a box needs in a seaport before it can be loaded on a vessel.
  virtual Duration port_dwell(LocationIdx l, const Location& data) = 0;
};

/// The compiled search graph for one view of the network (the base, or the
/// base with a scenario overlay: links opened or closed, crossings, services
/// and products patched, services added, closures, FX). Immutable after
/// build; share between threads. What the view points at must outlive it.
class RouteIndex {
 public:
  explicit RouteIndex(const NetworkView& view);
  /// The base network, or with `overlay` (scenario.h) applied when given.
  explicit RouteIndex(const Network& net, const Overlay* overlay = nullptr);
  ~RouteIndex();
  RouteIndex(const RouteIndex&) = delete;
  RouteIndex& operator=(const RouteIndex&) = delete;
  RouteIndex(RouteIndex&&) noexcept;

  const Network& network() const;
  /// The data in force.
  const NetworkView& view() const;
  const Crossing& crossing(CrossingIdx c) const { return view().crossing(c); }
  const Service& service(ServiceIdx s) const { return view().service(s); }  ///< also services added by a scenario
  const FxTable& fx() const { return view().fx(); }

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// Per-thread query object. The RouteIndex must outlive it.
class Planner {
 public:
  explicit Planner(const RouteIndex& index);
  ~Planner();
  Planner(Planner&&) noexcept;
  Planner& operator=(Planner&&) noexcept;
  Planner(const Planner&) = delete;
  Planner& operator=(const Planner&) = delete;

  /// The Pareto set of itineraries (one for single-criterion objectives),
  /// fastest first; options that are the same sequence of moving legs,
  /// crossings and services are one (the fastest is kept). Fails with
  /// kInvalidInput for a bad query (zero units, cargo over the box's payload
  /// limit, a unit no allowed mode carries, origin or destination avoided),
  /// kNoRoute when nothing connects them, kOverBudget or kDeadline when the
  /// query's budget runs out.
  Result<std::vector<Itinerary>> plan(const RouteQuery& q);
  /// The same search with stage durations from `timing` (e.g. pessimistic
  /// quantiles) instead of the medians; the legs show those durations.
  Result<std::vector<Itinerary>> plan(const RouteQuery& q, StageTiming& timing);

  /// Labels settled by the last plan() call; for benchmarks and tests.
  std::uint64_t settled_labels() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

/// Replays an itinerary planned on `index` for `q` with other stage
/// durations: every wait is re-applied, so a late arrival can miss a weekly
/// ferry or a border's opening hours. Returns the arrival, or nullopt when the
/// cargo gets stuck (a service that never runs, a border that never opens).
/// Does not allocate; safe to call from many threads on one index.
std::optional<Instant> replay_arrival(const RouteIndex& index, const RouteQuery& q,
                                      const std::vector<std::uint32_t>& arcs, StageTiming& timing);

/// Rebuilds the itinerary along `arcs` with legs timed by `timing`, or by the
/// medians and timetable when null. Fails with kInvalidInput when the arcs do
/// not form a path from q.from in this index, kNoRoute when the cargo gets stuck.
Result<Itinerary> retime(const RouteIndex& index, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                         StageTiming* timing = nullptr);

/// What makes two options the same route: the sequence of their moving legs
/// (link or service, with the stops), border crossings and services. Options
/// with equal keys are one option.
std::string route_key(const Itinerary& it);

/// Checks a query against the dataset before any search: units >= 1; cargo
/// per box above zero and within the box's payload limit (equipment.csv);
/// KG volume above zero; some allowed mode carries the unit. The message
/// names the limit, e.g. `cargo 30.0 t per FEU exceeds the FEU payload limit
/// of 26.7 t (max gross 30.48 t - tare 3.75 t)`.
Status check_cargo(const Network& net, const RouteQuery& q);

}  // namespace caravan
