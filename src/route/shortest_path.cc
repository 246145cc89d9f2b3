// Dijkstra, bidirectional Dijkstra and bidirectional ALT on the shared CSR
// graph with the shared 4-ary heap.
#include "caravan/shortest_path.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <new>
#include <span>
#include <thread>
#include <vector>

#include "csr.h"
#include "min_heap.h"

namespace caravan {

namespace {

// One arc as the search reads it: the node reached and the weight, packed in
// 12 bytes so a relaxation loads one short record (one cache miss, not two).
struct [[gnu::packed]] WeightedArc {
  std::uint32_t head;
  double weight;
};
static_assert(sizeof(WeightedArc) == 12);

// Landmark distances in fixed point: round(distance / unit), clamped to
// kFarthest; kNoPath where there is no path. Clamping and rounding are
// monotone, so the stored values keep the triangle inequality up to one unit.
constexpr std::uint16_t kNoPath = 0xFFFF;
constexpr std::uint16_t kFarthest = 0xFFFE;

// Allocates on 64-byte boundaries, so a node's landmark row (64 bytes at 16
// landmarks) sits in one cache line instead of straddling two.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlign); }
  friend bool operator==(const CacheLineAllocator&, const CacheLineAllocator&) { return true; }
};

}  // namespace

// The forward graph, and the backward one (arcs reversed) for the search from
// the target; the landmark table.
struct ShortestPathIndex::Impl {
  detail::CsrGraph<WeightedArc> fwd, bwd;
  std::vector<std::uint32_t> landmarks;  // landmark -> node
  // node -> 2 * landmarks.size() values, for each landmark i
  // [2i] = d(node, L_i) and [2i + 1] = d(L_i, node), in units: one node's
  // values share a cache line.
  std::vector<std::uint16_t, CacheLineAllocator<std::uint16_t>> table;
  double unit = 1;  // the distance one step of the table stands for

  const std::uint16_t* row(std::uint32_t v) const { return table.data() + std::size_t{v} * 2 * landmarks.size(); }
};

