// caravan/sim.h — capacity and queues under load: a discrete-event simulation.
//
// The planner answers for one shipment on an empty network. simulate() sends
// a whole demand table through the network at once and lets the flows meet
// the capacities of border crossings, capacitated links and scheduled runs:
//
//   * Demand. Every lane (a DemandRow: from, to, TEU a year) releases
//     shipments of `shipment_units` × `unit` (default one FEU, 2 TEU) as a
//     Poisson process of rate teu_per_year / 365 / shipment TEU per day (or,
//     for tests and what-if checks, evenly spaced: ArrivalProcess::kRegular).
//     Lane k draws from its own random stream, SampleRng(seed, k).
//   * Routes. Each shipment follows the itinerary the planner gives for its
//     lane, departure hour and `objective` (time by default), walked again arc
//     by arc with the planner's own rules (lifts, formation, cut-offs, port
//     dwell, borders by traffic class, closures). Plans are cached
//     per lane and hour of the week, because timetables repeat weekly; when a
//     scenario closes a location for a time window, per absolute hour instead.
//     Route choice ignores queues: cargo does not re-route when they form.
//   * Timing. Along the itinerary the shipment takes the nominal (median)
//     durations the planner used — clearance, gauge change, transfer, link
//     travel, ride times — or, with `sample_stages`, draws from the stage
//     distributions of stochastic.h; every wait is recomputed from the rules
//     for the time it really gets there: border posts' opening hours on both
//     sides and the next departure of a service by its weekly timetable.
//   * Capacity. A resource with capacity 0 is "not given" (network.h) and has
//     no queue. Otherwise, first come first served:
//       - a border crossing with capacity C TEU a day is one server that admits
//         cargo at C TEU a day: a shipment of q TEU occupies it q / C days. The
//         wait in its queue comes on top of the clearance median, which is the
//         free-flow time to clear one consignment (see docs/adr/0400);
//       - a link with capacity C TEU a day admits cargo onto it the same way;
//       - a run of a service carries at most capacity_teu on every segment
//         between consecutive stops; cargo that does not fit waits for the next
//         run with room (a shipment bigger than a whole run boards an empty run);
//       - a border inside a ride on a through service is not queued: the
//         train's own capacity bounds that flow (ADR 0501), and neither are
//         customs at a port on arrival.
//     Each resource keeps its queue records; statistics are computed from them.
//   * Window. Shipments are released during [start, start + horizon); those
//     released in the first `warmup` are simulated but excluded from the
//     statistics. Every released shipment is followed to its destination, so
//     the simulation runs past the horizon until the network drains.
//
// Deterministic: the same inputs and seed give the same report for any
// number of threads (threads only plan the cached routes).
//
// Thread safety: simulate() is reentrant; `progress` is called one call at
// a time, from worker threads while routes are planned.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caravan/error.h"
#include "caravan/matrix.h"
#include "caravan/route.h"
#include "caravan/units.h"

namespace caravan {

/// How a lane releases shipments.
enum class ArrivalProcess : std::uint8_t {
  kPoisson,  ///< exponential gaps with the lane's mean rate (the default)
  kRegular,  ///< one shipment every 1/rate, the first at `start`
};

struct SimOptions {
  Instant start{};                           ///< first release
  Duration horizon = std::chrono::days(90);  ///< releases happen in [start, start + horizon)
  Duration warmup = std::chrono::days(14);   ///< releases before start + warmup are not counted
  std::uint64_t seed = 1;
  Objective objective = Objective::kTime;  ///< route choice; kPareto is taken as kTime
  ModeSet modes = ModeSet::all();          ///< moving modes routes may use (e.g. no air for container flows)
  UnitKind unit = UnitKind::kFeu;
  std::uint32_t shipment_units = 1;  ///< containers per shipment, >= 1
  ArrivalProcess arrivals = ArrivalProcess::kPoisson;
  /// When false, runs of services have no capacity limit: for datasets whose
  /// services are one representative train a day standing for many (as the
  /// default dataset's are), so that only crossings and links queue.
  bool service_capacity = true;
  /// When true, each shipment's stage durations (clearance, gauge change,
  /// link travel factor, service lateness) are drawn from the StageModel of
  /// stochastic.h instead of the medians; draws depend only on (seed,
  /// shipment, step), so free-flow and queued walks see the same ones.
  bool sample_stages = false;
  unsigned threads = 0;  ///< for planning routes; 0: default_threads()
  /// Bounds that keep a run finite: releasing more shipments, or processing
  /// more events (arrivals at capacitated resources and retries for the next
  /// run), fails with kInvalidInput instead of running for hours.
  std::uint64_t max_shipments = 2'000'000;
  std::uint64_t max_events = 50'000'000;
  /// Time the run may take (deadline, cancel flag; each route's search also
  /// keeps its label limit): past it the run fails with kDeadline.
  Budget budget;
  /// Called as work progresses: (done, total) over planning and simulation. Optional.
  std::function<void(std::size_t, std::size_t)> progress;

