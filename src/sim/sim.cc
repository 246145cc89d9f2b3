// The discrete-event simulation of caravan/sim.h. One pass: release every
// shipment, plan the routes they need (in parallel, cached), then walk each
// shipment's arcs with the planner's own walker (route/walk.h), processing
// its requests to capacitated resources in time order from one event heap;
// the walk between two capacitated resources touches no shared state and is
// done eagerly. Statistics come from each resource's queue records afterwards.
#include "caravan/sim.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "../route/itinerary.h"
#include "caravan/parallel.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"

namespace caravan {

std::string_view to_string(ResourceKind k) {
  switch (k) {
    case ResourceKind::kCrossing:
      return "crossing";
    case ResourceKind::kLink:
      return "link";
    case ResourceKind::kService:
      return "service";
  }
  return "crossing";
}

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kWeekHours = 7 * 24;

std::int64_t secs(Instant t) { return t.time_since_epoch().count(); }
Instant instant(std::int64_t s) { return Instant(Duration(s)); }
double hours_of(std::int64_t s) { return static_cast<double>(s) / static_cast<double>(kHour); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The planner's timetable rule (caravan::next_departure), in the seconds the
// simulation counts in.
std::optional<std::int64_t> next_departure(const Network& net, const Service& s, std::size_t board, std::int64_t t) {
  auto dep = caravan::next_departure(net, s, board, instant(t));
  if (!dep) return std::nullopt;
  return secs(*dep);
}

using Arcs = std::vector<std::uint32_t>;  // a planned route: arcs of the index

// A shipment's stay in one resource's queue, seconds since the epoch.
struct QueueRecord {
  std::int64_t request = 0;  // arrived at the resource
  std::int64_t enter = 0;    // began to queue: arrival, or the first run that had no room
  std::int64_t leave = 0;    // admitted, or departed
  std::uint32_t teu = 0;
};

// A crossing or link: one server admitting cargo at `capacity` TEU a day.
struct Server {
  std::uint32_t capacity = 0;
  double free_at = -std::numeric_limits<double>::infinity();  // seconds; fractional to keep the rate exact
  std::vector<QueueRecord> records;
  double per_teu_s() const { return static_cast<double>(kDay) / capacity; }

  // Admits q TEU arriving at t; returns the admission instant.
  std::int64_t admit(std::int64_t t, std::uint32_t q) {
    double start = std::max(static_cast<double>(t), free_at);
    free_at = start + q * per_teu_s();
    auto s = static_cast<std::int64_t>(std::ceil(start - 1e-6));
    records.push_back({t, t, s, q});
    return s;
  }
};

// A service: the load of every run on every segment between stops.
struct ServiceLoads {
  std::uint32_t capacity = 0;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> runs;  // first-stop departure -> load per segment
  std::vector<QueueRecord> records;
};

struct Lane {
  LocationIdx from, to;
  double teu_per_year = 0;
};

struct Shipment {
  std::uint32_t id = 0;  // release order: the FIFO tie-break and the stage samples' stream
  std::uint32_t lane = 0;
  std::int64_t release = 0;
  std::int32_t path = -1;       // into plans; -1: no route
  std::uint32_t step = 0;       // next arc of the path
  std::uint32_t at = 0;         // location it has reached
  detail::Outcome o;            // where the walk stands there (o.t: when)
  std::int64_t request = 0;     // when it asks the capacitated resource of the next arc
  std::int64_t free_flow = -1;  // arrival with no queues; -1: stuck
  std::int64_t delivered = -1;  // -1: not (yet) delivered
  bool stuck = false;
};

double nearest_rank(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(k, 1) - 1];
}

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

class Simulation {
 public:
  Simulation(const RouteIndex& index, const SimOptions& o)
      : index_(index), view_(index.view()), net_(index.network()), o_(o) {
    teu_ = o.shipment_teu();
    w0_ = secs(o.start + o.warmup);
    w1_ = secs(o.start + o.horizon);
    crossings_.resize(net_.crossings.size());
    for (CrossingIdx c : net_.crossings.indexes()) {
      crossings_[c.v].capacity = view_.crossing(c).capacity_teu_per_day;
      any_closure_ = any_closure_ || !view_.closures(c).empty();
    }
    links_.resize(net_.links.size());
    for (LinkIdx l : net_.links.indexes()) links_[l.v].capacity = view_.link(l).capacity_teu_per_day;
    services_.resize(view_.service_count());
    for (std::uint32_t s = 0; s < view_.service_count(); ++s)
      services_[s].capacity = view_.service(ServiceIdx(s)).capacity_teu;
    any_closure_ = any_closure_ || view_.any_location_closure();
    if (o.sample_stages) stages_ = std::make_unique<StageModel>(index);
    RouteQuery q;  // every shipment is the same cargo: one walker for all
    q.units = o.shipment_units;
    q.unit = o.unit;
    detail::make_walker(index, q, walker_);
  }