namespace {

void build_direction(std::uint32_t n, std::span<const std::uint32_t> from, std::span<const std::uint32_t> to,
                     std::span<const double> weight, detail::CsrGraph<WeightedArc>& g) {
  std::vector<std::uint32_t> order = detail::csr_order(n, from, g.first_out);
  g.arcs.resize(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) g.arcs[k] = {to[order[k]], weight[order[k]]};
}

struct Entry {
  double key;
  std::uint32_t node;
};
struct EntryLess {
  bool operator()(const Entry& a, const Entry& b) const { return a.key < b.key; }
};

// Distances from `source` to every node along `g`'s arcs (infinity where
// unreachable): a textbook Dijkstra on the shared heap, for preprocessing.
void one_to_all(const detail::CsrGraph<WeightedArc>& g, std::uint32_t source, std::vector<double>& dist) {
  dist.assign(g.node_count(), std::numeric_limits<double>::infinity());
  detail::MinHeap<Entry, EntryLess> heap;
  dist[source] = 0;
  heap.push({0, source});
  const WeightedArc* arcs = g.arcs.data();
  while (!heap.empty()) {
    const Entry e = heap.top();
    heap.pop();
    if (e.key > dist[e.node]) continue;
    for (std::uint32_t a = g.begin(e.node), end = g.end(e.node); a < end; ++a) {
      const double nd = e.key + arcs[a].weight;
      if (nd < dist[arcs[a].head]) {
        dist[arcs[a].head] = nd;
        heap.push({nd, arcs[a].head});
      }
    }
  }
}

std::uint16_t quantize(double d, double unit) {
  if (std::isinf(d)) return kNoPath;
  const double q = std::round(d / unit);
  return q >= kFarthest ? kFarthest : static_cast<std::uint16_t>(q);
}

// Runs one_to_all forward and backward from `node`, side by side when
// `threads` > 1.
void both_ways(const ShortestPathIndex::Impl& g, std::uint32_t node, unsigned threads, std::vector<double>& from,
               std::vector<double>& to) {
  if (threads > 1) {
    std::jthread backward([&] { one_to_all(g.bwd, node, to); });
    one_to_all(g.fwd, node, from);
  } else {
    one_to_all(g.fwd, node, from);
    one_to_all(g.bwd, node, to);
  }
}

// Farthest-landmark selection. The search starts at the node of highest
// degree (likely in the largest strongly connected component); only nodes it
// reaches both ways are candidates, each scored by its least round-trip
// distance to the landmarks chosen so far. Stops early when no candidate is
// left (a component smaller than the count asked for).
void choose_landmarks(ShortestPathIndex::Impl& g, std::uint32_t count, unsigned threads) {
  const std::uint32_t n = g.fwd.node_count();
  if (count == 0 || n == 0) return;
  std::uint32_t start = 0;
  for (std::uint32_t v = 1; v < n; ++v) {
    const auto degree = [&](std::uint32_t u) { return g.fwd.end(u) - g.fwd.begin(u) + g.bwd.end(u) - g.bwd.begin(u); };
    if (degree(v) > degree(start)) start = v;
  }
  std::vector<double> from, to;
  both_ways(g, start, threads, from, to);
  double far_from = 0, far_to = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (std::isfinite(from[v])) far_from = std::max(far_from, from[v]);
    if (std::isfinite(to[v])) far_to = std::max(far_to, to[v]);
  }
  // Any two nodes of start's component are at most far_to + far_from apart
  // (via start); farther ones elsewhere clamp to kFarthest.
  g.unit = (far_from + far_to) / kFarthest;
  if (!(g.unit > 0) || !std::isfinite(g.unit)) g.unit = 1;
  // node -> round trip to the nearest landmark so far (0: not a candidate)
  std::vector<double> score(n, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (std::isfinite(from[v]) && std::isfinite(to[v])) score[v] = from[v] + to[v];
  }
  // Written node-major straight away (a query reads one node's values
  // together); compacted at the end if fewer landmarks than asked were found.
  std::vector<std::uint32_t> chosen;
  g.table.assign(2 * std::size_t{count} * n, kNoPath);
  while (chosen.size() < count) {
    const auto best = static_cast<std::uint32_t>(std::max_element(score.begin(), score.end()) - score.begin());
    if (!(score[best] > 0)) break;
    const std::size_t column = 2 * chosen.size();
    chosen.push_back(best);
    both_ways(g, best, threads, from, to);
    for (std::uint32_t v = 0; v < n; ++v) {
      std::uint16_t* cell = g.table.data() + std::size_t{v} * 2 * count + column;
      cell[0] = quantize(to[v], g.unit);
      cell[1] = quantize(from[v], g.unit);
      if (std::isfinite(from[v]) && std::isfinite(to[v])) score[v] = std::min(score[v], from[v] + to[v]);
    }
  }
  const std::size_t k = chosen.size();
  if (k < count) {
    for (std::size_t v = 0; v < n; ++v) {
      std::memmove(g.table.data() + v * 2 * k, g.table.data() + v * 2 * count, 2 * k * sizeof(std::uint16_t));
    }
    g.table.resize(2 * k * n);
    g.table.shrink_to_fit();
  }
  g.landmarks = std::move(chosen);
  g.landmarks.shrink_to_fit();
}

}  // namespace

ShortestPathIndex::ShortestPathIndex(const ArcList& a, const LandmarkOptions& landmarks)
    : impl_(std::make_unique<Impl>()) {
  assert(a.tail.size() == a.head.size() && a.head.size() == a.weight.size());
  const std::uint32_t n = a.node_count;
  build_direction(n, a.tail, a.head, a.weight, impl_->fwd);
  build_direction(n, a.head, a.tail, a.weight, impl_->bwd);
  choose_landmarks(*impl_, std::min(landmarks.count, n), std::max(landmarks.threads, 1u));
}
ShortestPathIndex::ShortestPathIndex(ArcList&& a, const LandmarkOptions& landmarks) : impl_(std::make_unique<Impl>()) {
  assert(a.tail.size() == a.head.size() && a.head.size() == a.weight.size());
  const std::uint32_t n = a.node_count;
  build_direction(n, a.tail, a.head, a.weight, impl_->fwd);
  build_direction(n, a.head, a.tail, a.weight, impl_->bwd);
  a = ArcList{};  // the arc list's memory is free before the landmark table is built
  choose_landmarks(*impl_, std::min(landmarks.count, n), std::max(landmarks.threads, 1u));
}
ShortestPathIndex::~ShortestPathIndex() = default;
ShortestPathIndex::ShortestPathIndex(ShortestPathIndex&&) noexcept = default;

