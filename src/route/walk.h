// Internal: how a box moves over one search arc — the single place that knows
// the rules (lifts, formation, a port's dwell, cut-offs and departures,
// storage, both border posts open, traffic classes, closures, gauge changes,
// prices). The planner, the Monte Carlo replay and the simulator all walk
// arcs through this code; they differ only in the Timing policy:
//   NominalTiming  the dataset's medians and the timetable (the planner's default);
//   VirtualTiming  any StageTiming (pessimistic quantiles, sampled durations);
// and the simulator's own policy, which adds queues at capacitated resources
// through the hooks admit_crossing, admit_link and board.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "caravan/route.h"
#include "index.h"

namespace caravan::detail {

/// Where a walk stands after an arc.
struct Outcome {
  std::int64_t t = 0, cost = 0, co2 = 0;  // arrival (s since epoch), USD cents, grams
  Vehicle vehicle = Vehicle::kNone;
  std::uint8_t changes = 0;  // rail <-> road changes so far (the chain rule)
};

/// The hooks of a walk without queues.
struct FreeFlow {
  Instant admit_crossing(CrossingIdx, Instant t) { return t; }
  Instant admit_link(LinkIdx, Instant t) { return t; }
  /// The departure the box gets, given the first one at or after it is ready.
  std::optional<Instant> board(ServiceIdx, std::uint16_t, std::uint16_t, Instant, Instant first) { return first; }
};

/// Medians and the timetable: what the deterministic planner assumes.
struct NominalTiming : FreeFlow {
  Duration clearance(CrossingIdx, TrafficClass, const CrossingTerms& k) const { return k.clearance_median; }
  Duration gauge_change(CrossingIdx, const Crossing& c) const { return c.gauge_change_time; }
  Duration link_travel(LinkIdx, Duration nominal) const { return nominal; }
  Duration service_delay(ServiceIdx, const Service&) const { return Duration(0); }
  Duration formation(ProductIdx, const RailProduct& p) const { return p.formation_median; }
  Duration port_dwell(LocationIdx, const Location& l) const { return l.port_dwell_median; }
};

/// Forwards to a StageTiming.
struct VirtualTiming : FreeFlow {
  StageTiming* t;
  explicit VirtualTiming(StageTiming* x) : t(x) {}
  Duration clearance(CrossingIdx i, TrafficClass k, const CrossingTerms& c) const { return t->clearance(i, k, c); }
  Duration gauge_change(CrossingIdx i, const Crossing& c) const { return t->gauge_change(i, c); }
  Duration link_travel(LinkIdx l, Duration nominal) const { return t->link_travel(l, nominal); }
  Duration service_delay(ServiceIdx s, const Service& x) const { return t->service_delay(s, x); }
  Duration formation(ProductIdx p, const RailProduct& x) const { return t->formation(p, x); }
  Duration port_dwell(LocationIdx l, const Location& x) const { return t->port_dwell(l, x); }
};

std::string_view vehicle_name(Vehicle v);

/// Walks arcs of one RouteIndex for one shipment. Build with make_walker().
struct Walker {
  const RouteIndex::Impl* impl = nullptr;
  const Network* net = nullptr;
  const NetworkView* view = nullptr;
  // The shipment.
  bool kg = false;                    // general cargo by weight: road and air only
  bool forty = false;                 // 40-ft boxes pay the 40-ft figures
  double boxes = 1;                   // per-box charges multiply by this (1 for KG: per shipment)
  std::uint32_t teu = 0;              // TEU-equivalents, for service capacities
  double tonnes = 10;                 // cargo, for CO2
  Mass chargeable;                    // KG: what air charges by
  std::vector<std::uint32_t> trucks;  // dense country -> trucks it takes; 0: road not available there

