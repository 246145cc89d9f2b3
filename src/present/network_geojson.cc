#include <cmath>

#include <nlohmann/json.hpp>

#include "caravan/present.h"

namespace caravan {
namespace {

using nlohmann::ordered_json;

ordered_json point(const Location& l) { return {{"type", "Point"}, {"coordinates", {l.lon, l.lat}}}; }

ordered_json line(const Location& a, const Location& b) {
  return {{"type", "LineString"}, {"coordinates", {{a.lon, a.lat}, {b.lon, b.lat}}}};
}

}  // namespace

std::string network_to_geojson(const Network& net, int indent) {
  ordered_json features = ordered_json::array();
  for (const Location& l : net.locations) {
    ordered_json p;
    p["feature"] = "location";
    p["id"] = l.id;
    p["name"] = l.name;
    p["aliases"] = l.aliases;
    p["country"] = std::string(l.country_code());
    p["kind"] = std::string(to_string(l.kind));
    features.push_back({{"type", "Feature"}, {"geometry", point(l)}, {"properties", p}});
  }
  for (const Link& k : net.links) {
    ordered_json p;
    p["feature"] = "link";
    p["id"] = k.id;
    p["from"] = net.locations[k.from].id;
    p["to"] = net.locations[k.to].id;
    p["mode"] = std::string(to_string(k.mode));
    p["km"] = std::round(k.length.km() * 10) / 10;
    p["gauge_mm"] = k.gauge;
    p["status"] = std::string(to_string(k.status));
    features.push_back(
        {{"type", "Feature"}, {"geometry", line(net.locations[k.from], net.locations[k.to])}, {"properties", p}});
  }
  for (const Crossing& c : net.crossings) {
    ordered_json p;
    p["feature"] = "crossing";
    p["id"] = c.id;
    p["exit"] = net.locations[c.exit].id;
    p["entry"] = net.locations[c.entry].id;
    p["mode"] = std::string(to_string(c.mode));
    p["clearance_median_h"] = std::round(to_hours(c.clearance_median) * 100) / 100;
    p["gauge_change"] = c.gauge_change;
    features.push_back(
        {{"type", "Feature"}, {"geometry", line(net.locations[c.exit], net.locations[c.entry])}, {"properties", p}});
  }
  ordered_json fc;
  fc["type"] = "FeatureCollection";
  fc["features"] = features;
  return fc.dump(indent) + "\n";
}

}  // namespace caravan
