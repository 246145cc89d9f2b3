// caravan/shortest_path.h — exact point-to-point shortest paths on a plain
// directed graph with non-negative weights.
//
// This is the planner's search core (the same adjacency-array graph and the
// same priority queue, src/route/csr.h and min_heap.h) specialised to one
// criterion and no timetable, so it can be compared with other shortest-path
// libraries on neutral input (`caravan bench sssp`, docs/performance.md).
// Three exact algorithms answer a query (ShortestPathAlgorithm):
//
//  * dijkstra: one search from the source, stopped when the target is settled.
//  * bidirectional_dijkstra: a forward search from the source and a backward
//    one from the target, alternating by the smaller queue key, stopped when
//    the two keys together reach the best path seen; on road-like graphs it
//    settles about half the nodes a one-sided search does.
//  * alt (the default): bidirectional A* with landmarks and the triangle
//    inequality (Goldberg & Harrelson). The index stores, for K landmark nodes,
//    every node's distance to and from each landmark; |d(L,t) - d(L,v)| and
//    |d(v,L) - d(t,L)| bound d(v,t) from below, which steers both searches
//    towards each other. On the 1,000,000-node road graph it settles 27 times
//    fewer nodes than bidirectional Dijkstra (docs/adr/0310).
//
// Exactness: landmark distances are stored as 16-bit fixed-point numbers
// (one unit per index, rounded to nearest). The rounding makes the potential
// inconsistent by at most one unit; the search re-opens nodes whose distance
// improves and stops only when the two queue keys exceed the best path by
// that bound, so the answer is the same shortest distance the other two
// algorithms find (up to the last bits of floating-point sums along different
// paths of equal length).
//
// The same split as the planner's: ShortestPathIndex is built once and
// immutable (share it between threads); ShortestPathQuery is per-thread
// scratch, reset in O(1) between queries by a generation stamp, and allocates
// nothing once its buffers have grown.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>

#include "caravan/arc_list.h"

namespace caravan {

enum class ShortestPathAlgorithm { dijkstra, bidirectional_dijkstra, alt };

/// Landmark preprocessing for ALT.
struct LandmarkOptions {
  /// Landmarks to choose (0: none, and alt then runs bidirectional Dijkstra).
  /// Each costs 4 bytes per node and two full one-to-all searches to build.
  std::uint32_t count = 0;
  /// Threads for the one-to-all searches (the two directions of a landmark
  /// run side by side); 1 builds on the calling thread.
  unsigned threads = 1;
};

/// The forward and backward adjacency arrays of a graph, and the landmark
/// table. Memory: 4 bytes per node and 12 bytes per arc in each direction,
/// plus 4 bytes per node and landmark.
class ShortestPathIndex {
 public:
  /// Builds from `arcs` (any order, parallel arcs and loops allowed). Weights
  /// must be finite and >= 0, ids < arcs.node_count (as parse_arc_list_csv
  /// guarantees; asserted). Landmarks are chosen by the farthest heuristic:
  /// starting from the node of highest degree, each next landmark is the node
  /// farthest (distance to plus distance from) from the start and the
  /// landmarks chosen so far, among the nodes the start reaches both ways —
  /// fewer than asked when that component has too few nodes at a positive
  /// round trip. Nodes outside it get weaker bounds (or none: alt then runs
  /// bidirectional Dijkstra for that query). Both directions of a landmark
  /// are one full one-to-all search each.
  explicit ShortestPathIndex(const ArcList& arcs, const LandmarkOptions& landmarks = {});
  /// The same, taking the arc list and freeing its arrays once the adjacency
  /// arrays are built, before the landmark table grows: a lower peak memory.
  explicit ShortestPathIndex(ArcList&& arcs, const LandmarkOptions& landmarks = {});
  ~ShortestPathIndex();
  ShortestPathIndex(const ShortestPathIndex&) = delete;
  ShortestPathIndex& operator=(const ShortestPathIndex&) = delete;
  ShortestPathIndex(ShortestPathIndex&&) noexcept;

  std::uint32_t node_count() const;
  std::uint32_t arc_count() const;
  /// The landmark nodes, in the order chosen.
  std::span<const std::uint32_t> landmarks() const;
  /// Bytes held by the index's arrays (graph and landmark table).
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
  /// Landmarks an alt query uses: those with the best lower bound for its
  /// source and target, out of the index's (more would cost more per node
  /// than they save in nodes settled; docs/performance.md).
  static constexpr std::uint32_t kActiveLandmarks = 4;

  explicit ShortestPathQuery(const ShortestPathIndex& index);
  ~ShortestPathQuery();
  ShortestPathQuery(ShortestPathQuery&&) noexcept;
  ShortestPathQuery& operator=(ShortestPathQuery&&) noexcept;
  ShortestPathQuery(const ShortestPathQuery&) = delete;
  ShortestPathQuery& operator=(const ShortestPathQuery&) = delete;

  /// Length of a shortest path from `source` to `target` (both < node_count),
  /// 0 when they are equal, kUnreachable when there is none. Every algorithm
  /// gives the same answer; they differ in the nodes they settle.
  double distance(std::uint32_t source, std::uint32_t target,
                  ShortestPathAlgorithm algorithm = ShortestPathAlgorithm::alt);

  /// Nodes settled by the last distance() call, both directions together
  /// (a node settled again after its distance improved counts again).
  std::uint64_t settled_nodes() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace caravan