  // FxTable::minor_to_usd_cents with the rate resolved from the index's table
  // (the same arithmetic, so the same rounding) instead of two lookups by code.
  std::int64_t usd_cents(double minor, Currency c) const {
    const std::uint32_t key = currency_key(c);
    for (const UsdRate& r : impl->usd) {
      if (r.key == key) return std::llround(minor / r.minor_per_major / r.per_usd * 100.0);
    }
    return std::llround(view->fx().minor_to_usd_cents(minor, c));
  }
  Money times(Money m, double n) const { return Money{std::llround(static_cast<double>(m.minor) * n), m.currency}; }
  std::int64_t usd(Money m) const { return usd_cents(static_cast<double>(m.minor), m.currency); }
  std::int64_t grams(double g_per_t) const { return std::llround(g_per_t * tonnes); }

  // --- what the shipment pays, in the charging currency --------------------
  Money handling(const Location& l) const {
    return kg ? Money{0, l.handling_cost.currency} : times(l.handling(forty), boxes);
  }
  std::uint32_t trucks_at(std::uint32_t loc) const { return trucks[impl->country_index[loc]]; }
  Money border_fee(const Crossing& c, const CrossingTerms& k, std::uint32_t exit_loc) const {
    if (c.mode == Mode::kRoad) return times(k.cost, trucks_at(exit_loc));
    if (kg) return k.cost;
    return times(forty ? k.cost_feu : k.cost, boxes);
  }
  Money gauge_fee(const Crossing& c) const { return times(c.gauge_change_cost(forty), boxes); }
  // On board a train whose through-rate pays the borders it runs through,
  // their fees and gauge changes are not charged again (ADR 0520).
  bool rate_pays_borders(ServiceIdx s) const { return view->service(s).rate_covers_borders; }
  Money haul(const SearchArc& arc) const {
    switch (arc.kind) {
      case ArcKind::kRoad:
        return Money{std::llround(arc.price_teu * trucks[arc.country]), arc.currency};
      case ArcKind::kProduct:
        return Money{std::llround((forty ? arc.price_feu : arc.price_teu) * boxes), arc.currency};
      case ArcKind::kRide: {
        const Service& s = view->service(ServiceIdx(arc.ref));
        if (kg) {
          auto c = s.air_charge(chargeable);
          return c ? *c : Money{0, arc.currency};
        }
        return Money{std::llround((forty ? arc.price_feu : arc.price_teu) * boxes), arc.currency};
      }
      case ArcKind::kCrossing:
        break;
    }
    return Money{0, arc.currency};
  }

  /// Whether this shipment may take the arc at all: containers never fly;
  /// KG goes by road and air only; a truck must be legal in the country; an
  /// air service without weight breaks carries no KG; trucks take road
  /// crossings, rail vehicles rail crossings.
  bool carries(const SearchArc& arc, Vehicle in) const {
    switch (arc.kind) {
      case ArcKind::kRoad:
        return trucks[arc.country] > 0;
      case ArcKind::kProduct:
        return !kg;
      case ArcKind::kCrossing: {
        const Crossing& c = view->crossing(CrossingIdx(arc.ref));
        if (c.mode == Mode::kRoad) return (in == Vehicle::kNone || in == Vehicle::kTruck) && trucks[arc.country] > 0;
        return !kg &&
               (in == Vehicle::kNone || in == Vehicle::kProduct || in == Vehicle::kRailLoose || in == Vehicle::kTrain);
      }
      case ArcKind::kRide: {
        const Service& s = view->service(ServiceIdx(arc.ref));
        if (s.mode == Mode::kAir) return kg && !s.air_rates.empty();
        return !kg;  // capacity per run is the simulator's (queues), not a single booking's
      }
    }
    return false;
  }

