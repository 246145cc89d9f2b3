// RouteIndex: the search graph of one NetworkView. Arcs are built once:
// trucks on open road links, each country's on-demand rail product on its
// open rail links, rides between every two stops of a service, and open land
// crossings. Ferries, ships and aircraft move only on their services; their
// links give distance and emissions.
#include <algorithm>
#include <cmath>

#include "caravan/route.h"
#include "caravan/scenario.h"
#include "index.h"

namespace caravan {
namespace {

double pow10d(int e) {
  double p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

CrossingIdx find_crossing(const Network& net, LocationIdx exit, LocationIdx entry, Mode m) {
  for (CrossingIdx c : net.crossings.indexes()) {
    const Crossing& x = net.crossings[c];
    if (x.exit == exit && x.entry == entry && x.mode == m) return c;
  }
  return CrossingIdx::invalid();
}

}  // namespace

RouteIndex::RouteIndex(const Network& net, const Overlay* overlay)
    : RouteIndex(overlay != nullptr ? overlay->view() : NetworkView(net)) {
  assert(overlay == nullptr || &overlay->network() == &net);
}

RouteIndex::RouteIndex(const NetworkView& view) : impl_(std::make_unique<Impl>(view)) {
  Impl& im = *impl_;
  const NetworkView& v = im.view;
  const Network& net = v.network();
  const std::uint32_t n = net.locations.size();

  // Countries, densely numbered, with their trucking terms and products.
  im.country.resize(n);
  im.country_index.resize(n);
  for (LocationIdx i : net.locations.indexes()) {
    const Location& l = v.location(i);
    im.country[i.v] = country_key(l.country[0], l.country[1]);
    auto it = std::find(im.countries.begin(), im.countries.end(), l.country);
    if (it == im.countries.end()) {
      im.countries.push_back(l.country);
      it = im.countries.end() - 1;
    }
    im.country_index[i.v] = static_cast<std::uint16_t>(it - im.countries.begin());
    if (l.handling_cost.minor < 0 || l.handling(true).minor < 0) im.nonnegative_costs = false;
    if (l.transfer_time.count() < 0) im.nonnegative_transfer = false;
  }
  for (const CountryCode& c : im.countries) {
    im.trucking.push_back(net.trucking_for(c));
    im.has_product.push_back(net.product_for(c).valid() ? 1 : 0);
  }

  im.closed.assign(n, 0);
  for (LocationIdx l : net.locations.indexes()) {
    if (!v.closures(l).empty()) {
      im.closed[l.v] = 1;
      im.any_closure = true;
    }
  }

  std::vector<std::vector<SearchArc>> out(n);
  auto east = [&](LocationIdx a, LocationIdx b) { return v.location(b).lon > v.location(a).lon; };
  for (LinkIdx li : net.links.indexes()) {
    const Link& k = v.link(li);
    if (k.status != LinkStatus::kOpen) continue;
    if (k.mode != Mode::kRoad && k.mode != Mode::kRail) continue;  // vessels and aircraft: services only
    const std::uint16_t country = im.country_index[k.from.v];
    ProductIdx product;
    if (k.mode == Mode::kRail) {
      product = net.product_for(v.location(k.from).country);
      if (!product.valid()) continue;  // rail without a product: services only
    }
    for (int dir = 0; dir < (k.bidirectional ? 2 : 1); ++dir) {
      const LocationIdx a = dir == 0 ? k.from : k.to;
      const LocationIdx b = dir == 0 ? k.to : k.from;
      SearchArc arc;
      arc.head = b.v;
      arc.mode = k.mode;
      arc.ref = li.v;
      arc.country = country;
      arc.eastbound = east(a, b);
      arc.co2_g_per_t = k.length.km() * k.co2_g_per_tkm;
      arc.km = k.length;
      if (k.mode == Mode::kRoad) {
        // Per truck: the country's truck-km rate by direction, else the
        // link's own per-km figure; plus the link's toll.
        arc.kind = ArcKind::kRoad;
        arc.travel_s = k.travel_time().count();
        const TruckingTerms* tk = im.trucking[country];
        arc.currency = tk != nullptr ? tk->currency : k.tariff_per_teu.currency;
        const double per_km = tk != nullptr ? tk->rate(arc.eastbound) : k.tariff_per_teu_km;
        double price = per_km * k.length.km() * pow10d(arc.currency.exponent());
        price += static_cast<double>(k.tariff_per_teu.minor);  // the loader keeps tolls in the haul's currency
        arc.price_teu = arc.price_feu = price;
      } else {
        const RailProduct& p = v.product(product);
        arc.kind = ArcKind::kProduct;
        arc.product = product;
        arc.travel_s = k.travel_time().count();
        arc.yard_s =
            p.yard_spacing_km > 0 ? hours(k.length.km() / p.yard_spacing_km * to_hours(p.yard_dwell)).count() : 0;
        arc.currency = p.currency;
        arc.price_teu = p.rate(arc.eastbound) * k.length.km() * pow10d(p.currency.exponent());
        arc.price_feu = arc.price_teu * p.feu_factor;
      }
      out[a.v].push_back(arc);
    }
  }
  // Rides between every two stops. A service's border segments are known
  // (Service::borders), so each arc costs O(1) to build beyond its pair; the
  // stops of a service are capped (kMaxServiceStops).
  for (std::uint32_t sv = 0; sv < v.service_count(); ++sv) {
    const ServiceIdx si(sv);
    const Service& s = v.service(si);
    if (s.stops.size() < 2 || s.stop_km.size() != s.stops.size()) continue;
    // Segment k -> the first port crossing at or after it (ferry/sea/air
    // between countries), for arcs from stop i: the first one before alight.
    std::vector<CrossingIdx> port_from(s.stops.size());
    for (std::size_t k = s.stops.size() - 1; k-- > 0;) {
      port_from[k] = port_from[k + 1];
      if (s.mode != Mode::kRail && net.locations[s.stops[k]].country != net.locations[s.stops[k + 1]].country) {
        CrossingIdx c = find_crossing(net, s.stops[k], s.stops[k + 1], s.mode);
        if (c.valid()) port_from[k] = c;
      }
    }
    std::vector<std::uint32_t> borders_upto(s.stops.size(), 0);  // borders on segments before stop j
    for (std::size_t k = 0; k + 1 < s.stops.size(); ++k) {
      borders_upto[k + 1] = borders_upto[k] + (!s.borders.empty() && s.borders[k].valid() ? 1 : 0);
    }
    for (std::size_t i = 0; i + 1 < s.stops.size(); ++i) {
      for (std::size_t j = i + 1; j < s.stops.size(); ++j) {
        SearchArc arc;
        arc.head = s.stops[j].v;
        arc.kind = ArcKind::kRide;
        arc.mode = s.mode;
        arc.board = static_cast<std::uint16_t>(i);
        arc.alight = static_cast<std::uint16_t>(j);
        arc.ref = si.v;
        arc.country = im.country_index[s.stops[i].v];
        arc.eastbound = east(s.stops[i], s.stops[j]);
        arc.travel_s = (s.stop_offsets[j] - s.stop_offsets[i]).count();
        arc.ride_borders = borders_upto[j] > borders_upto[i];
        const Money teu = s.fare(i, j, false), feu = s.fare(i, j, true);  // one currency per fare row
        arc.currency = teu.currency;
        arc.price_teu = static_cast<double>(teu.minor);
        arc.price_feu = static_cast<double>(feu.minor);
        arc.co2_g_per_t = s.stop_co2_g_per_t[j] - s.stop_co2_g_per_t[i];
        arc.km = Distance{s.stop_km[j].meters - s.stop_km[i].meters};
        // Customs of the first port crossing on the way (at most one applies).
        if (port_from[i].valid()) {
          const Crossing& c = net.crossings[port_from[i]];
          const auto pos = std::find(s.stops.begin() + static_cast<std::ptrdiff_t>(i), s.stops.end(), c.entry);
          if (pos != s.stops.end() && static_cast<std::size_t>(pos - s.stops.begin()) <= j)
            arc.port_crossing = port_from[i];
        }
        out[s.stops[i].v].push_back(arc);
      }
    }
  }
  for (CrossingIdx ci : net.crossings.indexes()) {
    const Crossing& c = v.crossing(ci);
    // Port crossings (ferry, sea, air between countries) ride on their moving
    // arcs; land crossings and breaks of gauge are arcs of their own.
    const bool land = c.mode == Mode::kRail || c.mode == Mode::kRoad;
    if (!land || c.status != LinkStatus::kOpen) continue;
    SearchArc arc;
    arc.head = c.entry.v;
    arc.kind = ArcKind::kCrossing;
    arc.mode = c.mode;
    arc.ref = ci.v;
    arc.country = im.country_index[c.exit.v];
    arc.currency = c.cost.currency;
    out[c.exit.v].push_back(arc);
  }
  im.first_out.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i)
    im.first_out[i + 1] = im.first_out[i] + static_cast<std::uint32_t>(out[i].size());
  im.arcs.reserve(im.first_out[n]);
  for (auto& a : out) im.arcs.insert(im.arcs.end(), a.begin(), a.end());