std::uint32_t ShortestPathIndex::node_count() const { return impl_->fwd.node_count(); }
std::uint32_t ShortestPathIndex::arc_count() const { return impl_->fwd.arc_count(); }
std::span<const std::uint32_t> ShortestPathIndex::landmarks() const { return impl_->landmarks; }
std::size_t ShortestPathIndex::memory_bytes() const {
  const Impl& i = *impl_;
  return (i.fwd.first_out.capacity() + i.bwd.first_out.capacity()) * sizeof(std::uint32_t) +
         (i.fwd.arcs.capacity() + i.bwd.arcs.capacity()) * sizeof(WeightedArc) +
         i.landmarks.capacity() * sizeof(std::uint32_t) + i.table.capacity() * sizeof(std::uint16_t);
}

namespace {

// One direction's scratch: tentative distances valid only where the stamp
// equals the current generation, so a new query resets it in O(1). ALT keeps
// the node's potential beside its distance (computed once per query).
struct Side {
  struct Slot {
    double dist;
    std::uint32_t stamp;
    std::int32_t potential;  // ALT: pi_t - pi_s in table units
  };
  std::vector<Slot> slots;
  detail::MinHeap<Entry, EntryLess> heap;

  double top_key() const { return heap.empty() ? ShortestPathQuery::kUnreachable : heap.top().key; }
};
static_assert(sizeof(Side::Slot) == 16);

// A landmark in use by the current ALT query, with its values at the source
// and the target.
struct ActiveLandmark {
  std::uint32_t offset;  // 2 * landmark index: where its values sit in a row
  std::int32_t to_s, from_s, to_t, from_t;
};

}  // namespace

struct ShortestPathQuery::State {
  const ShortestPathIndex::Impl* index;
  Side side[2];  // 0 forward from the source, 1 backward from the target
  std::uint32_t generation = 0;
  std::uint64_t settled = 0;
  ActiveLandmark active[kActiveLandmarks];
  std::uint32_t active_count = 0;

  void next_generation();
  double dijkstra(std::uint32_t source, std::uint32_t target);
  double bidirectional(std::uint32_t source, std::uint32_t target);
  double alt(std::uint32_t source, std::uint32_t target);
  std::int32_t potential(std::uint32_t v) const;
};

ShortestPathQuery::ShortestPathQuery(const ShortestPathIndex& index) : s_(std::make_unique<State>()) {
  s_->index = &index.impl();
  for (Side& side : s_->side) side.slots.assign(index.node_count(), {0.0, 0, 0});
}
ShortestPathQuery::~ShortestPathQuery() = default;
ShortestPathQuery::ShortestPathQuery(ShortestPathQuery&&) noexcept = default;
ShortestPathQuery& ShortestPathQuery::operator=(ShortestPathQuery&&) noexcept = default;

std::uint64_t ShortestPathQuery::settled_nodes() const { return s_->settled; }

double ShortestPathQuery::distance(std::uint32_t source, std::uint32_t target, ShortestPathAlgorithm algorithm) {
  State& s = *s_;
  assert(source < s.index->fwd.node_count() && target < s.index->fwd.node_count());
  s.settled = 0;
  if (source == target) return 0;
  s.next_generation();
  switch (algorithm) {
    case ShortestPathAlgorithm::dijkstra:
      return s.dijkstra(source, target);
    case ShortestPathAlgorithm::bidirectional_dijkstra:
      return s.bidirectional(source, target);
    case ShortestPathAlgorithm::alt:
      return s.alt(source, target);
  }
  return kUnreachable;
}

