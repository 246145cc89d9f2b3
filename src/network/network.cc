#include "caravan/network.h"

#include <queue>

namespace caravan {

std::string_view to_string(SourceKind k) {
  switch (k) {
    case SourceKind::kMeasured: return "measured";
    case SourceKind::kPublished: return "published";
    case SourceKind::kAnnounced: return "announced";
    case SourceKind::kEstimate: return "estimate";
    case SourceKind::kDerived: return "derived";
    case SourceKind::kProxy: return "proxy";
  }
  return "?";
}

std::optional<SourceKind> parse_source_kind(std::string_view text) {
  for (SourceKind k : {SourceKind::kMeasured, SourceKind::kPublished, SourceKind::kAnnounced, SourceKind::kEstimate,
                       SourceKind::kDerived, SourceKind::kProxy}) {
    if (text == to_string(k)) return k;
  }
  return std::nullopt;
}

bool source_kind_needs_note(SourceKind k) {
  return k == SourceKind::kEstimate || k == SourceKind::kDerived || k == SourceKind::kProxy;
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

std::vector<std::vector<LinkIdx>> outgoing_links(const Network& net) {
  std::vector<std::vector<LinkIdx>> out(net.locations.size());
  for (LinkIdx i : net.links.indexes()) {
    const Link& k = net.links[i];
    out[k.from.v].push_back(i);
    if (k.bidirectional) out[k.to.v].push_back(i);
  }
  return out;
}

std::optional<LinkPath> shortest_link_path(const Network& net, const std::vector<std::vector<LinkIdx>>& outgoing,
                                           const std::function<const Link&(LinkIdx)>& link_at, LocationIdx a,
                                           LocationIdx b, Mode m) {
  const std::uint32_t n = net.locations.size();
  std::vector<std::int64_t> dist(n, INT64_MAX);
  std::vector<double> co2(n, 0);
  using Item = std::pair<std::int64_t, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
  dist[a.v] = 0;
  q.push({0, a.v});
  while (!q.empty()) {
    auto [d, u] = q.top();
    q.pop();
    if (d != dist[u]) continue;
    if (u == b.v) return LinkPath{Distance{d}, co2[u]};
    for (LinkIdx li : outgoing[u]) {
      const Link& k = link_at(li);
      if (k.mode != m || k.status != LinkStatus::kOpen) continue;
      std::uint32_t v = k.from.v == u ? k.to.v : k.from.v;
      std::int64_t nd = d + k.length.meters;
      if (nd < dist[v]) {
        dist[v] = nd;
        co2[v] = co2[u] + k.length.km() * k.co2_g_per_tkm;
        q.push({nd, v});
      }
    }
  }
  return std::nullopt;
}

std::optional<Instant> next_departure(const Network& net, const Service& s, std::size_t board, Instant t) {
  constexpr std::int64_t kDay = 86400;
  if (s.weekdays == 0 || board >= s.stops.size()) return std::nullopt;
  const TimeZone& z0 = net.locations[s.stops[0]].zone;
  const Instant want = t - s.stop_offsets[board];  // the run must leave the first stop at or after this
  const std::int64_t local = z0.local_seconds(want);
  const std::int64_t day0 = (local >= 0 ? local / kDay : (local - kDay + 1) / kDay) * kDay;
  // From the day before (a zone ahead of UTC) to a week and a day on.
  for (int k = -1; k <= 8; ++k) {
    const std::int64_t ldep = day0 + k * kDay + s.depart_local_s;
    if (!((s.weekdays >> weekday_of_local(ldep)) & 1u)) continue;
    const Instant guess(Duration(ldep - z0.offset(want).count()));
    const Instant dep(Duration(ldep - z0.offset(guess).count()));
    if (dep < want) continue;
    return dep + s.stop_offsets[board];
  }
  return std::nullopt;
}

}  // namespace caravan
