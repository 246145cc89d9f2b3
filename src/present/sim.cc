// Simulation reports: table, JSON, CSV.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "caravan/present.h"
#include "csv.h"

namespace caravan {
namespace {

using detail::csv_field;

using nlohmann::ordered_json;

double round_to(double v, double step) { return std::round(v / step) / std::round(1.0 / step); }

std::string capacity_cell(const ResourceStats& r) {
  return fmt::format("{} TEU/{}", r.capacity, r.kind == ResourceKind::kService ? "run" : "day");
}

// Busiest first, then by kind and index: a stable order for every format.
std::vector<const ResourceStats*> by_load(const SimReport& r) {
  std::vector<const ResourceStats*> out;
  for (const ResourceStats& x : r.resources) out.push_back(&x);
  std::stable_sort(out.begin(), out.end(),
                   [](const ResourceStats* a, const ResourceStats* b) { return a->utilisation > b->utilisation; });
  return out;
}

}  // namespace

std::string sim_report_to_table(const Network& net, const SimEcho& echo, const SimReport& r) {
  std::string out =
      fmt::format("Simulation: shipments of {} TEU released {} to {}; statistics from {} (seed {})\n", r.shipment_teu,
                  format_instant_utc(r.start), format_instant_utc(r.end), format_instant_utc(r.stats_from), r.seed);
  if (!echo.demand.empty()) out += "Demand: " + echo.demand + "\n";
  if (!r.service_capacity) out += "Runs of services: no capacity limit (--service-capacity ignore)\n";
  if (r.sample_stages) out += "Stage durations: sampled (clearance, gauge change, link travel, lateness)\n";
  if (!echo.scenarios.empty()) {
    out += "Scenarios:";
    for (const std::string& s : echo.scenarios) out += " " + s;
    out += "\n";
  }
  out += fmt::format("{} shipments, {} events, {} routes planned; the last arrived {}\n\n", r.shipments, r.events,
                     r.plans, format_instant_utc(r.drained));
  if (r.resources.empty()) {
    out += "No capacitated resource was used (capacity 0 means not given: no queue).\n\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const ResourceStats* x : by_load(r)) {
      rows.push_back({x->id, std::string(to_string(x->kind)), capacity_cell(*x), fmt::format("{:.0f}", x->offered_teu),
                      fmt::format("{:.0f}", x->served_teu), fmt::format("{:.0f}%", 100.0 * x->utilisation),
                      fmt::format("{:.1f}", x->mean_wait_hours), fmt::format("{:.1f}", x->p95_wait_hours),
                      fmt::format("{:.0f}", x->max_queue_teu), fmt::format("{:.0f}", x->backlog_teu)});
    }
    out += "Capacitated resources (waits in the queue only, hours; TEU over the statistics window)\n";
    out += render_table({"resource", "kind", "capacity", "offered", "served", "util", "mean wait", "p95 wait",
                         "max queue", "backlog"},
                        {false, false, true, true, true, true, true, true, true, true}, rows);
    out += "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const LaneStats& l : r.lanes) {
    std::string note;
    if (l.unrouted > 0) note += fmt::format("{} without route", l.unrouted);
    if (l.stuck > 0) note += fmt::format("{}{} stuck", note.empty() ? "" : ", ", l.stuck);
    rows.push_back({net.locations[l.from].name + " → " + net.locations[l.to].name,
                    fmt::format("{:.0f}", l.teu_per_year), fmt::format("{}", l.shipments),
                    fmt::format("{:.1f}", l.free_flow_hours), fmt::format("{:.1f}", l.mean_hours),
                    fmt::format("{:.1f}", l.p95_hours), fmt::format("{:.1f}", l.mean_delay_hours), note});
  }
  out += "Lanes (hours from release to delivery; delay: what the queues added)\n";
  out += render_table({"lane", "TEU/year", "shipments", "free-flow", "mean", "p95", "mean delay", ""},
                      {false, true, true, true, true, true, true, false}, rows);
  return out;
}

