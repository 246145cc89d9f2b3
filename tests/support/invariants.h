// The rules every answer of the planner keeps (ADR 0500 section 6), checked
// from the outside: only the itineraries and the data in force are read.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "caravan/route.h"

namespace caravan::testing {

/// The first broken rule among `its` for `q`, or "" when every option keeps
/// them all: no container flown; at most two rail <-> road changes (vessel
/// and air legs do not count); no two options with the same moving legs,
/// crossings and services; legs contiguous in place and time, from the origin
/// at the departure to the destination at the arrival; totals the sums of the
/// legs; nothing on a link or crossing that is not open.
inline std::string broken_rule(const NetworkView& view, const RouteQuery& q, const std::vector<Itinerary>& its) {
  const Network& net = view.network();
  std::set<std::string> keys;
  for (std::size_t k = 0; k < its.size(); ++k) {
    const Itinerary& it = its[k];
    const std::string at = "option " + std::to_string(k + 1) + ": ";
    if (!keys.insert(route_key(it)).second) return at + "the same route as an earlier option";
    int changes = 0;
    std::optional<Mode> land;
    LocationIdx where = q.from;
    Instant when = q.depart;
    Distance km;
    std::int64_t cents = 0, grams = 0;
    for (const Leg& g : it.legs) {
      // Customs at a port apply on arrival: the leg names the crossing's two sides.
      const bool port_customs = g.kind == LegKind::kBorder && g.mode != Mode::kRail && g.mode != Mode::kRoad;
      if (port_customs ? g.to != where : g.from != where) {
        return at + "a leg starts at " + net.locations[g.from].id + ", not where the last ended";
      }
      if (g.depart != when) return at + "a leg starts at another time than the last ended";
      if (g.arrive < g.depart) return at + "a leg ends before it starts";
      where = g.to;
      when = g.arrive;
      km += g.km;
      cents += g.cost_usd_cents;
      grams += g.co2_g;
      if (g.kind == LegKind::kMove) {
        if (g.mode == Mode::kAir && is_container(q.unit)) return at + "a container is flown";
        if (g.mode == Mode::kRail || g.mode == Mode::kRoad) {
          if (land && *land != g.mode) ++changes;
          land = g.mode;
        }
        if (g.link.valid() && view.link(g.link).status != LinkStatus::kOpen) {
          return at + "a leg on the link " + view.link(g.link).id + ", which is not open";
        }
      }
      if (g.crossing.valid() && view.crossing(g.crossing).status != LinkStatus::kOpen) {
        return at + "a border leg at the crossing " + view.crossing(g.crossing).id + ", which is not open";
      }
    }
    if (changes > 2) return at + std::to_string(changes) + " changes between rail and road";
    if (where != q.to) return at + "does not end at the destination";
    if (when != it.arrive) return at + "the last leg does not end at the arrival";
    if (km != it.km || cents != it.cost_usd_cents || grams != it.co2_g)
      return at + "totals are not the sums of the legs";
  }
  return "";
}

}  // namespace caravan::testing