  // What taking `arc` charges in USD cents whatever the timing, leaving out
  // lifts and storage at its tail (both >= 0): traverse() adds exactly these
  // amounts plus those. For the lower bounds of the planner.
  std::int64_t arc_cost_usd(const SearchArc& arc, std::uint32_t tail) const {
    if (arc.kind == ArcKind::kCrossing) {
      const Crossing& c = view->crossing(CrossingIdx(arc.ref));
      const TrafficClass k = c.mode == Mode::kRoad ? TrafficClass::kTruck : TrafficClass::kRail;
      std::int64_t usd_total = usd(border_fee(c, c.terms(k), tail));
      if (c.gauge_change) usd_total += usd(gauge_fee(c));
      return usd_total;
    }
    std::int64_t total = usd(haul(arc));
    if (arc.kind == ArcKind::kRide && arc.ride_borders && !rate_pays_borders(ServiceIdx(arc.ref))) {
      const Service& s = view->service(ServiceIdx(arc.ref));
      for (std::uint16_t k = arc.board; k < arc.alight; ++k) {
        if (!s.borders[k].valid()) continue;
        const Crossing& c = view->crossing(s.borders[k]);
        total += usd(border_fee(c, c.terms(TrafficClass::kBlockTrain), s.stops[k].v));
        if (c.gauge_change) total += usd(gauge_fee(c));
      }
    }
    if (arc.port_crossing.valid()) {
      const Crossing& c = view->crossing(arc.port_crossing);
      total += usd(border_fee(c, c.terms(TrafficClass::kRail), arc.head));
    }
    return total;
  }
  // The CO2 traverse() adds for the arc: a ride through borders sums its
  // pieces between them, each rounded as its leg is.
  std::int64_t arc_co2_g(const SearchArc& arc) const {
    if (arc.kind == ArcKind::kCrossing) return 0;
    if (arc.kind != ArcKind::kRide || !arc.ride_borders) return grams(arc.co2_g_per_t);
    const Service& s = view->service(ServiceIdx(arc.ref));
    std::int64_t total = 0;
    std::size_t piece = arc.board;
    for (std::size_t k = arc.board; k < arc.alight; ++k) {
      if (!s.borders[k].valid()) continue;
      if (k > piece) total += grams(s.stop_co2_g_per_t[k] - s.stop_co2_g_per_t[piece]);
      piece = k + 1;
    }
    return total + grams(s.stop_co2_g_per_t[arc.alight] - s.stop_co2_g_per_t[piece]);
  }

  // --- the vehicle a box is on after an arc, and the chain rule -------------
  Vehicle vehicle_after(const SearchArc& arc, Vehicle in) const {
    switch (arc.kind) {
      case ArcKind::kRoad:
        return Vehicle::kTruck;
      case ArcKind::kProduct:
        return Vehicle::kProduct;
      case ArcKind::kCrossing: {
        const Crossing& c = view->crossing(CrossingIdx(arc.ref));
        if (c.mode == Mode::kRoad) return Vehicle::kTruck;
        // Wagons are handed over at a same-gauge border of two railways with
        // products; after a gauge change the box waits for a new formation.
        const bool handed_over =
            in == Vehicle::kProduct && !c.gauge_change && impl->has_product[impl->country_index[arc.head]] != 0;
        return handed_over ? Vehicle::kProduct : Vehicle::kRailLoose;
      }
      case ArcKind::kRide:
        switch (arc.mode) {
          case Mode::kRail:
            return Vehicle::kTrain;
          case Mode::kAir:
            return Vehicle::kAircraft;
          default: {
            const std::uint8_t land = land_of(in);
            return land == 1 ? Vehicle::kVesselRail : land == 2 ? Vehicle::kVesselRoad : Vehicle::kVesselFirst;
          }
        }
    }
    return Vehicle::kNone;
  }
  // Rail/road changes after the arc: a land arc of the other land mode than
  // the last one counts one; vessels and aircraft keep the last land mode.
  std::uint8_t changes_after(Vehicle in, Vehicle out, std::uint8_t changes) const {
    const std::uint8_t a = land_of(in), b = land_of(out);
    return static_cast<std::uint8_t>(changes + (a != 0 && b != 0 && a != b ? 1 : 0));
  }
  // A lift moves the box onto another vehicle: not at the origin, not when it
  // stays on its truck or wagons, not onto a train after a gauge change (the
  // crossing's transhipment is the lift), not across a border.
  bool needs_lift(const SearchArc& arc, Vehicle in) const {
    if (in == Vehicle::kNone || arc.kind == ArcKind::kCrossing) return false;
    switch (arc.kind) {
      case ArcKind::kRoad:
        return in != Vehicle::kTruck;
      case ArcKind::kProduct:
        return in != Vehicle::kProduct && in != Vehicle::kRailLoose;
      case ArcKind::kRide:
        return !(in == Vehicle::kRailLoose && arc.mode == Mode::kRail);
      case ArcKind::kCrossing:
        break;
    }
    return false;
  }

