// `caravan data check | export | calibrate`
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "caravan/check.h"
#include "caravan/load.h"
#include "caravan/present.h"
#include "commands.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct DataOptions {
  std::string data;
  std::string format;
  std::string depart = "2026-03-02T00:00Z";
  std::vector<std::string> scenarios;
};

std::filesystem::path data_dir(const DataOptions& o) {
  return o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
}

template <typename Map>
std::string join_counts(const Map& m, const char* sep = "  ") {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : sep) + fmt::format("{} {}", k, v);
  return out;
}

int run_check(const DataOptions& o) {
  Errors warnings;
  auto dir = data_dir(o);
  auto net = load_network(dir, &warnings);
  if (!net) {
    report(net.errors());
    std::cerr << "caravan: " << net.errors().size() << " error" << (net.errors().size() == 1 ? "" : "s")
              << " in " << dir.string() << "; the dataset cannot be used\n";
    return kExitBadInput;
  }
  for (const Error& w : warnings) std::cerr << "caravan: warning: " << w.to_string() << "\n";
  DatasetSummary s = summarize(*net);
  std::cout << fmt::format("dataset {} {}: loads with 0 errors and {} warnings\n", net->info.name, net->info.version,
                           warnings.size());
  std::cout << fmt::format("locations: {} in {} countries\n  {}\n", net->locations.size(), s.locations_by_country.size(),
                           join_counts(s.locations_by_country));
  std::string links;
  for (const auto& [mode, n] : s.links_by_mode) {
    links += (links.empty() ? "" : ", ") + fmt::format("{} {} ({:.0f} km)", mode, n, s.km_by_mode[mode]);
  }
  std::cout << fmt::format("links: {} ({}); open by mode: {}\n", net->links.size(), join_counts(s.links_by_status, ", "), links);
  std::cout << fmt::format("border crossings: {} ({}); gauge breaks: {}\n", net->crossings.size(),
                           join_counts(s.crossings_by_mode, ", "), s.gauge_breaks);
  std::string services;
  for (const auto& [mode, n] : s.services_by_mode) {
    services += (services.empty() ? "" : ", ") + fmt::format("{} {} ({} departures a week)", mode, n, s.departures_per_week_by_mode[mode]);
  }
  std::cout << fmt::format("services: {} ({})\n", net->services.size(), services);
  std::cout << fmt::format("sources: {}; data rows citing them by kind: {}\n", s.sources, join_counts(s.rows_by_source_kind, ", "));
  std::cout << fmt::format(
      "bookable options (ADR 0500): box units {}, on-demand rail products {} ({} open rail links have none: services "
      "only), trucking countries {}, traffic-class overrides {}, dated closures {}, fares {}, air weight breaks {}, "
      "empty-return rows {}\n",
      s.box_units, s.rail_products, s.rail_links_without_product, s.trucking_countries, s.crossing_class_rows, s.closures,
      s.fares, s.air_rate_rows, s.empty_return_rows);
  if (!s.rows_relying_on_2x.empty()) {
    std::cout << fmt::format("rows with a 20-ft figure only (a 40-ft box pays twice it): {}\n",
                             join_counts(s.rows_relying_on_2x, ", "));
  }
  if (!s.idle_scheduled_links.empty()) {
    std::string ids;
    for (const std::string& id : s.idle_scheduled_links) ids += (ids.empty() ? "" : ", ") + id;
    std::cout << fmt::format("ferry, sea and air links with no service (idle until a scenario adds one): {} ({})\n",
                             s.idle_scheduled_links.size(), ids);
  }

  auto depart = parse_instant(o.depart);
  if (!depart) return report({Error::invalid("--depart: " + depart.error().message)});
  int exit = kExitOk;
  auto overlay = load_overlay(*net, data_dir(o), o.scenarios, &exit);
  if (!overlay) return exit;
  RouteIndex index(*net, overlay.get());
  std::vector<LocationIdx> hubs = hub_locations(*net);
  auto missing = unreachable_pairs(index, hubs, *depart);
  std::size_t pairs = hubs.size() * (hubs.size() - (hubs.empty() ? 0 : 1));
  if (missing.empty()) {
    std::cout << fmt::format("hubs: {}; all {} ordered pairs reach each other\n", hubs.size(), pairs);
    return kExitOk;
  }
  std::cout << fmt::format("hubs: {}; {} of {} ordered pairs cannot reach the other:\n", hubs.size(), missing.size(), pairs);
  for (auto [a, b] : missing) std::cout << "  " << net->locations[a].id << " -> " << net->locations[b].id << "\n";
  return kExitBadInput;
}

