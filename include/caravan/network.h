// caravan/network.h — the multimodal freight network, immutable after load.
//
// A Network holds one dataset (DESIGN.md section 5): locations with their
// IANA time zones, links by mode and gauge, border crossings, scheduled
// services, FX rates, emission factors and the sources every row cites.
// Entities live in flat vectors keyed by strong indexes (ids.h); string ids
// from the files are resolved to indexes once, at load.
//
// Semantics the planner relies on (enforced by the loader, see load.h):
//  * a rail or road link never joins two countries; a land border is a
//    Crossing between its two sides;
//  * a ferry, sea or air link may join two countries, and then a Crossing with
//    the same exit, entry and mode models customs at the ports (applied on
//    arrival);
//  * every location has at most one rail gauge (`Location::gauge`); where
//    gauges meet, a Crossing with `gauge_change` joins the two;
//  * consecutive stops of a service are joined by links of its mode, and a
//    rail or road service never crosses a land border.
//
// Thread safety: immutable once built, so share freely between threads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "caravan/ids.h"
#include "caravan/money.h"
#include "caravan/time_zone.h"
#include "caravan/units.h"

namespace caravan {

/// What a source is. `derived` is documented arithmetic on sourced figures of
/// the same place; `proxy` is a figure taken from another place. Both, like
/// `estimate`, must say in their note how the figure was obtained.
enum class SourceKind : std::uint8_t { kMeasured, kPublished, kAnnounced, kEstimate, kDerived, kProxy };
std::string_view to_string(SourceKind k);
/// `measured`, `published`, `announced`, `estimate`, `derived` or `proxy`.
std::optional<SourceKind> parse_source_kind(std::string_view text);
/// True for the kinds whose note must give the derivation.
bool source_kind_needs_note(SourceKind k);

enum class LocationKind : std::uint8_t { kTerminal, kDryPort, kBcp, kSeaport, kAirport, kCity };
std::string_view to_string(LocationKind k);

enum class LinkStatus : std::uint8_t { kOpen, kPlanned, kClosed };
std::string_view to_string(LinkStatus s);

/// Where a figure comes from (a row of sources.csv).
struct Source {
  std::string id, title, publisher, url, published, note;
  SourceKind kind = SourceKind::kEstimate;
};

/// The source ids a row cites.
using SourceList = std::vector<SourceIdx>;

struct Location {
  std::string id;                    ///< lowercase slug, e.g. `khorgos-cn`
  std::string name;                  ///< display name
  std::vector<std::string> aliases;  ///< other spellings users type
  std::array<char, 2> country{};     ///< ISO 3166-1 alpha-2
  LocationKind kind = LocationKind::kCity;
  double lat = 0, lon = 0;           ///< WGS84 degrees
  TimeZone zone = TimeZone::utc();
  Duration transfer_time{0};         ///< to change mode here
  Money handling_cost;               ///< per TEU, for a change of mode here
  GaugeMm gauge = 0;                 ///< rail gauge of its rail links; 0 if none
  SourceList sources;

  std::string_view country_code() const { return {country.data(), 2}; }
};

struct Link {
  std::string id;
  LocationIdx from, to;
  Mode mode = Mode::kRoad;
  Distance length;
  GaugeMm gauge = 0;            ///< rail only
  double speed_kmh = 0;         ///< average commercial speed, > 0
  double tariff_per_teu_km = 0; ///< major units of `currency`
  Money tariff_per_teu;         ///< fixed charge per TEU per traversal
  double co2_g_per_tkm = 0;     ///< from the row, or the mode's average factor
  std::uint32_t capacity_teu_per_day = 0;  ///< 0 = not given
  bool bidirectional = true;
  LinkStatus status = LinkStatus::kOpen;
  SourceList sources;

