// `caravan data check | export | calibrate`
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "caravan/check.h"
#include "caravan/file.h"
#include "caravan/load.h"
#include "caravan/present.h"
#include "caravan/stochastic.h"
#include "commands.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct DataOptions {
  std::string data;
  std::string format;
  std::string depart = "2026-03-02T00:00Z";
  std::vector<std::string> scenarios;
  std::string out;    // export: folder for one GeoJSON file per layer
  std::string layer;  // export: one layer on stdout
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

// Shares of numeric fields by provenance, per file and overall, and of rail and
// road kilometres by the provenance of their length.
void print_provenance(const ProvenanceReport& p) {
  auto shares = [](const ProvenanceCounts& c) {
    return fmt::format("{:5.1f}% stated, {:5.1f}% derived, {:5.1f}% proxy, {:5.1f}% estimate",
                       100 * c.share(Provenance::kStated), 100 * c.share(Provenance::kDerived),
                       100 * c.share(Provenance::kProxy), 100 * c.share(Provenance::kEstimate));
  };
  std::cout << "numeric fields by provenance (stated in a source, derived from sourced figures of the same place, "
               "proxy from another place, estimate):\n";
  for (const auto& [file, c] : p.by_file) {
    if (c.total() > 0) std::cout << fmt::format("  {:<22} {:>5} fields: {}\n", file, c.total(), shares(c));
  }
  const ProvenanceCounts& all = p.overall;
  std::cout << fmt::format("  {:<22} {:>5} fields: {}; stated or derived {:.1f}%\n", "overall", all.total(),
                           shares(all), 100 * (all.share(Provenance::kStated) + all.share(Provenance::kDerived)));
  double km = p.rail_road_km[0] + p.rail_road_km[1] + p.rail_road_km[2] + p.rail_road_km[3];
  if (km > 0) {
    std::cout << fmt::format(
        "rail and road km by provenance of the length: {:.0f} km; {:.1f}% stated, {:.1f}% derived, {:.1f}% proxy, "
        "{:.1f}% estimate\n",
        km, 100 * p.rail_road_km[0] / km, 100 * p.rail_road_km[1] / km, 100 * p.rail_road_km[2] / km,
        100 * p.rail_road_km[3] / km);
  }
}

// calibration.csv is optional and used by `data calibrate`; when present it is
// checked here like every other file of the dataset, errors at its path:line.
int check_calibration(const std::filesystem::path& dir, const RouteIndex& index) {
  const std::filesystem::path file = dir / "calibration.csv";
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(file, ec))) return kExitOk;
  auto text = read_regular_file(file, kMaxTableFileBytes);
  if (!text) return report(text.errors());
  auto rows = calibrate_transit_times(index, *text);
  if (rows) return kExitOk;
  Errors errors = rows.errors();
  for (Error& e : errors) e.file = file.string();
  return report(errors);
}

