#include <algorithm>
#include <cmath>
#include <type_traits>

#include "caravan/route.h"
#include "caravan/scenario.h"
#include "index.h"
#include "min_heap.h"
#include "walk.h"

namespace caravan {

std::string_view to_string(Objective o) {
  switch (o) {
    case Objective::kPareto: return "pareto";
    case Objective::kTime: return "time";
    case Objective::kCost: return "cost";
    case Objective::kCo2: return "co2";
  }
  return "?";
}

std::optional<Objective> parse_objective(std::string_view s) {
  for (Objective o : {Objective::kPareto, Objective::kTime, Objective::kCost, Objective::kCo2}) {
    if (to_string(o) == s) return o;
  }
  return std::nullopt;
}

Mass RouteQuery::cargo_mass() const {
  Mass per = cargo_per_unit ? *cargo_per_unit : default_cargo_mass(unit);
  return Mass{per.kg * static_cast<std::int64_t>(units)};
}

std::string_view Leg::kind_name() const {
  switch (kind) {
    case LegKind::kMove: return to_string(mode);
    case LegKind::kWait: return "wait";
    case LegKind::kTransfer: return "transfer";
    case LegKind::kBorder: return "border";
    case LegKind::kGaugeChange: return "gauge_change";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// Index construction

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
    : net_(&net), overlay_(overlay), impl_(std::make_unique<Impl>()) {
  assert(overlay == nullptr || &overlay->network() == &net);
  const std::uint32_t n = net.locations.size();
  Impl& im = *impl_;
  im.overlay = overlay;
  im.fx = overlay != nullptr ? &overlay->fx() : &net.fx;
  for (CrossingIdx c : net.crossings.indexes()) im.crossing.push_back(overlay != nullptr ? &overlay->crossing(c) : &net.crossings[c]);
  const std::uint32_t n_services = overlay != nullptr ? overlay->service_count() : net.services.size();
  for (std::uint32_t i = 0; i < n_services; ++i) {
    im.service.push_back(overlay != nullptr ? &overlay->service(ServiceIdx(i)) : &net.services[ServiceIdx(i)]);
  }
  im.closed.assign(n, 0);
  if (overlay != nullptr) {
    for (LocationIdx l : net.locations.indexes()) {
      if (!overlay->closures(l).empty()) {
        im.closed[l.v] = 1;
        im.any_closure = true;
      }
    }
  }
  std::vector<std::vector<SearchArc>> out(n);
  for (LinkIdx li : net.links.indexes()) {
    const Link& k = overlay != nullptr ? overlay->link(li) : net.links[li];
    if (k.status != LinkStatus::kOpen) continue;
    // Ferries, ships and aircraft sail only on their schedules (services);
    // their links give distance and emissions. Rail and road run on demand.
    if (k.mode == Mode::kFerry || k.mode == Mode::kSea || k.mode == Mode::kAir) continue;
    for (int dir = 0; dir < (k.bidirectional ? 2 : 1); ++dir) {
      LocationIdx a = dir == 0 ? k.from : k.to;
      LocationIdx b = dir == 0 ? k.to : k.from;
      SearchArc arc;
      arc.head = b.v;
      arc.kind = ArcKind::kLink;
      arc.mode = k.mode;
      arc.ref = li.v;
      arc.travel_s = k.travel_time().count();
      arc.currency = k.tariff_per_teu.currency;
      arc.cost_minor_per_teu = k.tariff_per_teu_km * k.length.km() * pow10d(arc.currency.exponent()) +
                               static_cast<double>(k.tariff_per_teu.minor);
      arc.co2_g_per_t = k.length.km() * k.co2_g_per_tkm;
      arc.km = k.length;
      if (net.locations[a].country != net.locations[b].country) arc.port_crossing = find_crossing(net, a, b, k.mode);
      out[a.v].push_back(arc);
    }
  }
  for (std::uint32_t sv = 0; sv < n_services; ++sv) {
    const ServiceIdx si(sv);
    const Service& s = *im.service[sv];
    const double total_km = s.stop_km.back().km();
    for (std::size_t i = 0; i + 1 < s.stops.size(); ++i) {
      for (std::size_t j = i + 1; j < s.stops.size(); ++j) {
        SearchArc arc;
        arc.head = s.stops[j].v;
        arc.kind = ArcKind::kRide;
        arc.mode = s.mode;
        arc.board = static_cast<std::uint16_t>(i);
        arc.alight = static_cast<std::uint16_t>(j);
        arc.ref = si.v;
        arc.travel_s = (s.stop_offsets[j] - s.stop_offsets[i]).count();
        arc.currency = s.tariff_per_teu.currency;
        double share = total_km > 0 ? (s.stop_km[j].km() - s.stop_km[i].km()) / total_km
                                    : static_cast<double>(j - i) / static_cast<double>(s.stops.size() - 1);
        arc.cost_minor_per_teu = static_cast<double>(s.tariff_per_teu.minor) * share;
        arc.co2_g_per_t = s.stop_co2_g_per_t[j] - s.stop_co2_g_per_t[i];
        arc.km = Distance{s.stop_km[j].meters - s.stop_km[i].meters};
        for (std::size_t k = i; k < j && !arc.port_crossing.valid(); ++k) {
          if (net.locations[s.stops[k]].country != net.locations[s.stops[k + 1]].country) {
            arc.port_crossing = find_crossing(net, s.stops[k], s.stops[k + 1], s.mode);
          }
        }
        out[s.stops[i].v].push_back(arc);
      }
    }
  }
  for (CrossingIdx ci : net.crossings.indexes()) {
    const Crossing& c = *im.crossing[ci.v];
    // Port crossings (ferry, sea, air between countries) ride on their moving
    // arcs; land crossings and breaks of gauge are arcs of their own.
    bool land = c.mode == Mode::kRail || c.mode == Mode::kRoad;
    if (!land) continue;
    SearchArc arc;
    arc.head = c.entry.v;
    arc.kind = ArcKind::kCrossing;
    arc.mode = c.mode;
    arc.ref = ci.v;
    arc.currency = c.cost.currency;
    out[c.exit.v].push_back(arc);
  }
  impl_->first_out.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) impl_->first_out[i + 1] = impl_->first_out[i] + static_cast<std::uint32_t>(out[i].size());
  impl_->arcs.reserve(impl_->first_out[n]);
  for (auto& v : out) impl_->arcs.insert(impl_->arcs.end(), v.begin(), v.end());

  // The reversed graph with each arc's least time at the medians, for the
  // per-query lower bounds that prune and direct Pareto searches.
  auto border_s = [&](CrossingIdx ci) {
    const Crossing& c = *im.crossing[ci.v];
    return c.clearance_median.count() + (c.gauge_change ? c.gauge_change_time.count() : 0);
  };
  std::vector<std::uint32_t> heads;
  std::vector<ReverseArc> reverse;
  heads.reserve(im.arcs.size());
  reverse.reserve(im.arcs.size());
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t a = im.begin(u); a < im.end(u); ++a) {
      const SearchArc& arc = im.arcs[a];
      std::int64_t t = arc.kind == ArcKind::kCrossing ? border_s(CrossingIdx(arc.ref)) : arc.travel_s;
      if (arc.kind != ArcKind::kCrossing && arc.port_crossing.valid()) t += border_s(arc.port_crossing);
      heads.push_back(arc.head);
      reverse.push_back({u, a, static_cast<std::uint32_t>(std::clamp<std::int64_t>(t, 0, UINT32_MAX))});
    }
  }
  im.reverse = detail::build_csr<ReverseArc>(n, heads, reverse);
  im.country.resize(n);
  for (LocationIdx i : net.locations.indexes()) {
    const Location& l = net.locations[i];
    im.country[i.v] = country_key(l.country[0], l.country[1]);
    if (l.handling_cost.minor < 0) im.nonnegative_costs = false;
    if (l.transfer_time.count() < 0) im.nonnegative_transfer = false;
  }
  for (const auto& [c, per_usd] : im.fx->rates()) {
    im.usd.push_back({currency_key(c), pow10d(c.exponent()), per_usd});
  }
  if (std::none_of(im.usd.begin(), im.usd.end(),
                   [](const UsdRate& r) { return r.key == currency_key(Currency::usd()); })) {
    im.usd.push_back({currency_key(Currency::usd()), pow10d(Currency::usd().exponent()), 1.0});
  }
}

