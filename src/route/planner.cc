#include <algorithm>
#include <cmath>

#include "caravan/route.h"
#include "index.h"
#include "min_heap.h"

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

RouteIndex::RouteIndex(const Network& net) : net_(&net), impl_(std::make_unique<Impl>()) {
  const std::uint32_t n = net.locations.size();
  std::vector<std::vector<SearchArc>> out(n);
  for (LinkIdx li : net.links.indexes()) {
    const Link& k = net.links[li];
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
  for (ServiceIdx si : net.services.indexes()) {
    const Service& s = net.services[si];
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
    const Crossing& c = net.crossings[ci];
    const Location& a = net.locations[c.exit];
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
    (void)a;
    out[c.exit.v].push_back(arc);
  }
  impl_->first_out.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) impl_->first_out[i + 1] = impl_->first_out[i] + static_cast<std::uint32_t>(out[i].size());
  impl_->arcs.reserve(impl_->first_out[n]);
  for (auto& v : out) impl_->arcs.insert(impl_->arcs.end(), v.begin(), v.end());

  // The reversed graph with each arc's least possible time, for the lower
  // bounds on time to the destination that prune Pareto searches.
  auto border_s = [&](CrossingIdx ci) {
    const Crossing& c = net.crossings[ci];
    return c.clearance_median.count() + (c.gauge_change ? c.gauge_change_time.count() : 0);
  };
  std::vector<std::uint32_t> heads;
  std::vector<ReverseArc> reverse;
  heads.reserve(impl_->arcs.size());
  reverse.reserve(impl_->arcs.size());
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t a = impl_->begin(u); a < impl_->end(u); ++a) {
      const SearchArc& arc = impl_->arcs[a];
      std::int64_t t = arc.kind == ArcKind::kCrossing ? border_s(CrossingIdx(arc.ref)) : arc.travel_s;
      if (arc.kind != ArcKind::kCrossing && arc.port_crossing.valid()) t += border_s(arc.port_crossing);
      heads.push_back(arc.head);
      reverse.push_back({u, static_cast<std::uint32_t>(std::clamp<std::int64_t>(t, 0, UINT32_MAX))});
    }
  }
  impl_->reverse = detail::build_csr<ReverseArc>(n, heads, reverse);
  impl_->country.resize(n);
  for (LocationIdx i : net.locations.indexes()) {
    const auto& c = net.locations[i].country;
    impl_->country[i.v] = static_cast<std::uint16_t>(static_cast<unsigned char>(c[0]) | static_cast<unsigned char>(c[1]) << 8);
  }
  auto add_rate = [&](Currency c) {
    UsdRate r;
    r.key = static_cast<std::uint32_t>(static_cast<unsigned char>(c.code[0]) | static_cast<unsigned char>(c.code[1]) << 8 |
                                       static_cast<unsigned char>(c.code[2]) << 16);
    r.minor_per_major = pow10d(c.exponent());
    r.per_usd = net.fx.per_usd(c);
    impl_->usd.push_back(r);
  };
  add_rate(Currency::usd());
  for (const auto& [c, rate] : net.fx.rates()) {
    if (!(c == Currency::usd())) add_rate(c);
  }
}

RouteIndex::~RouteIndex() = default;
RouteIndex::RouteIndex(RouteIndex&&) noexcept = default;

// ---------------------------------------------------------------------------
// Search

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;
constexpr std::uint8_t kNoMode = kModeCount;  // at the origin, before any moving leg
constexpr int kModeSlots = kModeCount + 1;
constexpr std::int64_t kDay = 86400;

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

// What dominance reads of a settled label, stored contiguously per state so a
// bag is scanned without chasing label indexes.
struct Criteria {
  std::int64_t t, cost, co2;
};

// Priority of a label: the objective's criterion first, then the others,
// then creation order, so the search order is total and reproducible.
struct QItem {
  std::int64_t k0, k1, k2;
  std::uint32_t label;
};
struct QItemLess {
  bool operator()(const QItem& a, const QItem& b) const {
    if (a.k0 != b.k0) return a.k0 < b.k0;
    if (a.k1 != b.k1) return a.k1 < b.k1;
    if (a.k2 != b.k2) return a.k2 < b.k2;
    return a.label < b.label;
  }
};

