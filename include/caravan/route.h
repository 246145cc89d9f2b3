// caravan/route.h — the planner: itineraries over the multimodal network.
//
// A time-dependent, multi-criteria label-setting search (a multi-criteria
// Dijkstra over a FIFO time-dependent graph). Labels carry arrival instant,
// cost in USD cents and CO2 grams; Pareto dominance prunes them, and labels
// dominated by an answer already found at the destination are dropped early.
// The search honours
//   * waiting for the next scheduled departure of a service (weekly days, local
//     departure time at the first stop, offsets to later stops);
//   * border posts open in local time on both sides: goods pass only while both
//     are open, then clearance takes its median time;
//   * gauge change time and cost at a 1435/1520 mm break;
//   * the location's transfer time and handling cost when the mode changes;
//   * cargo size: costs scale with TEU-equivalents, CO2 with cargo tonnes.
// Single-criterion objectives (time, cost, co2) run through the same code
// with one criterion (ties broken by time).
//
// Two objects, after RoutingKit's index/query split:
//   RouteIndex — built once from a Network, immutable, shared by all threads;
//   Planner    — per-thread scratch memory for queries against one index;
//                move-only, reused across queries without reallocation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caravan/error.h"
#include "caravan/money.h"
#include "caravan/network.h"
#include "caravan/units.h"

namespace caravan {

class Overlay;

enum class Objective : std::uint8_t { kPareto, kTime, kCost, kCo2 };
std::string_view to_string(Objective o);
std::optional<Objective> parse_objective(std::string_view s);

/// What to ship, from where to where, when, and under which constraints.
struct RouteQuery {
  LocationIdx from, to;
  Instant depart{};                     ///< cargo ready at `from`
  std::uint32_t units = 1;              ///< number of containers, >= 1
  UnitKind unit = UnitKind::kFeu;
  std::optional<Mass> cargo_per_unit;   ///< payload per unit; default_cargo_mass() when empty
  Objective objective = Objective::kPareto;
  std::vector<LocationIdx> via;         ///< visited in this order
  std::vector<LocationIdx> avoid;       ///< never entered
  std::vector<std::string> avoid_countries;  ///< ISO alpha-2; no location of these is entered
  ModeSet modes = ModeSet::all();       ///< modes allowed for moving legs and crossings
  /// Pareto only: an answer is dropped when another arrives no later and costs
  /// and emits at most (1 + epsilon) times as much. Bounds the set to options
  /// that differ meaningfully; 0 gives the exact Pareto set.
  double epsilon = 0.02;

  std::uint32_t teu() const { return units * static_cast<std::uint32_t>(teu_per_unit(unit)); }
  Mass cargo_mass() const;              ///< total payload
};

enum class LegKind : std::uint8_t { kMove, kWait, kTransfer, kBorder, kGaugeChange };

/// One step of an itinerary. Moving legs carry the mode; the others happen at
/// a location (`from`, and for a border `from` = exit side, `to` = entry side).
struct Leg {
  LegKind kind = LegKind::kMove;
  Mode mode = Mode::kRail;          ///< for kMove
  LocationIdx from, to;
  Instant depart{}, arrive{};
  Distance km;
  Money cost;                       ///< in the currency charged; zero USD when free
  std::int64_t cost_usd_cents = 0;  ///< `cost` at the dataset's FX rates
  std::int64_t co2_g = 0;
  LinkIdx link;                     ///< set for moving legs over a link
  ServiceIdx service;               ///< set for rides on a service
  CrossingIdx crossing;             ///< set for border and gauge-change legs
  std::string note;                 ///< why a wait happened, e.g. "border closed"
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
  std::vector<Leg> legs;
  /// The search arcs taken, in the RouteIndex that planned it; lets the Monte
  /// Carlo replay the same path with other stage durations.
  std::vector<std::uint32_t> arcs;
  std::optional<Reliability> reliability;  ///< when asked (stochastic.h)
  bool most_reliable = false;              ///< the option most likely to arrive by the deadline

  Duration duration() const { return arrive - depart; }
};

/// Durations of the uncertain stages of a journey: border clearance, gauge
/// change, travel on a link, and a service's lateness. The planner and the
/// Monte Carlo replay walk arcs with the same rules (waiting for departures,
/// both border posts open, closures) and ask this for the durations. Within
/// one search an implementation must answer the same stage the same way.
/// `Crossing` and `Service` are the data in force (with any scenario applied).
class StageTiming {
 public:
  virtual ~StageTiming() = default;
  virtual Duration clearance(CrossingIdx c, const Crossing& data) = 0;
  virtual Duration gauge_change(CrossingIdx c, const Crossing& data) = 0;
  /// Time to travel a link given its nominal time (length / speed).
  virtual Duration link_travel(LinkIdx l, Duration nominal) = 0;
  /// How late a ride on the service arrives after its timetable.
  virtual Duration service_delay(ServiceIdx s, const Service& data) = 0;
};

/// The compiled search graph for one network, optionally with a scenario
/// overlay (scenario.h) applied: links opened or closed, crossings and
/// services patched, services added, closures, FX. Immutable after build;
/// share between threads. The Network and the Overlay must outlive it.
class RouteIndex {
 public:
  explicit RouteIndex(const Network& net, const Overlay* overlay = nullptr);
  ~RouteIndex();
  RouteIndex(const RouteIndex&) = delete;
  RouteIndex& operator=(const RouteIndex&) = delete;
  RouteIndex(RouteIndex&&) noexcept;

  const Network& network() const { return *net_; }
  const Overlay* overlay() const { return overlay_; }
  /// Data in force, with the overlay applied.
  const Crossing& crossing(CrossingIdx c) const;
  const Service& service(ServiceIdx s) const;  ///< also services added by the overlay
  const FxTable& fx() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  const Network* net_;
  const Overlay* overlay_;
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
  /// fastest first. Fails with kInvalidInput for a bad query (zero units,
  /// origin or destination avoided) and kNoRoute when nothing connects them.
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
std::optional<Instant> replay_arrival(const RouteIndex& index, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                                      StageTiming& timing);

/// Rebuilds the itinerary along `arcs` with legs timed by `timing`, or by the
/// medians and timetable when null. Fails with kInvalidInput when the arcs do
/// not form a path from q.from in this index, kNoRoute when the cargo gets stuck.
Result<Itinerary> retime(const RouteIndex& index, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                         StageTiming* timing = nullptr);

}  // namespace caravan
