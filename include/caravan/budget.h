// caravan/budget.h — how much work one request may do.
//
// A Budget bounds a planner search, a Monte Carlo replay and a simulation:
// the number of search labels (memory grows with them), a steady-clock
// deadline and an optional cancel flag that another thread may set. The loops
// check it as they go and stop with an Error the front ends can map:
//   kOverBudget  the label limit was reached: the request asks too much (HTTP 422);
//   kDeadline    the deadline passed or the flag was set: try again later (HTTP 503).
// A default Budget allows 20 million labels, has no deadline and no flag.
//
// Thread safety: a Budget is a plain value; the flag it points to must
// outlive the work and may be set from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "caravan/error.h"

namespace caravan {

struct Budget {
  std::uint64_t max_labels = 20'000'000;  ///< labels a planner search may create
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* cancel = nullptr;  ///< stop when it becomes true; may be null

  /// A budget that ends `d` from now.
  static Budget within(std::chrono::steady_clock::duration d) {
    Budget b;
    b.deadline = std::chrono::steady_clock::now() + d;
    return b;
  }

  /// kDeadline when the deadline has passed or the flag is set; ok otherwise.
  /// Reads the clock: call it every few hundred steps, not every step.
  Status check_time() const {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed))
      return Error{ErrorCode::kDeadline, "the request was cancelled", {}, 0, {}};
    if (deadline && std::chrono::steady_clock::now() >= *deadline) {
      return Error{ErrorCode::kDeadline,
                   "the request ran past its deadline (expected less work: fewer places, samples or options)",
                   {},
                   0,
                   {}};
    }
    return {};
  }
};

}  // namespace caravan