  Result<SimReport> run(const std::vector<DemandRow>& demand) {
    if (auto s = make_lanes(demand); !s.ok()) return Result<SimReport>(s);
    if (auto s = release(); !s.ok()) return Result<SimReport>(s);
    if (auto s = plan(); !s.ok()) return Result<SimReport>(s);
    if (auto s = simulate(); !s.ok()) return Result<SimReport>(s);
    return report();
  }

 private:
  // How the walker times a shipment's step in the simulation: the planner's
  // medians, or draws that depend only on (seed, shipment, step); and what
  // the capacity hooks do — pass through (free flow), note when the resource
  // is asked (a dry run that finds the event time), or queue.
  enum class Hooks : std::uint8_t { kFree, kProbe, kQueue };
  struct Timing {
    Simulation* sim;
    Hooks hooks;
    std::optional<SampledTiming> draw;
    detail::NominalTiming nominal;
    std::int64_t request = -1;

    Duration clearance(CrossingIdx c, TrafficClass k, const CrossingTerms& t) {
      return draw ? draw->clearance(c, k, t) : nominal.clearance(c, k, t);
    }
    Duration gauge_change(CrossingIdx c, const Crossing& x) {
      return draw ? draw->gauge_change(c, x) : nominal.gauge_change(c, x);
    }
    Duration link_travel(LinkIdx l, Duration d) { return draw ? draw->link_travel(l, d) : d; }
    Duration service_delay(ServiceIdx s, const Service& x) {
      return draw ? draw->service_delay(s, x) : nominal.service_delay(s, x);
    }
    Duration formation(ProductIdx p, const RailProduct& x) {
      return draw ? draw->formation(p, x) : nominal.formation(p, x);
    }
    Duration port_dwell(LocationIdx l, const Location& x) {
      return draw ? draw->port_dwell(l, x) : nominal.port_dwell(l, x);
    }

    Instant admit_crossing(CrossingIdx c, Instant t) {
      if (hooks == Hooks::kProbe) request = secs(t);
      Server& sv = sim->crossings_[c.v];
      if (hooks != Hooks::kQueue || sv.capacity == 0) return t;
      return instant(sv.admit(secs(t), sim->teu_));
    }
    Instant admit_link(LinkIdx l, Instant t) {
      if (hooks == Hooks::kProbe) request = secs(t);
      Server& sv = sim->links_[l.v];
      if (hooks != Hooks::kQueue || sv.capacity == 0) return t;
      return instant(sv.admit(secs(t), sim->teu_));
    }
    std::optional<Instant> board(ServiceIdx s, std::uint16_t b, std::uint16_t a, Instant ready, Instant first) {
      if (hooks == Hooks::kProbe) request = secs(ready);
      if (hooks != Hooks::kQueue || !sim->o_.service_capacity || sim->services_[s.v].capacity == 0) return first;
      auto dep = sim->board(s, b, a, secs(ready), secs(first));
      if (!dep) return std::nullopt;
      return instant(*dep);
    }
  };
  Timing timing(Hooks h, std::uint32_t id, std::uint32_t step) {
    Timing t{this, h, std::nullopt, {}, -1};
    if (stages_) t.draw.emplace(*stages_, SampleRng(o_.seed ^ 0x5851f42d4c957f2dULL, (std::uint64_t{id} << 16) | step));
    return t;
  }

