// Evaluating cells: one overlay per combination, route indexes built on first
// use and a few kept, a planner and a sample buffer per thread.
#include <algorithm>
#include <list>
#include <mutex>

#include "caravan/stochastic.h"
#include "caravan/sweep.h"

namespace caravan {
namespace {

// Route indexes (with their stage models) kept at once. Chunks are runs of
// neighbouring cells, so each thread works on one or two combinations at a
// time; a few more than the threads keeps rebuilding rare.
constexpr std::size_t kIndexesKept = 16;

// Why a pair has no route under the grid's `avoid`: its origin or
// destination is avoided (the planner refuses such a query as bad input,
// but in a sweep it is one cell of many). Empty when neither is.
std::string avoided_end(const Network& net, const RouteQuery& q) {
  for (auto [end, what] : {std::pair{q.from, "origin"}, std::pair{q.to, "destination"}}) {
    const Location& l = net.locations[end];
    const bool place = std::find(q.avoid.begin(), q.avoid.end(), end) != q.avoid.end();
    const bool country =
        std::find(q.avoid_countries.begin(), q.avoid_countries.end(), l.country_code()) != q.avoid_countries.end();
    if (place || country) return std::string("the ") + what + " " + l.name + " is avoided ([query] avoid)";
  }
  return {};
}

}  // namespace

namespace sweep_detail {
// The search graph of one combination. The stage model points into the
// index, so a Built never moves.
struct Built {
  Built(const Network& net, const Overlay& overlay, bool sampled) : index(net, &overlay) {
    if (sampled) model.emplace(index);
  }
  RouteIndex index;
  std::optional<StageModel> model;
};
}  // namespace sweep_detail

using sweep_detail::Built;

struct SweepContext::Impl {
  std::vector<std::unique_ptr<Overlay>> overlays;  // combination -> its overlay
  std::mutex mu;
  std::list<std::pair<std::uint32_t, std::shared_ptr<const Built>>> kept;  // most recently used first

  std::shared_ptr<const Built> built(const Network& net, const SweepGrid& g, std::uint32_t combination) {
    std::lock_guard<std::mutex> lock(mu);
    for (auto it = kept.begin(); it != kept.end(); ++it) {
      if (it->first != combination) continue;
      kept.splice(kept.begin(), kept, it);
      return kept.front().second;
    }
    auto b = std::make_shared<const Built>(net, *overlays[combination], g.samples > 0);
    kept.emplace_front(combination, b);
    if (kept.size() > kIndexesKept) kept.pop_back();
    return b;
  }
};

struct CellScratch::Impl {
  std::uint32_t combination = UINT32_MAX;
  std::shared_ptr<const Built> built;  // declared before the planner, which refers to it
  std::optional<Planner> planner;
  std::vector<double> hours;
  RouteQuery query;  // the cell's, its lists' storage kept across cells
};

CellScratch::CellScratch() : impl_(std::make_unique<Impl>()) {}
CellScratch::~CellScratch() = default;
CellScratch::CellScratch(CellScratch&&) noexcept = default;
CellScratch& CellScratch::operator=(CellScratch&&) noexcept = default;

SweepContext::SweepContext(const Network& net, const SweepGrid& grid)
    : net_(&net), grid_(&grid), impl_(std::make_unique<Impl>()) {}
SweepContext::~SweepContext() = default;
SweepContext::SweepContext(SweepContext&&) noexcept = default;
SweepContext& SweepContext::operator=(SweepContext&&) noexcept = default;

Result<SweepContext> SweepContext::build(const Network& net, const SweepGrid& grid) {
  SweepContext ctx(net, grid);
  Errors errors;
  for (const Combination& c : grid.combinations) {
    std::vector<Scenario> scenarios = grid.base;
    for (std::uint32_t s : c.sets) {
      scenarios.insert(scenarios.end(), grid.sets[s].scenarios.begin(), grid.sets[s].scenarios.end());
    }
    auto ov = Overlay::build(net, scenarios);
    if (!ov) {
      for (Error e : ov.errors()) {
        e.message = "measure combination \"" + c.name + "\": " + e.message;
        errors.push_back(std::move(e));
      }
      continue;
    }
    ctx.impl_->overlays.push_back(std::make_unique<Overlay>(std::move(*ov)));
  }
  if (!errors.empty()) return errors;
  return ctx;
}

CellResult SweepContext::evaluate(std::uint64_t cell, CellScratch& scratch) const {
  const SweepGrid& g = *grid_;
  const CellKey k = g.key(cell);
  CellScratch::Impl& s = *scratch.impl_;
  if (s.combination != k.combination) {
    s.planner.reset();
    s.built = impl_->built(*net_, g, k.combination);
    s.planner.emplace(s.built->index);
    s.combination = k.combination;
  }
  RouteQuery& q = s.query;
  q = g.query.route;
  q.from = g.pairs[k.pair].from;
  q.to = g.pairs[k.pair].to;
  q.depart = g.departures[k.departure];

  CellResult r;
  r.cell = cell;
  if (std::string why = avoided_end(*net_, q); !why.empty()) {
    r.status = CellStatus::kNoRoute;
    r.message = std::move(why);
    return r;
  }
  auto its = s.planner->plan(q);
  if (!its) {
    r.status = its.error().code == ErrorCode::kNoRoute ? CellStatus::kNoRoute : CellStatus::kError;
    r.message = its.error().to_string();
    return r;
  }
  const Itinerary& it = its->front();
  r.hours = to_hours(it.duration());
  r.cost_usd_cents = it.cost_usd_cents;
  r.co2_g = it.co2_g;
  if (g.samples > 0) {
    MonteCarloOptions mc;
    mc.samples = g.samples;
    mc.seed = g.seeds[k.seed];
    mc.threads = 1;  // cells are already spread over the threads
    if (g.query.deadline_after) mc.deadline = q.depart + *g.query.deadline_after;
    if (g.query.deadline) mc.deadline = *g.query.deadline;
    Reliability rel = monte_carlo(*s.built->model, q, it, mc, s.hours);
    r.p50_hours = rel.p50_hours;
    r.p95_hours = rel.p95_hours;
    r.on_time_probability = rel.on_time_probability;
    r.stuck_samples = rel.never_arrived;
  }
  return r;
}

}  // namespace caravan
