// `caravan route FROM TO …`
#include <chrono>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "commands.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct RouteOptions {
  std::string from, to;
  std::string depart;
  std::uint32_t units = 1;
  std::string unit = "FEU";
  double cargo_tonnes = 0;
  double volume_m3 = 0;
  std::string equipment = "coc";
  double value_of_time = -1;
  std::string by = "pareto";
  std::vector<std::string> via, avoid;
  std::string modes;
  std::string format = "table";
  std::string data;
  std::string deadline;
  std::uint32_t samples = 0;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::vector<std::string> scenarios;
};

int run(const RouteOptions& o) {
  // Everything about the query that needs no data is checked first.
  auto objective = parse_objective(o.by);
  if (!objective) return report({Error::invalid("--by: unknown objective \"" + o.by + "\" (expected pareto, time, cost, co2 or generalized)")});
  auto unit = parse_unit_kind(o.unit);
  if (!unit) return report({Error::invalid("--unit: unknown unit \"" + o.unit + "\" (expected TEU, FEU, FEU_HC or KG)")});
  if (o.units == 0) return report({Error::invalid("--units: must be at least 1")});
  auto equipment = parse_equipment(o.equipment);
  if (!equipment) return report({Error::invalid("--equipment: unknown \"" + o.equipment + "\" (expected coc or soc)")});
  if (o.format != "table" && o.format != "json" && o.format != "geojson") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, json or geojson)")});
  }
  std::optional<Instant> deadline;
  if (!o.deadline.empty()) {
    auto t = parse_instant(o.deadline);
    if (!t) return report({Error::invalid("--deadline: " + t.error().message)});
    deadline = *t;
  }
  RouteQuery q;
  q.objective = *objective;
  q.unit = *unit;
  q.units = o.units;
  q.equipment = *equipment;
  if (o.cargo_tonnes != 0) q.cargo_per_unit = Mass::from_tonnes(o.cargo_tonnes);
  if (o.volume_m3 != 0) q.volume_m3 = o.volume_m3;
  if (o.value_of_time >= 0) q.value_of_time_usd = o.value_of_time;
  if (!o.modes.empty()) {
    auto modes = parse_mode_set(o.modes);
    if (!modes) return report({Error::invalid("--mode: " + modes.error().message)});
    q.modes = *modes;
  }
  if (o.depart.empty()) {
    // Ready now, rounded up to the next whole hour.
    auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    q.depart = Instant(Duration((now.time_since_epoch().count() / 3600 + 1) * 3600));
  } else {
    auto t = parse_instant(o.depart);
    if (!t) return report({Error::invalid("--depart: " + t.error().message)});
    q.depart = *t;
  }

  auto net = load_network(o.data.empty() ? default_data_dir() : std::filesystem::path(o.data));
  if (!net) return report(net.errors());

  auto place = [&](const std::string& what, const std::string& text, LocationIdx& out) -> bool {
    auto r = resolve_place(*net, text);
    if (!r) {
      Error e = r.error();
      e.message = what + ": " + e.message;
      report({e});
      return false;
    }
    out = *r;
    return true;
  };
  if (!place("from", o.from, q.from) || !place("to", o.to, q.to)) return kExitBadInput;
  for (const std::string& v : o.via) {
    LocationIdx i;
    if (!place("--via", v, i)) return kExitBadInput;
    q.via.push_back(i);
  }
  for (const std::string& a : o.avoid) {
    if (a.size() == 2 && std::isupper(static_cast<unsigned char>(a[0])) && std::isupper(static_cast<unsigned char>(a[1]))) {
      if (!has_country(*net, a)) {
        return report({Error::not_found("--avoid: no location in country \"" + a + "\" (expected an ISO 3166-1 alpha-2 code of the dataset, or a place)")});
      }
      q.avoid_countries.push_back(a);
      continue;
    }
    LocationIdx i;
    if (!place("--avoid", a, i)) return kExitBadInput;
    q.avoid.push_back(i);
  }

  if (deadline && *deadline <= q.depart) {
    return report({Error::invalid("--deadline: " + format_instant_utc(*deadline) + " is not after the departure " +
                                  format_instant_utc(q.depart) + " (expected a later instant)")});
  }

  int exit = kExitOk;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, o.scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  RouteIndex index(*net, overlay.get());
  Planner planner(index);
  Result<std::vector<Itinerary>> its = std::vector<Itinerary>{};
  // A deadline alone asks for reliability: 1,000 samples unless told.
  const std::uint32_t samples = o.samples > 0 ? o.samples : (deadline ? 1000u : 0u);
  if (samples > 0) {
    StageModel model(index);
    MonteCarloOptions mc;
    mc.samples = samples;
    mc.seed = o.seed;
    mc.threads = o.threads;
    mc.deadline = deadline;
    its = plan_reliable(planner, model, q, mc);
  } else {
    its = planner.plan(q);
  }
  if (!its) return report(its.errors());

  QueryEcho echo{q, deadline, {}};
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  if (o.format == "json") std::cout << itineraries_to_json(index.view(), echo, *its);
  else if (o.format == "geojson") std::cout << itineraries_to_geojson(index.view(), *its, 2);
  else std::cout << itineraries_to_table(index.view(), echo, *its);
  return std::cout.good() ? kExitOk : kExitInternal;
}

}  // namespace