  Status make_lanes(const std::vector<DemandRow>& demand) {
    if (demand.empty()) return Error::invalid("demand: no lanes (expected at least one row from,to,teu_per_year)");
    for (const DemandRow& d : demand) {
      if (d.from.v >= net_.locations.size() || d.to.v >= net_.locations.size()) {
        return Error::invalid("demand: unknown place (expected locations of the dataset)");
      }
      if (d.from == d.to) {
        return Error::invalid("demand: lane from \"" + net_.locations[d.from].id +
                              "\" to itself (expected two different places)");
      }
      if (!std::isfinite(d.teu_per_year) || d.teu_per_year < 0) {
        return Error::invalid("demand: teu_per_year must be a non-negative number");
      }
      auto it =
          std::find_if(lanes_.begin(), lanes_.end(), [&](const Lane& l) { return l.from == d.from && l.to == d.to; });
      if (it == lanes_.end()) {
        lanes_.push_back({d.from, d.to, d.teu_per_year});
      } else {
        it->teu_per_year += d.teu_per_year;
      }
    }
    return {};
  }

  Status release() {
    const double horizon_s = static_cast<double>(w1_ - secs(o_.start));
    double expected = 0;
    for (const Lane& l : lanes_) expected += l.teu_per_year / 365.0 / teu_ * horizon_s / kDay;
    auto too_many = [&](double n) {
      return Error::invalid("simulation would release about " + std::to_string(static_cast<std::uint64_t>(n)) +
                            " shipments (expected at most " + std::to_string(o_.max_shipments) +
                            ": shorten the horizon or ship more units per shipment)");
    };
    if (expected > static_cast<double>(o_.max_shipments)) return too_many(expected);
    const std::int64_t t0 = secs(o_.start);
    for (std::uint32_t k = 0; k < lanes_.size(); ++k) {
      if (lanes_[k].teu_per_year <= 0) continue;
      const double gap_s = 365.0 * kDay * teu_ / lanes_[k].teu_per_year;  // mean seconds between shipments
      if (o_.arrivals == ArrivalProcess::kRegular) {
        for (std::uint64_t n = 0;; ++n) {
          double off = static_cast<double>(n) * gap_s;
          if (off >= horizon_s) break;
          add_shipment(k, t0 + static_cast<std::int64_t>(off));
          if (shipments_.size() > o_.max_shipments) return too_many(static_cast<double>(shipments_.size()));
        }
      } else {
        SampleRng rng(o_.seed, k);
        double off = 0;
        for (;;) {
          off += -std::log(rng.uniform()) * gap_s;
          if (off >= horizon_s) break;
          add_shipment(k, t0 + static_cast<std::int64_t>(off));
          if (shipments_.size() > o_.max_shipments) return too_many(static_cast<double>(shipments_.size()));
        }
      }
    }
    // Ids in release order (lane, then draw order, on ties): the FIFO tie-break.
    std::stable_sort(shipments_.begin(), shipments_.end(),
                     [](const Shipment& a, const Shipment& b) { return a.release < b.release; });
    for (std::uint32_t i = 0; i < shipments_.size(); ++i) shipments_[i].id = i;
    return {};
  }

  void add_shipment(std::uint32_t lane, std::int64_t t) {
    Shipment s;
    s.lane = lane;
    s.release = t;
    shipments_.push_back(s);
  }

  // The plan slot of a release: hour of the week, or absolute hour when a
  // scenario closes places for a window (then the week does not repeat).
  std::uint64_t slot_of(std::int64_t t) const {
    std::int64_t h = floor_div(t - base_hour(), kHour);
    return static_cast<std::uint64_t>(any_closure_ ? h : h % kWeekHours);
  }
  std::int64_t base_hour() const { return floor_div(secs(o_.start), kHour) * kHour; }