RouteIndex::~RouteIndex() = default;
const Crossing& RouteIndex::crossing(CrossingIdx c) const { return *impl_->crossing[c.v]; }
const Service& RouteIndex::service(ServiceIdx s) const { return *impl_->service[s.v]; }
const FxTable& RouteIndex::fx() const { return *impl_->fx; }
RouteIndex::RouteIndex(RouteIndex&&) noexcept = default;

// ---------------------------------------------------------------------------
// Search

namespace {

using detail::kNoMode;
using detail::NominalTiming;
using detail::Outcome;
using detail::VirtualTiming;
using detail::Walker;

constexpr std::uint32_t kNone = UINT32_MAX;
constexpr int kModeSlots = kModeCount + 1;

struct Label {
  std::int64_t t;     // arrival, seconds since epoch
  std::int64_t cost;  // USD cents
  std::int64_t co2;   // grams
  std::uint32_t state;
  std::uint32_t parent;  // label index, kNone at the origin
  std::uint32_t arc;     // arc taken from the parent, kNone at the origin
  std::uint8_t mode;     // mode of the last moving leg, kNoMode at the origin
  std::uint8_t stage;    // vias visited
};

Walker walker_for(const RouteIndex& index, const RouteQuery& q) {
  Walker w;
  w.impl = &index.impl();
  w.net = &index.network();
  w.teu = static_cast<double>(q.teu());
  w.tonnes = q.cargo_mass().tonnes();
  return w;
}

// Emits the legs of `arcs` walked from the query's origin and departure; sums
// the totals. nullopt when an arc cannot be taken.
template <class Timing>
std::optional<Itinerary> walk_path(const Walker& w, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                                   Timing& timing) {
  const auto& impl = *w.impl;
  Itinerary it;
  it.depart = q.depart;
  Outcome o{q.depart.time_since_epoch().count(), 0, 0};
  std::uint32_t at = q.from.v;
  std::uint8_t mode = kNoMode;
  for (std::uint32_t a : arcs) {
    const SearchArc& arc = impl.arcs[a];
    auto next = w.traverse<true>(arc, at, mode, o, &it.legs, timing);
    if (!next) return std::nullopt;
    o = *next;
    at = arc.head;
    mode = static_cast<std::uint8_t>(arc.mode);
  }
  for (const Leg& g : it.legs) {
    it.km += g.km;
    it.cost_usd_cents += g.cost_usd_cents;
    it.co2_g += g.co2_g;
    if (g.cost.minor != 0) it.cost_by_currency.add(g.cost);
    if (g.kind == LegKind::kBorder) it.border_crossings.push_back(g.crossing);
    if (g.kind == LegKind::kGaugeChange) ++it.gauge_changes;
  }
  it.arrive = it.legs.empty() ? q.depart : it.legs.back().arrive;
  it.arcs = arcs;
  return it;
}

// What dominance reads of a settled label, stored contiguously per state so a
// bag is scanned without chasing label indexes.
struct Criteria {
  std::int64_t t, cost, co2;
};

// Priority of a label: the objective's criterion first (for Pareto the
// arrival plus the lower bound on the time still to go), then the others.
struct QItem {
  std::int64_t k0, k1, k2;
  std::uint32_t label;
};

// Lower bounds on what is still to go from a location to the destination.
struct Bounds {
  std::int64_t t, cost, co2;
};

}  // namespace