int run_check(const DataOptions& o) {
  Errors warnings;
  auto dir = data_dir(o);
  auto net = load_network(dir, &warnings);
  if (!net) {
    report(net.errors());
    std::cerr << "caravan: " << net.errors().size() << " error" << (net.errors().size() == 1 ? "" : "s") << " in "
              << dir.string() << "; the dataset cannot be used\n";
    return kExitBadInput;
  }
  for (const Error& w : warnings) std::cerr << "caravan: warning: " << w.to_string() << "\n";
  DatasetSummary s = summarize(*net);
  std::cout << fmt::format("dataset {} {}: loads with 0 errors and {} warnings\n", net->info.name, net->info.version,
                           warnings.size());
  std::cout << fmt::format("locations: {} in {} countries\n  {}\n", net->locations.size(),
                           s.locations_by_country.size(), join_counts(s.locations_by_country));
  std::string links;
  for (const auto& [mode, n] : s.links_by_mode) {
    links += (links.empty() ? "" : ", ") + fmt::format("{} {} ({:.0f} km)", mode, n, s.km_by_mode[mode]);
  }
  std::cout << fmt::format("links: {} ({}); open by mode: {}\n", net->links.size(),
                           join_counts(s.links_by_status, ", "), links);
  std::cout << fmt::format("border crossings: {} ({}); gauge breaks: {}\n", net->crossings.size(),
                           join_counts(s.crossings_by_mode, ", "), s.gauge_breaks);
  std::string services;
  for (const auto& [mode, n] : s.services_by_mode) {
    services += (services.empty() ? "" : ", ") +
                fmt::format("{} {} ({} departures a week)", mode, n, s.departures_per_week_by_mode[mode]);
  }
  std::cout << fmt::format("services: {} ({})\n", net->services.size(), services);
  std::cout << fmt::format("sources: {}; data rows citing them by kind: {}\n", s.sources,
                           join_counts(s.rows_by_source_kind, ", "));
  std::cout << fmt::format(
      "bookable options (ADR 0500): box units {}, on-demand rail products {} ({} open rail links have none: services "
      "only), trucking countries {}, traffic-class overrides {}, dated closures {}, fares {}, air weight breaks {}, "
      "empty-return rows {}\n",
      s.box_units, s.rail_products, s.rail_links_without_product, s.trucking_countries, s.crossing_class_rows,
      s.closures, s.fares, s.air_rate_rows, s.empty_return_rows);
  if (!s.rows_relying_on_2x.empty()) {
    std::cout << fmt::format("rows with a 20-ft figure only (a 40-ft box pays twice it): {}\n",
                             join_counts(s.rows_relying_on_2x, ", "));
  }
  if (auto files = read_dataset_files(dir)) print_provenance(provenance(*files, *net));
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
  if (int e = check_calibration(dir, index); e != kExitOk) return e;
  std::vector<LocationIdx> hubs = hub_locations(*net);
  auto missing = unreachable_pairs(index, hubs, *depart);
  std::size_t pairs = hubs.size() * (hubs.size() - (hubs.empty() ? 0 : 1));
  if (missing.empty()) {
    std::cout << fmt::format("hubs: {}; all {} ordered pairs reach each other\n", hubs.size(), pairs);
    return kExitOk;
  }
  std::cout << fmt::format("hubs: {}; {} of {} ordered pairs cannot reach the other:\n", hubs.size(), missing.size(),
                           pairs);
  for (auto [a, b] : missing) std::cout << "  " << net->locations[a].id << " -> " << net->locations[b].id << "\n";
  return kExitBadInput;
}

// Every layer is written to a temporary file beside its target first and
// renamed only when all were written, so a failure leaves no half of an export.
int write_layers(const std::vector<GeoJsonLayer>& layers, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return report({Error::invalid("--out: cannot create folder \"" + dir.string() + "\": " + ec.message())});
  std::vector<std::filesystem::path> written;
  auto discard = [&] {
    for (const auto& p : written) std::filesystem::remove(p, ec);
  };
  for (const GeoJsonLayer& l : layers) {
    std::filesystem::path tmp = dir / ("." + l.name + ".geojson.tmp");
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (f) written.push_back(tmp);
    f << l.geojson;
    f.close();
    if (!f) {
      discard();
      return report({Error::invalid("--out: cannot write \"" + (dir / (l.name + ".geojson")).string() + "\"")});
    }
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::filesystem::rename(written[i], dir / (layers[i].name + ".geojson"), ec);
    if (ec) {
      discard();
      return report({Error::invalid("--out: cannot write \"" + (dir / (layers[i].name + ".geojson")).string() +
                                    "\": " + ec.message())});
    }
  }
  return kExitOk;
}

int run_export(const DataOptions& o) {
  if (o.format != "geojson" && o.format != "csv") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected geojson or csv)")});
  }
  if (o.format == "csv" && (!o.out.empty() || !o.layer.empty())) {
    return report({Error::invalid("--out and --layer apply to --format geojson only (csv is one table on stdout)")});
  }
  if (o.format == "geojson" && o.out.empty() == o.layer.empty()) {
    return report(
        {Error::invalid("--format geojson: give --out DIR (a file per layer) or --layer NAME (one layer on stdout), "
                        "not both or neither")});
  }
  auto net = load_network(data_dir(o));
  if (!net) return report(net.errors());
  if (o.format == "csv") {
    std::cout << network_to_csv(*net);
    return std::cout.good() ? kExitOk : kExitInternal;
  }
  std::vector<GeoJsonLayer> layers = network_to_geojson_layers(*net);
  if (!o.layer.empty()) {
    std::string names;
    for (const GeoJsonLayer& l : layers) {
      if (l.name == o.layer) {
        std::cout << l.geojson;
        return std::cout.good() ? kExitOk : kExitInternal;
      }
      names += (names.empty() ? "" : ", ") + l.name;
    }
    return report({Error::invalid("--layer: unknown layer \"" + o.layer + "\" (expected one of " + names + ")")});
  }
  if (int exit = write_layers(layers, o.out); exit != kExitOk) return exit;
  std::cout << fmt::format(
      "wrote {}: locations.geojson ({} points), links.geojson ({} lines), crossings.geojson ({} lines), "
      "services.geojson ({} lines)\n",
      o.out, net->locations.size(), net->links.size(), net->crossings.size(), net->services.size());
  return kExitOk;
}

