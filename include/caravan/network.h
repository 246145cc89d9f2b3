// caravan/network.h — the multimodal freight network, immutable after load.
//
// A Network holds one dataset (DESIGN.md section 5, ADR 0500): locations with
// their IANA time zones, links by mode and gauge, border crossings with terms
// per traffic class and dated closures, scheduled services with through-rates
// and fares, on-demand rail products, box and truck figures, FX rates,
// emission factors and the sources every row cites.
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
//  * consecutive stops of a service are joined by links of its mode, or, for
//    a rail service running through a land border, are the exit and entry of
//    an open rail crossing (ADR 0500 section 2, superseding ADR 0002);
//  * a rail link is infrastructure: boxes move on it only by a service or by
//    the on-demand product of its country (at most one per country);
//  * a service has at most kMaxServiceStops stops.
//
// NetworkView (below) is the one read interface over a Network, or a Network
// with a scenario's overlay (scenario.h): every consumer reads the data in
// force through it.
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

/// ISO 3166-1 alpha-2 code as two bytes.
using CountryCode = std::array<char, 2>;

struct Location {
  std::string id;                    ///< lowercase slug, e.g. `khorgos-cn`
  std::string name;                  ///< display name
  std::vector<std::string> aliases;  ///< other spellings users type
  CountryCode country{};             ///< ISO 3166-1 alpha-2
  LocationKind kind = LocationKind::kCity;
  double lat = 0, lon = 0;  ///< WGS84 degrees
  TimeZone zone = TimeZone::utc();
  Duration transfer_time{0};               ///< to move a box from one vehicle to another here (a lift)
  Money handling_cost;                     ///< per lift of a 20-ft box (or of a KG shipment: none is charged)
  std::optional<Money> handling_cost_feu;  ///< per lift of a 40-ft box; empty: 2 × handling_cost
  /// Seaport: time a box needs in the port before it can be loaded on a
  /// vessel (vessel space, customs, stacking); 0 when not given.
  Duration port_dwell_median{0}, port_dwell_p90{0};
  double free_days = 0;                      ///< storage-free days of a box waiting here
  Money storage_per_day;                     ///< per started day beyond the free days, 20-ft box; 0: free
  std::optional<Money> storage_per_day_feu;  ///< 40-ft box; empty: 2 × storage_per_day
  GaugeMm gauge = 0;                         ///< rail gauge of its rail links; 0 if none
  SourceList sources;

  std::string_view country_code() const { return {country.data(), 2}; }
  /// Handling per lift of one box of this size.
  Money handling(bool forty_foot) const;
  /// Storage per started day of one box of this size.
  Money storage(bool forty_foot) const;
};

struct Link {
  std::string id;
  LocationIdx from, to;
  Mode mode = Mode::kRoad;
  Distance length;
  GaugeMm gauge = 0;     ///< rail only
  double speed_kmh = 0;  ///< average commercial speed, > 0
  /// Road: per truck-km, major units of `tariff_per_teu.currency`, used only
  /// where the country has no trucking.csv row. Rail, ferry, sea, air: not
  /// used (rail is priced by its products and services; the loader warns).
  double tariff_per_teu_km = 0;
  Money tariff_per_teu;                    ///< road: toll per truck per traversal; other modes: not used
  double co2_g_per_tkm = 0;                ///< from the row, or the mode's average factor
  std::uint32_t capacity_teu_per_day = 0;  ///< 0 = not given
  bool bidirectional = true;
  LinkStatus status = LinkStatus::kOpen;
  SourceList sources;

  Duration travel_time() const { return hours(length.km() / speed_kmh); }
};

/// How a crossing times and charges one traffic class: the crossing row, or
/// its crossing_classes.csv override.
struct CrossingTerms {
  Duration clearance_median{0}, clearance_p90{0};
  OpeningHours exit_open, entry_open;  ///< each in its side's local time
  Money cost;                          ///< per 20-ft box (rail), per truck (road), per shipment (port customs)
  Money cost_feu;                      ///< per 40-ft box (rail); the row's 2 × cost when it gives none
  bool overridden = false;             ///< from crossing_classes.csv rather than the row
  SourceList sources;
};

struct Crossing {
  std::string id;
  LocationIdx exit, entry;
  Mode mode = Mode::kRail;
  // The row's terms, the default of every traffic class (see `classes`).
  Duration clearance_median{0}, clearance_p90{0};
  Money cost;                          ///< per 20-ft box (rail) or per truck (road)
  std::optional<Money> cost_feu;       ///< per 40-ft box; empty: 2 × cost
  OpeningHours exit_open, entry_open;  ///< each in its side's local time
  bool gauge_change = false;
  Duration gauge_change_time{0};
  Money gauge_change_cost_per_teu;             ///< per 20-ft box
  std::optional<Money> gauge_change_cost_feu;  ///< per 40-ft box; empty: 2 × the 20-ft figure
  std::uint32_t capacity_teu_per_day = 0;      ///< 0 = not given
  LinkStatus status = LinkStatus::kOpen;       ///< planned or closed crossings carry nothing
  SourceList sources;
  /// Terms per traffic class (index: TrafficClass): the row's, or a
  /// crossing_classes.csv override. Rail crossings use block_train and rail,
  /// road crossings truck; port crossings (ferry, sea, air) the row's in all three.
  std::array<CrossingTerms, kTrafficClasses> classes;

