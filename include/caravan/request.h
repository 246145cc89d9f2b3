// caravan/request.h — one front door: a request's options by name, checked once.
//
// The CLI, the HTTP API and the Python module hand what they received to these
// parsers as name/value pairs: `caravan route --cargo-tonnes 12`,
// `GET /v1/route?cargo_tonnes=12`, `{"cargo_tonnes": 12}` in a JSON body and
// `ds.route(..., cargo_tonnes=12)` all become the field ("cargo_tonnes", "12").
// So every front end has the same names, defaults and limits, and the same
// mistake gets the same error. Values arrive as text; every number is parsed
// and range-checked here, never by a front end.
//
// Rules for every request:
//   * Names are snake_case (the CLI spells them `--kebab-case`). An unknown
//     name is an error listing the known ones: a typo must not be ignored.
//   * A single-valued option given twice is an error. List options (via,
//     avoid, mode, places, scenario, base_scenario) take repeats and comma
//     lists alike: `--avoid RU,BY` is `--avoid RU --avoid BY`. A value that
//     names a place as a whole (some names contain a comma) is taken whole.
//   * An empty value is an error: leave the option out to get its default.
//   * Text must be UTF-8 without control characters.
//   * Places are found by id, name or alias (places.h); countries by ISO
//     3166-1 alpha-2 code or English name, any case (`RU`, `ru`, `Russia`).
//   * A scenario is the id of one of the dataset's scenarios (over HTTP: of
//     the server's catalog, saved ones included) or, for local requests only,
//     the path of a TOML file: a name with a `/` or ending in `.toml`.
//   * Every error names its option in Error::column, and its message starts
//     with `name: `; unknown places and scenarios are kNotFound, everything
//     else kInvalidInput.
//
// The option tables (route_options() and the others) describe every option
// with its limits, for `--help`, Python docstrings, the OpenAPI document and
// docs/requests.md, and tests check that all of those agree with them.
//
// Thread safety: pure functions over an immutable Network (loading scenario
// and demand files reads the file system).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caravan/error.h"
#include "caravan/matrix.h"
#include "caravan/network.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"
#include "caravan/units.h"

namespace caravan {

/// One option as it arrived. `members` holds the parts of a structured item
/// (a demand row {from, to, teu_per_year}); `value` is then empty.
struct RequestField {
  std::string name;
  std::string value;
  std::vector<std::pair<std::string, std::string>> members;
};
using RequestFields = std::vector<RequestField>;

/// Who is asking. Local requests (the CLI, Python) may name files on this
/// machine and choose a thread count; remote ones (HTTP) may not.
enum class RequestOrigin : std::uint8_t { kLocal, kRemote };

struct RequestContext {
  RequestOrigin origin = RequestOrigin::kLocal;
  Instant now{};  ///< the clock: the default departure is the next whole hour after it
};

/// How an option's text is read.
enum class OptionType : std::uint8_t {
  kPlace,      ///< a location id, name or alias
  kPlaces,     ///< a list of places
  kAvoid,      ///< a list of places or countries
  kCount,      ///< a whole number in [min, max]
  kNumber,     ///< a finite decimal number in [min, max], or (min, max] when min_exclusive
  kInstant,    ///< an ISO-8601 date-time in [kEarliestInstant, kLatestInstant)
  kChoice,     ///< one of `choices`, any case
  kChoices,    ///< a list of `choices`
  kScenarios,  ///< a list of scenario ids or (local) paths
  kFlag,       ///< true or false
  kDemand,     ///< demand rows {from, to, teu_per_year}, or (local) a CSV file of them
};

/// One option of a request, as documented everywhere.
struct OptionSpec {
  std::string_view name{};  ///< `cargo_tonnes`
  OptionType type = OptionType::kCount;
  std::string_view help{};          ///< one sentence
  std::string_view default_text{};  ///< what applies when the option is left out; empty when nothing
  double min = 0, max = 0;          ///< kCount, kNumber: the accepted range, inclusive
  bool min_exclusive = false;       ///< kNumber: min itself is refused
  std::size_t max_items = 0;        ///< lists: most items (after splitting); 0 for single values
  std::string_view choices{};       ///< kChoice, kChoices: `TEU|FEU`
  bool required = false;
  bool local_only = false;     ///< not accepted over HTTP
  std::string_view aliases{};  ///< older names still accepted, `|`-separated (`scenarios`)

