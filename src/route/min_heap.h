// Internal: the priority queue of every search in caravan — the planner's
// label queue and the shortest-path queries.
//
// A 4-ary min-heap in one flat vector, with lazy deletion (a search pushes a
// node again when its key improves and skips stale entries when popped) in
// place of decrease-key: no position index to keep per node, so nothing of
// size n to reset between queries. A 4-ary heap is half as deep as a binary
// one and its four children sit side by side in memory. clear() keeps the
// memory, so a query object that reuses its heap allocates nothing in steady
// state.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace caravan::detail {

/// `Less(a, b)` true when a comes out first. Not thread-safe; one per query object.
template <typename T, typename Less = std::less<T>>
class MinHeap {
 public:
  static constexpr std::size_t kArity = 4;

  MinHeap() = default;
  /// With a comparator that carries state (e.g. the labels it compares by).
  explicit MinHeap(Less less) : less_(std::move(less)) {}

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const T& top() const { return items_.front(); }
  void clear() { items_.clear(); }
  void reserve(std::size_t n) { items_.reserve(n); }

  void push(const T& item) {
    std::size_t i = items_.size();
    items_.push_back(item);
    while (i > 0) {
      std::size_t parent = (i - 1) / kArity;
      if (!less_(item, items_[parent])) break;
      items_[i] = std::move(items_[parent]);
      i = parent;
    }
    items_[i] = item;
  }

  void pop() {
    T last = std::move(items_.back());
    items_.pop_back();
    const std::size_t n = items_.size();
    if (n == 0) return;
    std::size_t i = 0;
    while (true) {
      std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t stop = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < stop; ++c) {
        if (less_(items_[c], items_[best])) best = c;
      }
      if (!less_(items_[best], last)) break;
      items_[i] = std::move(items_[best]);
      i = best;
    }
    items_[i] = std::move(last);
  }

 private:
  std::vector<T> items_;
  [[no_unique_address]] Less less_;
};

}  // namespace caravan::detail
