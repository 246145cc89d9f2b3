// `caravan route FROM TO …`
#include <chrono>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/present.h"
#include "caravan/request.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "commands.h"
#include "request_options.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct RouteCli {
  std::string format = "table";
  std::string data;
  std::unique_ptr<RequestOptions> request;
};

int run(const RouteCli& o) {
  if (o.format != "table" && o.format != "json" && o.format != "geojson" && o.format != "csv") {
    return report(
        {Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, json, geojson or csv)")});
  }
  const std::filesystem::path data = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto net = load_network(data);
  if (!net) return report(net.errors());
  auto req = parse_route_request(*net, o.request->fields(), local_context());
  if (!req) return report_request(req.errors());
  const RouteQuery& q = req->query;

  int exit = kExitOk;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, data, req->scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  RouteIndex index(*net, overlay.get());
  Planner planner(index);
  Result<std::vector<Itinerary>> its = std::vector<Itinerary>{};
  if (req->samples > 0) {
    StageModel model(index);
    MonteCarloOptions mc;
    mc.samples = req->samples;
    mc.seed = req->seed;
    mc.threads = req->threads;
    mc.deadline = req->deadline;
    its = plan_reliable(planner, model, q, mc);
  } else {
    its = planner.plan(q);
  }
  if (!its) return report(its.errors());

  QueryEcho echo{q, req->deadline, {}};
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  if (o.format == "json")
    std::cout << itineraries_to_json(index.view(), echo, *its);
  else if (o.format == "geojson")
    std::cout << itineraries_to_geojson(index.view(), *its, 2);
  else if (o.format == "csv")
    std::cout << itineraries_to_csv(index.view(), *its);
  else
    std::cout << itineraries_to_table(index.view(), echo, *its);
  return std::cout.good() ? kExitOk : kExitInternal;
}

}  // namespace

Runner add_route_command(CLI::App& app) {
  auto o = std::make_shared<RouteCli>();
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
  o->request = std::make_unique<RequestOptions>(cmd, route_options(), std::vector<std::string_view>{"from", "to"});
  cmd->add_option("--format", o->format,
                  "table (default), json (Itinerary JSON contract), geojson or csv (a row per option and per leg)");
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
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
      "  caravan route xian almaty --unit FEU_HC --cargo-tonnes 24 --equipment soc\n"
      "      a shipper-owned 40-ft high-cube with 24 t (no empty return)\n"
      "  caravan route xian tashkent --format geojson > route.geojson\n"
      "      the legs as map lines for QGIS or geojson.io\n"
      "  caravan route xian tashkent --depart 2026-03-02T08:00+08:00 --deadline 2026-03-12 --samples 10000\n"
      "      p50/p80/p95 arrival and the chance to arrive by the 12th; the most reliable option marked\n"
      "  caravan route xian tashkent --scenario green-lanes\n"
      "      the same query with the dataset's green lanes at the China-Kazakhstan crossings\n"
      "  caravan route xian tashkent --avoid Russia,BY --scenario my-measures.toml\n"
      "      around Russia and Belarus, with a scenario file of your own\n"
      "\nExit codes: 0 found, 1 no route, 2 bad input (unknown place, bad option or data), 3 internal error.");
  return [o] { return run(*o); };
}

}  // namespace caravan::cli