// Per-query scratch, kept across queries: nothing here is cleared in O(n)
// between queries. Bags are reset through the list of states touched,
// per-location marks through a generation stamp (RoutingKit's timestamp
// flags), and every buffer keeps its capacity, so a warm planner allocates only
// for the itineraries it returns (and when a query needs more room than any
// before it).
struct Planner::State {
  struct ItemLess {
    const State* s;
    bool operator()(const QItem& a, const QItem& b) const {
      if (a.k0 != b.k0) return a.k0 < b.k0;
      if (a.k1 != b.k1) return a.k1 < b.k1;
      if (a.k2 != b.k2) return a.k2 < b.k2;
      return s->created_before(a.label, b.label);
    }
  };

  const RouteIndex* index;
  const Network* net;
  Walker w;
  std::vector<Label> labels;
  std::vector<std::uint32_t> bag_slot;      // state -> its bag in `bags`, kNone while empty
  std::vector<std::vector<Criteria>> bags;  // slot -> criteria of the labels settled in that state
  std::uint32_t bags_used = 0;
  std::vector<std::uint32_t> touched;        // states with a non-empty bag
  std::vector<std::uint32_t> target;         // settled labels at the destination
  std::vector<std::uint32_t> blocked_stamp;  // location -> generation in which it may not be entered
  std::vector<std::uint16_t> avoided_countries;
  std::uint32_t generation = 0;
  detail::MinHeap<QItem, ItemLess> heap{ItemLess{this}};
  std::uint64_t settled = 0;