  const CrossingTerms& terms(TrafficClass c) const { return classes[static_cast<int>(c)]; }
  /// Gauge change per box of this size.
  Money gauge_change_cost(bool forty_foot) const;
  /// Sets every class's terms to the row's (the loader's first step).
  void reset_classes();
};

/// A dated closure of a crossing (closures.csv, or a scenario's
/// close_crossing), for one traffic class or, when `cls` is empty, all.
struct CrossingClosure {
  CrossingIdx crossing;
  std::optional<TrafficClass> cls;
  Instant from{}, until{};  ///< closed in [from, until)
  std::string note;
  SourceList sources;
};

/// An on-demand rail product of one railway (rail_products.csv): wagonload or
/// wagon groups on the rail links of its countries, at any hour.
struct RailProduct {
  std::string id, name, railway;
  std::vector<CountryCode> countries;              ///< whose rail links it runs on
  Duration formation_median{0}, formation_p90{0};  ///< dwell when a box enters the product
  Duration yard_dwell{0};                          ///< dwell at each marshalling yard …
  double yard_spacing_km = 0;                      ///< … one every this many km; 0: no yards
  double tariff_per_teu_km = 0;  ///< major units of `currency`, westbound (and eastbound when no figure)
  std::optional<double> tariff_per_teu_km_eastbound;
  double feu_factor = 2;          ///< a 40-ft box pays this many times the 20-ft tariff
  bool feu_factor_given = false;  ///< false: the 2× rule (ADR 0500 section 4)
  Currency currency = Currency::usd();
  SourceList sources;

  /// Tariff per 20-ft box-km in the direction (`eastbound`: the leg ends east of its start).
  double rate(bool eastbound) const {
    return eastbound && tariff_per_teu_km_eastbound ? *tariff_per_teu_km_eastbound : tariff_per_teu_km;
  }
  /// Travel time over `km` at `speed_kmh`, with the yard dwells on the way.
  Duration travel(Distance km, double speed_kmh) const;
};

/// A fare for part of a service's run (fares.csv): boxes boarding at stop
/// `board` and leaving at stop `alight` pay it instead of the through-rate.
struct Fare {
  std::uint16_t board = 0, alight = 0;  ///< stop positions on the service, board < alight
  Money per_teu;
  std::optional<Money> per_feu;  ///< empty: 2 × per_teu
  SourceList sources;
};

/// One weight break of an air service (air_rates.csv).
struct AirRate {
  Mass min;                 ///< the break applies from this chargeable weight on
  double per_kg_minor = 0;  ///< minor units of `currency` per chargeable kg
  Money min_charge;         ///< the least a shipment pays
  SourceList sources;
};

/// A box size (equipment.csv row): what it weighs and may weigh.
struct EquipmentType {
  UnitKind unit = UnitKind::kFeu;
  std::string name;
  int teu = 2;
  Mass tare, max_gross;
  SourceList sources;

  Mass payload() const { return Mass{max_gross.kg - tare.kg}; }
};

/// Road haulage in one country (trucking.csv row).
struct TruckingTerms {
  CountryCode country{};
  double per_truck_km = 0;                       ///< major units of `currency`, westbound
  std::optional<double> per_truck_km_eastbound;  ///< empty: per_truck_km both ways
  Currency currency = Currency::usd();
  Mass max_gross;   ///< legal gross mass of a truck with its load
  Mass truck_tare;  ///< tractor and chassis
  SourceList sources;

  double rate(bool eastbound) const {
    return eastbound && per_truck_km_eastbound ? *per_truck_km_eastbound : per_truck_km;
  }
};

/// The charge for returning a carrier-owned box empty from a destination
/// country (empty_return.csv row).
struct EmptyReturn {
  CountryCode country{};
  bool forty_foot = true;  ///< the row's unit: FEU (also for FEU_HC) or TEU
  Money cost;
  SourceList sources;
};

/// The most stops a service may have: a ride is an arc between any two of
/// them, so a service costs stops² arcs (ADR 0500; issue 12).
inline constexpr std::size_t kMaxServiceStops = 200;

