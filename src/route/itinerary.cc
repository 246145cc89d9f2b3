// What the planner, the Monte Carlo and the simulator share besides the
// search: names, the query's cargo checks, the walker for one shipment, and
// walking a list of arcs into an itinerary (or just an arrival).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "caravan/route.h"
#include "itinerary.h"

namespace caravan {

std::string_view to_string(Objective o) {
  switch (o) {
    case Objective::kPareto:
      return "pareto";
    case Objective::kTime:
      return "time";
    case Objective::kCost:
      return "cost";
    case Objective::kCo2:
      return "co2";
    case Objective::kGeneralized:
      return "generalized";
  }
  return "?";
}

std::optional<Objective> parse_objective(std::string_view s) {
  for (Objective o :
       {Objective::kPareto, Objective::kTime, Objective::kCost, Objective::kCo2, Objective::kGeneralized}) {
    if (to_string(o) == s) return o;
  }
  return std::nullopt;
}

Mass RouteQuery::cargo_mass() const {
  if (!is_container(unit)) return Mass{static_cast<std::int64_t>(units)};
  Mass per = cargo_per_unit ? *cargo_per_unit : default_cargo_mass(unit);
  return Mass{per.kg * static_cast<std::int64_t>(units)};
}

Mass RouteQuery::chargeable_mass() const {
  Mass m = cargo_mass();
  if (is_container(unit) || !volume_m3) return m;
  const auto volume_kg = static_cast<std::int64_t>(std::ceil(*volume_m3 * 1'000'000.0 / 6000.0 - 1e-9));
  return Mass{std::max(m.kg, volume_kg)};
}

std::string_view Leg::kind_name() const {
  switch (kind) {
    case LegKind::kMove:
      return to_string(mode);
    case LegKind::kWait:
      return "wait";
    case LegKind::kTransfer:
      return "transfer";
    case LegKind::kBorder:
      return "border";
    case LegKind::kGaugeChange:
      return "gauge_change";
  }
  return "?";
}

namespace {
std::string tonnes_text(Mass m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", m.tonnes());
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s += '0';
  return s + " t";
}
}  // namespace

Status check_cargo(const Network& net, const RouteQuery& q) {
  const std::string unit(to_string(q.unit));
  if (q.units == 0)
    return Error::invalid(is_container(q.unit) ? "units must be at least 1" : "KG cargo must be at least 1 kg");
  if (!is_container(q.unit)) {
    if (q.cargo_per_unit)
      return Error::invalid("cargo per box does not apply to KG cargo (expected the kilograms as units)");
    if (q.volume_m3 && !(*q.volume_m3 > 0 && std::isfinite(*q.volume_m3))) {
      return Error::invalid("volume must be above 0 m3 (expected the cargo's volume, e.g. 12.5)");
    }
    if (!q.modes.has(Mode::kRoad) && !q.modes.has(Mode::kAir)) {
      return Error::invalid("KG cargo goes by road and air only (expected a mode set with road or air)");
    }
    return {};
  }
  if (q.volume_m3)
    return Error::invalid("a volume applies to KG cargo only (expected no volume for " + unit + " boxes)");
  const Mass cargo = q.cargo_per_unit ? *q.cargo_per_unit : default_cargo_mass(q.unit);
  if (cargo.kg <= 0)
    return Error::invalid("cargo per " + unit + " must be above 0 t (expected the payload of one box)");
  if (const EquipmentType* e = net.equipment_for(q.unit); e != nullptr && cargo.kg > e->payload().kg) {
    return Error::invalid("cargo " + tonnes_text(cargo) + " per " + unit + " exceeds the " + unit +
                          " payload limit of " + tonnes_text(e->payload()) + " (max gross " +
                          tonnes_text(e->max_gross) + " - tare " + tonnes_text(e->tare) + ", equipment.csv)");
  }
  ModeSet surface;
  for (Mode m : {Mode::kRail, Mode::kRoad, Mode::kFerry, Mode::kSea}) {
    if (q.modes.has(m)) surface.add(m);
  }
  if (surface.empty()) {
    return Error::invalid("containers never fly: " + unit +
                          " boxes need rail, road, ferry or sea (expected --unit KG for air cargo)");
  }
  return {};
}

namespace detail {

std::string_view vehicle_name(Vehicle v) {
  switch (v) {
    case Vehicle::kNone:
      return "origin";
    case Vehicle::kTruck:
      return "truck";
    case Vehicle::kProduct:
      return "rail wagon";
    case Vehicle::kRailLoose:
      return "rail";
    case Vehicle::kTrain:
      return "train";
    case Vehicle::kVesselFirst:
    case Vehicle::kVesselRail:
    case Vehicle::kVesselRoad:
      return "vessel";
    case Vehicle::kAircraft:
      return "aircraft";
  }
  return "?";
}

void make_walker(const RouteIndex& index, const RouteQuery& q, Walker& w) {
  const auto& impl = index.impl();
  const Network& net = index.network();
  w.impl = &impl;
  w.net = &net;
  w.view = &index.view();
  w.kg = !is_container(q.unit);
  w.forty = is_forty_foot(q.unit);
  w.boxes = static_cast<double>(q.boxes());
  w.teu = q.teu();
  w.tonnes = q.cargo_mass().tonnes();
  w.chargeable = q.chargeable_mass();
  // Trucks per country: a 40-ft chassis carries one 40-ft box, or two 20-ft
  // boxes when both fit under the road's gross limit, else one; KG fills
  // trucks to their payload. No trucking row: no limit known.
  const Mass per_box = q.cargo_per_unit ? *q.cargo_per_unit : default_cargo_mass(q.unit);
  const EquipmentType* eq = net.equipment_for(q.unit);
  const std::int64_t box_gross = per_box.kg + (eq != nullptr ? eq->tare.kg : 0);
  w.trucks.assign(impl.countries.size(), 0);
  for (std::size_t c = 0; c < impl.countries.size(); ++c) {
    const TruckingTerms* t = impl.trucking[c];
    std::uint32_t per_truck = 0;
    if (w.kg) {
      const std::int64_t payload = t != nullptr ? t->max_gross.kg - t->truck_tare.kg : INT64_MAX;
      // Ceiling division written so that "no limit" (INT64_MAX) cannot overflow.
      const std::int64_t kg = std::max<std::int64_t>(1, static_cast<std::int64_t>(q.units));
      w.trucks[c] = static_cast<std::uint32_t>((kg - 1) / payload + 1);
      continue;
    }
    if (t == nullptr) {
      per_truck = w.forty ? 1 : 2;
    } else if (!w.forty && t->truck_tare.kg + 2 * box_gross <= t->max_gross.kg) {
      per_truck = 2;
    } else if (t->truck_tare.kg + box_gross <= t->max_gross.kg) {
      per_truck = 1;
    }
    w.trucks[c] = per_truck == 0 ? 0 : (q.units + per_truck - 1) / per_truck;
  }
}

double value_of_time_cents_per_hour(const Network& net, const RouteQuery& q) {
  const double vot = q.value_of_time_usd    ? *q.value_of_time_usd
                     : is_container(q.unit) ? net.info.value_of_time_usd_per_box_hour
                                            : net.info.value_of_time_usd_per_tonne_hour;
  return vot * 100.0 * (is_container(q.unit) ? static_cast<double>(q.units) : q.cargo_mass().tonnes());
}

std::optional<Itinerary> finish(const Walker& w, const RouteQuery& q, std::vector<Leg> legs,
                                double vot_cents_per_hour) {
  Itinerary it;
  it.depart = q.depart;
  it.legs = std::move(legs);
  // Carrier-owned boxes go back empty from the destination country.
  if (is_container(q.unit) && q.equipment == Equipment::kCoc) {
    const Location& dest = w.view->location(q.to);
    if (const EmptyReturn* e = w.net->empty_return_for(dest.country, w.forty); e != nullptr && e->cost.minor != 0) {
      const Instant end = it.legs.empty() ? q.depart : it.legs.back().arrive;
      Leg r = Walker::wait_leg(q.to, end, end, e->cost.currency, "empty return of the carrier's boxes (COC)");
      r.cost = w.times(e->cost, w.boxes);
      r.cost_usd_cents = w.usd(r.cost);
      r.sources = e->sources;
      it.legs.push_back(std::move(r));
    }
  }
  std::optional<Mode> last;
  for (const Leg& g : it.legs) {
    it.km += g.km;
    it.cost_usd_cents += g.cost_usd_cents;
    it.co2_g += g.co2_g;
    if (g.cost.minor != 0) it.cost_by_currency.add(g.cost);
    if (g.kind == LegKind::kBorder) it.border_crossings.push_back(g.crossing);
    if (g.kind == LegKind::kGaugeChange) ++it.gauge_changes;
    if (g.kind == LegKind::kMove) {
      if (last && *last != g.mode) ++it.mode_changes;
      last = g.mode;
    }
  }
  it.arrive = it.legs.empty() ? q.depart : it.legs.back().arrive;
  it.generalized_cost_usd_cents =
      it.cost_usd_cents + std::llround(vot_cents_per_hour * to_hours(it.arrive - it.depart));
  return it;
}

std::int64_t empty_return_usd(const Walker& w, const RouteQuery& q) {
  if (!is_container(q.unit) || q.equipment != Equipment::kCoc) return 0;
  const EmptyReturn* e = w.net->empty_return_for(w.view->location(q.to).country, w.forty);
  return e == nullptr ? 0 : w.usd(w.times(e->cost, w.boxes));
}

}  // namespace detail

std::string route_key(const Itinerary& it) {
  std::string key;
  for (const Leg& g : it.legs) {
    if (g.kind != LegKind::kMove && g.kind != LegKind::kBorder) continue;
    key += g.kind == LegKind::kBorder ? 'b' : 'm';
    key += std::to_string(g.from.v) + '>' + std::to_string(g.to.v);
    if (g.link.valid()) key += 'l' + std::to_string(g.link.v);
    if (g.service.valid()) key += 's' + std::to_string(g.service.v);
    if (g.crossing.valid()) key += 'c' + std::to_string(g.crossing.v);
    key += ';';
  }
  return key;
}

std::optional<Instant> replay_arrival(const RouteIndex& index, const RouteQuery& q,
                                      const std::vector<std::uint32_t>& arcs, StageTiming& timing) {
  thread_local detail::Walker w;
  detail::make_walker(index, q, w);
  detail::VirtualTiming v{&timing};
  auto o = detail::walk_arcs<false>(w, q, arcs, nullptr, v);
  if (!o) return std::nullopt;
  return Instant(Duration(o->t));
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
  detail::Walker w;
  detail::make_walker(index, q, w);
  std::vector<Leg> legs;
  std::optional<detail::Outcome> o;
  if (timing != nullptr) {
    detail::VirtualTiming v{timing};
    o = detail::walk_arcs<true>(w, q, arcs, &legs, v);
  } else {
    detail::NominalTiming nominal;
    o = detail::walk_arcs<true>(w, q, arcs, &legs, nominal);
  }
  if (!o) return Error::no_route("the itinerary cannot be taken at these times");
  auto it = detail::finish(w, q, std::move(legs), detail::value_of_time_cents_per_hour(index.network(), q));
  it->arcs = arcs;
  return std::move(*it);
}

}  // namespace caravan
