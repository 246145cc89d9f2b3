// Ranks as threads of one process: SweepTransport over in-memory queues.
#include <condition_variable>
#include <deque>
#include <mutex>

#include "caravan/sweep.h"

namespace caravan {
namespace {

// What the ranks share: an inbox each and the slots of gather().
struct Hub {
  explicit Hub(int ranks) : inbox(static_cast<std::size_t>(ranks)), said(static_cast<std::size_t>(ranks)) {}
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::deque<SweepTransport::Message>> inbox;  // rank -> messages to it, in arrival order
  std::vector<RankReadiness> said;
  int arrived = 0;
};

class LocalTransport final : public SweepTransport {
 public:
  LocalTransport(std::shared_ptr<Hub> hub, int rank) : hub_(std::move(hub)), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(hub_->inbox.size()); }

  void send(int to, std::string_view bytes) override {
    std::lock_guard<std::mutex> lock(hub_->mu);
    hub_->inbox[static_cast<std::size_t>(to)].push_back({rank_, std::string(bytes)});
    hub_->cv.notify_all();
  }

  std::optional<Message> receive(int from, std::chrono::microseconds wait) override {
    std::unique_lock<std::mutex> lock(hub_->mu);
    auto& box = hub_->inbox[static_cast<std::size_t>(rank_)];
    std::optional<Message> got;
    auto take = [&] {
      for (auto it = box.begin(); it != box.end(); ++it) {
        if (from != kAnyRank && it->from != from) continue;
        got = std::move(*it);
        box.erase(it);
        return true;
      }
      return false;
    };
    hub_->cv.wait_for(lock, wait, take);
    return got;
  }

  std::vector<RankReadiness> gather(const RankReadiness& mine) override {
    std::unique_lock<std::mutex> lock(hub_->mu);
    hub_->said[static_cast<std::size_t>(rank_)] = mine;
    ++hub_->arrived;
    hub_->cv.notify_all();
    hub_->cv.wait(lock, [&] { return hub_->arrived == size(); });
    return hub_->said;
  }

 private:
  std::shared_ptr<Hub> hub_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<SweepTransport>> in_process_transports(int ranks) {
  auto hub = std::make_shared<Hub>(ranks);
  std::vector<std::unique_ptr<SweepTransport>> out;
  for (int r = 0; r < ranks; ++r) out.push_back(std::make_unique<LocalTransport>(hub, r));
  return out;
}

}  // namespace caravan