  std::uint32_t shipment_teu() const { return shipment_units * static_cast<std::uint32_t>(teu_per_unit(unit)); }
};

enum class ResourceKind : std::uint8_t { kCrossing, kLink, kService };
/// `crossing`, `link`, `service`.
std::string_view to_string(ResourceKind k);

/// One capacitated resource that cargo used, over the statistics window.
/// Waits are in the resource's queue only: not the clearance itself, nor the
/// wait for opening hours or for the first departure the timetable offers.
struct ResourceStats {
  ResourceKind kind = ResourceKind::kCrossing;
  std::uint32_t index = 0;     ///< crossing, link or service index (services added by a scenario included)
  std::string id, name;        ///< the data row's id; name: a service's name, or `exit → entry`
  std::uint32_t capacity = 0;  ///< TEU a day (crossing, link) or TEU a run (service)
  double offered_teu = 0;      ///< TEU that arrived at it in the window
  double served_teu = 0;       ///< TEU that it admitted (or that departed on a run) in the window
  /// Share of capacity used in the window: busy time over window length for a
  /// crossing or link; the sum of each run's fullest segment over
  /// (runs × capacity) for a service.
  double utilisation = 0;
  std::uint32_t shipments = 0;                     ///< shipments that arrived at it in the window
  double mean_wait_hours = 0, p95_wait_hours = 0;  ///< over those shipments (p95: nearest rank)
  double max_queue_teu = 0;                        ///< the longest queue during the window
  double backlog_teu = 0;                          ///< TEU queued at the end of the horizon
};

/// One demand lane, over shipments released in the statistics window.
struct LaneStats {
  LocationIdx from, to;
  double teu_per_year = 0;               ///< demand (rows naming the same lane are added)
  std::uint32_t shipments = 0;           ///< delivered
  double teu = 0;                        ///< delivered
  std::uint32_t unrouted = 0;            ///< released when the planner found no route
  std::uint32_t stuck = 0;               ///< a service that never runs or a border that never opens
  double mean_hours = 0, p95_hours = 0;  ///< release to delivery
  double free_flow_hours = 0;            ///< mean of the same shipments' times with no queues anywhere
  double mean_delay_hours = 0;           ///< mean of (transit - free-flow): what the queues cost
  double p95_delay_hours = 0;
};

struct SimReport {
  Instant start{}, stats_from{}, end{};  ///< end = start + horizon
  Instant drained{};                     ///< when the last shipment arrived
  std::uint32_t shipment_teu = 2;
  std::uint64_t seed = 1;
  bool service_capacity = true;  ///< SimOptions::service_capacity
  bool sample_stages = false;    ///< SimOptions::sample_stages
  std::uint64_t shipments = 0;   ///< released, window or not
  std::uint64_t events = 0;
  std::uint64_t plans = 0;               ///< planner calls (cached routes)
  std::vector<ResourceStats> resources;  ///< crossings, then links, then services, by index
  std::vector<LaneStats> lanes;          ///< in order of first appearance in the demand
};

/// Runs the simulation on `index` (the base network or with a scenario's
/// overlay: capacities, hours, clearance and timetables in force come from
/// it). Fails with kInvalidInput for an empty demand, a lane from a place to
/// itself, zero shipment units, a horizon not longer than the warm-up, or when
/// max_shipments or max_events would be exceeded (the message says which).
/// A lane without a route is not an error: its shipments count as unrouted.
Result<SimReport> simulate(const RouteIndex& index, const std::vector<DemandRow>& demand, const SimOptions& o);

}  // namespace caravan
