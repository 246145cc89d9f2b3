// Internal: the server's admission limits.
//
// HeavyGate bounds how many expensive requests (a matrix, a comparison, a
// route with a Monte Carlo, a simulation) run at once; past it the server
// answers 429 with Retry-After at once instead of queueing work it cannot
// finish soon. AuthThrottle makes a client that keeps sending wrong tokens
// wait, doubling the wait after each further failure, so a token cannot be
// guessed at network speed (the comparison itself stays constant-time).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace caravan::server {

class HeavyGate {
 public:
  /// At most `max` (at least 1) holders of a Slot at a time.
  explicit HeavyGate(unsigned max) : max_(max == 0 ? 1 : max) {}

  /// Held while a heavy request runs; gives its place back when destroyed.
  class Slot {
   public:
    explicit Slot(HeavyGate* gate) : gate_(gate) {}
    Slot(Slot&& o) noexcept : gate_(std::exchange(o.gate_, nullptr)) {}
    Slot& operator=(Slot&& o) noexcept {
      if (this != &o) {
        release();
        gate_ = std::exchange(o.gate_, nullptr);
      }
      return *this;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }

   private:
    void release() {
      if (gate_ != nullptr) gate_->running_.fetch_sub(1);
      gate_ = nullptr;
    }
    HeavyGate* gate_;
  };

  /// A slot, or nothing when `max` heavy requests are running already.
  std::optional<Slot> try_enter();
  unsigned max() const { return max_; }

 private:
  const unsigned max_;
  std::atomic<unsigned> running_{0};
};

/// The part of a client address that identifies one client: an IPv4
/// address as is, an IPv6 address by its /64 prefix (one host may hold all
/// the addresses of a /64).
std::string client_key(std::string_view ip);

class AuthThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Policy {
    unsigned free_failures = 5;                            ///< wrong tokens before the first wait
    Clock::duration first_wait = std::chrono::seconds(1);  ///< doubled per further failure
    Clock::duration max_wait = std::chrono::minutes(5);
    Clock::duration forget_after = std::chrono::minutes(15);  ///< quiet time that clears a record
    std::size_t max_clients = 10000;                          ///< records kept; the oldest dropped first
  };

  explicit AuthThrottle(Policy p) : policy_(p) {}

  /// How long `client` (a client_key) must wait before a token it sends is
  /// looked at; zero when it may try now.
  Clock::duration wait(const std::string& client, Clock::time_point now);
  /// A wrong or missing token from `client` at `now`.
  void failed(const std::string& client, Clock::time_point now);
  /// The right token: the client's record is cleared.
  void succeeded(const std::string& client);

 private:
  struct Record {
    unsigned failures = 0;
    Clock::time_point last_failure, blocked_until;
    std::list<std::string>::iterator age;  // position in `by_age_`
  };
  Policy policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  std::list<std::string> by_age_;  // client keys, most recent failure first
};

}  // namespace caravan::server