constexpr std::int64_t kNoBound = INT64_MAX / 4;  // no path to the destination at all

struct Outcome {
  std::int64_t t = 0, cost = 0, co2 = 0;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

// Per-query scratch. Nothing here is cleared in O(n) between queries: bags are
// reset through the list of states touched, per-location marks through a
// generation stamp (RoutingKit's timestamp flags), and every buffer keeps its
// capacity, so a warm planner allocates only for the itineraries it returns
// (and when a query needs more room than any before it).
struct Planner::State {
  const RouteIndex* index;
  const Network* net;
  std::vector<Label> labels;
  std::vector<std::uint32_t> bag_slot;       // state -> its bag in `bags`, kNone while empty
  std::vector<std::vector<Criteria>> bags;   // slot -> criteria of the labels settled in that state
  std::uint32_t bags_used = 0;
  std::vector<std::uint32_t> touched;        // states with a non-empty bag
  std::vector<std::uint32_t> target;         // settled labels at the destination
  std::vector<std::uint32_t> blocked_stamp;  // location -> generation in which it may not be entered
  std::vector<std::uint16_t> avoided_countries;
  std::uint32_t generation = 0;
  detail::MinHeap<QItem, QItemLess> heap;
  // Lower bounds on time to the destination (Pareto only), from a Dijkstra on
  // the reversed graph with each arc's least time; valid where stamped.
  std::vector<std::int64_t> bound_s;
  std::vector<std::uint32_t> bound_stamp;
  detail::MinHeap<std::pair<std::int64_t, std::uint32_t>, std::less<>> bound_heap;
  bool use_bounds = false;
  std::uint64_t settled = 0;

  // Query constants.
  const RouteQuery* q = nullptr;
  Objective obj = Objective::kPareto;
  double teu = 1, tonnes = 10;
  int stages = 1;

  std::uint32_t state_of(std::uint32_t loc, std::uint8_t mode, std::uint8_t stage) const {
    return (loc * kModeSlots + mode) * static_cast<std::uint32_t>(stages) + stage;
  }

  bool dominates(const Label& a, const Label& b) const {
    switch (obj) {
      case Objective::kPareto: return a.t <= b.t && a.cost <= b.cost && a.co2 <= b.co2;
      case Objective::kTime: return a.t <= b.t;
      case Objective::kCost: return a.cost < b.cost || (a.cost == b.cost && a.t <= b.t);
      case Objective::kCo2: return a.co2 < b.co2 || (a.co2 == b.co2 && a.t <= b.t);
    }
    return false;
  }

  bool dominated(const Label& l, const std::vector<std::uint32_t>& bag) const {
    for (std::uint32_t i : bag) {
      if (dominates(labels[i], l)) return true;
    }
    return false;
  }

  bool dominated_in_bag(const Label& l) const {
    const std::uint32_t slot = bag_slot[l.state];
    if (slot == kNone) return false;
    for (const Criteria& c : bags[slot]) {
      if (dominates(Label{c.t, c.cost, c.co2, 0, 0, 0, 0, 0}, l)) return true;
    }
    return false;
  }

  // Least time from `loc` to the destination; kNoBound when it cannot reach it.
  std::int64_t bound(std::uint32_t loc) const { return bound_stamp[loc] == generation ? bound_s[loc] : kNoBound; }

  // True when no continuation of `l` from `loc` can be an answer: even at the
  // least possible time it would arrive no earlier than an answer already
  // found that costs and emits no more (within epsilon). Every continuation is
  // at least that late and costly, so it would be dropped at the destination
  // anyway; pruning it early changes which labels are explored, never the answers.
  bool hopeless(const Label& l, std::uint32_t loc) const {
    if (!use_bounds) return false;
    const std::int64_t b = bound(loc);
    if (b >= kNoBound) return true;
    if (target.empty() || b == 0) return false;
    Label optimistic = l;
    optimistic.t += b;
    return dominated_at_target(optimistic);
  }

