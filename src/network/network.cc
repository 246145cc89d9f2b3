#include "caravan/network.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace caravan {

std::string_view to_string(SourceKind k) {
  switch (k) {
    case SourceKind::kMeasured:
      return "measured";
    case SourceKind::kPublished:
      return "published";
    case SourceKind::kAnnounced:
      return "announced";
    case SourceKind::kEstimate:
      return "estimate";
    case SourceKind::kDerived:
      return "derived";
    case SourceKind::kProxy:
      return "proxy";
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
    case LocationKind::kTerminal:
      return "terminal";
    case LocationKind::kDryPort:
      return "dry_port";
    case LocationKind::kBcp:
      return "bcp";
    case LocationKind::kSeaport:
      return "seaport";
    case LocationKind::kAirport:
      return "airport";
    case LocationKind::kCity:
      return "city";
  }
  return "?";
}

std::string_view to_string(LinkStatus s) {
  switch (s) {
    case LinkStatus::kOpen:
      return "open";
    case LinkStatus::kPlanned:
      return "planned";
    case LinkStatus::kClosed:
      return "closed";
  }
  return "?";
}

std::string_view to_string(ObservationKind k) {
  switch (k) {
    case ObservationKind::kClearance:
      return "clearance";
    case ObservationKind::kGaugeChange:
      return "gauge_change";
    case ObservationKind::kLinkTravel:
      return "link";
    case ObservationKind::kServiceDelay:
      return "service_delay";
  }
  return "?";
}

namespace {
// The 40-ft figure of a row, or the 2× rule (ADR 0500 section 4).
Money forty_or_double(const std::optional<Money>& forty, Money twenty) {
  return forty ? *forty : Money{twenty.minor * 2, twenty.currency};
}
}  // namespace

Money Location::handling(bool forty_foot) const {
  return forty_foot ? forty_or_double(handling_cost_feu, handling_cost) : handling_cost;
}

Money Location::storage(bool forty_foot) const {
  return forty_foot ? forty_or_double(storage_per_day_feu, storage_per_day) : storage_per_day;
}

Money Crossing::gauge_change_cost(bool forty_foot) const {
  return forty_foot ? forty_or_double(gauge_change_cost_feu, gauge_change_cost_per_teu) : gauge_change_cost_per_teu;
}

void Crossing::reset_classes() {
  for (CrossingTerms& t : classes) {
    t.clearance_median = clearance_median;
    t.clearance_p90 = clearance_p90;
    t.exit_open = exit_open;
    t.entry_open = entry_open;
    t.cost = cost;
    t.cost_feu = forty_or_double(cost_feu, cost);
    t.overridden = false;
    t.sources = sources;
  }
}

Duration RailProduct::travel(Distance km, double speed_kmh) const {
  double h = km.km() / speed_kmh;
  if (yard_spacing_km > 0) h += km.km() / yard_spacing_km * to_hours(yard_dwell);
  return hours(h);
}

Money Service::fare(std::size_t board, std::size_t alight, bool forty_foot) const {
  for (const Fare& f : fares) {
    if (f.board == board && f.alight == alight) return forty_foot ? forty_or_double(f.per_feu, f.per_teu) : f.per_teu;
  }
  return forty_foot ? forty_or_double(tariff_per_feu, tariff_per_teu) : tariff_per_teu;
}

std::optional<Money> Service::air_charge(Mass chargeable) const {
  if (air_rates.empty()) return std::nullopt;
  // The applicable break: the highest at or below the weight (or the lowest).
  std::size_t from = 0;
  for (std::size_t i = 0; i < air_rates.size(); ++i) {
    if (air_rates[i].min.kg <= chargeable.kg) from = i;
  }
  double best = -1;
  for (std::size_t i = from; i < air_rates.size(); ++i) {
    const double kg = static_cast<double>(std::max(chargeable.kg, air_rates[i].min.kg));
    const double c = air_rates[i].per_kg_minor * kg;
    if (best < 0 || c < best) best = c;
  }
  const Money floor = air_rates.front().min_charge;
  std::int64_t minor = std::llround(best);
  return Money{std::max(minor, floor.minor), floor.currency};
}

LocationIdx Network::find_location(std::string_view id) const {
  auto it = location_by_id.find(std::string(id));
  return it == location_by_id.end() ? LocationIdx::invalid() : it->second;
}

ProductIdx Network::product_for(CountryCode c) const {
  for (ProductIdx p : products.indexes()) {
    for (const CountryCode& k : products[p].countries) {
      if (k == c) return p;
    }
  }
  return ProductIdx::invalid();
}

const TruckingTerms* Network::trucking_for(CountryCode c) const {
  for (const TruckingTerms& t : trucking) {
    if (t.country == c) return &t;
  }
  return nullptr;
}

const EquipmentType* Network::equipment_for(UnitKind u) const {
  if (!is_container(u)) return nullptr;
  const auto& e = equipment[static_cast<std::size_t>(u)];
  return e ? &*e : nullptr;
}

const EmptyReturn* Network::empty_return_for(CountryCode c, bool forty_foot) const {
  for (const EmptyReturn& e : empty_returns) {
    if (e.country == c && e.forty_foot == forty_foot) return &e;
  }
  return nullptr;
}