  // Pareto only: lower bounds on time, cost and CO2 to the destination, from
  // Dijkstras on the reversed graph (compute_bounds); valid where
  // bound_stamp[loc] == generation, and a location without a stamp cannot
  // reach the destination at all.
  std::vector<Bounds> bound;
  std::vector<std::uint32_t> bound_stamp, cost_stamp, co2_stamp;
  detail::MinHeap<std::pair<std::int64_t, std::uint32_t>, std::less<>> bound_heap;
  // Cost (USD cents) and CO2 (g) of each reversed arc's forward arc for one
  // cargo size, clamped to 32 bits (a smaller weight is still a lower bound);
  // recomputed only when the cargo changes.
  std::vector<std::uint32_t> rev_cost, rev_co2;
  double weights_teu = -1, weights_tonnes = -1;
  bool weights_nonnegative = true;
  bool use_bounds = false;
  // The search order of the planner without bounds, reproduced on ties (see
  // created_before); only Pareto searches ordered by time + bound need it.
  bool directed = false;

  // Query constants.
  const RouteQuery* q = nullptr;
  Objective obj = Objective::kPareto;
  int stages = 1;

  std::uint32_t state_of(std::uint32_t loc, std::uint8_t mode, std::uint8_t stage) const {
    return (loc * kModeSlots + mode) * static_cast<std::uint32_t>(stages) + stage;
  }

  bool dominates(const Criteria& a, const Label& b) const {
    switch (obj) {
      case Objective::kPareto: return a.t <= b.t && a.cost <= b.cost && a.co2 <= b.co2;
      case Objective::kTime: return a.t <= b.t;
      case Objective::kCost: return a.cost < b.cost || (a.cost == b.cost && a.t <= b.t);
      case Objective::kCo2: return a.co2 < b.co2 || (a.co2 == b.co2 && a.t <= b.t);
    }
    return false;
  }

  bool dominated_in_bag(const Label& l) const {
    const std::uint32_t slot = bag_slot[l.state];
    if (slot == kNone) return false;
    for (const Criteria& c : bags[slot]) {
      if (dominates(c, l)) return true;
    }
    return false;
  }

  // Answer `a` drops `l` at the destination: no later, and (Pareto with
  // epsilon) costing and emitting at most (1 + epsilon) times as much (ADR 0004).
  bool drops(const Label& a, const Label& l) const {
    if (obj != Objective::kPareto || q->epsilon <= 0) return dominates(Criteria{a.t, a.cost, a.co2}, l);
    const double f = 1.0 + q->epsilon;
    return a.t <= l.t && static_cast<double>(a.cost) <= static_cast<double>(l.cost) * f &&
           static_cast<double>(a.co2) <= static_cast<double>(l.co2) * f;
  }

  // Answers at the destination compare with the query's epsilon slack.
  bool dominated_at_target(const Label& l) const {
    for (std::uint32_t i : target) {
      if (drops(labels[i], l)) return true;
    }
    return false;
  }

  // True when `x` was created before `y` by the same search without bounds,
  // whose queue order is (t, cost, co2, creation). There a label's children are
  // created when it is popped, in arc order, and children never come out
  // before their parent, so: the label whose parent came out first was created
  // first, and the parents came out in (t, cost, co2) order with ties decided
  // the same way one level up. Walking the two chains reproduces it; it runs
  // only on exact ties of the queue key.
  bool created_before(std::uint32_t x, std::uint32_t y) const {
    if (!directed) return x < y;  // the same order: pruning removes labels, it reorders none
    while (x != y) {
      const Label& a = labels[x];
      const Label& b = labels[y];
      if (a.t != b.t) return a.t < b.t;
      if (a.cost != b.cost) return a.cost < b.cost;
      if (a.co2 != b.co2) return a.co2 < b.co2;
      if (a.parent == kNone) return true;
      if (b.parent == kNone) return false;
      if (a.parent == b.parent) return a.arc < b.arc;
      x = a.parent;
      y = b.parent;
    }
    return false;
  }

