// Internal: walking a list of arcs from a query's origin, and turning the legs
// into an itinerary (the planner's answers, retime, the Monte Carlo replay and
// the simulator's free-flow walk all do it this way).
#pragma once

#include <optional>
#include <vector>

#include "walk.h"

namespace caravan::detail {

/// The arcs walked from q.from at q.depart; nullopt when one cannot be taken.
/// With kEmit, appends their legs to `*legs`.
template <bool kEmit, class Timing>
std::optional<Outcome> walk_arcs(const Walker& w, const RouteQuery& q, const std::vector<std::uint32_t>& arcs,
                                 std::vector<Leg>* legs, Timing& timing) {
  const auto& impl = *w.impl;
  Outcome o;
  o.t = q.depart.time_since_epoch().count();
  std::uint32_t at = q.from.v;
  for (std::uint32_t a : arcs) {
    const SearchArc& arc = impl.arcs[a];
    auto next = w.traverse<kEmit>(arc, at, o, legs, timing);
    if (!next) return std::nullopt;
    o = *next;
    at = arc.head;
  }
  return o;
}

/// USD cents per hour of the shipment at the query's value of time (or the
/// dataset's): per box for containers, per tonne for KG.
double value_of_time_cents_per_hour(const Network& net, const RouteQuery& q);

/// The itinerary of `legs`: adds the destination's empty return for
/// carrier-owned boxes, sums the totals, counts mode changes and prices the
/// generalized cost. `arcs` is left for the caller.
std::optional<Itinerary> finish(const Walker& w, const RouteQuery& q, std::vector<Leg> legs, double vot_cents_per_hour);

/// What finish() adds for the empty return, USD cents (0 for SOC or KG).
std::int64_t empty_return_usd(const Walker& w, const RouteQuery& q);

}  // namespace caravan::detail
