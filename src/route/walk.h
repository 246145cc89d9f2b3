// Internal: how cargo moves over one search arc — the single place that knows
// the rules (waiting for a departure, both border posts open, clearance,
// gauge change, transfers, closures). The planner and the Monte Carlo replay
// both walk arcs through this code; only the stage durations differ, supplied
// by a Timing policy:
//   NominalTiming  the dataset's medians and the timetable (the planner's default);
//   VirtualTiming  any StageTiming (pessimistic quantiles, sampled durations).
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "caravan/route.h"
#include "index.h"

namespace caravan::detail {

inline constexpr std::uint8_t kNoMode = kModeCount;  // at the origin, before any moving leg

struct Outcome {
  std::int64_t t = 0, cost = 0, co2 = 0;
};

/// Medians and the timetable: what the deterministic planner assumes.
struct NominalTiming {
  Duration clearance(CrossingIdx, const Crossing& c) const { return c.clearance_median; }
  Duration gauge_change(CrossingIdx, const Crossing& c) const { return c.gauge_change_time; }
  Duration link_travel(LinkIdx, Duration nominal) const { return nominal; }
  Duration service_delay(ServiceIdx, const Service&) const { return Duration(0); }
};

/// Forwards to a StageTiming.
struct VirtualTiming {
  StageTiming* t;
  Duration clearance(CrossingIdx i, const Crossing& c) const { return t->clearance(i, c); }
  Duration gauge_change(CrossingIdx i, const Crossing& c) const { return t->gauge_change(i, c); }
  Duration link_travel(LinkIdx l, Duration nominal) const { return t->link_travel(l, nominal); }
  Duration service_delay(ServiceIdx s, const Service& x) const { return t->service_delay(s, x); }
};

/// Walks arcs of one RouteIndex for one cargo size.
struct Walker {
  const RouteIndex::Impl* impl = nullptr;
  const Network* net = nullptr;
  double teu = 1, tonnes = 10;

  const Crossing& crossing(CrossingIdx c) const { return *impl->crossing[c.v]; }
  const Service& service(ServiceIdx s) const { return *impl->service[s.v]; }

  // FxTable::minor_to_usd_cents with the rate resolved from the index's table
  // (the same arithmetic, so the same rounding) instead of two lookups by code.
  std::int64_t usd_cents(double minor, Currency c) const {
    const std::uint32_t key = currency_key(c);
    for (const UsdRate& r : impl->usd) {
      if (r.key == key) return std::llround(minor / r.minor_per_major / r.per_usd * 100.0);
    }
    return std::llround(impl->fx->minor_to_usd_cents(minor, c));
  }
  Money scaled(double minor_per_teu, Currency c) const { return Money{std::llround(minor_per_teu * teu), c}; }
  std::int64_t grams(double g_per_t) const { return std::llround(g_per_t * tonnes); }

  // What a crossing charges (customs, and a gauge change where declared), USD
  // cents; border() adds exactly these amounts.
  std::int64_t border_cost_usd(const Crossing& c) const {
    Money fee = scaled(static_cast<double>(c.cost.minor), c.cost.currency);
    std::int64_t usd = usd_cents(static_cast<double>(fee.minor), fee.currency);
    if (c.gauge_change) {
      Money g = scaled(static_cast<double>(c.gauge_change_cost_per_teu.minor), c.gauge_change_cost_per_teu.currency);
      usd += usd_cents(static_cast<double>(g.minor), g.currency);
    }
    return usd;
  }

  // What taking `arc` charges in USD cents and emits in grams, whatever the
  // timing and leaving out a transfer at its tail: traverse() adds exactly
  // these amounts plus the handling charge of a change of mode. For the lower
  // bounds of the planner.
  std::int64_t arc_cost_usd(const SearchArc& arc) const {
    if (arc.kind == ArcKind::kCrossing) return border_cost_usd(crossing(CrossingIdx(arc.ref)));
    Money charge = scaled(arc.cost_minor_per_teu, arc.currency);
    std::int64_t usd = usd_cents(static_cast<double>(charge.minor), charge.currency);
    if (arc.port_crossing.valid()) usd += border_cost_usd(crossing(arc.port_crossing));
    return usd;
  }
  std::int64_t arc_co2_g(const SearchArc& arc) const {
    return arc.kind == ArcKind::kCrossing ? 0 : grams(arc.co2_g_per_t);
  }

  // The next departure of a service from its stop `board` at or after `t`.
  std::optional<Instant> next_departure(const Service& s, std::uint16_t board, Instant t) const {
    return caravan::next_departure(*net, s, board, t);
  }