int run_export(const DataOptions& o) {
  if (o.format != "geojson" && o.format != "csv") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected geojson or csv)")});
  }
  auto net = load_network(data_dir(o));
  if (!net) return report(net.errors());
  std::cout << (o.format == "geojson" ? network_to_geojson(*net) : network_to_csv(*net));
  return std::cout.good() ? kExitOk : kExitInternal;
}

int run_calibrate(const DataOptions& o) {
  if (o.format != "table" && o.format != "csv" && o.format != "markdown") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, markdown or csv)")});
  }
  auto dir = data_dir(o);
  auto net = load_network(dir);
  if (!net) return report(net.errors());
  std::ifstream in(dir / "calibration.csv");
  if (!in) return report({Error::not_found((dir / "calibration.csv").string() + ": cannot read file")});
  std::stringstream text;
  text << in.rdbuf();
  int exit = kExitOk;
  auto overlay = load_overlay(*net, data_dir(o), o.scenarios, &exit);
  if (!overlay) return exit;
  RouteIndex index(*net, overlay.get());
  auto rows = calibrate_transit_times(index, text.str());
  if (!rows) return report(rows.errors());
  auto crossings = calibrate_crossings(*net);

  std::vector<double> abs_err;
  for (const CalibrationRow& r : *rows) {
    if (r.model_hours) abs_err.push_back(std::abs(r.error_pct()));
  }
  std::sort(abs_err.begin(), abs_err.end());
  double median = abs_err.empty() ? 0 : (abs_err.size() % 2 ? abs_err[abs_err.size() / 2]
                                                             : (abs_err[abs_err.size() / 2 - 1] + abs_err[abs_err.size() / 2]) / 2);
  double worst = abs_err.empty() ? 0 : abs_err.back();
  std::size_t within20 = static_cast<std::size_t>(std::count_if(abs_err.begin(), abs_err.end(), [](double e) { return e <= 20; }));

  auto loc = [&](LocationIdx i) { return net->locations[i].id; };
  auto via = [&](const CalibrationRow& r) {
    std::string v;
    for (LocationIdx i : r.via) v += (v.empty() ? "" : ";") + loc(i);
    return v;
  };
  if (o.format == "csv") {
    std::cout << "kind,id,from,to,via,published_hours,model_hours,error_pct,tolerance_pct,within_tolerance,source\n";
    for (const CalibrationRow& r : *rows) {
      std::cout << fmt::format("transit,{},{},{},{},{:.1f},{},{},{:.0f},{},{}\n", r.id, loc(r.from), loc(r.to), via(r), r.published_hours,
                               r.model_hours ? fmt::format("{:.1f}", *r.model_hours) : "", r.model_hours ? fmt::format("{:.1f}", r.error_pct()) : "",
                               r.tolerance_pct, r.within_tolerance() ? "true" : "false", r.source);
    }
    for (const CrossingCalibration& c : crossings) {
      const Crossing& x = net->crossings[c.crossing];
      std::cout << fmt::format("crossing,{},{},{},,{:.1f},{:.1f},{:.1f},,,\n", x.id, loc(x.exit), loc(x.entry), c.published_hours,
                               c.model_mean_hours, (c.model_mean_hours - c.published_hours) / c.published_hours * 100);
    }
    return kExitOk;
  }
  const bool md = o.format == "markdown";
  // Markdown for docs/data.md, aligned text for the terminal.
  auto emit = [&](const std::vector<std::string>& header, const std::vector<bool>& right,
                  const std::vector<std::vector<std::string>>& body) {
    if (!md) {
      std::cout << render_table(header, right, body);
      return;
    }
    auto line = [](const std::vector<std::string>& cells) {
      std::string l = "|";
      for (const std::string& c : cells) l += " " + c + " |";
      return l + "\n";
    };
    std::cout << line(header);
    std::vector<std::string> rule;
    for (bool r : right) rule.push_back(r ? "---:" : "---");
    std::cout << line(rule);
    for (const auto& b : body) std::cout << line(b);
  };
  std::cout << (md ? "### End-to-end transit times\n\n"
                   : "End-to-end transit times (model: fastest option, same origin, destination, via and modes)\n\n");
  std::vector<std::vector<std::string>> body;
  for (const CalibrationRow& r : *rows) {
    body.push_back({r.id, loc(r.from) + " → " + loc(r.to), via(r).empty() ? "-" : via(r), fmt::format("{:.0f}", r.published_hours),
                    r.model_hours ? fmt::format("{:.0f}", *r.model_hours) : "no route",
                    r.model_hours ? fmt::format("{:+.0f}%", r.error_pct()) : "-", fmt::format("±{:.0f}%", r.tolerance_pct),
                    r.within_tolerance() ? "yes" : "NO"});
  }
  emit({"id", "from → to", "via", "published h", "model h", "difference", "tolerance", "within"},
       {false, false, false, true, true, true, true, false}, body);
  std::cout << fmt::format("\n{} rows; absolute error median {:.1f}%, worst {:.1f}%; {} of {} within ±20%.\n\n", rows->size(),
                           median, worst, within20, abs_err.size());
  std::cout << (md ? "### Border crossings with a CAREC CPMM figure\n\n"
                   : "Border crossings with a CAREC CPMM figure (model: mean over arrivals every 15 min across a week)\n\n");
  body.clear();
  for (const CrossingCalibration& c : crossings) {
    body.push_back({net->crossings[c.crossing].id, fmt::format("{:.1f}", c.published_hours), fmt::format("{:.1f}", c.model_mean_hours),
                    fmt::format("{:+.0f}%", (c.model_mean_hours - c.published_hours) / c.published_hours * 100)});
  }
  emit({"crossing", "CPMM-based median h", "model mean h (waiting for both posts + clearance + gauge change)", "difference"},
       {false, true, true, true}, body);
  return kExitOk;
}

}  // namespace

