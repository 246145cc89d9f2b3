#include "caravan/check.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "caravan/csv.h"
#include "caravan/time_zone.h"

namespace caravan {

DatasetSummary summarize(const Network& net) {
  DatasetSummary s;
  auto count_sources = [&](const SourceList& list) {
    for (SourceIdx i : list) ++s.rows_by_source_kind[std::string(to_string(net.sources[i].kind))];
  };
  for (const Location& l : net.locations) {
    ++s.locations_by_country[std::string(l.country_code())];
    count_sources(l.sources);
  }
  for (const Link& k : net.links) {
    std::string mode(to_string(k.mode));
    ++s.links_by_status[std::string(to_string(k.status))];
    if (k.status == LinkStatus::kOpen) {
      ++s.links_by_mode[mode];
      s.km_by_mode[mode] += k.length.km();
    }
    count_sources(k.sources);
  }
  for (const Crossing& c : net.crossings) {
    ++s.crossings_by_mode[std::string(to_string(c.mode))];
    if (c.gauge_change) ++s.gauge_breaks;
    count_sources(c.sources);
  }
  for (const Service& v : net.services) {
    std::string mode(to_string(v.mode));
    ++s.services_by_mode[mode];
    int days = 0;
    for (int d = 0; d < 7; ++d) days += (v.weekdays >> d) & 1;
    s.departures_per_week_by_mode[mode] += days;
    count_sources(v.sources);
  }
  // What ADR 0500 adds, and where a 40-ft figure is missing.
  s.rail_products = static_cast<int>(net.products.size());
  s.trucking_countries = static_cast<int>(net.trucking.size());
  s.closures = static_cast<int>(net.closures.size());
  s.empty_return_rows = static_cast<int>(net.empty_returns.size());
  for (const auto& e : net.equipment) s.box_units += e ? 1 : 0;
  for (const RailProduct& p : net.products) {
    count_sources(p.sources);
    if (!p.feu_factor_given) ++s.rows_relying_on_2x["rail_products.csv"];
  }
  for (const Location& l : net.locations) {
    if (l.handling_cost.minor != 0 && !l.handling_cost_feu) ++s.rows_relying_on_2x["locations.csv (handling)"];
    if (l.storage_per_day.minor != 0 && !l.storage_per_day_feu) ++s.rows_relying_on_2x["locations.csv (storage)"];
  }
  for (const Crossing& c : net.crossings) {
    if ((c.cost.minor != 0 && !c.cost_feu) || (c.gauge_change_cost_per_teu.minor != 0 && !c.gauge_change_cost_feu)) {
      ++s.rows_relying_on_2x["crossings.csv"];
    }
    for (const CrossingTerms& k : c.classes) s.crossing_class_rows += k.overridden ? 1 : 0;
  }
  for (const Service& v : net.services) {
    if (v.mode != Mode::kAir && v.tariff_per_teu.minor != 0 && !v.tariff_per_feu)
      ++s.rows_relying_on_2x["services.csv"];
    s.fares += static_cast<int>(v.fares.size());
    s.air_rate_rows += static_cast<int>(v.air_rates.size());
    for (const Fare& f : v.fares) {
      if (!f.per_feu) ++s.rows_relying_on_2x["fares.csv"];
    }
  }
  for (const Link& k : net.links) {
    if (k.mode == Mode::kRail && k.status == LinkStatus::kOpen &&
        !net.product_for(net.locations[k.from].country).valid()) {
      ++s.rail_links_without_product;
    }
  }
  for (const SourceList& f : net.fx_sources) count_sources(f);
  for (const EmissionFactor& f : net.emission_factors) count_sources(f.sources);
  s.sources = static_cast<int>(net.sources.size());
  for (const Link& k : net.links) {
    if (k.status != LinkStatus::kOpen || k.mode == Mode::kRail || k.mode == Mode::kRoad) continue;
    bool served = false;
    for (const Service& v : net.services) {
      for (std::size_t i = 0; i + 1 < v.stops.size() && !served; ++i) {
        served = v.mode == k.mode && ((v.stops[i] == k.from && v.stops[i + 1] == k.to) ||
                                      (k.bidirectional && v.stops[i] == k.to && v.stops[i + 1] == k.from));
      }
    }
    if (!served) s.idle_scheduled_links.push_back(k.id);
  }
  return s;
}

std::string_view to_string(Provenance p) {
  switch (p) {
    case Provenance::kStated:
      return "stated";
    case Provenance::kDerived:
      return "derived";
    case Provenance::kProxy:
      return "proxy";
    case Provenance::kEstimate:
      return "estimate";
  }
  return "?";
}

Provenance provenance_of(SourceKind k) {
  switch (k) {
    case SourceKind::kDerived:
      return Provenance::kDerived;
    case SourceKind::kProxy:
      return Provenance::kProxy;
    case SourceKind::kEstimate:
      return Provenance::kEstimate;
    case SourceKind::kMeasured:
    case SourceKind::kPublished:
    case SourceKind::kAnnounced:
      return Provenance::kStated;
  }
  return Provenance::kEstimate;
}

namespace {

// A number, or a `;`-list of numbers (stop offsets): one numeric field.
bool is_numeric(std::string_view cell) {
  if (cell.empty()) return false;
  for (const std::string& item : split_list(cell)) {
    if (item.empty()) return false;
    char* end = nullptr;
    std::strtod(item.c_str(), &end);
    if (end != item.c_str() + item.size()) return false;
  }
  return true;
}

}  // namespace

ProvenanceReport provenance(const DatasetFiles& files, const Network& net) {
  ProvenanceReport report;
  for (const auto& [name, text] : files.text) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".csv") != 0) continue;
    if (name == "sources.csv" || name == "calibration.csv" || name == "demand.csv") continue;
    Errors ignored;  // the loader reports syntax errors
    CsvTable t = parse_csv(name, text, ignored);
    const int source_col = t.column("source");
    if (source_col < 0) continue;
    const int mode_col = t.column("mode"), km_col = t.column("km"), status_col = t.column("status");
    ProvenanceCounts& counts = report.by_file[name];
    for (const CsvRow& row : t.rows) {
      auto cell = [&](int c) -> std::string_view {
        return c >= 0 && static_cast<std::size_t>(c) < row.fields.size() ? std::string_view(row.fields[c])
                                                                         : std::string_view();
      };
      std::optional<Provenance> whole;              // weakest of the plain citations
      std::map<std::string, Provenance> by_column;  // weakest of each column's citations
      for (const SourceRef& ref : parse_source_refs(cell(source_col))) {
        auto it = net.source_by_id.find(ref.id);
        if (it == net.source_by_id.end()) continue;
        Provenance p = provenance_of(net.sources[it->second].kind);
        if (ref.column.empty()) {
          whole = std::max(whole.value_or(p), p);
        } else {
          auto [slot, fresh] = by_column.try_emplace(ref.column, p);
          if (!fresh) slot->second = std::max(slot->second, p);
        }
      }
      for (std::size_t c = 0; c < row.fields.size() && c < t.header.size(); ++c) {
        const std::string& column = t.header[c];
        const bool is_date =
            column.size() >= 4 && column.compare(column.size() - 4, 4, "date") == 0;  // a date is no figure
        if (static_cast<int>(c) == source_col || is_date || !is_numeric(row.fields[c])) continue;
        auto col = by_column.find(t.header[c]);
        Provenance p = col != by_column.end() ? col->second : whole.value_or(Provenance::kEstimate);
        ++counts.fields[static_cast<int>(p)];
        ++report.overall.fields[static_cast<int>(p)];
        if (name == "links.csv" && static_cast<int>(c) == km_col &&
            (cell(mode_col) == "rail" || cell(mode_col) == "road") &&
            (cell(status_col).empty() || cell(status_col) == "open")) {
          report.rail_road_km[static_cast<int>(p)] += std::strtod(row.fields[c].c_str(), nullptr);
        }
      }
    }
  }
  return report;
}