Runner add_route_command(CLI::App& app) {
  auto o = std::make_shared<RouteOptions>();
  CLI::App* cmd = app.add_subcommand("route", "Plan itineraries from one place to another");
  cmd->description(
      "Plan a shipment from FROM to TO over the multimodal network and print the Pareto-optimal\n"
      "options on time, cost (USD) and CO2, fastest first: options a forwarder could book.\n"
      "Containers (TEU, FEU, FEU_HC) go by rail, road, ferry or sea and never fly; general cargo\n"
      "(--unit KG, --units = kilograms) goes by road and air. Rail means a scheduled train (its\n"
      "days, cut-off and through-rate) or a railway's on-demand wagons (formation, tariff per\n"
      "box-km); trucks are priced per truck-km, and a box changes between rail and road at most\n"
      "twice. Every leg is listed: moving legs, waits for a departure, a cut-off, a port's dwell\n"
      "or border posts to open (in their local time), border clearance by traffic class, gauge\n"
      "changes at 1435/1520 mm breaks, lifts between vehicles and storage after the free days.\n"
      "Costs are shown in the currency charged and in USD at the dataset's FX date.");
  cmd->add_option("from", o->from, "Origin: a location id, name or alias, any case (\"Xi'an\", xian)")->required();
  cmd->add_option("to", o->to, "Destination: a location id, name or alias")->required();
  cmd->add_option("--depart", o->depart,
                  "When the cargo is ready, ISO-8601; no offset means UTC (2026-03-02T08:00+08:00). Default: the next whole hour");
  cmd->add_option("--units", o->units, "Number of containers (default 1)");
  cmd->add_option("--unit", o->unit,
                  "What --units counts: TEU (20-ft), FEU (40-ft, the default), FEU_HC (40-ft high-cube; also HC, 40HC)\n"
                  "or KG (general cargo: --units is kilograms; road and air only). 40-ft boxes pay each row's 40-ft\n"
                  "rate; where a row gives none, twice the 20-ft one");
  cmd->add_option("--cargo-tonnes", o->cargo_tonnes,
                  "Cargo per container, tonnes (default 10 per TEU, 20 per FEU); above the box's payload limit\n"
                  "(equipment.csv) is refused, and it decides how many boxes a truck may carry");
  cmd->add_option("--volume-m3", o->volume_m3,
                  "KG only: the cargo's volume; air charges max(kg, m3 x 1,000,000 / 6,000) (IATA 1:6000)");
  cmd->add_option("--equipment", o->equipment,
                  "coc (default): the carrier's boxes, which adds the destination's empty return; soc: your own");
  cmd->add_option("--value-of-time", o->value_of_time,
                  "USD per box-hour (KG: per tonne-hour) for --by generalized (default: the dataset's)");
  cmd->add_option("--by", o->by,
                  "pareto (default): all options on time, cost and CO2; or the single best by time, cost, co2, or\n"
                  "generalized: money + value of time x boxes x hours");
  cmd->add_option("--via", o->via, "Pass through this place; repeat for several, visited in order (--via Khorgos --via Aktau)")
      ->take_all();
  cmd->add_option("--avoid", o->avoid, "Never enter this place, or any place of this country (ISO code, e.g. RU); repeatable")
      ->take_all();
  cmd->add_option("--mode", o->modes, "Modes allowed for moving legs, comma-separated: rail,road,ferry,sea,air (default all)");
  cmd->add_option("--format", o->format, "table (default), json (Itinerary JSON contract) or geojson");
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
  cmd->add_option("--deadline", o->deadline,
                  "Arrive by this instant, ISO-8601: adds P(on time) per option and searches for the most reliable one");
  cmd->add_option("--samples", o->samples,
                  "Monte Carlo samples for p50/p80/p95 arrival (default 1000 with --deadline, else none)");
  cmd->add_option("--seed", o->seed, "Seed of the Monte Carlo (default 1); the same seed gives the same figures");
  cmd->add_option("--threads", o->threads, "Threads for the Monte Carlo (default: all cores); results do not depend on it");
  cmd->add_option("--scenario", o->scenarios, "Apply a scenario TOML file; repeat to apply several, in order")->take_all();
  cmd->footer(
      "\nExamples:\n"
      "  caravan route xian tashkent\n"
      "      all good options Xi'an -> Tashkent leaving at the next hour, 1 FEU\n"
      "  caravan route \"Xi'an\" Tashkent --depart 2026-03-02T08:00+08:00 --units 3 --unit FEU\n"
      "      three 40-ft containers ready Monday 08:00 China time\n"
      "  caravan route xian tashkent --via Khorgos --by time\n"
      "      the fastest way through the Khorgos crossing\n"
      "  caravan route urumqi tashkent --avoid KZ --mode road,rail\n"
      "      around Kazakhstan (through Kyrgyzstan), no air\n"
      "  caravan route xian duisburg --by generalized --value-of-time 5\n"
      "      the one option that minimises cost plus 5 USD per box-hour\n"
      "  caravan route urumqi almaty --unit KG --units 2000 --volume-m3 15\n"
      "      2 t of general cargo (air charges 2,500 kg by volume)\n"
      "  caravan route xian tashkent --format geojson > route.geojson\n"
      "      the legs as map lines for QGIS or geojson.io\n"
      "  caravan route xian tashkent --depart 2026-03-02T08:00+08:00 --deadline 2026-03-12 --samples 10000\n"
      "      p50/p80/p95 arrival and the chance to arrive by the 12th; the most reliable option marked\n"
      "  caravan route xian tashkent --scenario data/central-asia/scenarios/green-lanes.toml\n"
      "      the same query with green lanes at the China-Kazakhstan crossings\n"
      "\nExit codes: 0 found, 1 no route, 2 bad input (unknown place, bad option or data), 3 internal error.");
  return [o] { return run(*o); };
}

}  // namespace caravan::cli