Runner add_data_command(CLI::App& app) {
  auto o = std::make_shared<DataOptions>();
  CLI::App* data = app.add_subcommand("data", "Check, export and calibrate a dataset");
  data->require_subcommand(1);
  data->description("Look at a dataset as a whole: validate it, export it for GIS tools, compare it with published times.");
  CLI::App* check = data->add_subcommand("check", "Validate a dataset and summarise what it holds");
  check->description(
      "Loads the dataset with every check of the loader (each problem as file:line: column: problem),\n"
      "then prints counts by country and mode, border crossings, gauge breaks, services, rows by source\n"
      "kind, and every hub pair (dataset.toml `hubs`) that cannot reach the other.\n"
      "Exit 0 when clean, 2 on any error or unreachable hub pair.");
  check->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia)");
  check->add_option("--depart", o->depart, "Departure used for the reachability check (default 2026-03-02T00:00Z)");
  check->add_option("--scenario", o->scenarios, "Check hub reachability with these scenario files applied, in order")->take_all();
  check->footer("\nExample:\n  caravan data check\n  caravan data check --data my-dataset/");
  CLI::App* exp = data->add_subcommand("export", "Write the whole network as GeoJSON or CSV");
  exp->description(
      "GeoJSON: a Point per location, a LineString per link, crossing and service, with their\n"
      "attributes as properties (feature_type tells which); opens in QGIS or any GeoJSON viewer.\n"
      "CSV: one flat table with a row per location, link, crossing and service.");
  exp->add_option("--format", o->format, "geojson or csv")->required();
  exp->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia)");
  exp->footer("\nExamples:\n  caravan data export --format geojson > network.geojson\n  caravan data export --format csv > network.csv");
  CLI::App* cal = data->add_subcommand("calibrate", "Compare model times with published transit and border times");
  cal->description(
      "For every published end-to-end transit time in calibration.csv, the model's fastest time for the\n"
      "same origin, destination, via places and modes (departing 08:00 local on the published weekday\n"
      "of the week of 2026-03-02, or the mean over the week), with the difference in percent; and for\n"
      "every border crossing with a CAREC CPMM figure, the model's mean time through it.");
  cal->add_option("--format", o->format, "table (default), markdown (for docs/data.md) or csv");
  cal->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia)");
  cal->add_option("--scenario", o->scenarios, "Calibrate with these scenario files applied, in order")->take_all();
  cal->footer("\nExample:\n  caravan data calibrate --format markdown");
  return [o, check, exp, cal] {
    if (check->parsed()) return run_check(*o);
    if (exp->parsed()) return run_export(*o);
    if (cal->parsed()) {
      if (o->format.empty()) o->format = "table";
      return run_calibrate(*o);
    }
    return kExitBadInput;
  };
}

}  // namespace caravan::cli
