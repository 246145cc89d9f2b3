// Internal: the compiled search graph behind RouteIndex — its arcs, the
// vehicles a box can be on, and the per-location tables the walker reads.
#pragma once

#include <cstdint>
#include <vector>

#include "caravan/route.h"
#include "caravan/scenario.h"
#include "csr.h"

namespace caravan {

enum class ArcKind : std::uint8_t {
  kRoad,      // a truck over a road link
  kProduct,   // an on-demand rail product over a rail link
  kRide,      // a scheduled service from one stop to a later one
  kCrossing,  // a land border (or a break of gauge inside a country)
};

/// What the box is on when it reaches a location: part of the search state,
/// because it decides the next lift, formation and chain-rule change. A
/// vessel remembers the land mode before it (the chain rule counts rail and
/// road changes across a sailing: road, ferry, road is no change).
enum class Vehicle : std::uint8_t {
  kNone,  // at the origin
  kTruck,
  kProduct,      // on-demand rail wagons of the country's product
  kRailLoose,    // on rail after a crossing, not (yet) in a product or train
  kTrain,        // arrived by a scheduled rail service
  kVesselFirst,  // arrived by ferry or sea, no land leg before it
  kVesselRail,   // … after rail
  kVesselRoad,   // … after road
  kAircraft,
};
inline constexpr int kVehicleSlots = 9;

/// The land mode a vehicle stands for in the chain rule: 0 none, 1 rail, 2 road.
inline std::uint8_t land_of(Vehicle v) {
  switch (v) {
    case Vehicle::kTruck:
    case Vehicle::kVesselRoad:
      return 2;
    case Vehicle::kProduct:
    case Vehicle::kRailLoose:
    case Vehicle::kTrain:
    case Vehicle::kVesselRail:
      return 1;
    default:
      return 0;
  }
}

/// One way to leave a location. What does not depend on the query is
/// precomputed; a query scales prices by boxes or trucks.
struct SearchArc {
  std::uint32_t head = 0;  // location reached
  ArcKind kind = ArcKind::kRoad;
  Mode mode = Mode::kRail;
  bool eastbound = false;               // the arc ends east of its start (direction-dependent rates)
  bool ride_borders = false;            // a ride that runs through a land border between board and alight
  std::uint16_t board = 0, alight = 0;  // ride: stop positions on the service
  std::uint16_t country = 0;            // dense country index of the tail (trucks per box)
  std::uint32_t ref = 0;                // link, service or crossing index, by kind
  ProductIdx product;                   // kProduct
  CrossingIdx port_crossing;            // customs applied on arrival (ferry/sea/air between countries)
  std::int64_t travel_s = 0;            // road/product: running time; ride: running time without borders
  std::int64_t yard_s = 0;              // product: dwell at the marshalling yards on the way
  // Prices in minor units of `currency`: road per truck (both), product and
  // ride per 20-ft and per 40-ft box. Air KG prices come from the service.
  double price_teu = 0, price_feu = 0;
  Currency currency;
  double co2_g_per_t = 0;  // grams per tonne of cargo
  Distance km;
};

/// An arc of the reversed graph, for the per-query lower bounds of Pareto
/// searches (time, cost and CO2 still to go to the destination).
struct ReverseArc {
  std::uint32_t tail = 0;         // location the forward arc leaves
  std::uint32_t arc = 0;          // the forward arc, for its per-query cost and CO2
  std::uint32_t min_seconds = 0;  // least time the forward arc takes at the medians: no waits, no lifts
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
  explicit Impl(const NetworkView& v) : view(v) {}

  NetworkView view;                            // the data in force (copied tables of pointers)
  detail::CsrGraph<ReverseArc> reverse;        // head location -> arcs entering it
  std::vector<std::uint16_t> country;          // location -> ISO code bytes, for avoided countries
  std::vector<std::uint16_t> country_index;    // location -> dense country index
  std::vector<CountryCode> countries;          // dense country index -> code
  std::vector<const TruckingTerms*> trucking;  // dense country index -> terms, or null
  std::vector<std::uint8_t> has_product;       // dense country index -> 1 when a rail product runs there
  std::vector<UsdRate> usd;                    // every currency of the FX table in force, and USD
  bool nonnegative_costs = true;               // every handling charge >= 0 (a cost bound needs it)
  bool nonnegative_transfer = true;            // every transfer time >= 0 (a time bound needs it)
  std::vector<std::uint8_t> closed;            // location -> 1 when a scenario closes it at some time
  bool any_closure = false;
};

}  // namespace caravan