std::vector<LocationIdx> hub_locations(const Network& net) {
  std::vector<LocationIdx> out;
  for (const std::string& id : net.info.hubs) {
    LocationIdx i = net.find_location(id);
    if (i.valid()) out.push_back(i);
  }
  return out;
}

std::vector<std::pair<LocationIdx, LocationIdx>> unreachable_pairs(const RouteIndex& index,
                                                                   const std::vector<LocationIdx>& places,
                                                                   Instant depart) {
  Planner planner(index);
  std::vector<std::pair<LocationIdx, LocationIdx>> out;
  for (LocationIdx a : places) {
    for (LocationIdx b : places) {
      if (a == b) continue;
      RouteQuery q;
      q.from = a;
      q.to = b;
      q.depart = depart;
      q.objective = Objective::kTime;
      auto r = planner.plan(q);
      if (!r) out.emplace_back(a, b);
    }
  }
  return out;
}

namespace {

// Monday 2026-03-02 00:00 UTC: the reference week for calibration runs.
constexpr std::int64_t kReferenceMonday = 20514LL * 86400;

// 08:00 local time at `loc` on weekday `d` (0 = Monday) of the reference week.
// Where the itinerary starts to move: the first leg that is not a wait at the
// origin (formation, cut-off, the next departure).
Instant run_start(const Itinerary& it) {
  for (const Leg& g : it.legs) {
    if (g.kind != LegKind::kWait) return g.depart;
  }
  return it.depart;
}

Instant reference_departure(const Location& loc, int d) {
  Instant utc_guess(Duration(kReferenceMonday + d * 86400 + 8 * 3600));
  return utc_guess - loc.zone.offset(utc_guess);
}

}  // namespace