  // True when no continuation of the non-answer label `l` at `loc` can be an
  // answer. As without bounds: an answer already found drops `l` itself.
  // Pareto with bounds also: `l` cannot reach the destination, or an answer
  // `a` drops its optimistic outcome o = (t, cost, co2) + bounds (every
  // continuation reaches or exceeds o on every criterion, so `a` drops it too)
  // and `a` comes strictly before o in (t, cost, co2) order, so the search
  // without bounds would have found `a` before any continuation and dropped
  // it at the destination. Pruning changes which labels are explored, never
  // the answers.
  bool hopeless(const Label& l, std::uint32_t loc) const {
    if (!use_bounds) return dominated_at_target(l);
    if (bound_stamp[loc] != generation) return true;
    if (target.empty()) return false;
    const Bounds& b = bound[loc];
    Label o = l;
    o.t += b.t;
    o.cost += b.cost;
    o.co2 += b.co2;
    for (std::uint32_t i : target) {
      const Label& a = labels[i];
      if (!drops(a, o)) continue;  // drops(a, l) implies drops(a, o): o is no better than l anywhere
      const bool before = a.t != o.t ? a.t < o.t : (a.cost != o.cost ? a.cost < o.cost : a.co2 < o.co2);
      if (before || drops(a, l)) return true;
    }
    return false;
  }

  // Dijkstra from `dest` over the reversed graph with `weight(reverse arc
  // index)` (unsigned) into `field` of `bound`.
  template <class Weight>
  void reverse_dijkstra(std::uint32_t dest, std::int64_t Bounds::*field, std::vector<std::uint32_t>& stamp,
                        Weight weight) {
    const auto& rev = index->impl().reverse;
    bound_heap.clear();
    bound[dest].*field = 0;
    stamp[dest] = generation;
    bound_heap.push({0, dest});
    while (!bound_heap.empty()) {
      const auto [d, v] = bound_heap.top();
      bound_heap.pop();
      if (d > bound[v].*field) continue;
      for (std::uint32_t a = rev.begin(v); a < rev.end(v); ++a) {
        const ReverseArc& r = rev.arcs[a];
        const std::int64_t nd = d + static_cast<std::int64_t>(weight(a));
        if (stamp[r.tail] == generation && bound[r.tail].*field <= nd) continue;
        bound[r.tail].*field = nd;
        stamp[r.tail] = generation;
        bound_heap.push({nd, r.tail});
      }
    }
  }

  // The three bounds, each ignoring the query's restrictions (modes, avoided
  // places, vias: fewer arcs only make paths longer, dearer and dirtier),
  // waits, closures and the transfers' time and handling charges (all >= 0).
  // Arc cost and CO2 are priced for this query's cargo exactly as traverse()
  // prices them, so each is a true lower bound on the integer sums the search
  // adds. The time bound uses the medians, so it holds for nominal timing
  // only; with other stage durations the time component is 0.
  void compute_bounds(std::uint32_t dest, bool nominal_timing) {
    const auto& impl = index->impl();
    if (w.teu != weights_teu || w.tonnes != weights_tonnes) {
      const auto& rev = impl.reverse;
      rev_cost.resize(rev.arc_count());
      rev_co2.resize(rev.arc_count());
      weights_nonnegative = true;
      for (std::uint32_t a = 0; a < rev.arc_count(); ++a) {
        const SearchArc& arc = impl.arcs[rev.arcs[a].arc];
        const std::int64_t c = w.arc_cost_usd(arc), e = w.arc_co2_g(arc);
        if (c < 0 || e < 0) weights_nonnegative = false;
        rev_cost[a] = static_cast<std::uint32_t>(std::clamp<std::int64_t>(c, 0, UINT32_MAX));
        rev_co2[a] = static_cast<std::uint32_t>(std::clamp<std::int64_t>(e, 0, UINT32_MAX));
      }
      weights_teu = w.teu;
      weights_tonnes = w.tonnes;
    }
    // Reachability (the stamps of the time search) is the same for all three:
    // same arcs. Without a valid time bound it comes from an all-zero search.
    const bool time_ok = nominal_timing && impl.nonnegative_transfer;
    if (time_ok) {
      reverse_dijkstra(dest, &Bounds::t, bound_stamp,
                       [&](std::uint32_t a) { return impl.reverse.arcs[a].min_seconds; });
    } else {
      reverse_dijkstra(dest, &Bounds::t, bound_stamp, [](std::uint32_t) { return std::uint32_t{0}; });
    }
    const bool cost_ok = impl.nonnegative_costs && weights_nonnegative;
    const bool co2_ok = weights_nonnegative;
    if (cost_ok) reverse_dijkstra(dest, &Bounds::cost, cost_stamp, [&](std::uint32_t a) { return rev_cost[a]; });
    if (co2_ok) reverse_dijkstra(dest, &Bounds::co2, co2_stamp, [&](std::uint32_t a) { return rev_co2[a]; });
    // A component that cannot be bounded contributes 0.
    if (!cost_ok || !co2_ok) {
      for (std::uint32_t v = 0; v < bound.size(); ++v) {
        if (bound_stamp[v] != generation) continue;
        if (!cost_ok) bound[v].cost = 0;
        if (!co2_ok) bound[v].co2 = 0;
      }
    }
  }

