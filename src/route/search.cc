// The Planner: a multi-criteria label-setting search over a RouteIndex. A
// state is (location, vehicle, vias visited); a label carries arrival, cost
// (USD cents), CO2 and the rail/road changes so far. The rules of one arc are
// the walker's (walk.h); this file orders, prunes and collects labels.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <unordered_set>

#include "caravan/route.h"
#include "caravan/scenario.h"
#include "index.h"
#include "itinerary.h"
#include "min_heap.h"
#include "walk.h"

namespace caravan {
namespace {

using detail::NominalTiming;
using detail::Outcome;
using detail::VirtualTiming;
using detail::Walker;

constexpr std::uint32_t kNone = UINT32_MAX;
/// The chain rule (ADR 0500 section 6): at most two changes between rail and road.
constexpr std::uint8_t kMaxChanges = 2;

struct Label {
  std::int64_t t;     // arrival, seconds since epoch
  std::int64_t cost;  // USD cents
  std::int64_t co2;   // grams
  std::uint32_t state;
  std::uint32_t parent;  // label index, kNone at the origin
  std::uint32_t arc;     // arc taken from the parent, kNone at the origin
  Vehicle vehicle;       // what the box is on here
  std::uint8_t changes;  // rail <-> road changes so far
  std::uint8_t stage;    // vias visited
};

// What dominance reads of a settled label, stored contiguously per state so a
// bag is scanned without chasing label indexes.
struct Criteria {
  std::int64_t t, cost, co2;
  std::uint8_t changes;
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
  // shipment, clamped to 32 bits (a smaller weight is still a lower bound);
  // recomputed only when the shipment changes.
  std::vector<std::uint32_t> rev_cost, rev_co2;
  struct Shipment {
    UnitKind unit = UnitKind::kKg;
    std::uint32_t units = 0;
    std::int64_t cargo_kg = -1, chargeable_kg = -1;
    bool operator==(const Shipment&) const = default;
  } weights_for;
  bool weights_nonnegative = true;
  bool use_bounds = false;
  // The search order of the planner without bounds, reproduced on ties (see
  // created_before); only Pareto searches ordered by time + bound need it.
  bool directed = false;

  // Query constants.
  const RouteQuery* q = nullptr;
  Objective obj = Objective::kPareto;
  int stages = 1;
  double vot_cents_per_s = 0;  // generalized cost per second of the shipment
  std::int64_t empty_return = 0;
  std::vector<std::uint8_t>
      via_port;               // via stage -> 1 when that via is a seaport (a vessel must load or discharge there)
  bool chain_pruned = false;  // the chain rule dropped a label (the no-route message says so)

  std::uint32_t state_of(std::uint32_t loc, Vehicle v, std::uint8_t stage) const {
    return (loc * kVehicleSlots + static_cast<std::uint32_t>(v)) * static_cast<std::uint32_t>(stages) + stage;
  }
  std::uint32_t loc_of(std::uint32_t state) const { return state / static_cast<std::uint32_t>(stages) / kVehicleSlots; }

  std::int64_t generalized(std::int64_t t, std::int64_t cost) const {
    return cost + std::llround(vot_cents_per_s * static_cast<double>(t - q->depart.time_since_epoch().count()));
  }