Result<std::vector<CalibrationRow>> calibrate_transit_times(const RouteIndex& index, std::string_view calibration_csv) {
  const Network& net = index.network();
  Errors errors;
  CsvTable t = parse_csv("calibration.csv", calibration_csv, errors);
  auto col = [&](const CsvRow& r, const char* name) -> std::string {
    int c = t.column(name);
    return c >= 0 && static_cast<std::size_t>(c) < r.fields.size() ? r.fields[c] : std::string();
  };
  for (const char* need : {"id", "from", "to", "via", "mode", "published_hours", "tolerance_pct", "depart_weekday"}) {
    if (t.column(need) < 0)
      errors.push_back(Error::at(t.file, 1, need, "missing column (expected the calibration header)"));
  }
  if (!errors.empty()) return errors;
  std::vector<CalibrationRow> rows;
  Planner planner(index);
  for (const CsvRow& r : t.rows) {
    CalibrationRow row;
    row.id = col(r, "id");
    row.note = col(r, "note");
    row.source = col(r, "source");
    row.date = col(r, "date");
    if (std::string c = col(r, "case"); !c.empty()) row.case_kind = c;
    if (row.case_kind != "typical" && row.case_kind != "average" && row.case_kind != "planned" &&
        row.case_kind != "record" && row.case_kind != "best") {
      errors.push_back(
          Error::at(t.file, r.line, "case",
                    "unknown case \"" + row.case_kind + "\" (expected typical, average, planned, record or best)"));
    }
    std::string kind = col(r, "kind");
    if (kind == "price")
      row.kind = CalibrationRow::Kind::kPrice;
    else if (!kind.empty() && kind != "time")
      errors.push_back(Error::at(t.file, r.line, "kind", "unknown kind \"" + kind + "\" (expected time or price)"));
    auto loc = [&](const std::string& id, const char* column) {
      LocationIdx i = net.find_location(id);
      if (!i.valid())
        errors.push_back(Error::at(t.file, r.line, column, "unknown location \"" + id + "\" (expected a location id)"));
      return i;
    };
    row.from = loc(col(r, "from"), "from");
    row.to = loc(col(r, "to"), "to");
    for (const std::string& v : split_list(col(r, "via"))) row.via.push_back(loc(v, "via"));
    for (const std::string& m : split_list(col(r, "mode"))) {
      auto mode = parse_mode(m);
      if (!mode)
        errors.push_back(
            Error::at(t.file, r.line, "mode", "unknown mode \"" + m + "\" (expected rail, road, ferry, sea or air)"));
      else
        row.modes.add(*mode);
    }
    if (row.modes.empty()) row.modes = ModeSet::all();
    try {
      if (row.kind == CalibrationRow::Kind::kTime) row.published_hours = std::stod(col(r, "published_hours"));
      std::string tol = col(r, "tolerance_pct");
      if (!tol.empty()) row.tolerance_pct = std::stod(tol);
    } catch (const std::exception&) {
      errors.push_back(
          Error::at(t.file, r.line, "published_hours", "malformed number (expected hours and a percentage)"));
    }
    if (row.kind == CalibrationRow::Kind::kPrice) {
      auto cur = Currency::parse(col(r, "currency"));
      auto unit = parse_unit_kind(col(r, "unit"));
      if (!cur || !net.fx.has(*cur)) {
        errors.push_back(Error::at(t.file, r.line, "currency",
                                   "unknown currency \"" + col(r, "currency") + "\" (expected one of fx.csv)"));
      } else if (auto m = parse_money(col(r, "published_price"), *cur); !m || m->minor <= 0) {
        errors.push_back(
            Error::at(t.file, r.line, "published_price",
                      "malformed price \"" + col(r, "published_price") + "\" (expected a positive amount)"));
      } else {
        row.published_price = *m;
        row.published_usd = static_cast<double>(net.fx.to_usd_cents(*m)) / 100.0;
      }
      if (!unit)
        errors.push_back(
            Error::at(t.file, r.line, "unit", "unknown unit \"" + col(r, "unit") + "\" (expected TEU or FEU)"));
      else
        row.unit = *unit;
    }
    if (std::string e = col(r, "equipment"); !e.empty()) {
      if (auto eq = parse_equipment(e))
        row.equipment = *eq;
      else
        errors.push_back(
            Error::at(t.file, r.line, "equipment", "unknown equipment \"" + e + "\" (expected coc or soc)"));
    }
    std::string day = col(r, "depart_weekday");
    std::vector<int> days;
    if (day.empty()) {
      for (int d = 0; d < 7; ++d) days.push_back(d);
    } else if (std::optional<int> d = parse_weekday(day)) {
      days.push_back(*d);
    }
    if (days.empty())
      errors.push_back(
          Error::at(t.file, r.line, "depart_weekday", "unknown day \"" + day + "\" (expected Mon … Sun or empty)"));
    if (!errors.empty()) continue;
    double sum = 0;
    int found = 0;
    for (int d : days) {
      RouteQuery q;
      q.from = row.from;
      q.to = row.to;
      q.via = row.via;
      q.modes = row.modes;
      q.unit = row.unit;
      q.equipment = row.equipment;
      q.objective = row.kind == CalibrationRow::Kind::kTime ? Objective::kTime : Objective::kCost;
      q.depart = reference_departure(net.locations[row.from], d);
      auto its = planner.plan(q);
      if (!its) continue;
      const Itinerary& best = its->front();
      sum += row.kind == CalibrationRow::Kind::kTime
                 ? to_hours(best.arrive - run_start(best))
                 : static_cast<double>(best.cost_usd_cents) / 100.0 / static_cast<double>(q.units);
      if (found == 0) {
        row.query = q;
        row.fastest = best;
        row.start_wait_hours = to_hours(run_start(best) - best.depart);
      }
      ++found;
    }
    if (found == static_cast<int>(days.size())) {
      (row.kind == CalibrationRow::Kind::kTime ? row.model_hours : row.model_usd) = sum / found;
    }
    rows.push_back(std::move(row));
  }
  if (!errors.empty()) return errors;
  return rows;
}