int run_calibrate(const DataOptions& o) {
  if (o.format != "table" && o.format != "csv" && o.format != "markdown") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, markdown or csv)")});
  }
  auto dir = data_dir(o);
  auto net = load_network(dir);
  if (!net) return report(net.errors());
  auto text = read_regular_file(dir / "calibration.csv", kMaxTableFileBytes);
  if (!text) return report(text.errors());
  int exit = kExitOk;
  auto overlay = load_overlay(*net, data_dir(o), o.scenarios, &exit);
  if (!overlay) return exit;
  RouteIndex index(*net, overlay.get());
  auto rows = calibrate_transit_times(index, *text);
  if (!rows) return report(rows.errors());
  // A record or best-case time is judged against the model's p5-p95 as well.
  StageModel model(index);
  MonteCarloOptions mc;
  mc.samples = 400;
  for (CalibrationRow& r : *rows) {
    if (r.kind != CalibrationRow::Kind::kTime || !r.record_case() || !r.fastest) continue;
    std::vector<double> hours = sample_arrival_hours(model, r.query, *r.fastest, mc);
    Reliability rel = summarize(hours, r.query, std::nullopt);
    // Counted from the first departure, as model_hours is.
    r.p5_hours = rel.p5_hours - r.start_wait_hours;
    r.p95_hours = rel.p95_hours - r.start_wait_hours;
  }
  auto crossings = calibrate_crossings(*net);
  using Kind = CalibrationRow::Kind;
  auto loc = [&](LocationIdx i) { return net->locations[i].id; };
  auto via = [&](const CalibrationRow& r) {
    std::string v;
    for (LocationIdx i : r.via) v += (v.empty() ? "" : ";") + loc(i);
    return v;
  };
  if (o.format == "csv") {
    std::cout << "kind,id,from,to,via,published,model,error_pct,tolerance_pct,within_tolerance,case,source\n";
    for (const CalibrationRow& r : *rows) {
      std::cout << fmt::format("{},{},{},{},{},{:.1f},{},{},{:.0f},{},{},{}\n",
                               r.kind == Kind::kTime ? "transit" : "price", r.id, loc(r.from), loc(r.to), via(r),
                               r.published(), r.model() ? fmt::format("{:.1f}", *r.model()) : "",
                               r.model() ? fmt::format("{:.1f}", r.error_pct()) : "", r.tolerance_pct,
                               r.within_tolerance() ? "true" : "false", r.case_kind, r.source);
    }
    for (const CrossingCalibration& c : crossings) {
      const Crossing& x = net->crossings[c.crossing];
      std::cout << fmt::format("crossing,{},{},{},,{:.1f},{:.1f},{:.1f},,,,\n", x.id, loc(x.exit), loc(x.entry),
                               c.published_hours, c.model_mean_hours,
                               (c.model_mean_hours - c.published_hours) / c.published_hours * 100);
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
  auto table = [&](Kind kind, const char* title_md, const char* title, const char* unit, double target) {
    std::cout << (md ? title_md : title) << "\n\n";
    std::vector<std::vector<std::string>> body;
    for (const CalibrationRow& r : *rows) {
      if (r.kind != kind) continue;
      std::string range = r.p5_hours && r.p95_hours ? fmt::format("{:.0f}-{:.0f}", *r.p5_hours, *r.p95_hours) : "-";
      body.push_back({r.id, loc(r.from) + " → " + loc(r.to), via(r).empty() ? "-" : via(r), r.case_kind,
                      r.date.empty() ? "-" : r.date, fmt::format("{:.0f}", r.published()),
                      r.model() ? fmt::format("{:.0f}", *r.model()) : "no route",
                      r.model() ? fmt::format("{:+.0f}%", r.error_pct()) : "-",
                      kind == Kind::kTime ? range : std::string(to_string(r.unit)),
                      fmt::format("±{:.0f}%", r.tolerance_pct), r.within_tolerance() ? "yes" : "NO"});
    }
    emit({"id", "from → to", "via", "case", "date", std::string("published ") + unit, std::string("model ") + unit,
          "difference", kind == Kind::kTime ? "model p5-p95 h" : "unit", "tolerance", "within"},
         {false, false, false, false, false, true, true, true, true, true, false}, body);
    CalibrationSummary s = summarize_calibration(*rows, kind);
    std::cout << fmt::format(
        "\n{} rows ({} answered); absolute error median {:.1f}% (target {:.0f}%), worst {:.1f}%; {} within "
        "tolerance.\n\n",
        s.rows, s.answered, s.median_abs_error_pct, target, s.worst_abs_error_pct, s.within);
  };
  table(Kind::kTime, "### End-to-end and leg times",
        "End-to-end and leg times (model: fastest option from its first departure, same origin, destination, via and "
        "modes)",
        "h", 15);
  table(Kind::kPrice, "### Rates and tariffs", "Rates and tariffs (model: cheapest option, USD per box of the unit)",
        "USD", 20);
  std::vector<std::vector<std::string>> body;
  std::cout
      << (md ? "### Border crossings with a CAREC CPMM figure\n\n"
             : "Border crossings with a CAREC CPMM figure (model: mean over arrivals every 15 min across a week)\n\n");
  body.clear();
  for (const CrossingCalibration& c : crossings) {
    body.push_back({net->crossings[c.crossing].id, fmt::format("{:.1f}", c.published_hours),
                    fmt::format("{:.1f}", c.model_mean_hours),
                    fmt::format("{:+.0f}%", (c.model_mean_hours - c.published_hours) / c.published_hours * 100)});
  }
  emit({"crossing", "CPMM-based median h", "model mean h (waiting for both posts + clearance + gauge change)",
        "difference"},
       {false, true, true, true}, body);
  return kExitOk;
}

}  // namespace