  // Dijkstra from the destination over the reversed graph: bound_s[v] = least
  // time from v to the destination ignoring waits, transfers and the query's
  // restrictions (fewer arcs only make paths longer, so it stays a bound).
  void compute_bounds(std::uint32_t dest) {
    const auto& rev = index->impl().reverse;
    bound_heap.clear();
    bound_s[dest] = 0;
    bound_stamp[dest] = generation;
    bound_heap.push({0, dest});
    while (!bound_heap.empty()) {
      auto [d, v] = bound_heap.top();
      bound_heap.pop();
      if (d > bound_s[v]) continue;
      for (std::uint32_t a = rev.begin(v); a < rev.end(v); ++a) {
        const ReverseArc& r = rev.arcs[a];
        const std::int64_t nd = d + r.min_seconds;
        if (bound_stamp[r.tail] == generation && bound_s[r.tail] <= nd) continue;
        bound_s[r.tail] = nd;
        bound_stamp[r.tail] = generation;
        bound_heap.push({nd, r.tail});
      }
    }
  }

  // Answers at the destination compare with the query's epsilon slack.
  bool dominated_at_target(const Label& l) const {
    if (obj != Objective::kPareto || q->epsilon <= 0) return dominated(l, target);
    const double f = 1.0 + q->epsilon;
    for (std::uint32_t i : target) {
      const Label& a = labels[i];
      if (a.t <= l.t && static_cast<double>(a.cost) <= static_cast<double>(l.cost) * f &&
          static_cast<double>(a.co2) <= static_cast<double>(l.co2) * f) {
        return true;
      }
    }
    return false;
  }

  // FxTable::minor_to_usd_cents with the rate resolved from the index's table
  // (same arithmetic, same result) instead of two lookups by code string.
  std::int64_t usd_cents(double minor, Currency c) const {
    const auto key = static_cast<std::uint32_t>(static_cast<unsigned char>(c.code[0]) |
                                                static_cast<unsigned char>(c.code[1]) << 8 |
                                                static_cast<unsigned char>(c.code[2]) << 16);
    for (const UsdRate& r : index->impl().usd) {
      if (r.key == key) return std::llround(minor / r.minor_per_major / r.per_usd * 100.0);
    }
    return std::llround(net->fx.minor_to_usd_cents(minor, c));
  }

  Money scaled(double minor_per_teu, Currency c) const { return Money{std::llround(minor_per_teu * teu), c}; }

  std::int64_t grams(double g_per_t) const { return std::llround(g_per_t * tonnes); }

  bool blocked(std::uint32_t loc) const {
    if (blocked_stamp[loc] == generation) return true;
    if (avoided_countries.empty()) return false;
    const std::uint16_t c = index->impl().country[loc];
    return std::find(avoided_countries.begin(), avoided_countries.end(), c) != avoided_countries.end();
  }

  bool enterable(std::uint32_t loc) const { return !blocked(loc); }

  // The next departure of a service from its stop `board` at or after `t`.
  std::optional<Instant> next_departure(const Service& s, std::uint16_t board, Instant t) const {
    const TimeZone& z0 = net->locations[s.stops[0]].zone;
    const Instant want = t - s.stop_offsets[board];  // first-stop departure must be >= want
    const std::int64_t local = z0.local_seconds(want);
    const std::int64_t day0 = floor_div(local, kDay) * kDay;
    for (int k = -1; k <= 8; ++k) {
      std::int64_t ldep = day0 + k * kDay + s.depart_local_s;
      if (!((s.weekdays >> weekday_of_local(ldep)) & 1u)) continue;
      Instant guess(Duration(ldep - z0.offset(want).count()));
      Instant dep(Duration(ldep - z0.offset(guess).count()));
      if (dep < want) continue;
      return dep + s.stop_offsets[board];
    }
    return std::nullopt;
  }