  // Storage of a box that stayed at `l` for `stay`: every started day beyond
  // the free days, per box (ADR 0500 section 5).
  Money storage(const Location& l, Duration stay) const {
    const Money per_day = l.storage(forty);
    const std::int64_t free_s = std::llround(l.free_days * 86400.0);
    if (kg || per_day.minor == 0 || stay.count() <= free_s) return Money{0, per_day.currency};
    const std::int64_t days = (stay.count() - free_s + 86399) / 86400;
    return times(Money{per_day.minor * days, per_day.currency}, boxes);
  }

  // The first instant >= t at which none of the arc's locations (tail, head,
  // and for a ride the stops in between) is closed by a scenario.
  std::int64_t reopened(const SearchArc& arc, std::uint32_t at, std::int64_t t) const {
    auto closed_until = [&](std::uint32_t loc, std::int64_t when) -> std::int64_t {
      if (!impl->closed[loc]) return when;
      for (const ClosureWindow& w : view->closures(LocationIdx(loc))) {
        std::int64_t a = w.from.time_since_epoch().count(), b = w.until.time_since_epoch().count();
        if (when >= a && when < b) when = b;
      }
      return when;
    };
    for (;;) {
      std::int64_t u = closed_until(at, t);
      u = closed_until(arc.head, u);
      if (arc.kind == ArcKind::kRide) {
        const Service& s = view->service(ServiceIdx(arc.ref));
        for (std::uint16_t i = arc.board + 1; i < arc.alight; ++i) u = closed_until(s.stops[i].v, u);
      }
      if (u == t) return t;
      t = u;
    }
  }

  static Leg wait_leg(LocationIdx at, Instant from, Instant to, Currency c, std::string note) {
    Leg w;
    w.kind = LegKind::kWait;
    w.from = w.to = at;
    w.depart = from;
    w.arrive = to;
    w.cost = Money{0, c};
    w.note = std::move(note);
    return w;
  }

  // The first instant >= t at which both posts are open for class `k` and no
  // dated closure of that class holds; nullopt when never. `closed` tells
  // whether a closure (not the hours) delayed it.
  std::optional<Instant> open_for(CrossingIdx ci, const Crossing& c, const CrossingTerms& k, TrafficClass cls,
                                  Instant t, bool& closed) const {
    const auto& windows = view->closures(ci);
    for (int guard = 0; guard < 1000; ++guard) {
      auto open =
          next_open_both(t, k.exit_open, net->locations[c.exit].zone, k.entry_open, net->locations[c.entry].zone);
      if (!open) return std::nullopt;
      bool moved = false;
      for (const ClassClosure& w : windows) {
        if ((!w.cls || *w.cls == cls) && *open >= w.from && *open < w.until) {
          t = w.until;
          moved = closed = true;
          break;
        }
      }
      if (!moved) return open;
    }
    return std::nullopt;
  }