  Status plan() {
    std::unordered_map<std::uint64_t, std::int32_t> by_key;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> keys;  // (lane, slot)
    for (Shipment& s : shipments_) {
      std::uint64_t slot = slot_of(s.release);
      std::uint64_t key = slot * lanes_.size() + s.lane;
      auto [it, fresh] = by_key.try_emplace(key, static_cast<std::int32_t>(keys.size()));
      if (fresh) keys.emplace_back(s.lane, slot);
      s.path = it->second;
    }
    plans_.assign(keys.size(), Arcs{});
    std::vector<char> routed(keys.size(), 0);
    std::vector<std::optional<Error>> failed(keys.size());
    const unsigned threads = threads_for(keys.size(), o_.threads, 4);
    std::vector<Planner> planners;
    for (unsigned w = 0; w < threads; ++w) planners.emplace_back(index_);
    std::mutex progress_mutex;
    std::size_t done = 0;
    std::atomic<bool> stop{false};
    total_work_ = keys.size() + shipments_.size();
    parallel_for(
        keys.size(), threads,
        [&](std::size_t i, unsigned worker) {
          // One failed plan (a deadline, a budget) fails the run: skip the rest.
          if (stop.load(std::memory_order_relaxed)) return;
          RouteQuery q;
          q.from = lanes_[keys[i].first].from;
          q.to = lanes_[keys[i].first].to;
          q.depart = instant(base_hour() + static_cast<std::int64_t>(keys[i].second) * kHour);
          q.units = o_.shipment_units;
          q.unit = o_.unit;
          q.modes = o_.modes;
          q.objective = o_.objective == Objective::kPareto ? Objective::kTime : o_.objective;
          q.budget = o_.budget;
          auto r = planners[worker].plan(q);
          if (r.ok() && !r->empty()) {
            plans_[i] = r->front().arcs;
            routed[i] = 1;
          } else if (!r.ok() && r.error().code != ErrorCode::kNoRoute) {
            failed[i] = r.error();
            stop.store(true, std::memory_order_relaxed);
          }
          if (o_.progress) {
            std::lock_guard<std::mutex> lock(progress_mutex);
            o_.progress(++done, total_work_);
          }
        },
        4);
    for (auto& f : failed) {
      if (f) return *f;
    }
    for (Shipment& s : shipments_) {
      if (!routed[static_cast<std::size_t>(s.path)]) s.path = -1;
    }
    plans_done_ = keys.size();
    return {};
  }

  bool capacitated(const SearchArc& arc) const {
    switch (arc.kind) {
      case ArcKind::kCrossing:
        return crossings_[arc.ref].capacity > 0;
      case ArcKind::kRoad:
      case ArcKind::kProduct:
        return links_[arc.ref].capacity > 0;
      case ArcKind::kRide:
        return o_.service_capacity && services_[arc.ref].capacity > 0;
    }
    return false;
  }

  // Walks the arcs up to the next capacitated one (returns true: an event is
  // due at s.request, when the shipment asks that resource) or to the end
  // (delivered or stuck).
  bool walk(Shipment& s) {
    const Arcs& p = plans_[static_cast<std::size_t>(s.path)];
    const auto& arcs = index_.impl().arcs;
    while (s.step < p.size()) {
      const SearchArc& arc = arcs[p[s.step]];
      if (capacitated(arc)) {
        Timing probe = timing(Hooks::kProbe, s.id, s.step);
        auto dry = walker_.traverse<false>(arc, s.at, s.o, nullptr, probe);
        if (!dry || probe.request < 0) {
          s.stuck = true;
          return false;
        }
        s.request = probe.request;
        return true;
      }
      Timing pass = timing(Hooks::kQueue, s.id, s.step);  // nothing queues on this arc
      auto o = walker_.traverse<false>(arc, s.at, s.o, nullptr, pass);
      if (!o) {
        s.stuck = true;
        return false;
      }
      s.o = *o;
      s.at = arc.head;
      ++s.step;
    }
    s.delivered = s.o.t;
    return false;
  }

  // The capacitated arc s.step, with its queue.
  Status serve(Shipment& s) {
    const SearchArc& arc = index_.impl().arcs[plans_[static_cast<std::size_t>(s.path)][s.step]];
    Timing queue = timing(Hooks::kQueue, s.id, s.step);
    auto o = walker_.traverse<false>(arc, s.at, s.o, nullptr, queue);
    if (events_exceeded_) return too_many_events();
    if (!o) {
      s.stuck = true;
      return {};
    }
    s.o = *o;
    s.at = arc.head;
    ++s.step;
    return {};
  }