  // Customs and, where declared, a change of gauge. Starts at `t` at the exit side.
  template <bool kEmit>
  std::optional<Outcome> border(const Crossing& c, CrossingIdx ci, Outcome o, std::vector<Leg>* legs) const {
    const Location& ex = net->locations[c.exit];
    const Location& en = net->locations[c.entry];
    Instant t(Duration(o.t));
    auto open = next_open_both(t, c.exit_open, ex.zone, c.entry_open, en.zone);
    if (!open) return std::nullopt;
    if constexpr (kEmit) {
      if (*open > t) {
        Leg w;
        w.kind = LegKind::kWait;
        w.from = w.to = c.exit;
        w.depart = t;
        w.arrive = *open;
        w.cost = Money{0, c.cost.currency};
        w.crossing = ci;
        w.note = "border posts closed";
        legs->push_back(std::move(w));
      }
    }
    Money fee = scaled(static_cast<double>(c.cost.minor), c.cost.currency);
    std::int64_t fee_usd = usd_cents(static_cast<double>(fee.minor), fee.currency);
    Instant cleared = *open + c.clearance_median;
    if constexpr (kEmit) {
      Leg b;
      b.kind = LegKind::kBorder;
      b.mode = c.mode;
      b.from = c.exit;
      b.to = c.entry;
      b.depart = *open;
      b.arrive = cleared;
      b.cost = fee;
      b.cost_usd_cents = fee_usd;
      b.crossing = ci;
      b.sources = c.sources;
      legs->push_back(std::move(b));
    }
    o.t = cleared.time_since_epoch().count();
    o.cost += fee_usd;
    if (c.gauge_change) {
      Money g = scaled(static_cast<double>(c.gauge_change_cost_per_teu.minor), c.gauge_change_cost_per_teu.currency);
      std::int64_t g_usd = usd_cents(static_cast<double>(g.minor), g.currency);
      if constexpr (kEmit) {
        Leg gl;
        gl.kind = LegKind::kGaugeChange;
        gl.mode = c.mode;
        gl.from = gl.to = c.entry;
        gl.depart = cleared;
        gl.arrive = cleared + c.gauge_change_time;
        gl.cost = g;
        gl.cost_usd_cents = g_usd;
        gl.crossing = ci;
        gl.note = std::to_string(net->locations[c.exit].gauge) + " to " + std::to_string(net->locations[c.entry].gauge) + " mm";
        gl.sources = c.sources;
        legs->push_back(std::move(gl));
      }
      o.t += c.gauge_change_time.count();
      o.cost += g_usd;
    }
    return o;
  }

  // Takes `arc` from location `at`, reached at `from` with last mode `mode_in`.
  // Returns the outcome at the arc's head, or nullopt when the arc cannot be
  // used (a closed border that never opens, a service that never runs).
  // With kEmit, appends the legs it produces: the same code prices the search
  // and the itinerary, so totals always equal the sum of the legs.
  template <bool kEmit>
  std::optional<Outcome> traverse(const SearchArc& arc, std::uint32_t at, std::uint8_t mode_in, Outcome o,
                                  std::vector<Leg>* legs) const {
    const Location& here = net->locations[LocationIdx(at)];
    if (mode_in != kNoMode && mode_in != static_cast<std::uint8_t>(arc.mode)) {
      Money h = scaled(static_cast<double>(here.handling_cost.minor), here.handling_cost.currency);
      std::int64_t h_usd = usd_cents(static_cast<double>(h.minor), h.currency);
      if constexpr (kEmit) {
        Leg tr;
        tr.kind = LegKind::kTransfer;
        tr.from = tr.to = LocationIdx(at);
        tr.depart = Instant(Duration(o.t));
        tr.arrive = tr.depart + here.transfer_time;
        tr.cost = h;
        tr.cost_usd_cents = h_usd;
        tr.note = std::string(to_string(static_cast<Mode>(mode_in))) + " to " + std::string(to_string(arc.mode));
        tr.sources = here.sources;
        legs->push_back(std::move(tr));
      }
      o.t += here.transfer_time.count();
      o.cost += h_usd;
    }
    if (arc.kind == ArcKind::kCrossing) {
      CrossingIdx ci(arc.ref);
      return border<kEmit>(net->crossings[ci], ci, o, legs);
    }
    Instant dep(Duration(o.t));
    if (arc.kind == ArcKind::kRide) {
      const Service& s = net->services[ServiceIdx(arc.ref)];
      auto next = next_departure(s, arc.board, dep);
      if (!next) return std::nullopt;
      if constexpr (kEmit) {
        if (*next > dep) {
          Leg w;
          w.kind = LegKind::kWait;
          w.from = w.to = LocationIdx(at);
          w.depart = dep;
          w.arrive = *next;
          w.cost = Money{0, arc.currency};
          w.service = ServiceIdx(arc.ref);
          w.note = "next departure of " + s.name;
          legs->push_back(std::move(w));
        }
      }
      dep = *next;
    }
    Money charge = scaled(arc.cost_minor_per_teu, arc.currency);
    std::int64_t charge_usd = usd_cents(static_cast<double>(charge.minor), charge.currency);
    std::int64_t co2 = grams(arc.co2_g_per_t);
    Instant arr = dep + Duration(arc.travel_s);
    if constexpr (kEmit) {
      Leg m;
      m.kind = LegKind::kMove;
      m.mode = arc.mode;
      m.from = LocationIdx(at);
      m.to = LocationIdx(arc.head);
      m.depart = dep;
      m.arrive = arr;
      m.km = arc.km;
      m.cost = charge;
      m.cost_usd_cents = charge_usd;
      m.co2_g = co2;
      if (arc.kind == ArcKind::kLink) {
        m.link = LinkIdx(arc.ref);
        m.sources = net->links[m.link].sources;
      } else {
        m.service = ServiceIdx(arc.ref);
        m.sources = net->services[m.service].sources;
      }
      legs->push_back(std::move(m));
    }
    o.t = arr.time_since_epoch().count();
    o.cost += charge_usd;
    o.co2 += co2;
    if (arc.port_crossing.valid()) return border<kEmit>(net->crossings[arc.port_crossing], arc.port_crossing, o, legs);
    return o;
  }