struct Service {
  std::string id, name, operator_name;
  Mode mode = Mode::kRail;
  std::vector<LocationIdx> stops;
  std::uint8_t weekdays = 0;        ///< bit d set = departs on weekday d (0 = Monday), first stop's local time
  std::int32_t depart_local_s = 0;  ///< seconds after local midnight at the first stop
  /// Running time from the first departure, one per stop, [0] == 0; across a
  /// land border it excludes the border's time, which the crossing gives.
  std::vector<Duration> stop_offsets;
  /// By the timetable, from the first departure to each stop: stop_offsets
  /// plus the median block-train time of each border before it. Empty when
  /// the service crosses no land border (then it equals stop_offsets).
  std::vector<Duration> timetable;
  /// Segment k (stop k to k + 1) -> the rail crossing it runs through;
  /// empty when no segment crosses a land border.
  std::vector<CrossingIdx> borders;
  std::vector<Distance> stop_km;         ///< cumulative distance along the links, one per stop
  std::vector<double> stop_co2_g_per_t;  ///< cumulative CO2 grams per tonne, one per stop
  std::uint32_t capacity_teu = 0;        ///< TEU a run; 0 = not given
  Duration cutoff{0};                    ///< a box must be at the boarding stop this long before departure
  Money tariff_per_teu;                  ///< through-rate of a 20-ft box, for any part of the run
  std::optional<Money> tariff_per_feu;   ///< 40-ft box; empty: 2 × tariff_per_teu
  std::string rate_date;                 ///< when the rates were published, as given
  /// The through-rate (and every fare) already pays the border fees and gauge
  /// changes of the crossings the run passes: a box on board is not charged
  /// them again. Their time still counts.
  bool rate_covers_borders = false;
  std::vector<Fare> fares;         ///< fares of stop pairs (fares.csv)
  std::vector<AirRate> air_rates;  ///< weight breaks, by ascending min (air services)
  SourceList sources;

  /// Scheduled offset of stop `i` from the first departure.
  Duration scheduled(std::size_t i) const { return timetable.empty() ? stop_offsets[i] : timetable[i]; }
  /// What one box pays from stop `board` to stop `alight`: the stop pair's
  /// fare, else the whole run's through-rate (no pro rata).
  Money fare(std::size_t board, std::size_t alight, bool forty_foot) const;
  /// What `chargeable` kg pay on this air service by its weight breaks: the
  /// highest break at or below the weight, or a higher break's minimum weight
  /// when that is cheaper; never below the minimum charge. nullopt without rates.
  std::optional<Money> air_charge(Mass chargeable) const;
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
  std::vector<std::string> hubs;                ///< location ids of the main hubs (matrix, checks)
  double value_of_time_usd_per_box_hour = 0;    ///< containers; 0 when not given
  double value_of_time_usd_per_tonne_hour = 0;  ///< KG cargo; 0 when not given
  SourceList value_of_time_sources;
};

/// One loaded dataset. Build with load_network() (load.h); immutable after.
struct Network {
  DatasetInfo info;
  VectorMap<SourceIdx, Source> sources;
  VectorMap<LocationIdx, Location> locations;
  VectorMap<LinkIdx, Link> links;
  VectorMap<CrossingIdx, Crossing> crossings;
  VectorMap<ServiceIdx, Service> services;
  VectorMap<ProductIdx, RailProduct> products;
  std::vector<CrossingClosure> closures;                          ///< closures.csv, in file order
  std::array<std::optional<EquipmentType>, kBoxKinds> equipment;  ///< by UnitKind (TEU, FEU, FEU_HC)
  std::vector<TruckingTerms> trucking;                            ///< one per country at most
  std::vector<EmptyReturn> empty_returns;
  std::vector<EmissionFactor> emission_factors;
  FxTable fx;
  std::vector<SourceList> fx_sources;     ///< fx row -> sources, parallel to fx.rates()
  std::vector<Observation> observations;  ///< observations.csv rows (optional file), in file order

  // Indexes from file ids, built at load.
  std::unordered_map<std::string, LocationIdx> location_by_id;
  std::unordered_map<std::string, LinkIdx> link_by_id;
  std::unordered_map<std::string, CrossingIdx> crossing_by_id;
  std::unordered_map<std::string, ServiceIdx> service_by_id;
  std::unordered_map<std::string, SourceIdx> source_by_id;
  std::unordered_map<std::string, ProductIdx> product_by_id;

  LocationIdx find_location(std::string_view id) const;  ///< invalid() when absent
  /// The on-demand product that runs on the rail links of `c`; invalid() when none.
  ProductIdx product_for(CountryCode c) const;
  /// Trucking terms of `c`, or null.
  const TruckingTerms* trucking_for(CountryCode c) const;
  /// The equipment row of a box unit, or null (none for KG or when not given).
  const EquipmentType* equipment_for(UnitKind u) const;
  /// The empty-return charge of one box of this size from `c`, or null.
  const EmptyReturn* empty_return_for(CountryCode c, bool forty_foot) const;
  /// Average emission factor for a mode (traction `average`); 0 when absent.
  double average_co2_g_per_tkm(Mode m) const;