Runner add_data_command(CLI::App& app) {
  auto o = std::make_shared<DataOptions>();
  CLI::App* data = app.add_subcommand("data", "Check, export and calibrate a dataset");
  data->require_subcommand(1);
  data->description(
      "Look at a dataset as a whole: validate it, export it for GIS tools, compare it with published times.");
  CLI::App* check = data->add_subcommand("check", "Validate a dataset and summarise what it holds");
  check->description(
      "Loads the dataset with every check of the loader (each problem as file:line: column: problem),\n"
      "then prints counts by country and mode, border crossings, gauge breaks, services, rows by source\n"
      "kind, and every hub pair (dataset.toml `hubs`) that cannot reach the other.\n"
      "Exit 0 when clean, 2 on any error or unreachable hub pair.");
  check->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia)");
  check->add_option("--depart", o->depart, "Departure used for the reachability check (default 2026-03-02T00:00Z)");
  check->add_option("--scenario", o->scenarios, "Check hub reachability with these scenario files applied, in order")
      ->take_all();
  check->footer("\nExample:\n  caravan data check\n  caravan data check --data my-dataset/");
  CLI::App* exp = data->add_subcommand("export", "Write the whole network as GeoJSON layers or CSV");
  exp->description(
      "GeoJSON: one FeatureCollection per layer, each of one geometry type, so that QGIS opens each\n"
      "file as one named layer: locations.geojson (Points), links.geojson, crossings.geojson (exit to\n"
      "entry) and services.geojson (through the stops) (LineStrings), with the dataset's attributes\n"
      "as properties and `layer` naming the layer. Lines are the geometry the dataset holds: straight\n"
      "between a link's two locations. Loading them in QGIS: docs/gis.md.\n"
      "CSV: one flat table with a row per location, link, crossing and service.");
  exp->add_option("--format", o->format, "geojson or csv")->required();
  exp->add_option("--out", o->out, "GeoJSON: write a file per layer into this folder (created when missing)");
  exp->add_option("--layer", o->layer,
                  "GeoJSON: write only this layer to stdout (locations, links, crossings, services)");
  exp->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia)");
  exp->footer(
      "\nExamples:\n  caravan data export --format geojson --out network/\n"
      "  caravan data export --format geojson --layer links > links.geojson\n"
      "  caravan data export --format csv > network.csv");
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