  bool ride_passes_blocked(const SearchArc& arc) const {
    if (arc.kind != ArcKind::kRide) return false;
    const Service& s = net->services[ServiceIdx(arc.ref)];
    for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) {
      if (blocked(s.stops[i].v)) return true;
    }
    return false;
  }

  std::uint8_t advance_stage(std::uint32_t loc, std::uint8_t stage) const {
    while (stage < q->via.size() && q->via[stage].v == loc) ++stage;
    return stage;
  }

  Itinerary build(std::uint32_t label_idx) const {
    std::vector<std::uint32_t> chain;
    for (std::uint32_t i = label_idx; i != kNone; i = labels[i].parent) chain.push_back(i);
    std::reverse(chain.begin(), chain.end());
    Itinerary it;
    it.depart = q->depart;
    for (std::size_t k = 1; k < chain.size(); ++k) {
      const Label& p = labels[chain[k - 1]];
      const Label& l = labels[chain[k]];
      const SearchArc& arc = index->impl().arcs[l.arc];
      std::uint32_t at = p.state / static_cast<std::uint32_t>(stages) / kModeSlots;
      auto o = traverse<true>(arc, at, p.mode, Outcome{p.t, p.cost, p.co2}, &it.legs);
      assert(o && o->t == l.t && o->cost == l.cost && o->co2 == l.co2);
      (void)o;
    }
    for (const Leg& g : it.legs) {
      it.km += g.km;
      it.cost_usd_cents += g.cost_usd_cents;
      it.co2_g += g.co2_g;
      if (g.cost.minor != 0) it.cost_by_currency.add(g.cost);
      if (g.kind == LegKind::kBorder) it.border_crossings.push_back(g.crossing);
      if (g.kind == LegKind::kGaugeChange) ++it.gauge_changes;
    }
    it.arrive = it.legs.empty() ? q->depart : it.legs.back().arrive;
    return it;
  }
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
  State& s = *s_;
  const Network& net = *s.net;
  const auto& impl = s.index->impl();
  const std::uint32_t n = net.locations.size();
  if (!q.from.valid() || q.from.v >= n || !q.to.valid() || q.to.v >= n) return Error::invalid("unknown origin or destination");
  if (q.units == 0) return Error::invalid("units must be at least 1");
  if (q.via.size() > 8) return Error::invalid("at most 8 via places");
  if (q.modes.empty()) return Error::invalid("no mode allowed (expected at least one of rail, road, ferry, sea, air)");

  s.q = &q;
  s.obj = q.objective;
  s.teu = static_cast<double>(q.teu());
  s.tonnes = q.cargo_mass().tonnes();
  s.stages = static_cast<int>(q.via.size()) + 1;
  s.settled = 0;

