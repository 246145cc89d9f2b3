// Internal: the adjacency array (CSR) every search graph of caravan is stored
// in — the planner's RouteIndex and the plain shortest-path index alike.
//
// Node u's arcs are arcs[first_out[u] .. first_out[u + 1]); ids are dense
// 32-bit. Arc attributes are whatever `Arc` holds: the planner keeps one
// record per arc, the shortest-path index keeps the head here and the weight
// in a parallel array (structure of arrays), so a relaxation touches 12 bytes.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

namespace caravan::detail {

template <typename Arc>
struct CsrGraph {
  std::vector<std::uint32_t> first_out;  // node -> first arc; size n + 1 (empty graph: {0})
  std::vector<Arc> arcs;                 // arc -> data, grouped by tail node

  std::uint32_t node_count() const { return first_out.empty() ? 0 : static_cast<std::uint32_t>(first_out.size() - 1); }
  std::uint32_t arc_count() const { return static_cast<std::uint32_t>(arcs.size()); }
  std::uint32_t begin(std::uint32_t u) const { return first_out[u]; }
  std::uint32_t end(std::uint32_t u) const { return first_out[u + 1]; }
};

/// The permutation that groups arcs by tail, stable within a tail (counting
/// sort, O(n + m)): order[k] is the input position of the k-th arc in CSR
/// order. Fills `first_out` (size n + 1). Every tail must be < n.
inline std::vector<std::uint32_t> csr_order(std::uint32_t n, std::span<const std::uint32_t> tails,
                                            std::vector<std::uint32_t>& first_out) {
  first_out.assign(static_cast<std::size_t>(n) + 1, 0);
  for (std::uint32_t t : tails) {
    assert(t < n);
    ++first_out[t + 1];
  }
  for (std::uint32_t u = 0; u < n; ++u) first_out[u + 1] += first_out[u];
  std::vector<std::uint32_t> next(first_out.begin(), first_out.end() - 1);
  std::vector<std::uint32_t> order(tails.size());
  for (std::uint32_t i = 0; i < tails.size(); ++i) order[next[tails[i]]++] = i;
  return order;
}

/// Builds a CsrGraph from arcs listed in any order with their tails.
template <typename Arc>
CsrGraph<Arc> build_csr(std::uint32_t n, std::span<const std::uint32_t> tails, std::span<const Arc> arcs) {
  assert(tails.size() == arcs.size());
  CsrGraph<Arc> g;
  std::vector<std::uint32_t> order = csr_order(n, tails, g.first_out);
  g.arcs.reserve(arcs.size());
  for (std::uint32_t i : order) g.arcs.push_back(arcs[i]);
  return g;
}

}  // namespace caravan::detail