  // Boards the first run of service `si` from stop b at or after `first` with
  // room for the shipment on every segment to stop a; returns its departure
  // from b, or nullopt when the service never runs (or the event bound is
  // reached: events_exceeded_).
  std::optional<std::int64_t> board(ServiceIdx si, std::uint16_t b, std::uint16_t a, std::int64_t t,
                                    std::int64_t first) {
    const Service& svc = view_.service(si);
    ServiceLoads& sl = services_[si.v];
    std::optional<std::int64_t> dep = first;
    const std::int64_t offset = svc.scheduled(b).count();
    // Loads only grow and every shipment has the same size, so no run before
    // the one the previous shipment between these stops boarded has room:
    // start there instead of retrying every full run again.
    const std::uint64_t key = (static_cast<std::uint64_t>(si.v) << 32) | (std::uint64_t{b} << 16) | a;
    if (auto h = sl_hint_.find(key); h != sl_hint_.end()) dep = std::max(*dep, h->second + offset);
    for (;;) {
      const std::int64_t run = *dep - offset;
      std::vector<std::uint32_t>& load = sl.runs[run];
      if (load.empty()) load.assign(svc.stops.size() - 1, 0);
      std::uint32_t peak = 0;
      for (std::uint16_t k = b; k < a; ++k) peak = std::max(peak, load[k]);
      if (peak == 0 || peak + teu_ <= sl.capacity) {
        for (std::uint16_t k = b; k < a; ++k) load[k] += teu_;
        sl.records.push_back({t, first, *dep, teu_});
        sl_hint_[key] = run;
        return dep;
      }
      if (++events_ > o_.max_events) {
        events_exceeded_ = true;
        return std::nullopt;
      }
      dep = next_departure(net_, svc, b, *dep + 1);
      if (!dep) return std::nullopt;
    }
  }

  Error too_many_events() const {
    return Error::invalid("simulation exceeded " + std::to_string(o_.max_events) +
                          " events (expected fewer: shorten the horizon or ship more units per shipment)");
  }

  Status simulate() {
    using Event = std::pair<std::int64_t, std::uint32_t>;  // (time, shipment id): FIFO, ties by release order
    std::priority_queue<Event, std::vector<Event>, std::greater<>> heap;
    std::size_t finished = 0;
    auto progress = [&] {
      if (o_.progress && (finished % 4096 == 0 || finished == shipments_.size()))
        o_.progress(plans_done_ + finished, total_work_);
    };
    for (std::uint32_t id = 0; id < shipments_.size(); ++id) {
      Shipment& s = shipments_[id];
      if (s.path < 0) {
        ++finished;
        continue;
      }
      s.free_flow = free_flow(s);
      s.o = detail::Outcome{};
      s.o.t = s.release;
      s.at = lanes_[s.lane].from.v;
      if (walk(s)) {
        heap.emplace(s.request, id);
      } else {
        ++finished;
      }
    }
    progress();
    while (!heap.empty()) {
      auto [t, id] = heap.top();
      heap.pop();
      if (++events_ > o_.max_events) return too_many_events();
      if ((events_ & 4095) == 0) {
        if (auto st = o_.budget.check_time(); !st.ok()) return st;
      }
      Shipment& s = shipments_[id];
      if (auto st = serve(s); !st.ok()) return st;
      if (!s.stuck && walk(s)) {
        heap.emplace(s.request, id);
      } else {
        ++finished;
        progress();
      }
    }
    return {};
  }

  // The same walk with no queue anywhere (the same draws per step).
  std::int64_t free_flow(const Shipment& s) {
    const Arcs& p = plans_[static_cast<std::size_t>(s.path)];
    const auto& arcs = index_.impl().arcs;
    detail::Outcome o;
    o.t = s.release;
    std::uint32_t at = lanes_[s.lane].from.v;
    for (std::uint32_t k = 0; k < p.size(); ++k) {
      Timing free = timing(Hooks::kFree, s.id, k);
      auto n = walker_.traverse<false>(arcs[p[k]], at, o, nullptr, free);
      if (!n) return -1;
      o = *n;
      at = arcs[p[k]].head;
    }
    return o.t;
  }

