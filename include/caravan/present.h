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

#include "caravan/network.h"
#include "caravan/route.h"

namespace caravan {

/// What the user asked, echoed in outputs.
struct QueryEcho {
  RouteQuery query;
  std::optional<Instant> deadline;
  std::vector<std::string> scenarios;
};

/// A readable report: a summary line per option, then each option's legs with
/// local times and UTC offsets, costs in the charging currency and USD, CO2,
/// and totals per currency with the FX date.
std::string itineraries_to_table(const Network& net, const QueryEcho& echo, const std::vector<Itinerary>& its);

/// The Itinerary JSON contract (DESIGN.md section 10), pretty-printed when
/// `indent` >= 0.
std::string itineraries_to_json(const Network& net, const QueryEcho& echo, const std::vector<Itinerary>& its,
                                int indent = 2);

/// A GeoJSON FeatureCollection: one LineString per leg that moves between two
/// locations (and Points for waits, transfers and gauge changes), each with the
/// leg's properties and the option number.
std::string itineraries_to_geojson(const Network& net, const std::vector<Itinerary>& its, int indent = 2);

/// The whole network as GeoJSON: a Point per location and a LineString per
/// link, crossing (exit to entry) and service (through its stops), each with its
/// attributes as properties (`feature_type` says which). Opens in QGIS.
std::string network_to_geojson(const Network& net, int indent = -1);

/// The whole network as one flat CSV: a row per location, link, crossing and
/// service with the same leading columns (type, id, name, from, to, mode, …).
std::string network_to_csv(const Network& net);

/// A plain-text table with aligned columns and a rule under the header;
/// `right_aligned[i]` right-aligns column i (numbers). Widths count code points.
std::string render_table(const std::vector<std::string>& header, const std::vector<bool>& right_aligned,
                         const std::vector<std::vector<std::string>>& rows);

/// `9d 04h`, `17h 30m`.
std::string format_duration(Duration d);

}  // namespace caravan
