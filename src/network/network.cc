#include "caravan/network.h"

namespace caravan {

std::string_view to_string(SourceKind k) {
  switch (k) {
    case SourceKind::kMeasured: return "measured";
    case SourceKind::kPublished: return "published";
    case SourceKind::kAnnounced: return "announced";
    case SourceKind::kEstimate: return "estimate";
  }
  return "?";
}

std::string_view to_string(LocationKind k) {
  switch (k) {
    case LocationKind::kTerminal: return "terminal";
    case LocationKind::kDryPort: return "dry_port";
    case LocationKind::kBcp: return "bcp";
    case LocationKind::kSeaport: return "seaport";
    case LocationKind::kAirport: return "airport";
    case LocationKind::kCity: return "city";
  }
  return "?";
}

std::string_view to_string(LinkStatus s) {
  switch (s) {
    case LinkStatus::kOpen: return "open";
    case LinkStatus::kPlanned: return "planned";
    case LinkStatus::kClosed: return "closed";
  }
  return "?";
}

std::string_view to_string(ObservationKind k) {
  switch (k) {
    case ObservationKind::kClearance: return "clearance";
    case ObservationKind::kGaugeChange: return "gauge_change";
    case ObservationKind::kLinkTravel: return "link";
    case ObservationKind::kServiceDelay: return "service_delay";
  }
  return "?";
}

LocationIdx Network::find_location(std::string_view id) const {
  auto it = location_by_id.find(std::string(id));
  return it == location_by_id.end() ? LocationIdx::invalid() : it->second;
}

double Network::average_co2_g_per_tkm(Mode m) const {
  for (const EmissionFactor& f : emission_factors) {
    if (f.mode == m && f.traction == "average") return f.g_co2e_per_tkm;
  }
  return 0;
}

Errors Network::validate() const {
  Errors out;
  auto bad = [&](std::string what) { out.push_back(Error::internal("network is invalid because: " + std::move(what))); };
  const std::uint32_t n = locations.size();
  for (const Link& k : links) {
    if (k.from.v >= n || k.to.v >= n) {
      bad("link " + k.id + " refers to a location out of range");
      continue;
    }
    if (!(k.speed_kmh > 0)) bad("link " + k.id + " has no positive speed");
    if (k.mode == Mode::kRail && (locations[k.from].gauge != k.gauge || locations[k.to].gauge != k.gauge)) {
      bad("link " + k.id + " gauge differs from its end locations' gauge");
    }
    if ((k.mode == Mode::kRail || k.mode == Mode::kRoad) && locations[k.from].country != locations[k.to].country) {
      bad("land link " + k.id + " joins two countries");
    }
  }
  for (const Crossing& c : crossings) {
    if (c.exit.v >= n || c.entry.v >= n) {
      bad("crossing " + c.id + " refers to a location out of range");
      continue;
    }
    if (c.clearance_p90 < c.clearance_median) bad("crossing " + c.id + " has p90 below median");
  }
  for (const Service& s : services) {
    if (s.stops.size() < 2 || s.stop_offsets.size() != s.stops.size() || s.stop_km.size() != s.stops.size() ||
        s.stop_co2_g_per_t.size() != s.stops.size()) {
      bad("service " + s.id + " has inconsistent stop arrays");
      continue;
    }
    for (LocationIdx i : s.stops) {
      if (i.v >= n) bad("service " + s.id + " stop out of range");
    }
    if (s.weekdays == 0) bad("service " + s.id + " never departs");
  }
  for (const auto& [cur, rate] : fx.rates()) {
    if (!(rate > 0)) bad("fx rate for " + std::string(cur.str()) + " is not positive");
  }
  return out;
}

}  // namespace caravan