  bool is_list() const { return max_items > 0; }
  /// `--cargo-tonnes`.
  std::string cli_flag() const;
  /// What a value must be, as error messages say it: `a whole number from 1 to 10000`.
  std::string expected() const;
};

/// Departures and deadlines must lie in [kEarliestInstant, kLatestInstant):
/// 2000-01-01T00:00Z to 2100-01-01T00:00Z, years the time-zone rules and
/// every format of an instant handle (no local mean time, no five-digit year).
inline constexpr Instant kEarliestInstant{Duration(946684800)};
inline constexpr Instant kLatestInstant{Duration(4102444800)};

/// Limits shared by the requests (docs/requests.md lists all of them).
inline constexpr std::uint32_t kMaxUnits = 10000;
inline constexpr std::uint32_t kMaxRouteSamples = 10000;
inline constexpr std::uint32_t kMaxMatrixSamples = 1000;
inline constexpr std::size_t kMaxVia = 8;  ///< the planner's limit
inline constexpr std::size_t kMaxAvoid = 16;
inline constexpr std::size_t kMaxScenarios = 16;
inline constexpr std::size_t kMaxMatrixPlaces = 40;  ///< with the places demand rows add
inline constexpr std::size_t kMaxDemandRows = 10000;
/// A simulation's work grows with its lanes (routes planned per lane and hour
/// of the week), its days and the shipments they release; each is bounded.
inline constexpr double kMaxSimDays = 730;
inline constexpr std::size_t kMaxSimLanes = 200;
inline constexpr std::uint64_t kMaxSimShipments = 500000;
inline constexpr std::uint64_t kMaxSimEvents = 10000000;

/// Limits of a sweep's query (sweep_options()).
inline constexpr std::size_t kMaxSweepSeeds = 1000;
inline constexpr double kMaxDeadlineHours = 24.0 * 366;

/// The options of each request, in documentation order.
std::span<const OptionSpec> route_options();
std::span<const OptionSpec> matrix_options();
std::span<const OptionSpec> compare_options();
std::span<const OptionSpec> simulate_options();
std::span<const OptionSpec> sweep_options();

/// A route request: what `caravan route`, `GET /v1/route` and
/// `Dataset.route` take.
struct RouteRequest {
  /// from, to, depart, units, unit, cargo, volume, equipment, value of
  /// time, objective, via, avoid, modes.
  RouteQuery query;
  std::optional<Instant> deadline;  ///< after query.depart
  std::uint32_t samples = 0;        ///< Monte Carlo samples; 0: none (1000 when a deadline is given)
  std::uint64_t seed = 1;
  unsigned threads = 0;                ///< local only; 0: all cores
  std::vector<std::string> scenarios;  ///< ids or (local) paths, in the order given
};
Result<RouteRequest> parse_route_request(const Network& net, const RequestFields& fields, const RequestContext& ctx);

/// A matrix or comparison request: `caravan matrix|compare`, `POST
/// /v1/matrix|compare`, `Dataset.matrix|compare`.
struct MatrixRequest {
  /// What every pair ships and how its itinerary is chosen (depart, units,
  /// unit, cargo, volume, equipment, value of time, objective: generalized
  /// by default, modes); from and to unset.
  RouteQuery query;
  std::vector<LocationIdx> places;  ///< distinct; the dataset's hubs when none are given; demand's added
  std::uint32_t samples = 1000;     ///< Monte Carlo samples per pair for p95; 0: none
  std::uint64_t seed = 1;
  unsigned threads = 0;                                ///< local only; 0: all cores
  std::vector<std::string> scenarios, base_scenarios;  ///< as RouteRequest::scenarios
  std::optional<std::vector<DemandRow>> demand;        ///< compare only, when given