void ShortestPathQuery::State::next_generation() {
  if (++generation == 0) {  // wrapped after 2^32 queries: clear the stamps once
    for (Side& sd : side) {
      for (auto& slot : sd.slots) slot.stamp = 0;
    }
    generation = 1;
  }
}

double ShortestPathQuery::State::dijkstra(std::uint32_t source, std::uint32_t target) {
  const std::uint32_t gen = generation;
  Side& here = side[0];
  const auto& g = index->fwd;
  const WeightedArc* arcs = g.arcs.data();
  here.heap.clear();
  here.slots[source] = {0.0, gen, 0};
  here.heap.push({0.0, source});
  while (!here.heap.empty()) {
    const Entry e = here.heap.top();
    here.heap.pop();
    if (e.key > here.slots[e.node].dist) continue;
    ++settled;
    if (e.node == target) return e.key;
    for (std::uint32_t a = g.begin(e.node), end = g.end(e.node); a < end; ++a) {
      const std::uint32_t v = arcs[a].head;
      const double nd = e.key + arcs[a].weight;
      Side::Slot& slot = here.slots[v];
      if (slot.stamp == gen && slot.dist <= nd) continue;
      slot = {nd, gen, 0};
      here.heap.push({nd, v});
    }
  }
  return kUnreachable;
}

double ShortestPathQuery::State::bidirectional(std::uint32_t source, std::uint32_t target) {
  const std::uint32_t gen = generation;
  const detail::CsrGraph<WeightedArc>* graph[2] = {&index->fwd, &index->bwd};
  const std::uint32_t start[2] = {source, target};
  for (int d = 0; d < 2; ++d) {
    Side& sd = side[d];
    sd.heap.clear();
    sd.slots[start[d]] = {0.0, gen, 0};
    sd.heap.push({0.0, start[d]});
  }
  double best = kUnreachable;
  while (true) {
    const double kf = side[0].top_key(), kb = side[1].top_key();
    // Any path not yet seen is at least as long as the two smallest keys.
    if (kf + kb >= best || std::isinf(kf) || std::isinf(kb)) break;
    const int d = kf <= kb ? 0 : 1;
    Side& here = side[d];
    const Side& there = side[1 - d];
    const Entry e = here.heap.top();
    here.heap.pop();
    if (e.key > here.slots[e.node].dist) continue;  // stale: improved after it was pushed
    ++settled;
    const auto& g = *graph[d];
    const WeightedArc* arcs = g.arcs.data();
    for (std::uint32_t a = g.begin(e.node), end = g.end(e.node); a < end; ++a) {
      const std::uint32_t v = arcs[a].head;
      const double nd = e.key + arcs[a].weight;
      Side::Slot& slot = here.slots[v];
      if (slot.stamp == gen && slot.dist <= nd) continue;
      slot = {nd, gen, 0};
      here.heap.push({nd, v});
      const Side::Slot& other = there.slots[v];
      if (other.stamp == gen && nd + other.dist < best) best = nd + other.dist;
    }
  }
  return best;
}

// pi_t(v) - pi_s(v) in table units, where pi_t(v) <= d(v, t) and
// pi_s(v) <= d(s, v) (each up to one unit of rounding) are the landmark
// bounds: d(v, L) - d(t, L) and d(L, t) - d(L, v) for pi_t, and
// d(s, L) - d(v, L) and d(L, v) - d(L, s) for pi_s, at least 0.
std::int32_t ShortestPathQuery::State::potential(std::uint32_t v) const {
  const std::uint16_t* row = index->row(v);
  std::int32_t pi_t = 0, pi_s = 0;
  for (std::uint32_t i = 0; i < active_count; ++i) {
    const ActiveLandmark& l = active[i];
    const std::int32_t to = row[l.offset], from = row[l.offset + 1];
    pi_t = std::max({pi_t, to - l.to_t, l.from_t - from});
    pi_s = std::max({pi_s, l.to_s - to, from - l.from_s});
  }
  return pi_t - pi_s;
}