  // The reversed graph with each arc's least time at the medians, for the
  // per-query lower bounds that prune and direct Pareto searches.
  auto border_s = [&](CrossingIdx ci, TrafficClass k) {
    const Crossing& c = v.crossing(ci);
    return c.terms(k).clearance_median.count() + (c.gauge_change ? c.gauge_change_time.count() : 0);
  };
  std::vector<std::uint32_t> heads;
  std::vector<ReverseArc> reverse;
  heads.reserve(im.arcs.size());
  reverse.reserve(im.arcs.size());
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t a = im.begin(u); a < im.end(u); ++a) {
      const SearchArc& arc = im.arcs[a];
      std::int64_t t = 0;
      if (arc.kind == ArcKind::kCrossing) {
        t = border_s(CrossingIdx(arc.ref),
                     v.crossing(CrossingIdx(arc.ref)).mode == Mode::kRoad ? TrafficClass::kTruck : TrafficClass::kRail);
      } else {
        t = arc.travel_s + arc.yard_s;
        if (arc.ride_borders) {
          const Service& s = v.service(ServiceIdx(arc.ref));
          for (std::size_t k = arc.board; k < arc.alight; ++k) {
            if (s.borders[k].valid()) t += border_s(s.borders[k], TrafficClass::kBlockTrain);
          }
        }
        if (arc.port_crossing.valid()) t += border_s(arc.port_crossing, TrafficClass::kRail);
      }
      heads.push_back(arc.head);
      reverse.push_back({u, a, static_cast<std::uint32_t>(std::clamp<std::int64_t>(t, 0, UINT32_MAX))});
    }
  }
  im.reverse = detail::build_csr<ReverseArc>(n, heads, reverse);
  for (const auto& [c, per_usd] : v.fx().rates()) {
    im.usd.push_back({currency_key(c), pow10d(c.exponent()), per_usd});
  }
  if (std::none_of(im.usd.begin(), im.usd.end(),
                   [](const UsdRate& r) { return r.key == currency_key(Currency::usd()); })) {
    im.usd.push_back({currency_key(Currency::usd()), pow10d(Currency::usd().exponent()), 1.0});
  }
}

RouteIndex::~RouteIndex() = default;
RouteIndex::RouteIndex(RouteIndex&&) noexcept = default;
const Network& RouteIndex::network() const { return impl_->view.network(); }
const NetworkView& RouteIndex::view() const { return impl_->view; }

}  // namespace caravan
