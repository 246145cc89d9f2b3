// caravan/matrix.h — many-to-many: every pair of a set of places, and the
// change a scenario makes to all of them.
//
// A Matrix holds, for every ordered pair of places, the best itinerary's
// time, cost and CO2 by the options' objective (by default the generalized
// cost: money plus the value of time, ADR 0500 section 5) with the modes
// allowed, and, when samples are asked for, its p95 arrival from a Monte
// Carlo replay (stochastic.h). Comparing two matrices with the same objective
// and modes measures a measure's effect on the same kind of route, not a
// switch of mode. compare() sets two matrices side by side
// — a base (possibly with its own scenarios) and base plus the scenarios
// under study — and gives each pair's change, the biggest winners and losers,
// and network-wide averages weighted equally and by a demand table.
//
// Pairs are computed in parallel (parallel.h), one Planner per thread; with a
// fixed seed the results are the same for any thread count.
//
// Thread safety: compute_matrix is reentrant; `progress` is called from worker
// threads, one call at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"
#include "caravan/network.h"
#include "caravan/route.h"

namespace caravan {

/// The default place set: the dataset's hubs (dataset.toml `hubs`); for a
/// dataset without them, the main hubs found by name (Xi'an, Chongqing,
/// Chengdu, Zhengzhou, Yiwu, Lianyungang, Urumqi, Astana, Bishkek, Dushanbe,
/// Ashgabat, Tashkent, Duisburg, Istanbul, Baku), those the dataset has.
std::vector<LocationIdx> default_hubs(const Network& net);

struct MatrixOptions {
  Instant depart{};  ///< cargo ready at every origin
  std::uint32_t units = 1;
  UnitKind unit = UnitKind::kFeu;
  std::optional<Mass> cargo_per_unit;  ///< as RouteQuery
  std::optional<double> volume_m3;     ///< KG only, as RouteQuery
  Equipment equipment = Equipment::kCoc;
  std::optional<double> value_of_time_usd;  ///< empty: the dataset's
  /// How each pair's itinerary is chosen; kPareto is taken as kGeneralized
  /// (a cell holds one itinerary).
  Objective objective = Objective::kGeneralized;
  ModeSet modes = ModeSet::all();  ///< moving modes allowed
  Budget budget;                   ///< per pair's search
  std::uint32_t samples = 0;       ///< Monte Carlo samples per pair for p95; 0: none
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0: default_threads()
  /// Called as pairs finish: (done, total). Optional.
  std::function<void(std::size_t, std::size_t)> progress;
};

/// One ordered pair: the chosen itinerary's figures.
struct MatrixCell {
  LocationIdx from, to;
  bool reachable = false;
  double hours = 0;
  std::int64_t cost_usd_cents = 0;
  std::int64_t co2_g = 0;
  std::int64_t generalized_cost_usd_cents = 0;
  std::optional<double> p95_hours;  ///< when samples > 0
};

struct Matrix {
  Objective objective = Objective::kGeneralized;  ///< what chose each cell's itinerary
  std::vector<LocationIdx> places;
  std::vector<MatrixCell> cells;  ///< every ordered pair from != to, row by row
  std::uint32_t samples = 0;

  /// The cell for (from, to); nullptr when either is not a place of the matrix.
  const MatrixCell* find(LocationIdx from, LocationIdx to) const;
};

/// Computes every ordered pair of `places` on `index` (the itinerary the
/// objective picks). Fails with kInvalidInput for fewer than two places or
/// duplicates, or a bad query (zero units, cargo over the payload limit).
Result<Matrix> compute_matrix(const RouteIndex& index, const std::vector<LocationIdx>& places, const MatrixOptions& o);

/// One row of a demand table.
struct DemandRow {
  LocationIdx from, to;
  double teu_per_year = 0;
};

/// Parses a demand CSV `from,to,teu_per_year` (places by id, name or alias).
/// Errors carry `file:line`.
Result<std::vector<DemandRow>> parse_demand_csv(std::string_view text, std::string_view file_name, const Network& net);

/// Reads and parses a demand file; messages name it by `path`. Fails with
/// kNotFound when the file does not exist or cannot be opened, kInvalidInput
/// when it is not a regular file or exceeds kMaxTableFileBytes (caravan/file.h).
Result<std::vector<DemandRow>> load_demand_csv(const std::string& path, const Network& net);

/// One pair before and after.
struct OdChange {
  MatrixCell base, scenario;
  double demand_teu = 0;  ///< 0 when no demand row names the pair
  bool comparable() const { return base.reachable && scenario.reachable; }
  double delta_hours() const { return scenario.hours - base.hours; }
  /// The change in what the matrices minimised: hours (time), USD (cost,
  /// generalized) or kg (co2). Negative: better.
  double delta(Objective o) const;
};

/// Network-wide mean changes over the pairs reachable in both.
struct MeanChange {
  double hours = 0, cost_usd = 0, co2_kg = 0, generalized_cost_usd = 0;
  std::optional<double> p95_hours;
  double weight = 0;  ///< pairs (equal weights) or TEU a year (by demand)
};

struct Comparison {
  Objective objective = Objective::kGeneralized;  ///< winners and losers are by its criterion
  std::vector<OdChange> pairs;                    ///< every pair, in matrix order
  std::vector<std::size_t> winners;       ///< indexes into pairs, biggest improvement first (delta(objective) < 0)
  std::vector<std::size_t> losers;        ///< biggest worsening first (delta(objective) > 0)
  std::vector<std::size_t> connected;     ///< reachable only with the scenarios
  std::vector<std::size_t> disconnected;  ///< reachable only in the base
  MeanChange equal_weights;
  std::optional<MeanChange> by_demand;  ///< when a demand table was given
};

/// Sets two matrices over the same places side by side; winners and losers
/// by the matrices' objective (generalized cost by default: a measure's effect
/// on the same kind of route). `demand` may be null. Requires base.places ==
/// scenario.places and the same objective.
Comparison compare(const Matrix& base, const Matrix& scenario, const std::vector<DemandRow>* demand);

}  // namespace caravan