// Bidirectional A* with the average potential p(v) = (pi_t(v) - pi_s(v)) / 2:
// the forward search keys a node by d(s, v) + p(v), the backward one by
// d(v, t) - p(v). With a consistent potential this is bidirectional Dijkstra
// on reduced arc lengths, and it may stop once the two smallest keys reach the
// best path seen. The table's rounding can make p(a) - p(b) exceed d(a, b)
// by up to one unit for nodes a before b on a shortest path; so nodes are
// re-opened when their distance improves (the relaxation below does that),
// and the search stops only when the keys reach best + `slack`, which keeps
// the answer exact.
double ShortestPathQuery::State::alt(std::uint32_t source, std::uint32_t target) {
  const ShortestPathIndex::Impl& idx = *index;
  const std::uint32_t k = static_cast<std::uint32_t>(idx.landmarks.size());
  // Keep the landmarks with the best lower bound for d(source, target) among
  // those that reach and are reached by both ends.
  active_count = 0;
  std::int32_t bound[kActiveLandmarks];
  const std::uint16_t *row_s = k ? idx.row(source) : nullptr, *row_t = k ? idx.row(target) : nullptr;
  for (std::uint32_t i = 0; i < k; ++i) {
    const ActiveLandmark l{2 * i, row_s[2 * i], row_s[2 * i + 1], row_t[2 * i], row_t[2 * i + 1]};
    if (l.to_s == kNoPath || l.from_s == kNoPath || l.to_t == kNoPath || l.from_t == kNoPath) continue;
    const std::int32_t b = std::max(l.to_s - l.to_t, l.from_t - l.from_s);
    std::uint32_t pos = active_count < kActiveLandmarks ? active_count++ : kActiveLandmarks;
    while (pos > 0 && bound[pos - 1] < b) {  // insertion into the kept few, best first
      if (pos < kActiveLandmarks) {
        bound[pos] = bound[pos - 1];
        active[pos] = active[pos - 1];
      }
      --pos;
    }
    if (pos < kActiveLandmarks) {
      bound[pos] = b;
      active[pos] = l;
    }
  }
  if (active_count == 0) return bidirectional(source, target);

  const double half_unit = idx.unit / 2;
  const double slack = 2 * idx.unit;
  const std::uint32_t gen = generation;
  const detail::CsrGraph<WeightedArc>* graph[2] = {&idx.fwd, &idx.bwd};
  const std::uint32_t start[2] = {source, target};
  // Forward keys add p, backward keys subtract it.
  const auto key = [half_unit](int d, double dist, std::int32_t p) {
    const double pot = static_cast<double>(p) * half_unit;
    return d == 0 ? dist + pot : dist - pot;
  };
  for (int d = 0; d < 2; ++d) {
    Side& sd = side[d];
    sd.heap.clear();
    const std::int32_t p = potential(start[d]);
    sd.slots[start[d]] = {0.0, gen, p};
    sd.heap.push({key(d, 0.0, p), start[d]});
  }
  double best = kUnreachable;
  while (true) {
    const double kf = side[0].top_key(), kb = side[1].top_key();
    if (std::isinf(kf) || std::isinf(kb) || kf + kb >= best + slack) break;
    const int d = kf <= kb ? 0 : 1;
    Side& here = side[d];
    const Side& there = side[1 - d];
    const Entry e = here.heap.top();
    here.heap.pop();
    const Side::Slot& u = here.slots[e.node];
    if (e.key > key(d, u.dist, u.potential)) continue;  // stale
    ++settled;
    const double du = u.dist;
    const auto& g = *graph[d];
    const WeightedArc* arcs = g.arcs.data();
    for (std::uint32_t a = g.begin(e.node), end = g.end(e.node); a < end; ++a) {
      const std::uint32_t v = arcs[a].head;
      const double nd = du + arcs[a].weight;
      Side::Slot& slot = here.slots[v];
      std::int32_t p;
      if (slot.stamp == gen) {
        if (slot.dist <= nd) continue;
        p = slot.potential;
      } else {
        p = potential(v);
      }
      slot = {nd, gen, p};
      here.heap.push({key(d, nd, p), v});
      const Side::Slot& other = there.slots[v];
      if (other.stamp == gen && nd + other.dist < best) best = nd + other.dist;
    }
  }
  return best;
}

}  // namespace caravan