  bool in_window(std::int64_t t) const { return t >= w0_ && t < w1_; }

  // Queue length over time from the records: max during the window, and at its end.
  void queue_levels(const std::vector<QueueRecord>& recs, ResourceStats& r) const {
    std::vector<std::pair<std::int64_t, double>> ev;
    for (const QueueRecord& q : recs) {
      if (q.leave <= q.enter) continue;
      ev.emplace_back(q.enter, q.teu);
      ev.emplace_back(q.leave, -static_cast<double>(q.teu));
    }
    std::sort(ev.begin(), ev.end());
    // Queued at t: enter <= t < leave. The level only changes at event
    // times, so sample it after each group of events at one instant.
    double level = 0;
    std::size_t i = 0;
    while (i < ev.size() && ev[i].first <= w0_) level += ev[i++].second;
    double max_level = level;
    while (i < ev.size() && ev[i].first < w1_) {
      const std::int64_t t = ev[i].first;
      while (i < ev.size() && ev[i].first == t) level += ev[i++].second;
      max_level = std::max(max_level, level);
    }
    while (i < ev.size() && ev[i].first <= w1_) level += ev[i++].second;
    const double at_end = level;
    r.max_queue_teu = max_level;
    r.backlog_teu = at_end;
  }

  void common_stats(const std::vector<QueueRecord>& recs, ResourceStats& r) const {
    std::vector<double> waits;
    for (const QueueRecord& q : recs) {
      if (in_window(q.request)) {
        r.offered_teu += q.teu;
        ++r.shipments;
        waits.push_back(hours_of(q.leave - q.enter));
      }
      if (in_window(q.leave)) r.served_teu += q.teu;
    }
    r.mean_wait_hours = mean_of(waits);
    r.p95_wait_hours = nearest_rank(waits, 0.95);
    queue_levels(recs, r);
  }

  void server_stats(const Server& sv, ResourceStats& r) const {
    common_stats(sv.records, r);
    double busy = 0;
    for (const QueueRecord& q : sv.records) {
      double a = static_cast<double>(q.leave), b = a + q.teu * sv.per_teu_s();
      busy += std::max(0.0, std::min(b, static_cast<double>(w1_)) - std::max(a, static_cast<double>(w0_)));
    }
    r.utilisation = std::min(1.0, busy / static_cast<double>(w1_ - w0_));
  }

