#include <cmath>

#include <nlohmann/json.hpp>

#include "caravan/present.h"

namespace caravan {
namespace {

using nlohmann::ordered_json;

// Rounds to a decimal step (0.1, 0.01, …); dividing by the integer 1/step keeps 0.5961 from printing as 0.5961000000000001.
double round_to(double v, double step) { return std::round(v / step) / std::round(1.0 / step); }
double usd(std::int64_t cents) { return static_cast<double>(cents) / 100.0; }
double hours_of(Duration d) { return round_to(to_hours(d), 0.01); }

const Service& service_of(const Network& net, const Overlay* overlay, ServiceIdx s) {
  return overlay != nullptr ? overlay->service(s) : net.services[s];
}

// Hours as JSON: rounded, and null when infinite (cargo that never arrives).
ordered_json hours_json(double h) {
  if (!std::isfinite(h)) return nullptr;
  return round_to(h, 0.01);
}

ordered_json leg_json(const Network& net, const Leg& g, const Overlay* overlay = nullptr) {
  ordered_json j;
  j["kind"] = std::string(g.kind_name());
  j["from"] = net.locations[g.from].id;
  j["to"] = net.locations[g.to].id;
  j["depart"] = format_instant_utc(g.depart);
  j["arrive"] = format_instant_utc(g.arrive);
  j["hours"] = hours_of(g.arrive - g.depart);
  j["km"] = round_to(g.km.km(), 0.1);
  j["cost"] = {{"amount", g.cost.major()}, {"currency", std::string(g.cost.currency.str())}};
  j["cost_usd"] = usd(g.cost_usd_cents);
  j["co2_kg"] = round_to(static_cast<double>(g.co2_g) / 1000.0, 0.001);
  if (g.link.valid()) j["link"] = net.links[g.link].id;
  if (g.service.valid()) j["service"] = service_of(net, overlay, g.service).id;
  if (g.crossing.valid()) j["crossing"] = net.crossings[g.crossing].id;
  if (!g.note.empty()) j["note"] = g.note;
  ordered_json src = ordered_json::array();
  for (SourceIdx s : g.sources) src.push_back(net.sources[s].id);
  j["sources"] = src;
  return j;
}

}  // namespace

std::string itineraries_to_json(const Network& net, const QueryEcho& echo, const std::vector<Itinerary>& its,
                                int indent) {
  const RouteQuery& q = echo.query;
  ordered_json root;
  ordered_json query;
  query["from"] = net.locations[q.from].id;
  query["to"] = net.locations[q.to].id;
  query["depart"] = format_instant_utc(q.depart);
  query["units"] = q.units;
  query["unit"] = std::string(to_string(q.unit));
  query["by"] = std::string(to_string(q.objective));
  if (echo.deadline) query["deadline"] = format_instant_utc(*echo.deadline);
  query["scenarios"] = echo.scenarios;
  ordered_json via = ordered_json::array();
  for (LocationIdx v : q.via) via.push_back(net.locations[v].id);
  query["via"] = via;
  query["cargo_tonnes"] = q.cargo_mass().tonnes();
  root["query"] = query;
  root["dataset"] = {{"name", net.info.name}, {"version", net.info.version}, {"fx_date", net.info.fx_date}};
  ordered_json arr = ordered_json::array();
  for (const Itinerary& it : its) {
    ordered_json j;
    j["depart"] = format_instant_utc(it.depart);
    j["arrive"] = format_instant_utc(it.arrive);
    j["hours"] = hours_of(it.duration());
    j["km"] = round_to(it.km.km(), 0.1);
    j["cost_usd"] = usd(it.cost_usd_cents);
    j["co2_kg"] = round_to(static_cast<double>(it.co2_g) / 1000.0, 0.001);
    ordered_json by_cur = ordered_json::array();
    for (const Money& m : it.cost_by_currency.items()) {
      by_cur.push_back({{"currency", std::string(m.currency.str())}, {"amount", m.major()}});
    }
    j["cost_by_currency"] = by_cur;
    ordered_json bc = ordered_json::array();
    for (CrossingIdx c : it.border_crossings) bc.push_back(net.crossings[c].id);
    j["border_crossings"] = bc;
    j["gauge_changes"] = it.gauge_changes;
    ordered_json legs = ordered_json::array();
    if (it.reliability) {
      const Reliability& r = *it.reliability;
      ordered_json rel;
      rel["samples"] = r.samples;
      rel["p50_hours"] = hours_json(r.p50_hours);
      rel["p80_hours"] = hours_json(r.p80_hours);
      rel["p95_hours"] = hours_json(r.p95_hours);
      if (r.on_time_probability) rel["on_time_probability"] = round_to(*r.on_time_probability, 0.0001);
      else rel["on_time_probability"] = nullptr;
      if (r.never_arrived > 0) rel["never_arrived"] = r.never_arrived;
      j["reliability"] = rel;
    }
    if (it.most_reliable) j["most_reliable"] = true;
    for (const Leg& g : it.legs) legs.push_back(leg_json(net, g, echo.overlay));
    j["legs"] = legs;
    arr.push_back(j);
  }
  root["itineraries"] = arr;
  return root.dump(indent) + "\n";
}

std::string itineraries_to_geojson(const Network& net, const std::vector<Itinerary>& its, int indent, const Overlay* overlay) {
  ordered_json fc;
  fc["type"] = "FeatureCollection";
  ordered_json features = ordered_json::array();
  for (std::size_t k = 0; k < its.size(); ++k) {
    for (const Leg& g : its[k].legs) {
      const Location& a = net.locations[g.from];
      const Location& b = net.locations[g.to];
      ordered_json f;
      f["type"] = "Feature";
      if (g.from != g.to) {
        f["geometry"] = {{"type", "LineString"}, {"coordinates", {{a.lon, a.lat}, {b.lon, b.lat}}}};
      } else {
        f["geometry"] = {{"type", "Point"}, {"coordinates", {a.lon, a.lat}}};
      }
      ordered_json props = leg_json(net, g, overlay);
      props["option"] = k + 1;
      props["from_name"] = a.name;
      props["to_name"] = b.name;
      f["properties"] = props;
      features.push_back(f);
    }
  }
  fc["features"] = features;
  return fc.dump(indent) + "\n";
}

}  // namespace caravan
