#include <unordered_set>

#include <nlohmann/json.hpp>

#include "caravan/present.h"
#include "csv.h"

namespace caravan {
namespace {

using detail::csv_field;

using nlohmann::ordered_json;

ordered_json source_ids(const Network& net, const SourceList& list) {
  ordered_json a = ordered_json::array();
  for (SourceIdx s : list) a.push_back(net.sources[s].id);
  return a;
}

ordered_json point(const Location& l) { return {{"type", "Point"}, {"coordinates", {l.lon, l.lat}}}; }

ordered_json line(const std::vector<const Location*>& stops) {
  ordered_json coords = ordered_json::array();
  for (const Location* l : stops) coords.push_back({l->lon, l->lat});
  return {{"type", "LineString"}, {"coordinates", coords}};
}

std::string join_sources(const Network& net, const SourceList& list) {
  std::string out;
  for (SourceIdx s : list) out += (out.empty() ? "" : ";") + net.sources[s].id;
  return out;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// One Feature per record, layer by layer; `layer_key` and `layer_value` name
// the layer in each feature's properties (`feature_type` for the web map's
// single collection, `layer` for the GIS files).
struct FeatureWriter {
  const Network& net;
  std::string layer_key;
  std::unordered_set<std::string> hubs;

  FeatureWriter(const Network& n, std::string key)
      : net(n), layer_key(std::move(key)), hubs(n.info.hubs.begin(), n.info.hubs.end()) {}

  ordered_json feature(ordered_json geometry, const std::string& layer, ordered_json props) const {
    ordered_json p = {{layer_key, layer}};
    p.update(props);
    return {{"type", "Feature"}, {"geometry", std::move(geometry)}, {"properties", std::move(p)}};
  }

  ordered_json location(const Location& l, const std::string& layer) const {
    ordered_json aliases = l.aliases;
    return feature(point(l), layer,
                   {{"id", l.id},
                    {"name", l.name},
                    {"aliases", aliases},
                    {"country", std::string(l.country_code())},
                    {"kind", std::string(to_string(l.kind))},
                    {"hub", hubs.count(l.id) > 0},
                    {"timezone", std::string(l.zone.name())},
                    {"gauge_mm", l.gauge},
                    {"transfer_hours", to_hours(l.transfer_time)},
                    {"handling_cost", l.handling_cost.major()},
                    {"currency", std::string(l.handling_cost.currency.str())},
                    {"sources", source_ids(net, l.sources)}});
  }

  ordered_json link(const Link& k, const std::string& layer) const {
    const Location& a = net.locations[k.from];
    const Location& b = net.locations[k.to];
    return feature(line({&a, &b}), layer,
                   {{"id", k.id},
                    {"from", a.id},
                    {"to", b.id},
                    {"mode", std::string(to_string(k.mode))},
                    {"km", k.length.km()},
                    {"gauge_mm", k.gauge},
                    {"speed_kmh", k.speed_kmh},
                    {"hours", to_hours(k.travel_time())},
                    {"tariff_per_unit_km", k.tariff_per_teu_km},
                    {"tariff_per_unit", k.tariff_per_teu.major()},
                    {"currency", std::string(k.tariff_per_teu.currency.str())},
                    {"co2_g_per_tkm", k.co2_g_per_tkm},
                    {"capacity_units_per_day", k.capacity_teu_per_day},
                    {"bidirectional", k.bidirectional},
                    {"status", std::string(to_string(k.status))},
                    {"sources", source_ids(net, k.sources)}});
  }

  ordered_json crossing(const Crossing& c, const std::string& layer) const {
    const Location& a = net.locations[c.exit];
    const Location& b = net.locations[c.entry];
    return feature(line({&a, &b}), layer,
                   {{"id", c.id},
                    {"from", a.id},
                    {"to", b.id},
                    {"mode", std::string(to_string(c.mode))},
                    {"clearance_median_h", to_hours(c.clearance_median)},
                    {"clearance_p90_h", to_hours(c.clearance_p90)},
                    {"cost", c.cost.major()},
                    {"currency", std::string(c.cost.currency.str())},
                    {"exit_open", c.exit_open.text()},
                    {"entry_open", c.entry_open.text()},
                    {"gauge_change", c.gauge_change},
                    {"gauge_change_h", to_hours(c.gauge_change_time)},
                    {"sources", source_ids(net, c.sources)}});
  }

  ordered_json service(const Service& s, const std::string& layer) const {
    std::vector<const Location*> stops;
    ordered_json ids = ordered_json::array();
    for (LocationIdx i : s.stops) {
      stops.push_back(&net.locations[i]);
      ids.push_back(net.locations[i].id);
    }
    int per_week = 0;
    for (int d = 0; d < 7; ++d) per_week += (s.weekdays >> d) & 1;
    return feature(line(stops), layer,
                   {{"id", s.id},
                    {"name", s.name},
                    {"operator", s.operator_name},
                    {"mode", std::string(to_string(s.mode))},
                    {"stops", ids},
                    {"departures_per_week", per_week},
                    {"hours", to_hours(s.stop_offsets.back())},
                    {"km", s.stop_km.back().km()},
                    {"tariff_per_unit", s.tariff_per_teu.major()},
                    {"currency", std::string(s.tariff_per_teu.currency.str())},
                    {"sources", source_ids(net, s.sources)}});
  }
};

// The dataset's sources, so that a reader of the features can name what each
// `sources` id stands for.
ordered_json source_table(const Network& net) {
  ordered_json out = ordered_json::array();
  for (const Source& s : net.sources) {
    out.push_back({{"id", s.id},
                   {"kind", std::string(to_string(s.kind))},
                   {"title", s.title},
                   {"publisher", s.publisher},
                   {"url", s.url},
                   {"published", s.published}});
  }
  return out;
}

}  // namespace

std::string network_to_geojson(const Network& net, int indent) {
  FeatureWriter w(net, "feature_type");
  ordered_json features = ordered_json::array();
  for (const Location& l : net.locations) features.push_back(w.location(l, "location"));
  for (const Link& k : net.links) features.push_back(w.link(k, "link"));
  for (const Crossing& c : net.crossings) features.push_back(w.crossing(c, "crossing"));
  for (const Service& s : net.services) features.push_back(w.service(s, "service"));
  ordered_json fc = {{"type", "FeatureCollection"},
                     {"name", net.info.name},
                     {"features", features},
                     {"sources", source_table(net)}};
  return fc.dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::vector<GeoJsonLayer> network_to_geojson_layers(const Network& net, int indent) {
  FeatureWriter w(net, "layer");
  auto collect = [&](const std::string& name, const auto& records, auto make) {
    ordered_json features = ordered_json::array();
    for (const auto& r : records) features.push_back((w.*make)(r, name));
    ordered_json fc = {{"type", "FeatureCollection"}, {"name", name}, {"features", features}};
    return GeoJsonLayer{name, fc.dump(indent) + "\n"};
  };
  return {collect("locations", net.locations, &FeatureWriter::location),
          collect("links", net.links, &FeatureWriter::link),
          collect("crossings", net.crossings, &FeatureWriter::crossing),
          collect("services", net.services, &FeatureWriter::service)};
}

std::string network_to_csv(const Network& net) {
  std::string out =
      "type,id,name,from,to,country,mode,lat,lon,km,gauge_mm,hours,cost,currency,co2_g_per_tkm,status,sources\n";
  auto row = [&](std::initializer_list<std::string> cells) {
    std::string line;
    for (const std::string& c : cells) line += (line.empty() ? "" : ",") + csv_field(c);
    out += line + "\n";
  };
  for (const Location& l : net.locations) {
    row({"location", l.id, l.name, "", "", std::string(l.country_code()), "", num(l.lat), num(l.lon), "",
         l.gauge ? std::to_string(l.gauge) : "", num(to_hours(l.transfer_time)), num(l.handling_cost.major()),
         std::string(l.handling_cost.currency.str()), "", "", join_sources(net, l.sources)});
  }
  for (const Link& k : net.links) {
    const Location& a = net.locations[k.from];
    row({"link", k.id, "", a.id, net.locations[k.to].id, std::string(a.country_code()), std::string(to_string(k.mode)),
         "", "", num(k.length.km()), k.gauge ? std::to_string(k.gauge) : "", num(to_hours(k.travel_time())),
         num(k.tariff_per_teu_km * k.length.km() + k.tariff_per_teu.major()),
         std::string(k.tariff_per_teu.currency.str()), num(k.co2_g_per_tkm), std::string(to_string(k.status)),
         join_sources(net, k.sources)});
  }
  for (const Crossing& c : net.crossings) {
    row({"crossing", c.id, "", net.locations[c.exit].id, net.locations[c.entry].id, "", std::string(to_string(c.mode)),
         "", "", "", "", num(to_hours(c.clearance_median + (c.gauge_change ? c.gauge_change_time : Duration(0)))),
         num(c.cost.major() + (c.gauge_change ? c.gauge_change_cost_per_teu.major() : 0)),
         std::string(c.cost.currency.str()), "", "", join_sources(net, c.sources)});
  }
  for (const Service& s : net.services) {
    row({"service", s.id, s.name, net.locations[s.stops.front()].id, net.locations[s.stops.back()].id, "",
         std::string(to_string(s.mode)), "", "", num(s.stop_km.back().km()), "", num(to_hours(s.stop_offsets.back())),
         num(s.tariff_per_teu.major()), std::string(s.tariff_per_teu.currency.str()), "", "",
         join_sources(net, s.sources)});
  }
  return out;
}

}  // namespace caravan