CalibrationSummary summarize_calibration(const std::vector<CalibrationRow>& rows, CalibrationRow::Kind kind) {
  CalibrationSummary s;
  std::vector<double> err;
  for (const CalibrationRow& r : rows) {
    if (r.kind != kind) continue;
    ++s.rows;
    if (!r.model()) continue;
    ++s.answered;
    err.push_back(std::abs(r.error_pct()));
    if (r.within_tolerance()) ++s.within;
  }
  if (err.empty()) return s;
  std::sort(err.begin(), err.end());
  const std::size_t n = err.size();
  s.median_abs_error_pct = n % 2 ? err[n / 2] : (err[n / 2 - 1] + err[n / 2]) / 2;
  s.worst_abs_error_pct = err.back();
  return s;
}

std::vector<CrossingCalibration> calibrate_crossings(const Network& net) {
  std::vector<CrossingCalibration> out;
  for (CrossingIdx ci : net.crossings.indexes()) {
    const Crossing& c = net.crossings[ci];
    bool cpmm = false;
    for (SourceIdx s : c.sources) {
      const Source& src = net.sources[s];
      if (src.id.find("cpmm") != std::string::npos || src.publisher.find("CAREC") != std::string::npos) cpmm = true;
    }
    if (!cpmm || c.clearance_median.count() == 0) continue;
    // Arrivals every 15 minutes across the reference week.
    const Location& ex = net.locations[c.exit];
    const Location& en = net.locations[c.entry];
    double total = 0;
    int n = 0;
    for (std::int64_t m = 0; m < 7 * 24 * 60; m += 15) {
      Instant t(Duration(kReferenceMonday + m * 60));
      auto open = next_open_both(t, c.exit_open, ex.zone, c.entry_open, en.zone);
      if (!open) continue;
      Instant done = *open + c.clearance_median + (c.gauge_change ? c.gauge_change_time : Duration(0));
      total += to_hours(done - t);
      ++n;
    }
    if (n == 0) continue;
    out.push_back({ci, to_hours(c.clearance_median), total / n});
  }
  return out;
}

}  // namespace caravan