  /// Checks the invariants listed at the top of this header and returns one
  /// error per broken one, naming it; empty when the network is sound.
  Errors validate() const;
};

/// The next departure of service `s` from its stop `board` (< s.stops.size())
/// at or after `t`: a run leaves the first stop on its weekdays at its local
/// departure time there (on that stop's clock), and reaches each later stop
/// its scheduled offset after (Service::scheduled). nullopt when it never
/// runs. The one timetable rule of the planner, the Monte Carlo and the
/// simulator. `s` may be a scenario's service.
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

/// Fills `s.borders` and `s.timetable` from the crossings in force: a segment
/// whose stops lie in two countries runs through the open rail crossing with
/// that exit and entry (none: the segment's entry stays invalid). Called by
/// the loader and by a scenario's overlay when it adds or patches services.
void schedule_service(Service& s, const Network& net, const std::function<const Crossing&(CrossingIdx)>& crossing_at);

/// The rail crossing from `exit` to `entry`, or invalid() (any status).
CrossingIdx find_rail_crossing(const Network& net, LocationIdx exit, LocationIdx entry);

/// A closure window of one location (a scenario's close_location).
struct ClosureWindow {
  Instant from{}, until{};
};

/// A crossing closure as the planner reads it.
struct ClassClosure {
  std::optional<TrafficClass> cls;  ///< empty: every class
  Instant from{}, until{};
};

/// The data in force: a Network as loaded, or as a scenario overlay
/// (scenario.h) changes it. Every consumer — RouteIndex, the Monte Carlo, the
/// simulator, the presenters — reads through this one interface, so none of
/// them asks whether a scenario is applied. A base view is built with the
/// constructor; a scenario's view comes from Overlay::view().
///
/// Entities keep their base indexes; services a scenario adds come after the
/// base ones. The Network (and the Overlay a view came from) must outlive it.
/// Copying a view copies its tables of pointers, not the data.
class NetworkView {
 public:
  explicit NetworkView(const Network& net);

  const Network& network() const { return *net_; }
  const Location& location(LocationIdx l) const { return *locations_[l.v]; }
  const Link& link(LinkIdx l) const { return *links_[l.v]; }
  const Crossing& crossing(CrossingIdx c) const { return *crossings_[c.v]; }
  std::uint32_t service_count() const { return static_cast<std::uint32_t>(services_.size()); }
  const Service& service(ServiceIdx s) const { return *services_[s.v]; }
  std::uint32_t product_count() const { return static_cast<std::uint32_t>(products_.size()); }
  const RailProduct& product(ProductIdx p) const { return *products_[p.v]; }

  /// True when a scenario set this class's clearance at the crossing: its
  /// distribution is then the measure's lognormal, not the dataset's observations.
  bool clearance_set(CrossingIdx c, TrafficClass k) const {
    return !clearance_set_.empty() && clearance_set_[c.v * kTrafficClasses + static_cast<std::uint32_t>(k)] != 0;
  }
  /// A scenario's set_punctuality for the service: (median, p90) of its delay.
  std::optional<std::pair<Duration, Duration>> punctuality(ServiceIdx s) const;
  /// Closure windows of a location (scenarios), sorted by start; empty for most.
  const std::vector<ClosureWindow>& closures(LocationIdx l) const;
  bool any_location_closure() const { return !location_closures_.empty(); }
  /// Dated closures of a crossing (closures.csv and scenarios), sorted by start.
  const std::vector<ClassClosure>& closures(CrossingIdx c) const { return crossing_closures_[c.v]; }
  /// Exchange rates in force; only conversions to USD change.
  const FxTable& fx() const { return fx_; }
  /// Ids of the scenarios applied, in order; empty for the base.
  const std::vector<std::string>& scenario_ids() const { return scenario_ids_; }

 private:
  friend class Overlay;
  const Network* net_;
  std::vector<const Location*> locations_;
  std::vector<const Link*> links_;
  std::vector<const Crossing*> crossings_;
  std::vector<const Service*> services_;
  std::vector<const RailProduct*> products_;
  std::vector<std::uint8_t> clearance_set_;  // crossing * kTrafficClasses + class -> 1; empty when none
  std::unordered_map<std::uint32_t, std::pair<Duration, Duration>> punctuality_;
  std::unordered_map<std::uint32_t, std::vector<ClosureWindow>> location_closures_;
  std::vector<std::vector<ClassClosure>> crossing_closures_;  // crossing -> windows
  FxTable fx_;
  std::vector<std::string> scenario_ids_;
};

}  // namespace caravan