  bool blocked(std::uint32_t loc) const {
    if (blocked_stamp[loc] == generation) return true;
    if (avoided_countries.empty()) return false;
    const std::uint16_t c = index->impl().country[loc];
    return std::find(avoided_countries.begin(), avoided_countries.end(), c) != avoided_countries.end();
  }

  bool ride_passes_blocked(const SearchArc& arc) const {
    if (arc.kind != ArcKind::kRide) return false;
    const Service& s = w.service(ServiceIdx(arc.ref));
    for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) {
      if (blocked(s.stops[i].v)) return true;
    }
    return false;
  }

  std::uint8_t advance_stage(std::uint32_t loc, std::uint8_t stage) const {
    while (stage < q->via.size() && q->via[stage].v == loc) ++stage;
    return stage;
  }

  template <class Timing>
  Itinerary build(std::uint32_t label_idx, Timing& timing) const {
    std::vector<std::uint32_t> chain;
    for (std::uint32_t i = label_idx; i != kNone; i = labels[i].parent) chain.push_back(i);
    std::reverse(chain.begin(), chain.end());
    std::vector<std::uint32_t> arcs;
    for (std::size_t k = 1; k < chain.size(); ++k) arcs.push_back(labels[chain[k]].arc);
    auto it = walk_path(w, *q, arcs, timing);
    assert(it && it->arrive.time_since_epoch().count() == labels[label_idx].t &&
           it->cost_usd_cents == labels[label_idx].cost && it->co2_g == labels[label_idx].co2);
    return std::move(*it);
  }

  template <class Timing>
  Result<std::vector<Itinerary>> search(const RouteQuery& q, Timing& timing);
};

Planner::Planner(const RouteIndex& index) : s_(std::make_unique<State>()) {
  s_->index = &index;
  s_->net = &index.network();
}
Planner::~Planner() = default;
Planner::Planner(Planner&&) noexcept = default;
Planner& Planner::operator=(Planner&&) noexcept = default;

std::uint64_t Planner::settled_labels() const { return s_->settled; }

Result<std::vector<Itinerary>> Planner::plan(const RouteQuery& q) {
  NominalTiming nominal;
  return s_->search(q, nominal);
}

Result<std::vector<Itinerary>> Planner::plan(const RouteQuery& q, StageTiming& timing) {
  VirtualTiming v{&timing};
  return s_->search(q, v);
}

