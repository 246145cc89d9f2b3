// Internal: the compiled search graph behind RouteIndex.
#pragma once

#include <cstdint>
#include <vector>

#include "caravan/route.h"
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

/// An arc of the reversed graph, for the per-query lower bounds on time.
struct ReverseArc {
  std::uint32_t tail = 0;        // location the forward arc leaves
  std::uint32_t min_seconds = 0; // least time the forward arc can take: no waits, no transfer
};

/// A currency's conversion to USD cents, resolved once per index so a search
/// compares 4-byte keys instead of looking codes up in tables.
struct UsdRate {
  std::uint32_t key = 0;  // the three code bytes
  double minor_per_major = 100;
  double per_usd = 1;
};

// The shared adjacency array (csr.h): first_out (location -> first arc) and
// arcs (grouped by tail location), with the tables the planner reads per arc.
struct RouteIndex::Impl : detail::CsrGraph<SearchArc> {
  detail::CsrGraph<ReverseArc> reverse;  // head location -> arcs entering it
  std::vector<std::uint16_t> country;    // location -> ISO code bytes, for --avoid COUNTRY without string compares
  std::vector<UsdRate> usd;              // every currency the network charges in
};

}  // namespace caravan
