// The admission limits on their own: the heavy-request gate, the token
// back-off (on a clock the test moves) and what counts as one client.
#include "admission.h"

#include <gtest/gtest.h>

namespace caravan::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = AuthThrottle::Clock;

TEST(HeavyGate, LetsInAtMostMaxAndTakesBackWhatIsReleased) {
  HeavyGate gate(2);
  auto a = gate.try_enter();
  auto b = gate.try_enter();
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(gate.try_enter());
  a.reset();
  auto c = gate.try_enter();
  EXPECT_TRUE(c);
  EXPECT_FALSE(gate.try_enter());
  HeavyGate zero(0);  // taken as 1: a server that runs nothing heavy is no use
  EXPECT_TRUE(zero.try_enter());
}

TEST(HeavyGate, AMovedSlotIsReleasedOnce) {
  HeavyGate gate(1);
  std::optional<HeavyGate::Slot> held = gate.try_enter();
  std::optional<HeavyGate::Slot> moved = std::move(held);
  held.reset();
  EXPECT_FALSE(gate.try_enter());
  moved.reset();
  EXPECT_TRUE(gate.try_enter());
}

AuthThrottle::Policy policy() {
  AuthThrottle::Policy p;
  p.free_failures = 3;
  p.first_wait = seconds(1);
  p.max_wait = seconds(8);
  p.forget_after = seconds(60);
  p.max_clients = 3;
  return p;
}

TEST(AuthThrottle, WaitStartsAfterTheFreeFailuresAndDoubles) {
  AuthThrottle t(policy());
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.wait("a", t0), Clock::duration::zero());
    t.failed("a", t0);
  }
  EXPECT_EQ(t.wait("a", t0), Clock::duration::zero());
  // 4th failure: 1 s; each later one (made once the wait is over) doubles it, up to 8 s.
  Clock::time_point now = t0;
  for (auto expected : {seconds(1), seconds(2), seconds(4), seconds(8), seconds(8)}) {
    t.failed("a", now);
    EXPECT_EQ(t.wait("a", now), expected);
    EXPECT_EQ(t.wait("a", now + expected - milliseconds(1)), milliseconds(1));
    now += expected;
    EXPECT_EQ(t.wait("a", now), Clock::duration::zero());
  }
  EXPECT_EQ(t.wait("b", now), Clock::duration::zero()) << "another client is not affected";
}

TEST(AuthThrottle, TheRightTokenClearsTheRecord) {
  AuthThrottle t(policy());
  const Clock::time_point t0{};
  for (int i = 0; i < 4; ++i) t.failed("a", t0);
  EXPECT_GT(t.wait("a", t0), Clock::duration::zero());
  t.succeeded("a");
  EXPECT_EQ(t.wait("a", t0), Clock::duration::zero());
  for (int i = 0; i < 3; ++i) t.failed("a", t0);
  EXPECT_EQ(t.wait("a", t0), Clock::duration::zero()) << "the free failures are free again";
}

TEST(AuthThrottle, AQuietClientIsForgotten) {
  AuthThrottle t(policy());
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) t.failed("a", t0);
  t.failed("a", t0 + seconds(61));  // after forget_after: counts as the first
  EXPECT_EQ(t.wait("a", t0 + seconds(61)), Clock::duration::zero());
}

TEST(AuthThrottle, KeepsAtMostMaxClientsDroppingTheOldest) {
  AuthThrottle t(policy());
  const Clock::time_point t0{};
  for (int i = 0; i < 4; ++i) t.failed("old", t0);
  EXPECT_GT(t.wait("old", t0), Clock::duration::zero());
  for (const char* c : {"b", "c", "d"}) t.failed(c, t0 + seconds(1));
  EXPECT_EQ(t.wait("old", t0), Clock::duration::zero());
}

TEST(ClientKey, IsTheIpv4AddressOrTheIpv6Prefix) {
  EXPECT_EQ(client_key("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(client_key("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(client_key("2001:db8:1:2:aaaa::1"), client_key("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
  EXPECT_NE(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
  EXPECT_EQ(client_key("2001:db8:1:2::1"), "2001:0db8:0001:0002::/64");
  EXPECT_EQ(client_key("not an address"), "not an address");
}

}  // namespace
}  // namespace caravan::server