template <class Timing>
Result<std::vector<Itinerary>> Planner::State::search(const RouteQuery& query, Timing& timing) {
  State& s = *this;
  const Network& network = *s.net;
  const auto& impl = s.index->impl();
  const std::uint32_t n = network.locations.size();
  const RouteQuery& qr = query;
  if (!qr.from.valid() || qr.from.v >= n || !qr.to.valid() || qr.to.v >= n) return Error::invalid("unknown origin or destination");
  if (qr.units == 0) return Error::invalid("units must be at least 1");
  if (qr.via.size() > 8) return Error::invalid("at most 8 via places");
  if (qr.modes.empty()) return Error::invalid("no mode allowed (expected at least one of rail, road, ferry, sea, air)");

  s.q = &qr;
  s.obj = qr.objective;
  s.w = walker_for(*s.index, qr);
  s.stages = static_cast<int>(qr.via.size()) + 1;
  s.settled = 0;

  // A new generation invalidates every per-location mark of the last query.
  if (s.blocked_stamp.size() < n) {
    s.blocked_stamp.assign(n, 0);
    s.bound_stamp.assign(n, 0);
    s.cost_stamp.assign(n, 0);
    s.co2_stamp.assign(n, 0);
    s.bound.assign(n, Bounds{0, 0, 0});
    s.generation = 0;
  }
  if (++s.generation == 0) {  // wrapped after 2^32 queries: clear the stamps once
    for (auto* v : {&s.blocked_stamp, &s.bound_stamp, &s.cost_stamp, &s.co2_stamp}) std::fill(v->begin(), v->end(), 0);
    s.generation = 1;
  }
  for (LocationIdx a : qr.avoid) {
    if (a.valid() && a.v < n) s.blocked_stamp[a.v] = s.generation;
  }
  s.avoided_countries.clear();
  for (const std::string& c : qr.avoid_countries) {
    if (c.size() == 2) s.avoided_countries.push_back(country_key(c[0], c[1]));  // other lengths match no location
  }
  auto name = [&](LocationIdx i) { return network.locations[i].name; };
  if (s.blocked(qr.from.v)) return Error::invalid("the origin " + name(qr.from) + " is avoided");
  if (s.blocked(qr.to.v)) return Error::invalid("the destination " + name(qr.to) + " is avoided");
  for (LocationIdx v : qr.via) {
    if (s.blocked(v.v)) return Error::invalid("the via place " + name(v) + " is avoided");
  }

  const std::size_t n_states = static_cast<std::size_t>(n) * kModeSlots * static_cast<std::size_t>(s.stages);
  if (s.bag_slot.size() < n_states) s.bag_slot.resize(n_states, kNone);
  for (std::uint32_t st : s.touched) s.bag_slot[st] = kNone;
  s.touched.clear();
  s.bags_used = 0;
  s.target.clear();
  s.labels.clear();
  s.heap.clear();
  // Single-criterion searches stop at the first answer, so only Pareto
  // searches, which go on past it, gain from bounds.
  s.use_bounds = qr.objective == Objective::kPareto;
  constexpr bool kNominal = std::is_same_v<Timing, NominalTiming>;
  if (s.use_bounds) s.compute_bounds(qr.to.v, kNominal);
  // Pareto searches come out in order of arrival plus the time still to go at
  // the least (A*): the bound is consistent (an arc's least time is at most
  // what any traversal of it takes, waits and transfers only add), so keys
  // never decrease along a path and every label still comes out after the
  // labels it could be dominated by at its state, in the same (t, cost, co2)
  // order as without the bound. Answers come out early, so `hopeless` prunes
  // most of the network.
  s.directed = s.use_bounds && kNominal;
  auto key = [&](const Label& l, std::uint32_t loc) -> QItem {
    switch (s.obj) {
      case Objective::kCost:
        return {l.cost, l.t, l.co2, 0};
      case Objective::kCo2:
        return {l.co2, l.t, l.cost, 0};
      default:
        return {s.directed ? l.t + s.bound[loc].t : l.t, l.cost, l.co2, 0};
    }
  };
  const std::uint8_t final_stage = static_cast<std::uint8_t>(qr.via.size());
  auto is_target = [&](std::uint32_t loc, std::uint8_t stage) { return loc == qr.to.v && stage == final_stage; };
  auto push = [&](const Label& l, std::uint32_t loc) {
    if (is_target(loc, l.stage) ? s.dominated_at_target(l) : (s.hopeless(l, loc) || s.dominated_in_bag(l))) return;
    s.labels.push_back(l);
    QItem item = key(l, loc);
    item.label = static_cast<std::uint32_t>(s.labels.size() - 1);
    s.heap.push(item);
  };

  Label start{qr.depart.time_since_epoch().count(), 0, 0, 0, kNone, kNone, kNoMode, 0};
  start.stage = s.advance_stage(qr.from.v, 0);
  start.state = s.state_of(qr.from.v, kNoMode, start.stage);
  push(start, qr.from.v);

  constexpr std::size_t kMaxLabels = 20'000'000;
  while (!s.heap.empty()) {
    std::uint32_t li = s.heap.top().label;
    s.heap.pop();
    const Label l = s.labels[li];
    const std::uint32_t loc = l.state / static_cast<std::uint32_t>(s.stages) / kModeSlots;
    if (is_target(loc, l.stage)) {
      if (s.dominated_at_target(l)) continue;
      s.target.push_back(li);
      ++s.settled;
      // With one criterion every label still queued has a key at least this
      // answer's, so the answer dominates it: stop here (same result).
      if (s.obj != Objective::kPareto) break;
      continue;
    }
    if (s.hopeless(l, loc) || s.dominated_in_bag(l)) continue;
    std::uint32_t& slot = s.bag_slot[l.state];
    if (slot == kNone) {
      s.touched.push_back(l.state);
      slot = s.bags_used++;
      if (s.bags.size() < s.bags_used) s.bags.emplace_back();
      s.bags[slot].clear();
    }
    s.bags[slot].push_back({l.t, l.cost, l.co2});
    ++s.settled;
    if (s.labels.size() > kMaxLabels) return Error::internal("search exceeded " + std::to_string(kMaxLabels) + " labels");

    for (std::uint32_t a = impl.first_out[loc]; a < impl.first_out[loc + 1]; ++a) {
      const SearchArc& arc = impl.arcs[a];
      if (!qr.modes.has(arc.mode)) continue;
      if (s.blocked(arc.head) || s.ride_passes_blocked(arc)) continue;
      auto o = s.w.traverse<false>(arc, loc, l.mode, Outcome{l.t, l.cost, l.co2}, nullptr, timing);
      if (!o) continue;
      Label next{o->t, o->cost, o->co2, 0, li, a, static_cast<std::uint8_t>(arc.mode), 0};
      next.stage = s.advance_stage(arc.head, l.stage);
      next.state = s.state_of(arc.head, is_target(arc.head, next.stage) ? kNoMode : next.mode, next.stage);
      push(next, arc.head);
    }
  }

  if (s.target.empty()) {
    std::string why = "no route from " + name(qr.from) + " to " + name(qr.to);
    if (!qr.via.empty()) why += " through the given via places";
    if (!qr.avoid.empty() || !qr.avoid_countries.empty()) why += " avoiding the given places";
    if (qr.modes.bits != ModeSet::all().bits) why += " with the allowed modes";
    return Error::no_route(why);
  }
  std::vector<std::uint32_t> order = s.target;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Label& x = s.labels[a];
    const Label& y = s.labels[b];
    if (x.t != y.t) return x.t < y.t;
    if (x.cost != y.cost) return x.cost < y.cost;
    return x.co2 < y.co2;
  });
  std::vector<Itinerary> out;
  out.reserve(order.size());
  for (std::uint32_t i : order) out.push_back(s.build(i, timing));
  return out;
}