  // Customs and, where declared, a change of gauge, for traffic class `cls`,
  // starting at `o.t` at the exit side. `queue`: the crossing's own arc (the
  // simulator admits it against its capacity); `service`: set on the legs of a
  // ride through the border. `port`: customs at a port (no traffic class).
  template <bool kEmit, class Timing>
  std::optional<Outcome> border(CrossingIdx ci, TrafficClass cls, bool port, bool queue, ServiceIdx service, Outcome o,
                                std::vector<Leg>* legs, Timing& timing) const {
    const Crossing& c = view->crossing(ci);
    const CrossingTerms& k = c.terms(cls);
    Instant t(Duration(o.t));
    if (queue) t = timing.admit_crossing(ci, t);
    bool closed = false;
    auto open = open_for(ci, c, k, cls, t, closed);
    if (!open) return std::nullopt;
    if constexpr (kEmit) {
      if (*open > Instant(Duration(o.t))) {
        Leg w = wait_leg(c.exit, Instant(Duration(o.t)), *open, k.cost.currency,
                         closed ? "crossing closed" : (*open > t ? "border posts closed" : "queue at the crossing"));
        w.crossing = ci;
        w.service = service;
        legs->push_back(std::move(w));
      }
    }
    const bool paid_on_board = service.valid() && rate_pays_borders(service);
    const Money fee = paid_on_board ? Money{0, k.cost.currency} : border_fee(c, k, c.exit.v);
    const std::int64_t fee_usd = usd(fee);
    const Instant cleared = *open + timing.clearance(ci, cls, k);
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
      b.service = service;
      if (!port) b.traffic_class = cls;
      b.sources = k.overridden ? k.sources : c.sources;
      legs->push_back(std::move(b));
    }
    o.t = cleared.time_since_epoch().count();
    o.cost += fee_usd;
    if (c.gauge_change) {
      const Money g = paid_on_board ? Money{0, c.gauge_change_cost_per_teu.currency} : gauge_fee(c);
      const std::int64_t g_usd = usd(g);
      const Duration gt = timing.gauge_change(ci, c);
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
        gl.service = service;
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

  // A moving leg of `arc` from `a` to `b`.
  Leg move_leg(const SearchArc& arc, LocationIdx a, LocationIdx b, Instant dep, Instant arr, Distance km,
               std::int64_t co2) const {
    Leg m;
    m.kind = LegKind::kMove;
    m.mode = arc.mode;
    m.from = a;
    m.to = b;
    m.depart = dep;
    m.arrive = arr;
    m.km = km;
    m.cost = Money{0, arc.currency};
    m.co2_g = co2;
    return m;
  }

  // A ride on a service from arc.board to arc.alight leaving at `dep`,
  // through any land borders on the way (block-train class; the timetable
  // continues after each), late by the service's delay on arrival.
  template <bool kEmit, class Timing>
  std::optional<Outcome> ride(const SearchArc& arc, Instant dep, Outcome o, std::vector<Leg>* legs,
                              Timing& timing) const {
    const ServiceIdx si(arc.ref);
    const Service& s = view->service(si);
    const Money charge = haul(arc);
    const std::int64_t charge_usd = usd(charge);
    o.cost += charge_usd;
    std::int64_t t = dep.time_since_epoch().count();
    std::size_t piece = arc.board;  // first stop of the moving leg being built
    std::int64_t piece_t = t;
    bool first = true;
    auto emit_piece = [&](std::size_t to, std::int64_t arrive) {
      const std::int64_t co2 = grams(s.stop_co2_g_per_t[to] - s.stop_co2_g_per_t[piece]);
      o.co2 += co2;
      if constexpr (kEmit) {
        Leg m = move_leg(arc, s.stops[piece], s.stops[to], Instant(Duration(piece_t)), Instant(Duration(arrive)),
                         Distance{s.stop_km[to].meters - s.stop_km[piece].meters}, co2);
        m.service = si;
        if (first) {
          m.cost = charge;
          m.cost_usd_cents = charge_usd;
        }
        m.sources = s.sources;
        legs->push_back(std::move(m));
      }
      first = false;
    };
    if (arc.ride_borders) {
      for (std::size_t k = arc.board; k < arc.alight; ++k) {
        if (s.borders[k].valid()) {
          if (k > piece) emit_piece(k, t);
          Outcome b = o;
          b.t = t;
          auto after = border<kEmit>(s.borders[k], TrafficClass::kBlockTrain, false, false, si, b, legs, timing);
          if (!after) return std::nullopt;
          o.cost = after->cost;
          t = after->t;
          piece = k + 1;
          piece_t = t;
        }
        t += (s.stop_offsets[k + 1] - s.stop_offsets[k]).count();
      }
    } else {
      t += arc.travel_s;
    }
    // Alighting right after a border with no time between its two stops: the
    // last leg was the crossing. Time the timetable gives from the exit stop to
    // the entry stop is a moving leg like any other, so the legs end where o.t does.
    if (piece == arc.alight && !first && t == piece_t) {
      o.t = t;
      return o;
    }
    const std::int64_t delay = timing.service_delay(si, s).count();
    t = std::max(piece_t, t + delay);  // an early arrival never precedes the departure
    emit_piece(arc.alight, t);
    o.t = t;
    return o;
  }

  // Takes `arc` from location `at`, reached with outcome `o`. Returns the
  // outcome at the arc's head, or nullopt when the arc cannot be used (a
  // closed border that never opens, a service that never runs, a vehicle or
  // unit the arc cannot take). With kEmit, appends the legs it produces: the
  // same code prices the search and the itinerary, so totals always equal
  // the sum of the legs.
  template <bool kEmit, class Timing>
  std::optional<Outcome> traverse(const SearchArc& arc, std::uint32_t at, Outcome o, std::vector<Leg>* legs,
                                  Timing& timing) const {
    const Vehicle in = o.vehicle;
    if (!carries(arc, in)) return std::nullopt;
    const Location& here = view->location(LocationIdx(at));
    const std::int64_t arrived = o.t;  // for storage: the box's stay here starts now
    const Vehicle out = vehicle_after(arc, in);
    if (needs_lift(arc, in)) {
      const Money h = handling(here);
      const std::int64_t h_usd = usd(h);
      if constexpr (kEmit) {
        Leg tr;
        tr.kind = LegKind::kTransfer;
        tr.from = tr.to = LocationIdx(at);
        tr.depart = Instant(Duration(o.t));
        tr.arrive = tr.depart + here.transfer_time;
        tr.cost = h;
        tr.cost_usd_cents = h_usd;
        tr.note = std::string(vehicle_name(in)) + " to " + std::string(vehicle_name(out));
        tr.sources = here.sources;
        legs->push_back(std::move(tr));
      }
      o.t += here.transfer_time.count();
      o.cost += h_usd;
    }
    if (impl->any_closure) {
      const std::int64_t t = reopened(arc, at, o.t);
      if constexpr (kEmit) {
        if (t > o.t)
          legs->push_back(wait_leg(LocationIdx(at), Instant(Duration(o.t)), Instant(Duration(t)), arc.currency,
                                   "closed by scenario"));
      }
      o.t = t;
    }
    o.changes = changes_after(in, out, o.changes);
    o.vehicle = out;
    switch (arc.kind) {
      case ArcKind::kCrossing: {
        const CrossingIdx ci(arc.ref);
        const TrafficClass cls = view->crossing(ci).mode == Mode::kRoad ? TrafficClass::kTruck : TrafficClass::kRail;
        return border<kEmit>(ci, cls, false, true, ServiceIdx::invalid(), o, legs, timing);
      }
      case ArcKind::kRoad:
      case ArcKind::kProduct: {
        const LinkIdx li(arc.ref);
        if (arc.kind == ArcKind::kProduct && in != Vehicle::kProduct) {
          const RailProduct& p = view->product(arc.product);
          const Duration f = timing.formation(arc.product, p);
          if constexpr (kEmit) {
            if (f.count() > 0) {
              Leg w = wait_leg(LocationIdx(at), Instant(Duration(o.t)), Instant(Duration(o.t)) + f, p.currency,
                               "formation of " + p.name);
              w.product = arc.product;
              legs->push_back(std::move(w));
            }
          }
          o.t += f.count();
        }
        const Instant dep = timing.admit_link(li, Instant(Duration(o.t)));
        const Duration travel = timing.link_travel(li, Duration(arc.travel_s));
        const Money charge = haul(arc);
        const std::int64_t charge_usd = usd(charge);
        const std::int64_t co2 = grams(arc.co2_g_per_t);
        const Instant arr = dep + travel;
        if constexpr (kEmit) {
          if (dep.time_since_epoch().count() > o.t) {
            legs->push_back(wait_leg(LocationIdx(at), Instant(Duration(o.t)), dep, arc.currency, "queue for the link"));
          }
          Leg m = move_leg(arc, LocationIdx(at), LocationIdx(arc.head), dep, arr, arc.km, co2);
          m.cost = charge;
          m.cost_usd_cents = charge_usd;
          m.link = li;
          m.sources = view->link(li).sources;
          if (arc.kind == ArcKind::kProduct) {
            m.product = arc.product;
            m.note = view->product(arc.product).name;
          } else if (trucks[arc.country] > 1) {
            m.note = std::to_string(trucks[arc.country]) + " trucks";
          }
          legs->push_back(std::move(m));
          if (arc.yard_s > 0) {
            Leg y =
                wait_leg(LocationIdx(arc.head), arr, arr + Duration(arc.yard_s), arc.currency, "yard dwell on the way");
            y.product = arc.product;
            legs->push_back(std::move(y));
          }
        }
        o.t = (arr + Duration(arc.yard_s)).time_since_epoch().count();
        o.cost += charge_usd;
        o.co2 += co2;
        return o;
      }
      case ArcKind::kRide:
        break;
    }
    // A ride: a port's dwell before loading a vessel, the cut-off, the next
    // departure with room, storage for the whole stay, then the run.
    const ServiceIdx si(arc.ref);
    const Service& s = view->service(si);
    std::int64_t ready = o.t;
    const bool vessel = arc.mode == Mode::kFerry || arc.mode == Mode::kSea;
    Duration dwell{0};
    if (vessel && here.kind == LocationKind::kSeaport && here.port_dwell_median.count() > 0) {
      dwell = timing.port_dwell(LocationIdx(at), here);
      ready += dwell.count();
    }
    auto first = caravan::next_departure(*net, s, arc.board, Instant(Duration(ready)) + s.cutoff);
    if (!first) return std::nullopt;
    auto dep = timing.board(si, arc.board, arc.alight, Instant(Duration(ready)), *first);
    if (!dep) return std::nullopt;
    const bool waits = dep->time_since_epoch().count() > ready;
    const Money stored = (waits || dwell.count() > 0) ? storage(here, *dep - Instant(Duration(arrived))) : Money{};
    const std::int64_t stored_usd = stored.minor != 0 ? usd(stored) : 0;
    if constexpr (kEmit) {
      if (dwell.count() > 0) {
        legs->push_back(wait_leg(LocationIdx(at), Instant(Duration(o.t)), Instant(Duration(ready)),
                                 here.storage_per_day.currency, "port dwell before loading"));
      }
      if (waits) {
        std::string note = "next departure of " + s.name;
        if (s.cutoff.count() > 0) note += " (cut-off " + std::to_string(std::llround(to_hours(s.cutoff))) + " h)";
        Leg w =
            wait_leg(LocationIdx(at), Instant(Duration(ready)), *dep, here.storage_per_day.currency, std::move(note));
        w.service = si;
        legs->push_back(std::move(w));
      }
      if (stored.minor != 0) {
        Leg& w = legs->back();
        w.cost = stored;
        w.cost_usd_cents = stored_usd;
        w.note += ", storage after " + std::to_string(std::llround(here.free_days)) + " free days";
      }
    }
    o.cost += stored_usd;
    auto after = ride<kEmit>(arc, *dep, o, legs, timing);
    if (!after) return std::nullopt;
    if (arc.port_crossing.valid()) {
      return border<kEmit>(arc.port_crossing, TrafficClass::kRail, true, false, ServiceIdx::invalid(), *after, legs,
                           timing);
    }
    return after;
  }
};

/// A walker for `q` on `index`: the shipment's boxes, trucks per country,
/// chargeable weight. `trucks` storage is reused when `w` is given.
void make_walker(const RouteIndex& index, const RouteQuery& q, Walker& w);

}  // namespace caravan::detail