  bool dominates(const Criteria& a, const Label& b) const {
    if (a.changes > b.changes) return false;
    switch (obj) {
      case Objective::kPareto:
        return a.t <= b.t && a.cost <= b.cost && a.co2 <= b.co2;
      case Objective::kTime:
        return a.t <= b.t;
      case Objective::kCost:
        return a.cost < b.cost || (a.cost == b.cost && a.t <= b.t);
      case Objective::kCo2:
        return a.co2 < b.co2 || (a.co2 == b.co2 && a.t <= b.t);
      case Objective::kGeneralized:
        return a.t <= b.t && a.cost <= b.cost;
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

  // Answer `a` drops `l` at the destination, whatever their changes: no later,
  // and (Pareto with epsilon) costing and emitting at most (1 + epsilon) times
  // as much (ADR 0004). Generalized: no dearer in generalized cost.
  bool drops(const Label& a, const Label& l) const {
    if (obj == Objective::kGeneralized) return generalized(a.t, a.cost) <= generalized(l.t, l.cost);
    if (obj != Objective::kPareto || q->epsilon <= 0) {
      Criteria c{a.t, a.cost, a.co2, 0};
      return dominates(c, l);
    }
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
  // the answers (ADR 0320).
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
  // places, vias, the chain rule: fewer arcs only make paths longer, dearer
  // and dirtier), waits, closures and the lifts' time and handling, formation
  // and storage (all >= 0). Arc cost and CO2 are priced for this shipment
  // exactly as traverse() prices them, so each is a true lower bound on the
  // integer sums the search adds. The time bound uses the medians, so it holds
  // for nominal timing only; with other stage durations the time component is 0.
  void compute_bounds(std::uint32_t dest, bool nominal_timing) {
    const auto& impl = index->impl();
    const Shipment now{q->unit, q->units, q->cargo_mass().kg, q->chargeable_mass().kg};
    if (!(now == weights_for)) {
      const auto& rev = impl.reverse;
      rev_cost.resize(rev.arc_count());
      rev_co2.resize(rev.arc_count());
      weights_nonnegative = true;
      for (std::uint32_t a = 0; a < rev.arc_count(); ++a) {
        const SearchArc& arc = impl.arcs[rev.arcs[a].arc];
        const std::int64_t c = w.arc_cost_usd(arc, rev.arcs[a].tail), e = w.arc_co2_g(arc);
        if (c < 0 || e < 0) weights_nonnegative = false;
        rev_cost[a] = static_cast<std::uint32_t>(std::clamp<std::int64_t>(c, 0, UINT32_MAX));
        rev_co2[a] = static_cast<std::uint32_t>(std::clamp<std::int64_t>(e, 0, UINT32_MAX));
      }
      weights_for = now;
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
    const Service& s = w.view->service(ServiceIdx(arc.ref));
    for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) {
      if (blocked(s.stops[i].v)) return true;
    }
    return false;
  }

  // Vias a ride passes on board between its boarding and alighting stops: a
  // train through a via passes it (a vessel calling at a seaport via without
  // loading or discharging there does not, as advance_stage says).
  std::uint8_t stage_after_ride(const SearchArc& arc, std::uint8_t stage) const {
    if (arc.kind != ArcKind::kRide || stage >= q->via.size()) return stage;
    const Service& s = w.view->service(ServiceIdx(arc.ref));
    for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) stage = advance_stage(s.stops[i].v, stage, false, false);
    return stage;
  }

  static bool is_vessel(const SearchArc& arc) {
    return arc.kind == ArcKind::kRide && (arc.mode == Mode::kFerry || arc.mode == Mode::kSea);
  }

  // Vias passed at `loc`: a seaport via counts only where a vessel is loaded
  // (`boarding`: the arc leaving it sails) or discharged (`arriving`: the arc
  // that reached it sailed); any other via by being there.
  std::uint8_t advance_stage(std::uint32_t loc, std::uint8_t stage, bool boarding, bool arriving) const {
    while (stage < q->via.size() && q->via[stage].v == loc && (!via_port[stage] || boarding || arriving)) ++stage;
    return stage;
  }

  template <class Timing>
  Itinerary build(std::uint32_t label_idx, Timing& timing) const {
    std::vector<std::uint32_t> chain;
    for (std::uint32_t i = label_idx; i != kNone; i = labels[i].parent) chain.push_back(i);
    std::reverse(chain.begin(), chain.end());
    std::vector<std::uint32_t> arcs;
    for (std::size_t k = 1; k < chain.size(); ++k) arcs.push_back(labels[chain[k]].arc);
    std::vector<Leg> legs;
    auto o = detail::walk_arcs<true>(w, *q, arcs, &legs, timing);
    assert(o);
    (void)o;
    auto it = detail::finish(w, *q, std::move(legs), vot_cents_per_s * 3600.0);
    assert(it && it->arrive.time_since_epoch().count() == labels[label_idx].t &&
           it->cost_usd_cents == labels[label_idx].cost && it->co2_g == labels[label_idx].co2);
    it->arcs = std::move(arcs);
    return std::move(*it);
  }

  // Why nothing was found, for the no-route message.
  std::string no_route_reason(const RouteQuery& qr) const;

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

std::string Planner::State::no_route_reason(const RouteQuery& qr) const {
  const Network& network = *net;
  auto name = [&](LocationIdx i) { return network.locations[i].name; };
  std::string why = "no route from " + name(qr.from) + " to " + name(qr.to);
  if (!qr.via.empty()) why += " through the given via places";
  if (!qr.avoid.empty() || !qr.avoid_countries.empty()) why += " avoiding the given places";
  if (qr.modes.bits != ModeSet::all().bits) why += " with the allowed modes";
  if (!is_container(qr.unit)) why += " for KG cargo (road and air only)";
  const auto& impl = index->impl();
  std::string no_road;
  for (std::size_t c = 0; c < impl.countries.size(); ++c) {
    if (w.trucks[c] == 0) no_road += (no_road.empty() ? "" : ", ") + std::string(impl.countries[c].data(), 2);
  }
  if (!no_road.empty()) {
    why += "; road is not available in " + no_road + " for this cargo (a truck with one " +
           std::string(to_string(qr.unit)) + " would exceed the country's gross limit, trucking.csv)";
  }
  if (chain_pruned) why += " within the chain rule (at most two changes between rail and road)";
  return why;
}

template <class Timing>
Result<std::vector<Itinerary>> Planner::State::search(const RouteQuery& query, Timing& timing) {
  State& s = *this;
  const Network& network = *s.net;
  const auto& impl = s.index->impl();
  const std::uint32_t n = network.locations.size();
  const RouteQuery& qr = query;
  if (!qr.from.valid() || qr.from.v >= n || !qr.to.valid() || qr.to.v >= n)
    return Error::invalid("unknown origin or destination");
  if (qr.via.size() > 8) return Error::invalid("at most 8 via places");
  if (qr.modes.empty()) return Error::invalid("no mode allowed (expected at least one of rail, road, ferry, sea, air)");
  if (auto st = check_cargo(network, qr); !st.ok()) return st.errors();
  // Once before any work: callers run many searches under one deadline, and
  // the in-loop check comes only every 1,024 settled labels.
  if (auto st = qr.budget.check_time(); !st.ok()) return st.errors();

  s.q = &qr;
  s.obj = qr.objective;
  detail::make_walker(*s.index, qr, s.w);
  s.stages = static_cast<int>(qr.via.size()) + 1;
  s.settled = 0;
  s.chain_pruned = false;
  s.vot_cents_per_s = detail::value_of_time_cents_per_hour(network, qr) / 3600.0;
  s.empty_return = detail::empty_return_usd(s.w, qr);
  s.via_port.clear();
  for (LocationIdx v : qr.via)
    s.via_port.push_back(v.valid() && v.v < n && network.locations[v].kind == LocationKind::kSeaport);

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

  const std::size_t n_states = static_cast<std::size_t>(n) * kVehicleSlots * static_cast<std::size_t>(s.stages);
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
  // what any traversal of it takes, waits and lifts only add), so keys never
  // decrease along a path and every label still comes out after the labels it
  // could be dominated by at its state, in the same (t, cost, co2) order as
  // without the bound. Answers come out early, so `hopeless` prunes most of
  // the network.
  s.directed = s.use_bounds && kNominal;
  auto key = [&](const Label& l, std::uint32_t loc) -> QItem {
    switch (s.obj) {
      case Objective::kCost:
        return {l.cost, l.t, l.co2, 0};
      case Objective::kCo2:
        return {l.co2, l.t, l.cost, 0};
      case Objective::kGeneralized:
        return {s.generalized(l.t, l.cost), l.t, l.cost, 0};
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

  Label start{qr.depart.time_since_epoch().count(), 0, 0, 0, kNone, kNone, Vehicle::kNone, 0, 0};
  start.stage = s.advance_stage(qr.from.v, 0, false, false);
  start.state = s.state_of(qr.from.v, Vehicle::kNone, start.stage);
  push(start, qr.from.v);

  while (!s.heap.empty()) {
    std::uint32_t li = s.heap.top().label;
    s.heap.pop();
    const Label l = s.labels[li];
    const std::uint32_t loc = s.loc_of(l.state);
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
    s.bags[slot].push_back({l.t, l.cost, l.co2, l.changes});
    ++s.settled;
    if (s.labels.size() > qr.budget.max_labels) {
      return Error{ErrorCode::kOverBudget,
                   "the search needed more than " + std::to_string(qr.budget.max_labels) +
                       " labels (expected a smaller query: fewer vias, a single objective, or a larger budget)",
                   {},
                   0,
                   {}};
    }
    if ((s.settled & 1023) == 0) {
      if (auto st = qr.budget.check_time(); !st.ok()) return st.errors();
    }

    for (std::uint32_t a = impl.first_out[loc]; a < impl.first_out[loc + 1]; ++a) {
      const SearchArc& arc = impl.arcs[a];
      if (!qr.modes.has(arc.mode)) continue;
      if (s.blocked(arc.head) || s.ride_passes_blocked(arc)) continue;
      const bool sails = is_vessel(arc);
      const std::uint8_t stage = sails ? s.advance_stage(loc, l.stage, true, false) : l.stage;
      auto o = s.w.traverse<false>(arc, loc, Outcome{l.t, l.cost, l.co2, l.vehicle, l.changes}, nullptr, timing);
      if (!o) continue;
      if (o->changes > kMaxChanges) {
        s.chain_pruned = true;
        continue;
      }
      Label next{o->t, o->cost, o->co2, 0, li, a, o->vehicle, o->changes, 0};
      next.stage = s.advance_stage(arc.head, s.stage_after_ride(arc, stage), false, sails);
      const bool at_target = is_target(arc.head, next.stage);
      if (at_target) next.cost += s.empty_return;
      next.state = s.state_of(arc.head, at_target ? Vehicle::kNone : next.vehicle, next.stage);
      push(next, arc.head);
    }
  }

  if (s.target.empty()) return Error::no_route(s.no_route_reason(qr));
  std::vector<std::uint32_t> order = s.target;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Label& x = s.labels[a];
    const Label& y = s.labels[b];
    if (x.t != y.t) return x.t < y.t;
    if (x.cost != y.cost) return x.cost < y.cost;
    return x.co2 < y.co2;
  });
  // One option per route: the fastest of the options that take the same
  // moving legs, crossings and services (they differ only in waits).
  std::vector<Itinerary> out;
  out.reserve(order.size());
  std::unordered_set<std::string> seen;
  for (std::uint32_t i : order) {
    Itinerary it = s.build(i, timing);
    if (seen.insert(route_key(it)).second) out.push_back(std::move(it));
  }
  return out;
}

}  // namespace caravan
