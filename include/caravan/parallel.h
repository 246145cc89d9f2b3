// caravan/parallel.h — running independent work items on a pool of threads.
//
// A small std::jthread fork-join: items 0..n-1 are handed out in blocks from
// an atomic counter. Callers write each item's result into its own slot, so
// results never depend on which thread ran an item or how many there were.
//
// Thread safety: `fn` is called concurrently from several threads; it must
// only touch shared state that is read-only or per item.
#pragma once

#include <cstddef>
#include <functional>

namespace caravan {

/// The number of threads to use when the caller says 0: the hardware's
/// concurrency, at least 1.
unsigned default_threads();

/// Calls fn(i, worker) for every i in [0, n), on `threads` threads (0 = default),
/// `worker` in [0, threads) naming the thread so callers can keep per-thread
/// scratch. Items are claimed in blocks of `block`. Returns when all are done.
/// An exception thrown by fn is rethrown here after all threads stop.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t i, unsigned worker)>& fn,
                  std::size_t block = 64);

/// The number of threads parallel_for will really start for n items.
unsigned threads_for(std::size_t n, unsigned threads, std::size_t block = 64);

}  // namespace caravan