// ---------------------------------------------------------------------------
// Replay

std::optional<Instant> replay_arrival(const RouteIndex& index, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                                      StageTiming& timing) {
  const Walker w = walker_for(index, q);
  VirtualTiming v{&timing};
  const auto& impl = index.impl();
  Outcome o{q.depart.time_since_epoch().count(), 0, 0};
  std::uint32_t at = q.from.v;
  std::uint8_t mode = kNoMode;
  for (std::uint32_t a : arcs) {
    const SearchArc& arc = impl.arcs[a];
    auto next = w.traverse<false>(arc, at, mode, o, nullptr, v);
    if (!next) return std::nullopt;
    o = *next;
    at = arc.head;
    mode = static_cast<std::uint8_t>(arc.mode);
  }
  return Instant(Duration(o.t));
}

Result<Itinerary> retime(const RouteIndex& index, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                         StageTiming* timing) {
  const auto& impl = index.impl();
  std::uint32_t at = q.from.v;
  for (std::uint32_t a : arcs) {
    if (a >= impl.arcs.size() || a < impl.first_out[at] || a >= impl.first_out[at + 1]) {
      return Error::invalid("the itinerary's arcs do not form a path in this index");
    }
    at = impl.arcs[a].head;
  }
  const Walker w = walker_for(index, q);
  std::optional<Itinerary> it;
  if (timing != nullptr) {
    VirtualTiming v{timing};
    it = walk_path(w, q, arcs, v);
  } else {
    NominalTiming nominal;
    it = walk_path(w, q, arcs, nominal);
  }
  if (!it) return Error::no_route("the itinerary cannot be taken at these times");
  return std::move(*it);
}

}  // namespace caravan
