// The discrete-event simulation of caravan/sim.h. One pass: release every
// shipment, plan the routes they need (in parallel, cached), then process
// arrivals at capacitated resources in time order from one event heap; the
// walk between two capacitated resources touches no shared state and is done
// eagerly. Statistics come from each resource's queue records afterwards.
#include "caravan/sim.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "caravan/parallel.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"

namespace caravan {

std::string_view to_string(ResourceKind k) {
  switch (k) {
    case ResourceKind::kCrossing: return "crossing";
    case ResourceKind::kLink: return "link";
    case ResourceKind::kService: return "service";
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

// One step of a shipment's path, from an itinerary leg. Waits are not steps:
// they are recomputed for the time the cargo really gets there.
enum class StepKind : std::uint8_t {
  kBorder,  // opening hours of both posts, then clearance `dur`; ref = crossing
  kLink,    // travel `dur` on link ref
  kRide,    // next run of service ref from stop `board`, arriving `dur` later at `alight`
  kGauge,   // gauge change `dur`; ref = crossing
  kFixed,   // transfer: `dur`
  kHold,    // a scenario's closure: wait until `until`
};

struct Step {
  StepKind kind = StepKind::kFixed;
  std::uint32_t ref = 0;
  std::uint16_t board = 0, alight = 0;
  std::int64_t dur = 0;
  std::int64_t until = 0;
};

using Path = std::vector<Step>;

Path path_of(const RouteIndex& index, const Itinerary& it) {
  Path p;
  for (const Leg& leg : it.legs) {
    Step st;
    st.dur = (leg.arrive - leg.depart).count();
    switch (leg.kind) {
      case LegKind::kWait:
        // A wait for a border's opening hours or a departure is recomputed at
        // the next step; any other (a closure) holds until its planned end.
        if (leg.crossing.valid() || leg.service.valid()) continue;
        st.kind = StepKind::kHold;
        st.until = secs(leg.arrive);
        break;
      case LegKind::kBorder:
        st.kind = StepKind::kBorder;
        st.ref = leg.crossing.v;
        break;
      case LegKind::kMove:
        if (leg.service.valid()) {
          const Service& s = index.service(leg.service);
          auto b = std::find(s.stops.begin(), s.stops.end(), leg.from);
          auto a = b == s.stops.end() ? b : std::find(b + 1, s.stops.end(), leg.to);
          if (a == s.stops.end()) {
            st.kind = StepKind::kFixed;  // cannot happen for a planner's leg; keep its time
            break;
          }
          st.kind = StepKind::kRide;
          st.ref = leg.service.v;
          st.board = static_cast<std::uint16_t>(b - s.stops.begin());
          st.alight = static_cast<std::uint16_t>(a - s.stops.begin());
        } else if (leg.link.valid()) {
          st.kind = StepKind::kLink;
          st.ref = leg.link.v;
        } else {
          st.kind = StepKind::kFixed;
        }
        break;
      case LegKind::kGaugeChange:
        st.kind = StepKind::kGauge;
        st.ref = leg.crossing.v;
        break;
      case LegKind::kTransfer: st.kind = StepKind::kFixed; break;
    }
    p.push_back(st);
  }
  return p;
}

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
  std::uint32_t id = 0;       // release order: the FIFO tie-break and the stage samples' stream
  std::uint32_t lane = 0;
  std::int64_t release = 0;
  std::int32_t path = -1;     // into plans; -1: no route
  std::uint32_t step = 0;     // next step of the path
  std::int64_t t = 0;         // when it reaches that step
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
  Simulation(const RouteIndex& index, const SimOptions& o) : index_(index), net_(index.network()), o_(o) {
    teu_ = o.shipment_teu();
    w0_ = secs(o.start + o.warmup);
    w1_ = secs(o.start + o.horizon);
    const Overlay* ov = index.overlay();
    crossings_.resize(net_.crossings.size());
    for (CrossingIdx c : net_.crossings.indexes()) crossings_[c.v].capacity = index.crossing(c).capacity_teu_per_day;
    links_.resize(net_.links.size());
    for (LinkIdx l : net_.links.indexes()) links_[l.v].capacity = link(l).capacity_teu_per_day;
    const std::uint32_t n_services = ov ? ov->service_count() : net_.services.size();
    services_.resize(n_services);
    for (std::uint32_t s = 0; s < n_services; ++s) services_[s].capacity = index.service(ServiceIdx(s)).capacity_teu;
    if (ov) {
      for (LocationIdx l : net_.locations.indexes()) any_closure_ = any_closure_ || !ov->closures(l).empty();
    }
    if (o.sample_stages) stages_ = std::make_unique<StageModel>(index);
  }

  Result<SimReport> run(const std::vector<DemandRow>& demand) {
    if (auto s = make_lanes(demand); !s.ok()) return Result<SimReport>(s);
    if (auto s = release(); !s.ok()) return Result<SimReport>(s);
    if (auto s = plan(); !s.ok()) return Result<SimReport>(s);
    if (auto s = simulate(); !s.ok()) return Result<SimReport>(s);
    return report();
  }

 private:
  const Link& link(LinkIdx l) const { return index_.overlay() ? index_.overlay()->link(l) : net_.links[l]; }

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
      auto it = std::find_if(lanes_.begin(), lanes_.end(), [&](const Lane& l) { return l.from == d.from && l.to == d.to; });
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
    plans_.assign(keys.size(), Path{});
    std::vector<char> routed(keys.size(), 0);
    std::vector<std::optional<Error>> failed(keys.size());
    const unsigned threads = threads_for(keys.size(), o_.threads, 4);
    std::vector<Planner> planners;
    for (unsigned w = 0; w < threads; ++w) planners.emplace_back(index_);
    std::mutex progress_mutex;
    std::size_t done = 0;
    total_work_ = keys.size() + shipments_.size();
    parallel_for(
        keys.size(), threads,
        [&](std::size_t i, unsigned worker) {
          RouteQuery q;
          q.from = lanes_[keys[i].first].from;
          q.to = lanes_[keys[i].first].to;
          q.depart = instant(base_hour() + static_cast<std::int64_t>(keys[i].second) * kHour);
          q.units = o_.shipment_units;
          q.unit = o_.unit;
          q.modes = o_.modes;
          q.objective = o_.objective == Objective::kPareto ? Objective::kTime : o_.objective;
          auto r = planners[worker].plan(q);
          if (r.ok() && !r->empty()) {
            plans_[i] = path_of(index_, r->front());
            routed[i] = 1;
          } else if (!r.ok() && r.error().code != ErrorCode::kNoRoute) {
            failed[i] = r.error();
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

  bool capacitated(const Step& st) const {
    switch (st.kind) {
      case StepKind::kBorder: return crossings_[st.ref].capacity > 0;
      case StepKind::kLink: return links_[st.ref].capacity > 0;
      case StepKind::kRide: return o_.service_capacity && services_[st.ref].capacity > 0;
      default: return false;
    }
  }

  // The duration of step k of shipment `id`: the planner's median, or with
  // sampled stages a draw from the stage's distribution. The draw depends only
  // on (seed, shipment, step), so the free-flow walk and the queued walk see
  // the same durations and the report does not depend on event order.
  std::int64_t duration(const Step& st, std::uint32_t id, std::uint32_t k) const {
    if (!stages_) return st.dur;
    SampledTiming draw(*stages_, SampleRng(o_.seed ^ 0x5851f42d4c957f2dULL, (std::uint64_t{id} << 16) | k));
    switch (st.kind) {
      case StepKind::kBorder: {
        const Crossing& c = index_.crossing(CrossingIdx(st.ref));
        return draw.clearance(CrossingIdx(st.ref), c).count();
      }
      case StepKind::kGauge: {
        const Crossing& c = index_.crossing(CrossingIdx(st.ref));
        return draw.gauge_change(CrossingIdx(st.ref), c).count();
      }
      case StepKind::kLink: return draw.link_travel(LinkIdx(st.ref), Duration(st.dur)).count();
      case StepKind::kRide: {
        const Service& svc = index_.service(ServiceIdx(st.ref));
        return std::max<std::int64_t>(0, st.dur + draw.service_delay(ServiceIdx(st.ref), svc).count());
      }
      case StepKind::kHold:
      case StepKind::kFixed: return st.dur;
    }
    return st.dur;
  }

  // Passes step k of shipment `id` with no queue; nullopt when the cargo gets stuck.
  std::optional<std::int64_t> pass_free(const Step& st, std::uint32_t id, std::uint32_t k, std::int64_t t) const {
    switch (st.kind) {
      case StepKind::kBorder: return clear(st, t, duration(st, id, k));
      case StepKind::kRide: {
        auto dep = next_departure(net_, index_.service(ServiceIdx(st.ref)), st.board, t);
        if (!dep) return std::nullopt;
        return *dep + duration(st, id, k);
      }
      case StepKind::kHold: return std::max(t, st.until);
      case StepKind::kLink:
      case StepKind::kGauge:
      case StepKind::kFixed: return t + duration(st, id, k);
    }
    return t + st.dur;
  }

  // After admission at a border: wait until both posts are open, then clear.
  std::optional<std::int64_t> clear(const Step& st, std::int64_t t, std::int64_t clearance) const {
    const Crossing& c = index_.crossing(CrossingIdx(st.ref));
    auto open = next_open_both(instant(t), c.exit_open, net_.locations[c.exit].zone, c.entry_open,
                               net_.locations[c.entry].zone);
    if (!open) return std::nullopt;
    return secs(*open) + clearance;
  }

  // Walks uncapacitated steps from s.step; stops at a capacitated one
  // (returns true: an event is due) or at the end (delivered or stuck).
  bool walk(Shipment& s) {
    const Path& p = plans_[static_cast<std::size_t>(s.path)];
    while (s.step < p.size()) {
      const Step& st = p[s.step];
      if (capacitated(st)) return true;
      auto t = pass_free(st, s.id, s.step, s.t);
      if (!t) {
        s.stuck = true;
        return false;
      }
      s.t = *t;
      ++s.step;
    }
    s.delivered = s.t;
    return false;
  }

  // The capacitated step s.step at s.t, with its queue.
  Status serve(Shipment& s) {
    const Step& st = plans_[static_cast<std::size_t>(s.path)][s.step];
    std::optional<std::int64_t> t;
    const std::int64_t dur = duration(st, s.id, s.step);
    switch (st.kind) {
      case StepKind::kBorder: t = clear(st, crossings_[st.ref].admit(s.t, teu_), dur); break;
      case StepKind::kLink: t = links_[st.ref].admit(s.t, teu_) + dur; break;
      case StepKind::kRide: {
        auto r = board(st, s.t, dur);
        if (!r.ok()) return r.status();
        t = *r;
        break;
      }
      default: t = pass_free(st, s.id, s.step, s.t); break;
    }
    if (!t) {
      s.stuck = true;
      return {};
    }
    s.t = *t;
    ++s.step;
    return {};
  }

  // Boards the first run from st.board at or after t with room for the
  // shipment on every segment to st.alight; returns the arrival at st.alight,
  // or nullopt when the service never runs.
  Result<std::optional<std::int64_t>> board(const Step& st, std::int64_t t, std::int64_t ride) {
    const Service& svc = index_.service(ServiceIdx(st.ref));
    ServiceLoads& sl = services_[st.ref];
    auto dep = next_departure(net_, svc, st.board, t);
    if (!dep) return std::optional<std::int64_t>();
    const std::int64_t first = *dep;
    // Loads only grow and every shipment has the same size, so no run before
    // the one the previous shipment between these stops boarded has room:
    // start there instead of retrying every full run again.
    const std::uint64_t key = (static_cast<std::uint64_t>(st.ref) << 32) | (std::uint64_t{st.board} << 16) | st.alight;
    if (auto h = sl_hint_.find(key); h != sl_hint_.end()) dep = std::max(*dep, h->second + svc.stop_offsets[st.board].count());
    for (;;) {
      const std::int64_t run = *dep - svc.stop_offsets[st.board].count();
      std::vector<std::uint32_t>& load = sl.runs[run];
      if (load.empty()) load.assign(svc.stops.size() - 1, 0);
      std::uint32_t peak = 0;
      for (std::uint16_t k = st.board; k < st.alight; ++k) peak = std::max(peak, load[k]);
      if (peak == 0 || peak + teu_ <= sl.capacity) {
        for (std::uint16_t k = st.board; k < st.alight; ++k) load[k] += teu_;
        sl.records.push_back({t, first, *dep, teu_});
        sl_hint_[key] = run;
        return std::optional<std::int64_t>(*dep + ride);
      }
      if (++events_ > o_.max_events) return too_many_events();
      dep = next_departure(net_, svc, st.board, *dep + 1);
      if (!dep) return std::optional<std::int64_t>();
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
      s.t = s.release;
      if (walk(s)) {
        heap.emplace(s.t, id);
      } else {
        ++finished;
      }
    }
    progress();
    while (!heap.empty()) {
      auto [t, id] = heap.top();
      heap.pop();
      if (++events_ > o_.max_events) return too_many_events();
      Shipment& s = shipments_[id];
      if (auto st = serve(s); !st.ok()) return st;
      if (!s.stuck && walk(s)) {
        heap.emplace(s.t, id);
      } else {
        ++finished;
        progress();
      }
    }
    return {};
  }

  std::int64_t free_flow(const Shipment& s) const {
    std::int64_t t = s.release;
    const Path& p = plans_[static_cast<std::size_t>(s.path)];
    for (std::uint32_t k = 0; k < p.size(); ++k) {
      auto n = pass_free(p[k], s.id, k, t);
      if (!n) return -1;
      t = *n;
    }
    return t;
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
      const Crossing& x = index_.crossing(c);
      add_server(crossings_[c.v], ResourceKind::kCrossing, c.v, x.id, x.exit, x.entry);
    }
    for (LinkIdx l : net_.links.indexes()) {
      const Link& x = link(l);
      add_server(links_[l.v], ResourceKind::kLink, l.v, x.id, x.from, x.to);
    }
    for (std::uint32_t s = 0; s < services_.size(); ++s) {
      const ServiceLoads& sl = services_[s];
      if (sl.records.empty()) continue;
      const Service& x = index_.service(ServiceIdx(s));
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
  const Network& net_;
  const SimOptions& o_;
  std::uint32_t teu_ = 2;
  std::int64_t w0_ = 0, w1_ = 0;
  bool any_closure_ = false;
  std::vector<Server> crossings_, links_;
  std::vector<ServiceLoads> services_;
  std::unique_ptr<StageModel> stages_;  // with sample_stages
  std::unordered_map<std::uint64_t, std::int64_t> sl_hint_;  // (service, board, alight) -> run last boarded
  std::vector<Lane> lanes_;
  std::vector<Shipment> shipments_;
  std::vector<Path> plans_;
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
