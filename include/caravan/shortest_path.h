// caravan/shortest_path.h — exact point-to-point shortest paths on a plain
// directed graph with non-negative weights.
//
// This is the planner's search core (the same adjacency-array graph and the
// same priority queue, src/route/csr.h and min_heap.h) specialised to one
// criterion and no timetable, so it can be compared with other shortest-path
// libraries on neutral input (`caravan bench sssp`, docs/performance.md).
// A query runs a bidirectional Dijkstra: a forward search from the source and
// a backward one from the target, alternating by the smaller queue key, and
// stops when the two keys together reach the best path seen — exact, and on
// road-like graphs it settles about half the nodes a one-sided search does.
//
// The same split as the planner's: ShortestPathIndex is built once and
// immutable (share it between threads); ShortestPathQuery is per-thread
// scratch, reset in O(1) between queries by a generation stamp, and allocates
// nothing once its buffers have grown.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "caravan/arc_list.h"

namespace caravan {

/// The forward and backward adjacency arrays of a graph. Memory: 4 bytes per
/// node and 12 bytes per arc in each direction.
class ShortestPathIndex {
 public:
  /// Builds from `arcs` (any order, parallel arcs and loops allowed). Weights
  /// must be finite and >= 0, ids < arcs.node_count (as parse_arc_list_csv
  /// guarantees; asserted).
  explicit ShortestPathIndex(const ArcList& arcs);
  ~ShortestPathIndex();
  ShortestPathIndex(const ShortestPathIndex&) = delete;
  ShortestPathIndex& operator=(const ShortestPathIndex&) = delete;
  ShortestPathIndex(ShortestPathIndex&&) noexcept;

  std::uint32_t node_count() const;
  std::uint32_t arc_count() const;
  /// Bytes held by the index's arrays.
  std::size_t memory_bytes() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// Per-thread query object. The index must outlive it. Move-only.
class ShortestPathQuery {
 public:
  static constexpr double kUnreachable = std::numeric_limits<double>::infinity();

  explicit ShortestPathQuery(const ShortestPathIndex& index);
  ~ShortestPathQuery();
  ShortestPathQuery(ShortestPathQuery&&) noexcept;
  ShortestPathQuery& operator=(ShortestPathQuery&&) noexcept;
  ShortestPathQuery(const ShortestPathQuery&) = delete;
  ShortestPathQuery& operator=(const ShortestPathQuery&) = delete;

  /// Length of a shortest path from `source` to `target` (both < node_count),
  /// 0 when they are equal, kUnreachable when there is none.
  double distance(std::uint32_t source, std::uint32_t target);

  /// Nodes settled by the last distance() call, both directions together.
  std::uint64_t settled_nodes() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace caravan