  Duration travel_time() const { return hours(length.km() / speed_kmh); }
};

struct Crossing {
  std::string id;
  LocationIdx exit, entry;
  Mode mode = Mode::kRail;
  Duration clearance_median{0}, clearance_p90{0};
  Money cost;                       ///< per TEU
  OpeningHours exit_open, entry_open;  ///< each in its side's local time
  bool gauge_change = false;
  Duration gauge_change_time{0};
  Money gauge_change_cost_per_teu;
  std::uint32_t capacity_teu_per_day = 0;  ///< 0 = not given
  SourceList sources;
};

struct Service {
  std::string id, name, operator_name;
  Mode mode = Mode::kRail;
  std::vector<LocationIdx> stops;
  std::uint8_t weekdays = 0;         ///< bit d set = departs on weekday d (0 = Monday), first stop's local time
  std::int32_t depart_local_s = 0;   ///< seconds after local midnight at the first stop
  std::vector<Duration> stop_offsets;  ///< from first departure, one per stop, [0] == 0
  std::vector<Distance> stop_km;     ///< cumulative distance along the links, one per stop
  std::vector<double> stop_co2_g_per_t;  ///< cumulative CO2 grams per tonne, one per stop
  std::uint32_t capacity_teu = 0;
  Money tariff_per_teu;              ///< whole run; partial rides prorated by km
  SourceList sources;
};

/// A default emission factor (emission_factors.csv row).
struct EmissionFactor {
  Mode mode = Mode::kRail;
  std::string traction;  ///< `average`, `diesel`, `electric`, …
  double g_co2e_per_tkm = 0;
  SourceList sources;
};

/// What an observation (observations.csv row) measured.
enum class ObservationKind : std::uint8_t {
  kClearance,     ///< hours to clear a crossing (id: crossing)
  kGaugeChange,   ///< hours to change gauge at a crossing (id: crossing)
  kLinkTravel,    ///< hours to travel a link end to end (id: link)
  kServiceDelay,  ///< hours a service arrived after its timetable (id: service; may be negative)
};
std::string_view to_string(ObservationKind k);

/// One observed stage duration; several of one stage make an empirical
/// distribution for the Monte Carlo (see stochastic.h).
struct Observation {
  ObservationKind kind = ObservationKind::kClearance;
  std::uint32_t ref = 0;  ///< crossing, link or service index, by kind
  double hours = 0;
  SourceList sources;
};

struct DatasetInfo {
  std::string name, version, description, license, fx_date;
  std::vector<std::string> hubs;  ///< location ids of the main hubs (matrix, checks)
};

/// One loaded dataset. Build with load_network() (load.h); immutable after.
struct Network {
  DatasetInfo info;
  VectorMap<SourceIdx, Source> sources;
  VectorMap<LocationIdx, Location> locations;
  VectorMap<LinkIdx, Link> links;
  VectorMap<CrossingIdx, Crossing> crossings;
  VectorMap<ServiceIdx, Service> services;
  std::vector<EmissionFactor> emission_factors;
  FxTable fx;
  std::vector<SourceList> fx_sources;  ///< fx row -> sources, parallel to fx.rates()
  std::vector<Observation> observations;  ///< observations.csv rows (optional file), in file order

  // Indexes from file ids, built at load.
  std::unordered_map<std::string, LocationIdx> location_by_id;
  std::unordered_map<std::string, LinkIdx> link_by_id;
  std::unordered_map<std::string, CrossingIdx> crossing_by_id;
  std::unordered_map<std::string, ServiceIdx> service_by_id;
  std::unordered_map<std::string, SourceIdx> source_by_id;

  LocationIdx find_location(std::string_view id) const;  ///< invalid() when absent
  /// Average emission factor for a mode (traction `average`); 0 when absent.
  double average_co2_g_per_tkm(Mode m) const;

  /// Checks the invariants listed at the top of this header and returns one
  /// error per broken one, naming it; empty when the network is sound.
  Errors validate() const;
};

/// The next departure of service `s` from its stop `board` (< s.stops.size())
/// at or after `t`: a run leaves the first stop on its weekdays at its local
/// departure time there (on that stop's clock), and reaches each later stop
/// its offset after. nullopt when it never runs. The one timetable rule of the
/// planner, the Monte Carlo and the simulator. `s` may be a scenario's service.
std::optional<Instant> next_departure(const Network& net, const Service& s, std::size_t board, Instant t);

/// Location -> indexes of the links that leave it (both ends of a
/// bidirectional link). Built once, for repeated shortest_link_path calls.
std::vector<std::vector<LinkIdx>> outgoing_links(const Network& net);

/// A path over links: its length and CO2 grams per tonne of cargo.
struct LinkPath {
  Distance km;
  double co2_g_per_t = 0;
};

/// The shortest path by km over open links of mode `m` from `a` to `b`, or
/// nullopt when there is none. Services use it for the distance and emissions
/// between consecutive stops. `link_at` gives the link data in force (the base
/// row, or a scenario's patch); `outgoing` comes from outgoing_links().
std::optional<LinkPath> shortest_link_path(const Network& net, const std::vector<std::vector<LinkIdx>>& outgoing,
                                           const std::function<const Link&(LinkIdx)>& link_at, LocationIdx a,
                                           LocationIdx b, Mode m);

}  // namespace caravan