double Network::average_co2_g_per_tkm(Mode m) const {
  for (const EmissionFactor& f : emission_factors) {
    if (f.mode == m && f.traction == "average") return f.g_co2e_per_tkm;
  }
  return 0;
}

Errors Network::validate() const {
  Errors out;
  auto bad = [&](std::string what) {
    out.push_back(Error::internal("network is invalid because: " + std::move(what)));
  };
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
    if (s.stops.size() > kMaxServiceStops)
      bad("service " + s.id + " has more than " + std::to_string(kMaxServiceStops) + " stops");
    if (!s.borders.empty() && s.borders.size() + 1 != s.stops.size())
      bad("service " + s.id + " has inconsistent border segments");
    if (!s.timetable.empty() && s.timetable.size() != s.stops.size())
      bad("service " + s.id + " has an inconsistent timetable");
  }
  for (const RailProduct& p : products) {
    for (const CountryCode& c : p.countries) {
      ProductIdx q = product_for(c);
      if (q.valid() && products[q].id != p.id) bad("country " + std::string(c.data(), 2) + " has two rail products");
    }
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
  const Duration offset = s.scheduled(board);
  const Instant want = t - offset;  // the run must leave the first stop at or after this
  const std::int64_t local = z0.local_seconds(want);
  const std::int64_t day0 = (local >= 0 ? local / kDay : (local - kDay + 1) / kDay) * kDay;
  // From the day before (a zone ahead of UTC) to a week and a day on.
  for (int k = -1; k <= 8; ++k) {
    const std::int64_t ldep = day0 + k * kDay + s.depart_local_s;
    if (!((s.weekdays >> weekday_of_local(ldep)) & 1u)) continue;
    const Instant guess(Duration(ldep - z0.offset(want).count()));
    const Instant dep(Duration(ldep - z0.offset(guess).count()));
    if (dep < want) continue;
    return dep + offset;
  }
  return std::nullopt;
}

CrossingIdx find_rail_crossing(const Network& net, LocationIdx exit, LocationIdx entry) {
  for (CrossingIdx c : net.crossings.indexes()) {
    const Crossing& x = net.crossings[c];
    if (x.exit == exit && x.entry == entry && x.mode == Mode::kRail) return c;
  }
  return CrossingIdx::invalid();
}

void schedule_service(Service& s, const Network& net, const std::function<const Crossing&(CrossingIdx)>& crossing_at) {
  s.borders.clear();
  s.timetable.clear();
  if (s.mode != Mode::kRail) return;
  bool any = false;
  std::vector<CrossingIdx> borders(s.stops.size() > 0 ? s.stops.size() - 1 : 0);
  for (std::size_t k = 0; k + 1 < s.stops.size(); ++k) {
    if (net.locations[s.stops[k]].country == net.locations[s.stops[k + 1]].country) continue;
    borders[k] = find_rail_crossing(net, s.stops[k], s.stops[k + 1]);
    any = any || borders[k].valid();
  }
  if (!any) return;
  s.borders = std::move(borders);
  if (s.stop_offsets.size() != s.stops.size()) return;
  s.timetable.resize(s.stops.size());
  Duration extra{0};
  for (std::size_t k = 0; k < s.stops.size(); ++k) {
    if (k > 0 && s.borders[k - 1].valid()) {
      const Crossing& c = crossing_at(s.borders[k - 1]);
      extra +=
          c.terms(TrafficClass::kBlockTrain).clearance_median + (c.gauge_change ? c.gauge_change_time : Duration(0));
    }
    s.timetable[k] = s.stop_offsets[k] + extra;
  }
}

NetworkView::NetworkView(const Network& net) : net_(&net), fx_(net.fx) {
  locations_.reserve(net.locations.size());
  for (const Location& l : net.locations) locations_.push_back(&l);
  links_.reserve(net.links.size());
  for (const Link& k : net.links) links_.push_back(&k);
  crossings_.reserve(net.crossings.size());
  for (const Crossing& c : net.crossings) crossings_.push_back(&c);
  services_.reserve(net.services.size());
  for (const Service& s : net.services) services_.push_back(&s);
  for (const RailProduct& p : net.products) products_.push_back(&p);
  crossing_closures_.resize(net.crossings.size());
  for (const CrossingClosure& c : net.closures) crossing_closures_[c.crossing.v].push_back({c.cls, c.from, c.until});
  for (auto& v : crossing_closures_) {
    std::sort(v.begin(), v.end(), [](const ClassClosure& a, const ClassClosure& b) { return a.from < b.from; });
  }
}

std::optional<std::pair<Duration, Duration>> NetworkView::punctuality(ServiceIdx s) const {
  auto it = punctuality_.find(s.v);
  if (it == punctuality_.end()) return std::nullopt;
  return it->second;
}

const std::vector<ClosureWindow>& NetworkView::closures(LocationIdx l) const {
  static const std::vector<ClosureWindow> kNone;
  auto it = location_closures_.find(l.v);
  return it == location_closures_.end() ? kNone : it->second;
}

}  // namespace caravan