  SimReport report() const {
    SimReport rep;
    rep.start = o_.start;
    rep.stats_from = instant(w0_);
    rep.end = instant(w1_);
    rep.drained = o_.start;
    rep.shipment_teu = teu_;
    rep.seed = o_.seed;
    rep.service_capacity = o_.service_capacity;
    rep.sample_stages = o_.sample_stages;
    rep.shipments = shipments_.size();
    rep.events = events_;
    rep.plans = plans_done_;
    // Crossings and links are both a server between two locations.
    auto add_server = [&](const Server& sv, ResourceKind kind, std::uint32_t index, const std::string& id,
                          LocationIdx from, LocationIdx to) {
      if (sv.records.empty()) return;
      ResourceStats r;
      r.kind = kind;
      r.index = index;
      r.id = id;
      r.name = net_.locations[from].name + " → " + net_.locations[to].name;
      r.capacity = sv.capacity;
      server_stats(sv, r);
      rep.resources.push_back(std::move(r));
    };
    for (CrossingIdx c : net_.crossings.indexes()) {
      const Crossing& x = view_.crossing(c);
      add_server(crossings_[c.v], ResourceKind::kCrossing, c.v, x.id, x.exit, x.entry);
    }
    for (LinkIdx l : net_.links.indexes()) {
      const Link& x = view_.link(l);
      add_server(links_[l.v], ResourceKind::kLink, l.v, x.id, x.from, x.to);
    }
    for (std::uint32_t s = 0; s < services_.size(); ++s) {
      const ServiceLoads& sl = services_[s];
      if (sl.records.empty()) continue;
      const Service& x = view_.service(ServiceIdx(s));
      ResourceStats r;
      r.kind = ResourceKind::kService;
      r.index = s;
      r.id = x.id;
      r.name = x.name;
      r.capacity = sl.capacity;
      common_stats(sl.records, r);
      // Runs leaving the first stop in the window, and how full each got.
      double runs = 0, peak_sum = 0;
      for (auto dep = next_departure(net_, x, 0, w0_); dep && *dep < w1_; dep = next_departure(net_, x, 0, *dep + 1)) {
        runs += 1;
        auto it = sl.runs.find(*dep);
        if (it != sl.runs.end()) peak_sum += *std::max_element(it->second.begin(), it->second.end());
      }
      r.utilisation = runs > 0 ? peak_sum / (runs * sl.capacity) : 0;
      rep.resources.push_back(std::move(r));
    }
    std::vector<std::vector<double>> transit(lanes_.size()), delay(lanes_.size()), free(lanes_.size());
    rep.lanes.resize(lanes_.size());
    for (std::size_t k = 0; k < lanes_.size(); ++k) {
      rep.lanes[k].from = lanes_[k].from;
      rep.lanes[k].to = lanes_[k].to;
      rep.lanes[k].teu_per_year = lanes_[k].teu_per_year;
    }
    for (const Shipment& s : shipments_) {
      if (s.delivered >= 0) rep.drained = std::max(rep.drained, instant(s.delivered));
      if (!in_window(s.release)) continue;
      LaneStats& l = rep.lanes[s.lane];
      if (s.path < 0) {
        ++l.unrouted;
      } else if (s.stuck || s.delivered < 0) {
        ++l.stuck;
      } else {
        ++l.shipments;
        l.teu += teu_;
        const std::int64_t ff = s.free_flow >= 0 ? s.free_flow : s.delivered;
        transit[s.lane].push_back(hours_of(s.delivered - s.release));
        free[s.lane].push_back(hours_of(ff - s.release));
        delay[s.lane].push_back(hours_of(s.delivered - ff));
      }
    }
    for (std::size_t k = 0; k < lanes_.size(); ++k) {
      LaneStats& l = rep.lanes[k];
      l.mean_hours = mean_of(transit[k]);
      l.p95_hours = nearest_rank(transit[k], 0.95);
      l.free_flow_hours = mean_of(free[k]);
      l.mean_delay_hours = mean_of(delay[k]);
      l.p95_delay_hours = nearest_rank(delay[k], 0.95);
    }
    return rep;
  }

  const RouteIndex& index_;
  const NetworkView& view_;
  const Network& net_;
  const SimOptions& o_;
  detail::Walker walker_;
  bool events_exceeded_ = false;
  std::uint32_t teu_ = 2;
  std::int64_t w0_ = 0, w1_ = 0;
  bool any_closure_ = false;
  std::vector<Server> crossings_, links_;
  std::vector<ServiceLoads> services_;
  std::unique_ptr<StageModel> stages_;                       // with sample_stages
  std::unordered_map<std::uint64_t, std::int64_t> sl_hint_;  // (service, board, alight) -> run last boarded
  std::vector<Lane> lanes_;
  std::vector<Shipment> shipments_;
  std::vector<Arcs> plans_;
  std::size_t plans_done_ = 0, total_work_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace

Result<SimReport> simulate(const RouteIndex& index, const std::vector<DemandRow>& demand, const SimOptions& o) {
  if (o.shipment_units == 0) return Error::invalid("shipment units must be at least 1");
  if (o.warmup.count() < 0) return Error::invalid("warm-up must not be negative");
  if (o.modes.empty()) return Error::invalid("modes: none allowed (expected at least one moving mode)");
  if (o.horizon <= o.warmup) {
    return Error::invalid("horizon must be longer than the warm-up (expected days > warm-up days)");
  }
  Simulation sim(index, o);
  return sim.run(demand);
}

}  // namespace caravan
