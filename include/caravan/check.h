// caravan/check.h — looking at a dataset as a whole: what it holds, whether
// its hubs reach each other, and how its model times compare with published
// transit times (calibration).
//
// Thread safety: pure functions over an immutable Network.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "caravan/error.h"
#include "caravan/load.h"
#include "caravan/network.h"
#include "caravan/route.h"

namespace caravan {

/// Counts describing a dataset, for `caravan data check`.
struct DatasetSummary {
  std::map<std::string, int> locations_by_country;  ///< ISO code -> locations
  std::map<std::string, int> links_by_mode;         ///< open links per mode
  std::map<std::string, double> km_by_mode;         ///< open link km per mode
  std::map<std::string, int> links_by_status;       ///< open / planned / closed
  std::map<std::string, int> crossings_by_mode;
  int gauge_breaks = 0;  ///< crossings with gauge_change
  std::map<std::string, int> services_by_mode;
  std::map<std::string, int> departures_per_week_by_mode;
  std::map<std::string, int> rows_by_source_kind;  ///< data rows citing a source of each kind
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

/// How a numeric field of the data is known (docs/data.md, "Provenance").
enum class Provenance : std::uint8_t { kStated, kDerived, kProxy, kEstimate };
std::string_view to_string(Provenance p);
/// stated for measured, published and announced sources; otherwise the kind.
Provenance provenance_of(SourceKind k);

/// Numeric fields by provenance.
struct ProvenanceCounts {
  std::array<int, 4> fields{};  ///< indexed by Provenance
  int total() const { return fields[0] + fields[1] + fields[2] + fields[3]; }
  double share(Provenance p) const {
    return total() ? static_cast<double>(fields[static_cast<int>(p)]) / total() : 0.0;
  }
};

/// Field-level provenance of a dataset, for `caravan data check`. A field's
/// sources are the row's `column=id` citations for its column, or the row's
/// plain citations when its column has none; the field takes the weakest
/// provenance among them (estimate < proxy < derived < stated).
struct ProvenanceReport {
  std::map<std::string, ProvenanceCounts> by_file;  ///< every data CSV with a source column
  ProvenanceCounts overall;
  std::array<double, 4> rail_road_km{};  ///< km of rail and road links by the provenance of their `km`
};
/// Counts every non-empty numeric cell (a number, or a `;`-list of numbers) of
/// the dataset's CSV files except sources.csv, calibration.csv and demand.csv;
/// columns named `…date` hold dates, not figures, and are skipped.
/// `net` resolves source ids to kinds; ids it does not know are skipped (the
/// loader has reported them).
ProvenanceReport provenance(const DatasetFiles& files, const Network& net);

/// The dataset's hubs (dataset.toml `hubs`), as indexes.
std::vector<LocationIdx> hub_locations(const Network& net);

/// Ordered hub pairs with no route at all (any mode, any time within the
/// search's horizon), each as (from, to).
std::vector<std::pair<LocationIdx, LocationIdx>> unreachable_pairs(const RouteIndex& index,
                                                                   const std::vector<LocationIdx>& places,
                                                                   Instant depart);

/// A published end-to-end (or leg) time or price next to the model's
/// (calibration.csv row).
struct CalibrationRow {
  enum class Kind : std::uint8_t { kTime, kPrice };
  std::string id, note, source, date;
  std::string case_kind = "typical";  ///< `typical`, `average`, `planned`, `record` or `best`
  Kind kind = Kind::kTime;
  LocationIdx from, to;
  std::vector<LocationIdx> via;
  ModeSet modes;
  double published_hours = 0;  ///< time rows
  Money published_price;       ///< price rows, per box of `unit`
  double published_usd = 0;    ///< published_price at the dataset's FX
  UnitKind unit = UnitKind::kFeu;
  Equipment equipment = Equipment::kCoc;  ///< `soc` for a rate of shipper-owned boxes (no empty return)
  double tolerance_pct = 20;
  /// Fastest option, from its first departure (see run_start()) to arrival;
  /// empty when the model finds no route.
  std::optional<double> model_hours;
  std::optional<double> model_usd;  ///< cheapest option per box, USD
  /// The model's early and late tail (Monte Carlo of the fastest option), set
  /// by the caller for record and best-case rows; see within_tolerance().
  std::optional<double> p5_hours, p95_hours;
  /// Hours the first departure's fastest option waits at the origin before it
  /// moves; the caller shifts the Monte Carlo's p5-p95 by them.
  double start_wait_hours = 0;
  RouteQuery query;                  ///< the query of the row's first departure
  std::optional<Itinerary> fastest;  ///< for the caller's Monte Carlo

  bool record_case() const { return case_kind == "record" || case_kind == "best"; }
  double published() const { return kind == Kind::kTime ? published_hours : published_usd; }
  std::optional<double> model() const { return kind == Kind::kTime ? model_hours : model_usd; }
  double error_pct() const { return model() ? (*model() - published()) / published() * 100.0 : 0.0; }
  /// Within the row's tolerance; a record or best-case time may instead lie
  /// inside the model's p5-p95 (a record is a tail event, not a typical run).
  bool within_tolerance() const {
    if (!model()) return false;
    if (std::abs(error_pct()) <= tolerance_pct) return true;
    return kind == Kind::kTime && record_case() && p5_hours && p95_hours && *p5_hours <= published_hours &&
           published_hours <= *p95_hours;
  }
};

/// Reads `calibration.csv` of a dataset folder (header
/// `id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note`,
/// optionally `kind,published_price,currency,unit,date,case,equipment`) and computes the
/// model's value for each row: for a time row the fastest option's hours from
/// its first moving leg to arrival (a published transit time runs from the
/// train's or truck's departure: the box's wait at the origin for formation,
/// the cut-off and the next departure is not in it), for a
/// price row the cheapest option's USD per box of `unit`; the same origin,
/// destination, via places and mode, departing at 08:00 origin time on the
/// given weekday of the reference week of 2026-03-02 (or averaged over the
/// seven weekdays when none is given). Errors carry file:line.
Result<std::vector<CalibrationRow>> calibrate_transit_times(const RouteIndex& index, std::string_view calibration_csv);

/// Median and worst absolute error and the count within tolerance of the rows
/// of one kind that the model could answer.
struct CalibrationSummary {
  int rows = 0, answered = 0, within = 0;
  double median_abs_error_pct = 0, worst_abs_error_pct = 0;
};
CalibrationSummary summarize_calibration(const std::vector<CalibrationRow>& rows, CalibrationRow::Kind kind);

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