  // The first instant >= t at which none of the arc's locations (tail, head,
  // and for a ride the stops in between) is closed by the overlay.
  std::int64_t reopened(const SearchArc& arc, std::uint32_t at, std::int64_t t) const {
    auto closed_until = [&](std::uint32_t loc, std::int64_t when) -> std::int64_t {
      if (!impl->closed[loc]) return when;
      for (const ClosureWindow& w : impl->overlay->closures(LocationIdx(loc))) {
        std::int64_t a = w.from.time_since_epoch().count(), b = w.until.time_since_epoch().count();
        if (when >= a && when < b) when = b;
      }
      return when;
    };
    for (;;) {
      std::int64_t u = closed_until(at, t);
      u = closed_until(arc.head, u);
      if (arc.kind == ArcKind::kRide) {
        const Service& s = service(ServiceIdx(arc.ref));
        for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) u = closed_until(s.stops[i].v, u);
      }
      if (u == t) return t;
      t = u;
    }
  }

  // Customs and, where declared, a change of gauge. Starts at `o.t` at the exit side.
  template <bool kEmit, class Timing>
  std::optional<Outcome> border(const Crossing& c, CrossingIdx ci, Outcome o, std::vector<Leg>* legs,
                                Timing& timing) const {
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
    Instant cleared = *open + timing.clearance(ci, c);
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
      Duration gt = timing.gauge_change(ci, c);
      if constexpr (kEmit) {
        Leg gl;
        gl.kind = LegKind::kGaugeChange;
        gl.mode = c.mode;
        gl.from = gl.to = c.entry;
        gl.depart = cleared;
        gl.arrive = cleared + gt;
        gl.cost = g;
        gl.cost_usd_cents = g_usd;
        gl.crossing = ci;
        gl.note = std::to_string(net->locations[c.exit].gauge) + " to " +
                  std::to_string(net->locations[c.entry].gauge) + " mm";
        gl.sources = c.sources;
        legs->push_back(std::move(gl));
      }
      o.t += gt.count();
      o.cost += g_usd;
    }
    return o;
  }

  // Takes `arc` from location `at`, reached at `o` with last mode `mode_in`.
  // Returns the outcome at the arc's head, or nullopt when the arc cannot be
  // used (a closed border that never opens, a service that never runs).
  // With kEmit, appends the legs it produces: the same code prices the search
  // and the itinerary, so totals always equal the sum of the legs.
  template <bool kEmit, class Timing>
  std::optional<Outcome> traverse(const SearchArc& arc, std::uint32_t at, std::uint8_t mode_in, Outcome o,
                                  std::vector<Leg>* legs, Timing& timing) const {
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
    if (impl->any_closure) {
      std::int64_t t = reopened(arc, at, o.t);
      if constexpr (kEmit) {
        if (t > o.t) {
          Leg w;
          w.kind = LegKind::kWait;
          w.from = w.to = LocationIdx(at);
          w.depart = Instant(Duration(o.t));
          w.arrive = Instant(Duration(t));
          w.cost = Money{0, arc.currency};
          w.note = "closed by scenario";
          legs->push_back(std::move(w));
        }
      }
      o.t = t;
    }
    if (arc.kind == ArcKind::kCrossing) {
      CrossingIdx ci(arc.ref);
      return border<kEmit>(crossing(ci), ci, o, legs, timing);
    }
    Instant dep(Duration(o.t));
    Duration travel(arc.travel_s);
    if (arc.kind == ArcKind::kRide) {
      const Service& s = service(ServiceIdx(arc.ref));
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
      travel += timing.service_delay(ServiceIdx(arc.ref), s);
      if (travel.count() < 0) travel = Duration(0);  // an early arrival never precedes the departure
    } else {
      travel = timing.link_travel(LinkIdx(arc.ref), travel);
    }
    Money charge = scaled(arc.cost_minor_per_teu, arc.currency);
    std::int64_t charge_usd = usd_cents(static_cast<double>(charge.minor), charge.currency);
    std::int64_t co2 = grams(arc.co2_g_per_t);
    Instant arr = dep + travel;
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
        m.sources = service(m.service).sources;
      }
      legs->push_back(std::move(m));
    }
    o.t = arr.time_since_epoch().count();
    o.cost += charge_usd;
    o.co2 += co2;
    if (arc.port_crossing.valid())
      return border<kEmit>(crossing(arc.port_crossing), arc.port_crossing, o, legs, timing);
    return o;
  }
};

}  // namespace caravan::detail