std::string sim_report_to_json(const Network& net, const SimEcho& echo, const SimReport& r, int indent) {
  ordered_json root;
  ordered_json q;
  q["start"] = format_instant_utc(r.start);
  q["stats_from"] = format_instant_utc(r.stats_from);
  q["end"] = format_instant_utc(r.end);
  q["seed"] = r.seed;
  q["shipment_teu"] = r.shipment_teu;
  q["service_capacity"] = r.service_capacity ? "per-run" : "ignore";
  q["sample_stages"] = r.sample_stages;
  q["demand"] = echo.demand;
  q["scenarios"] = echo.scenarios;
  root["query"] = q;
  root["dataset"] = {{"name", net.info.name}, {"version", net.info.version}};
  root["summary"] = {{"shipments", r.shipments},
                     {"events", r.events},
                     {"plans", r.plans},
                     {"drained", format_instant_utc(r.drained)}};
  ordered_json res = ordered_json::array();
  for (const ResourceStats* x : by_load(r)) {
    ordered_json j;
    j["kind"] = std::string(to_string(x->kind));
    j["id"] = x->id;
    j["name"] = x->name;
    j["capacity"] = x->capacity;
    j["offered_teu"] = x->offered_teu;
    j["served_teu"] = x->served_teu;
    j["utilisation"] = round_to(x->utilisation, 0.0001);
    j["shipments"] = x->shipments;
    j["mean_wait_hours"] = round_to(x->mean_wait_hours, 0.01);
    j["p95_wait_hours"] = round_to(x->p95_wait_hours, 0.01);
    j["max_queue_teu"] = x->max_queue_teu;
    j["backlog_teu"] = x->backlog_teu;
    res.push_back(std::move(j));
  }
  root["resources"] = std::move(res);
  ordered_json lanes = ordered_json::array();
  for (const LaneStats& l : r.lanes) {
    ordered_json j;
    j["from"] = net.locations[l.from].id;
    j["to"] = net.locations[l.to].id;
    j["teu_per_year"] = l.teu_per_year;
    j["shipments"] = l.shipments;
    j["teu"] = l.teu;
    j["unrouted"] = l.unrouted;
    j["stuck"] = l.stuck;
    j["mean_hours"] = round_to(l.mean_hours, 0.01);
    j["p95_hours"] = round_to(l.p95_hours, 0.01);
    j["free_flow_hours"] = round_to(l.free_flow_hours, 0.01);
    j["mean_delay_hours"] = round_to(l.mean_delay_hours, 0.01);
    j["p95_delay_hours"] = round_to(l.p95_delay_hours, 0.01);
    lanes.push_back(std::move(j));
  }
  root["lanes"] = std::move(lanes);
  return root.dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string sim_report_to_csv(const Network& net, const SimReport& r) {
  std::string out =
      "record,kind,id,from,to,capacity,offered_teu,served_teu,utilisation,shipments,mean_wait_hours,p95_wait_hours,"
      "max_queue_teu,backlog_teu,teu_per_year,teu,unrouted,stuck,mean_hours,p95_hours,free_flow_hours,"
      "mean_delay_hours,p95_delay_hours\n";
  for (const ResourceStats* x : by_load(r)) {
    out += fmt::format("resource,{},{},,,{},{:.0f},{:.0f},{:.4f},{},{:.2f},{:.2f},{:.0f},{:.0f},,,,,,,,,\n",
                       to_string(x->kind), csv_field(x->id), x->capacity, x->offered_teu, x->served_teu, x->utilisation,
                       x->shipments, x->mean_wait_hours, x->p95_wait_hours, x->max_queue_teu, x->backlog_teu);
  }
  for (const LaneStats& l : r.lanes) {
    out += fmt::format("lane,,,{},{},,,,,{},,,,,{},{:.0f},{},{},{:.2f},{:.2f},{:.2f},{:.2f},{:.2f}\n",
                       csv_field(net.locations[l.from].id), csv_field(net.locations[l.to].id), l.shipments,
                       l.teu_per_year, l.teu, l.unrouted, l.stuck, l.mean_hours, l.p95_hours, l.free_flow_hours,
                       l.mean_delay_hours, l.p95_delay_hours);
  }
  return out;
}

}  // namespace caravan