  /// The core options of compute_matrix for this request.
  MatrixOptions options() const;
};
Result<MatrixRequest> parse_matrix_request(const Network& net, const RequestFields& fields, const RequestContext& ctx);
/// As parse_matrix_request, with base_scenario and demand; at least one scenario is required.
Result<MatrixRequest> parse_compare_request(const Network& net, const RequestFields& fields, const RequestContext& ctx);

/// A simulation request: `caravan simulate`, `POST /v1/simulate`,
/// `Dataset.simulate`.
struct SimulateRequest {
  /// start (default: the next Monday 00:00 UTC), horizon, warmup, seed,
  /// objective (default cost), modes, unit, shipment_units, arrivals,
  /// service_capacity (default off), sample_stages, threads; max_shipments
  /// and max_events are kMaxSimShipments and kMaxSimEvents.
  SimOptions options;
  std::vector<DemandRow> demand;       ///< the lanes, at most kMaxSimLanes
  std::string demand_source;           ///< the CSV file as given, or `N rows`
  std::vector<std::string> scenarios;  ///< as RouteRequest::scenarios
};
Result<SimulateRequest> parse_simulate_request(const Network& net, const RequestFields& fields,
                                               const RequestContext& ctx);

/// The objective of a sweep when neither its grid nor `--by` names one:
/// generalized cost (docs/adr/0500). The one place that chooses;
/// sweep_options() documents what it says.
Objective default_sweep_objective();

/// What every cell of a sweep asks (docs/sweeps.md): the grid's [query] and
/// [samples] keys, and `caravan sweep --by` and `--threads`, as fields with
/// the route request's names and limits — by (generalized, time, cost or
/// co2; not pareto: a cell needs one itinerary), value_of_time, units, unit,
/// cargo_tonnes, volume_m3, equipment, via, avoid, mode, samples (0 to
/// kMaxRouteSamples), seed — plus deadline_hours (after each departure) or
/// deadline (a fixed instant), seeds (up to kMaxSweepSeeds, distinct, or
/// seed) and threads (local only).
struct SweepRequest {
  RouteQuery query;  ///< from, to and depart are each cell's; objective default_sweep_objective()
  std::optional<Duration> deadline_after;
  std::optional<Instant> deadline;
  std::uint32_t samples = 1000;  ///< Monte Carlo samples per cell; 0: none
  std::vector<std::uint64_t> seeds = {1};
  unsigned threads = 0;  ///< local only; 0: all cores
};
Result<SweepRequest> parse_sweep_request(const Network& net, const RequestFields& fields, const RequestContext& ctx);

/// The error for `text` given to option `name` of `options` (unknown name:
/// the unknown-option error). For a front end that cannot hand the value over
/// as text, e.g. a JSON number too large for a double.
Error invalid_value(std::span<const OptionSpec> options, std::string_view name, std::string_view text);

/// True when a scenario name is a file path (has a `/` or ends in `.toml`).
bool is_scenario_path(std::string_view name);

/// The ids of the scenarios in `dir` (`<id>.toml`), sorted.
std::vector<std::string> scenario_ids_in(const std::filesystem::path& dir);

/// Loads the scenarios a local request names, in order: paths as files, ids as
/// `<scenario_dir>/<id>.toml`. Errors carry field `scenario`; an unknown id is
/// kNotFound listing the ids of `scenario_dir`.
Result<std::vector<Scenario>> load_named_scenarios(const Network& net, const std::filesystem::path& scenario_dir,
                                                   const std::vector<std::string>& names);

/// The ISO 3166-1 alpha-2 code a country code or English name (short,
/// official or common, any case and spacing) refers to; nullopt when none.
std::optional<std::string> resolve_country(std::string_view text);
/// The English short name of an alpha-2 code; empty when unknown.
std::string_view country_name(std::string_view code);

}  // namespace caravan
