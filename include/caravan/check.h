// caravan/check.h — looking at a dataset as a whole: what it holds, whether
// its hubs reach each other, and how its model times compare with published
// transit times (calibration).
//
// Thread safety: pure functions over an immutable Network.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "caravan/error.h"
#include "caravan/network.h"
#include "caravan/route.h"

namespace caravan {

/// Counts describing a dataset, for `caravan data check`.
struct DatasetSummary {
  std::map<std::string, int> locations_by_country;            ///< ISO code -> locations
  std::map<std::string, int> links_by_mode;                   ///< open links per mode
  std::map<std::string, double> km_by_mode;                   ///< open link km per mode
  std::map<std::string, int> links_by_status;                 ///< open / planned / closed
  std::map<std::string, int> crossings_by_mode;
  int gauge_breaks = 0;                                       ///< crossings with gauge_change
  std::map<std::string, int> services_by_mode;
  std::map<std::string, int> departures_per_week_by_mode;
  std::map<std::string, int> rows_by_source_kind;             ///< data rows citing a source of each kind
  int sources = 0;
  /// Open ferry, sea and air links no service runs on: these modes move only
  /// on schedules, so such links carry nothing until a scenario adds a service.
  std::vector<std::string> idle_scheduled_links;
  // ADR 0500 files.
  int rail_products = 0, trucking_countries = 0, box_units = 0, crossing_class_rows = 0, closures = 0, fares = 0,
      air_rate_rows = 0, empty_return_rows = 0;
  /// Rail links with no on-demand product in their country: only services run on them.
  int rail_links_without_product = 0;
  /// Rows that give a 20-ft figure only and so charge a 40-ft box twice it
  /// (the 2x rule of ADR 0500 section 4), by file.
  std::map<std::string, int> rows_relying_on_2x;
};

DatasetSummary summarize(const Network& net);

/// The dataset's hubs (dataset.toml `hubs`), as indexes.
std::vector<LocationIdx> hub_locations(const Network& net);

/// Ordered hub pairs with no route at all (any mode, any time within the
/// search's horizon), each as (from, to).
std::vector<std::pair<LocationIdx, LocationIdx>> unreachable_pairs(const RouteIndex& index,
                                                                   const std::vector<LocationIdx>& places,
                                                                   Instant depart);

/// A published end-to-end time next to the model's (calibration.csv row).
struct CalibrationRow {
  std::string id, note, source;
  LocationIdx from, to;
  std::vector<LocationIdx> via;
  ModeSet modes;
  double published_hours = 0;
  double tolerance_pct = 20;
  std::optional<double> model_hours;  ///< empty when the model finds no route
  double error_pct() const { return model_hours ? (*model_hours - published_hours) / published_hours * 100.0 : 0.0; }
  bool within_tolerance() const { return model_hours && std::abs(error_pct()) <= tolerance_pct; }
};

/// Reads `calibration.csv` of a dataset folder (header
/// `id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note`)
/// and computes the model's fastest time for each row: the same origin,
/// destination, via places and mode, departing at 08:00 origin time on the
/// given weekday of the reference week of 2026-03-02 (or averaged over the
/// seven weekdays when none is given). Errors carry file:line.
Result<std::vector<CalibrationRow>> calibrate_transit_times(const RouteIndex& index, std::string_view calibration_csv);

/// A border crossing whose time comes from CAREC CPMM, with the model's mean
/// time through it (waiting for both posts to open, clearance, gauge change)
/// over arrivals spread evenly across a week.
struct CrossingCalibration {
  CrossingIdx crossing;
  double published_hours = 0;  ///< the CPMM-based median in the data
  double model_mean_hours = 0;
};
std::vector<CrossingCalibration> calibrate_crossings(const Network& net);

}  // namespace caravan
