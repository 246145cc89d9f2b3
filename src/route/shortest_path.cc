// Bidirectional Dijkstra on the shared CSR graph with the shared 4-ary heap.
#include "caravan/shortest_path.h"

#include <cassert>
#include <cmath>
#include <span>
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

}  // namespace

// The forward graph, and the backward one (arcs reversed) for the search from
// the target.
struct ShortestPathIndex::Impl {
  detail::CsrGraph<WeightedArc> fwd, bwd;
};

namespace {

void build_direction(std::uint32_t n, std::span<const std::uint32_t> from, std::span<const std::uint32_t> to,
                     std::span<const double> weight, detail::CsrGraph<WeightedArc>& g) {
  std::vector<std::uint32_t> order = detail::csr_order(n, from, g.first_out);
  g.arcs.resize(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) g.arcs[k] = {to[order[k]], weight[order[k]]};
}

}  // namespace

ShortestPathIndex::ShortestPathIndex(const ArcList& a) : impl_(std::make_unique<Impl>()) {
  assert(a.tail.size() == a.head.size() && a.head.size() == a.weight.size());
  const std::uint32_t n = a.node_count;
  build_direction(n, a.tail, a.head, a.weight, impl_->fwd);
  build_direction(n, a.head, a.tail, a.weight, impl_->bwd);
}
ShortestPathIndex::~ShortestPathIndex() = default;
ShortestPathIndex::ShortestPathIndex(ShortestPathIndex&&) noexcept = default;

std::uint32_t ShortestPathIndex::node_count() const { return impl_->fwd.node_count(); }
std::uint32_t ShortestPathIndex::arc_count() const { return impl_->fwd.arc_count(); }
std::size_t ShortestPathIndex::memory_bytes() const {
  const Impl& i = *impl_;
  return (i.fwd.first_out.capacity() + i.bwd.first_out.capacity()) * sizeof(std::uint32_t) +
         (i.fwd.arcs.capacity() + i.bwd.arcs.capacity()) * sizeof(WeightedArc);
}

namespace {

struct Entry {
  double key;
  std::uint32_t node;
};
struct EntryLess {
  bool operator()(const Entry& a, const Entry& b) const { return a.key < b.key; }
};

// One direction's scratch: tentative distances valid only where the stamp
// equals the current generation, so a new query resets it in O(1).
struct Side {
  struct Slot {
    double dist;
    std::uint32_t stamp;
  };
  std::vector<Slot> slots;
  detail::MinHeap<Entry, EntryLess> heap;

  double top_key() const { return heap.empty() ? ShortestPathQuery::kUnreachable : heap.top().key; }
};

}  // namespace

struct ShortestPathQuery::State {
  const ShortestPathIndex::Impl* index;
  Side side[2];  // 0 forward from the source, 1 backward from the target
  std::uint32_t generation = 0;
  std::uint64_t settled = 0;
};

ShortestPathQuery::ShortestPathQuery(const ShortestPathIndex& index) : s_(std::make_unique<State>()) {
  s_->index = &index.impl();
  for (Side& side : s_->side) side.slots.assign(index.node_count(), {0.0, 0});
}
ShortestPathQuery::~ShortestPathQuery() = default;
ShortestPathQuery::ShortestPathQuery(ShortestPathQuery&&) noexcept = default;
ShortestPathQuery& ShortestPathQuery::operator=(ShortestPathQuery&&) noexcept = default;

std::uint64_t ShortestPathQuery::settled_nodes() const { return s_->settled; }

double ShortestPathQuery::distance(std::uint32_t source, std::uint32_t target) {
  State& s = *s_;
  const auto& idx = *s.index;
  assert(source < idx.fwd.node_count() && target < idx.fwd.node_count());
  s.settled = 0;
  if (source == target) return 0;
  if (++s.generation == 0) {  // wrapped after 2^32 queries: clear the stamps once
    for (Side& side : s.side) {
      for (auto& slot : side.slots) slot.stamp = 0;
    }
    s.generation = 1;
  }
  const std::uint32_t gen = s.generation;
  const detail::CsrGraph<WeightedArc>* graph[2] = {&idx.fwd, &idx.bwd};
  const std::uint32_t start[2] = {source, target};
  for (int d = 0; d < 2; ++d) {
    Side& side = s.side[d];
    side.heap.clear();
    side.slots[start[d]] = {0.0, gen};
    side.heap.push({0.0, start[d]});
  }
  double best = kUnreachable;
  while (true) {
    const double kf = s.side[0].top_key(), kb = s.side[1].top_key();
    // Any path not yet seen is at least as long as the two smallest keys.
    if (kf + kb >= best || std::isinf(kf) || std::isinf(kb)) break;
    const int d = kf <= kb ? 0 : 1;
    Side& here = s.side[d];
    const Side& there = s.side[1 - d];
    const Entry e = here.heap.top();
    here.heap.pop();
    if (e.key > here.slots[e.node].dist) continue;  // stale: improved after it was pushed
    ++s.settled;
    const auto& g = *graph[d];
    const WeightedArc* arcs = g.arcs.data();
    for (std::uint32_t a = g.begin(e.node), end = g.end(e.node); a < end; ++a) {
      const std::uint32_t v = arcs[a].head;
      const double nd = e.key + arcs[a].weight;
      Side::Slot& slot = here.slots[v];
      if (slot.stamp == gen && slot.dist <= nd) continue;
      slot = {nd, gen};
      here.heap.push({nd, v});
      const Side::Slot& other = there.slots[v];
      if (other.stamp == gen && nd + other.dist < best) best = nd + other.dist;
    }
  }
  return best;
}

}  // namespace caravan