  // A new generation invalidates every per-location mark of the last query.
  if (s.blocked_stamp.size() < n) {
    s.blocked_stamp.assign(n, 0);
    s.bound_stamp.assign(n, 0);
    s.bound_s.assign(n, 0);
    s.generation = 0;
  }
  if (++s.generation == 0) {  // wrapped after 2^32 queries: clear the stamps once
    std::fill(s.blocked_stamp.begin(), s.blocked_stamp.end(), 0);
    std::fill(s.bound_stamp.begin(), s.bound_stamp.end(), 0);
    s.generation = 1;
  }
  for (LocationIdx a : q.avoid) {
    if (a.valid() && a.v < n) s.blocked_stamp[a.v] = s.generation;
  }
  s.avoided_countries.clear();
  for (const std::string& c : q.avoid_countries) {
    if (c.size() == 2) {
      s.avoided_countries.push_back(
          static_cast<std::uint16_t>(static_cast<unsigned char>(c[0]) | static_cast<unsigned char>(c[1]) << 8));
    }
  }
  auto name = [&](LocationIdx i) { return net.locations[i].name; };
  if (s.blocked(q.from.v)) return Error::invalid("the origin " + name(q.from) + " is avoided");
  if (s.blocked(q.to.v)) return Error::invalid("the destination " + name(q.to) + " is avoided");
  for (LocationIdx v : q.via) {
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
  s.use_bounds = q.objective == Objective::kPareto;
  if (s.use_bounds) s.compute_bounds(q.to.v);

  auto& heap = s.heap;
  auto key = [&](const Label& l) -> QItem {
    switch (s.obj) {
      case Objective::kCost: return {l.cost, l.t, l.co2, 0};
      case Objective::kCo2: return {l.co2, l.t, l.cost, 0};
      default: return {l.t, l.cost, l.co2, 0};
    }
  };
  const std::uint8_t final_stage = static_cast<std::uint8_t>(q.via.size());
  auto is_target = [&](std::uint32_t loc, std::uint8_t stage) { return loc == q.to.v && stage == final_stage; };
  auto push = [&](Label l) {
    std::uint32_t loc = l.state / static_cast<std::uint32_t>(s.stages) / kModeSlots;
    if (s.dominated_at_target(l)) return;
    if (!is_target(loc, l.stage) && (s.dominated_in_bag(l) || s.hopeless(l, loc))) return;
    s.labels.push_back(l);
    QItem item = key(l);
    item.label = static_cast<std::uint32_t>(s.labels.size() - 1);
    heap.push(item);
  };

  Label start{q.depart.time_since_epoch().count(), 0, 0, 0, kNone, kNone, kNoMode, 0};
  start.stage = s.advance_stage(q.from.v, 0);
  start.state = s.state_of(q.from.v, kNoMode, start.stage);
  push(start);

  constexpr std::size_t kMaxLabels = 20'000'000;
  while (!heap.empty()) {
    std::uint32_t li = heap.top().label;
    heap.pop();
    const Label l = s.labels[li];
    const std::uint32_t loc = l.state / static_cast<std::uint32_t>(s.stages) / kModeSlots;
    if (s.dominated_at_target(l)) continue;
    if (is_target(loc, l.stage)) {
      s.target.push_back(li);
      ++s.settled;
      // With one criterion every label still queued has a key at least this
      // answer's, so the answer dominates it: stop here (same result).
      if (s.obj != Objective::kPareto) break;
      continue;
    }
    if (s.dominated_in_bag(l) || s.hopeless(l, loc)) continue;
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
      if (!q.modes.has(arc.mode)) continue;
      if (!s.enterable(arc.head) || s.ride_passes_blocked(arc)) continue;
      auto o = s.traverse<false>(arc, loc, l.mode, Outcome{l.t, l.cost, l.co2}, nullptr);
      if (!o) continue;
      Label next{o->t, o->cost, o->co2, 0, li, a, static_cast<std::uint8_t>(arc.mode), 0};
      next.stage = s.advance_stage(arc.head, l.stage);
      next.state = s.state_of(arc.head, is_target(arc.head, next.stage) ? kNoMode : next.mode, next.stage);
      push(next);
    }
  }

  if (s.target.empty()) {
    std::string why = "no route from " + name(q.from) + " to " + name(q.to);
    if (!q.via.empty()) why += " through the given via places";
    if (!q.avoid.empty() || !q.avoid_countries.empty()) why += " avoiding the given places";
    if (q.modes.bits != ModeSet::all().bits) why += " with the allowed modes";
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
  for (std::uint32_t i : order) out.push_back(s.build(i));
  return out;
}

}  // namespace caravan
