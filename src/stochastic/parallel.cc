#include "caravan/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace caravan {

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

unsigned threads_for(std::size_t n, unsigned threads, std::size_t block) {
  if (threads == 0) threads = default_threads();
  std::size_t blocks = (n + block - 1) / std::max<std::size_t>(block, 1);
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, blocks)));
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t, unsigned)>& fn,
                  std::size_t block) {
  if (n == 0) return;
  block = std::max<std::size_t>(block, 1);
  const unsigned t = threads_for(n, threads, block);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mu;
  std::atomic<bool> stop{false};
  auto work = [&](unsigned worker) {
    try {
      for (;;) {
        if (stop.load(std::memory_order_relaxed)) return;
        std::size_t begin = next.fetch_add(block, std::memory_order_relaxed);
        if (begin >= n) return;
        std::size_t end = std::min(n, begin + block);
        for (std::size_t i = begin; i < end; ++i) fn(i, worker);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  if (t == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(t - 1);
    for (unsigned w = 1; w < t; ++w) pool.emplace_back(work, w);
    work(0);
  }  // jthreads join here
  if (failure) std::rethrow_exception(failure);
}

}  // namespace caravan
