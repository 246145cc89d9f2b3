#include "admission.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace caravan::server {

std::optional<HeavyGate::Slot> HeavyGate::try_enter() {
  unsigned n = running_.load();
  do {
    if (n >= max_) return std::nullopt;
  } while (!running_.compare_exchange_weak(n, n + 1));
  return Slot(this);
}

std::string client_key(std::string_view ip) {
  unsigned char a[16];
  std::string text(ip);
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), a) != 1) return text;
  // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) is that IPv4 address.
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(a, a + 12, kMapped)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, a + 12, v4, sizeof v4) ? std::string(v4) : text;
  }
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", a[0], a[1], a[2], a[3], a[4], a[5],
                a[6], a[7]);
  return prefix;
}

AuthThrottle::Clock::duration AuthThrottle::wait(const std::string& client, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find(client);
  if (it == records_.end() || it->second.blocked_until <= now) return Clock::duration::zero();
  return it->second.blocked_until - now;
}

void AuthThrottle::failed(const std::string& client, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find(client);
  if (it != records_.end() && now - it->second.last_failure > policy_.forget_after) {
    by_age_.erase(it->second.age);
    records_.erase(it);
    it = records_.end();
  }
  if (it == records_.end()) {
    if (records_.size() >= policy_.max_clients && !by_age_.empty()) {
      records_.erase(by_age_.back());
      by_age_.pop_back();
    }
    by_age_.push_front(client);
    it = records_.emplace(client, Record{}).first;
    it->second.age = by_age_.begin();
  } else {
    by_age_.splice(by_age_.begin(), by_age_, it->second.age);
  }
  Record& r = it->second;
  r.failures += 1;
  r.last_failure = now;
  if (r.failures > policy_.free_failures) {
    Clock::duration wait = policy_.first_wait;
    for (unsigned i = policy_.free_failures + 1; i < r.failures && wait < policy_.max_wait; ++i) wait *= 2;
    r.blocked_until = now + std::min(wait, policy_.max_wait);
  }
}

void AuthThrottle::succeeded(const std::string& client) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find(client);
  if (it == records_.end()) return;
  by_age_.erase(it->second.age);
  records_.erase(it);
}

}  // namespace caravan::server
