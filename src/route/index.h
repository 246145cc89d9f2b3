// Internal: the compiled search graph behind RouteIndex.
#pragma once

#include <cstdint>
#include <vector>

#include "caravan/route.h"
#include "caravan/scenario.h"
#include "csr.h"

namespace caravan {

enum class ArcKind : std::uint8_t { kLink, kRide, kCrossing };

/// One way to leave a location. Static parts are precomputed per TEU and per
/// tonne so a query only scales them.
struct SearchArc {
  std::uint32_t head = 0;          // location reached
  ArcKind kind = ArcKind::kLink;
  Mode mode = Mode::kRail;
  std::uint16_t board = 0, alight = 0;  // ride: stop positions on the service
  std::uint32_t ref = 0;           // link, service or crossing index, by kind
  CrossingIdx port_crossing;       // customs applied on arrival (ferry/sea/air between countries)
  std::int64_t travel_s = 0;       // link: travel time; ride: offset difference
  double cost_minor_per_teu = 0;   // link or ride charge, minor units of `currency`
  Currency currency;
  double co2_g_per_t = 0;          // grams per tonne of cargo
  Distance km;
};

// The shared adjacency array (csr.h, also behind `caravan bench sssp`):
// first_out (location -> first arc, size n+1) and arcs grouped by tail location.
struct RouteIndex::Impl : detail::CsrGraph<SearchArc> {
  std::vector<const Crossing*> crossing;  // crossing -> data in force (base row or overlay patch)
  std::vector<const Service*> service;    // service -> data in force; base services, then added ones
  const FxTable* fx = nullptr;            // rates in force (base or overlay)
  const Overlay* overlay = nullptr;       // may be null
  std::vector<std::uint8_t> closed;       // location -> 1 when the overlay closes it at some time
  bool any_closure = false;
};

}  // namespace caravan
