// caravan/present.h — turning results into text for people and tools.
//
// Presenters only format: they take results of the core (itineraries, the
// network) and write a table, JSON (the Itinerary JSON contract of DESIGN.md
// section 10) or GeoJSON. They never compute routes.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caravan/matrix.h"
#include "caravan/network.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"

namespace caravan {

/// What the user asked, echoed in outputs.
struct QueryEcho {
  RouteQuery query;
  std::optional<Instant> deadline;
  std::vector<std::string> scenarios;
};

/// A readable report: a summary line per option, then each option's legs with
/// local times and UTC offsets, costs in the charging currency and USD, CO2,
/// and totals per currency with the FX date. `view` is the data the
/// itineraries were planned on (it names services a scenario added and the FX
/// it changed); it must outlive the call.
std::string itineraries_to_table(const NetworkView& view, const QueryEcho& echo, const std::vector<Itinerary>& its);

/// The Itinerary JSON contract (DESIGN.md section 10, additive fields of ADR
/// 0500), pretty-printed when `indent` >= 0.
std::string itineraries_to_json(const NetworkView& view, const QueryEcho& echo, const std::vector<Itinerary>& its,
                                int indent = 2);

/// A GeoJSON FeatureCollection: one LineString per leg that moves between two
/// locations (and Points for waits, transfers and gauge changes), each with the
/// leg's properties and the option number.
std::string itineraries_to_geojson(const NetworkView& view, const std::vector<Itinerary>& its, int indent = 2);

/// The itineraries as one CSV for spreadsheets: a row per option
/// (`record` = option: times, totals, borders, reliability when sampled) and
/// after it a row per leg (`record` = leg: kind, places, times, cost in the
/// charging currency and USD, CO2, link, service, crossing, note), then the
/// columns of ADR 0500: mode_changes and generalized_cost_usd (options),
/// traffic_class and product (legs). `view` names services a scenario added.
std::string itineraries_to_csv(const NetworkView& view, const std::vector<Itinerary>& its);

/// The whole network as one GeoJSON FeatureCollection (the web map's
/// `/v1/network`): a Point per location and a LineString per link, crossing
/// (exit to entry) and service (through its stops), each with its attributes as
/// properties (`feature_type` says which; a location's `hub` says whether it is
/// one of the dataset's main hubs). The collection's `sources` member lists the
/// dataset's sources (id, kind, title, publisher, url, published) that the
/// features' `sources` ids refer to.
std::string network_to_geojson(const Network& net, int indent = -1);

/// One layer of the network for GIS tools: `name` is also the file stem.
struct GeoJsonLayer {
  std::string name;
  std::string geojson;  ///< a FeatureCollection, newline-terminated
};

/// The network as one FeatureCollection per layer, each of a single geometry
/// type, so that a GIS opens each as one named layer with one attribute table:
/// `locations` (Points), `links`, `crossings` and `services` (LineStrings), in
/// that order. Features carry the same properties as network_to_geojson() with
/// `layer` in place of `feature_type`. Lines are what the dataset holds: a link
/// or crossing is the straight segment between its two locations, a service
/// the polyline through its stops.
std::vector<GeoJsonLayer> network_to_geojson_layers(const Network& net, int indent = -1);

/// The whole network as one flat CSV: a row per location, link, crossing and
/// service with the same leading columns (type, id, name, from, to, mode, …).
std::string network_to_csv(const Network& net);

/// A plain-text table with aligned columns and a rule under the header;
/// `right_aligned[i]` right-aligns column i (numbers). Widths count code points.
std::string render_table(const std::vector<std::string>& header, const std::vector<bool>& right_aligned,
                         const std::vector<std::vector<std::string>>& rows);

/// What a matrix or comparison report echoes.
struct MatrixEcho {
  Instant depart{};
  std::uint32_t units = 1;
  UnitKind unit = UnitKind::kFeu;
  Objective objective = Objective::kGeneralized;
  ModeSet modes = ModeSet::all();
  std::optional<Mass> cargo_per_unit;  ///< as RouteQuery
  std::optional<double> volume_m3;     ///< KG only
  Equipment equipment = Equipment::kCoc;
  std::optional<double> value_of_time_usd;  ///< empty: the dataset's
  std::vector<std::string> base_scenarios, scenarios;
};
/// The echo of the options a matrix was computed with (no scenarios).
MatrixEcho matrix_echo(const MatrixOptions& m);

/// Every pair: time, cost, CO2 and p95 (when sampled), one row per pair.
std::string matrix_to_table(const Network& net, const MatrixEcho& echo, const Matrix& m);
/// `from,to,reachable,hours,cost_usd,co2_kg,p95_hours`, one row per pair.
std::string matrix_to_csv(const Network& net, const Matrix& m);
/// {"query", "dataset", "places", "pairs": [{"from","to","reachable","hours","cost_usd","co2_kg","p95_hours?"}]}
std::string matrix_to_json(const Network& net, const MatrixEcho& echo, const Matrix& m, int indent = 2);

/// The biggest winners and losers (up to `top` each, by change in time), pairs
/// newly connected or cut, and the network-wide means.
std::string comparison_to_table(const Network& net, const MatrixEcho& echo, const Comparison& c, std::size_t top = 10);
/// One row per pair: base and scenario figures and their differences.
std::string comparison_to_csv(const Network& net, const Comparison& c);
/// {"query", "dataset", "means": {"equal_weights", "by_demand?"}, "pairs": [...], "winners", "losers",
///  "connected", "disconnected"} (the last four as [from, to] id pairs, best first).
std::string comparison_to_json(const Network& net, const MatrixEcho& echo, const Comparison& c, int indent = 2);

/// What a simulation report echoes.
struct SimEcho {
  std::string demand;                  ///< the demand file as given
  std::vector<std::string> scenarios;  ///< scenario ids applied, in order
};

/// The simulation report for people: the window, then a table of the
/// capacitated resources cargo used (busiest first) and one of the lanes.
std::string sim_report_to_table(const Network& net, const SimEcho& echo, const SimReport& r);
/// {"query": {"start","stats_from","end","seed","shipment_teu","demand","scenarios"},
///  "dataset", "summary": {"shipments","events","plans","drained"},
///  "resources": [{"kind","id","name","capacity","offered_teu","served_teu","utilisation","shipments",
///                 "mean_wait_hours","p95_wait_hours","max_queue_teu","backlog_teu"}],
///  "lanes": [{"from","to","teu_per_year","shipments","teu","unrouted","stuck","mean_hours","p95_hours",
///             "free_flow_hours","mean_delay_hours","p95_delay_hours"}]}
std::string sim_report_to_json(const Network& net, const SimEcho& echo, const SimReport& r, int indent = 2);
/// One flat CSV: a row per resource (`record` = resource) and per lane
/// (`record` = lane); columns that do not apply are empty.
std::string sim_report_to_csv(const Network& net, const SimReport& r);

/// `9d 04h`, `17h 30m`.
std::string format_duration(Duration d);

}  // namespace caravan
