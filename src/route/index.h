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

/// An arc of the reversed graph, for the per-query lower bounds of Pareto
/// searches (time, cost and CO2 still to go to the destination).
struct ReverseArc {
  std::uint32_t tail = 0;         // location the forward arc leaves
  std::uint32_t arc = 0;          // the forward arc, for its per-query cost and CO2
  std::uint32_t min_seconds = 0;  // least time the forward arc takes at the medians: no waits, no transfer
};

/// A currency's conversion to USD cents, resolved once per index so pricing
/// an arc compares one 4-byte key instead of looking codes up by string.
struct UsdRate {
  std::uint32_t key = 0;  // the three code bytes
  double minor_per_major = 100;
  double per_usd = 1;
};

inline std::uint32_t currency_key(Currency c) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(c.code[0]) | static_cast<unsigned char>(c.code[1]) << 8 |
                                    static_cast<unsigned char>(c.code[2]) << 16);
}

inline std::uint16_t country_key(char a, char b) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(a) | static_cast<unsigned char>(b) << 8);
}

// The shared adjacency array (csr.h, also behind `caravan bench sssp`):
// first_out (location -> first arc, size n+1) and arcs grouped by tail location.
struct RouteIndex::Impl : detail::CsrGraph<SearchArc> {
  detail::CsrGraph<ReverseArc> reverse;   // head location -> arcs entering it
  std::vector<std::uint16_t> country;     // location -> ISO code bytes, for avoided countries without string compares
  std::vector<UsdRate> usd;               // every currency of the FX table in force, and USD
  bool nonnegative_costs = true;          // every handling charge >= 0 (a cost bound needs it)
  bool nonnegative_transfer = true;       // every transfer time >= 0 (a time bound needs it)
  std::vector<const Crossing*> crossing;  // crossing -> data in force (base row or overlay patch)
  std::vector<const Service*> service;    // service -> data in force; base services, then added ones
  const FxTable* fx = nullptr;            // rates in force (base or overlay)
  const Overlay* overlay = nullptr;       // may be null
  std::vector<std::uint8_t> closed;       // location -> 1 when the overlay closes it at some time
  bool any_closure = false;
};

}  // namespace caravan
