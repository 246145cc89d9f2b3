// Distributions, the normal function pair, and per-sample random streams.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "caravan/stochastic.h"

namespace caravan {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  assert(p > 0 && p < 1);
  // Acklam's algorithm.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double lo = 0.02425, hi = 1 - lo;
  double x;
  if (p < lo) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= hi) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One step of Halley's method brings it to full double precision.
  double e = normal_cdf(x) - p;
  double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

Distribution Distribution::lognormal(double median, double p90) {
  assert(median >= 0 && p90 >= median);
  Distribution d;
  d.kind_ = Kind::kLognormal;
  if (median <= 0) {
    d.zero_ = true;
    return d;
  }
  d.mu_ = std::log(median);
  d.sigma_ = (std::log(p90) - std::log(median)) / kZ90;
  return d;
}

Distribution Distribution::empirical(std::vector<double> observations) {
  assert(!observations.empty());
  Distribution d;
  d.kind_ = Kind::kEmpirical;
  d.sorted_ = std::move(observations);
  std::sort(d.sorted_.begin(), d.sorted_.end());
  return d;
}

double Distribution::quantile(double u) const {
  if (kind_ == Kind::kLognormal) {
    if (zero_) return 0;
    if (sigma_ == 0) return std::exp(mu_);
    return std::exp(mu_ + sigma_ * normal_quantile(u));
  }
  const std::size_t n = sorted_.size();
  if (n == 1) return sorted_[0];
  double h = u * static_cast<double>(n - 1);
  std::size_t i = static_cast<std::size_t>(h);
  if (i + 1 >= n) return sorted_.back();
  return sorted_[i] + (h - static_cast<double>(i)) * (sorted_[i + 1] - sorted_[i]);
}

double Distribution::cdf(double x) const {
  if (kind_ == Kind::kLognormal) {
    if (zero_) return x >= 0 ? 1 : 0;
    if (x <= 0) return 0;
    if (sigma_ == 0) return x >= std::exp(mu_) ? 1 : 0;
    return normal_cdf((std::log(x) - mu_) / sigma_);
  }
  // The inverse of the interpolated quantile function.
  const std::size_t n = sorted_.size();
  if (x < sorted_.front()) return 0;
  if (x >= sorted_.back()) return 1;
  std::size_t i = static_cast<std::size_t>(std::upper_bound(sorted_.begin(), sorted_.end(), x) - sorted_.begin()) - 1;
  double frac = sorted_[i + 1] > sorted_[i] ? (x - sorted_[i]) / (sorted_[i + 1] - sorted_[i]) : 0;
  return (static_cast<double>(i) + frac) / static_cast<double>(n - 1);
}

namespace {
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
}  // namespace

SampleRng::SampleRng(std::uint64_t seed, std::uint64_t sample)
    : state_(mix(mix(seed + kGolden) ^ (sample * kGolden + 1))) {}

std::uint64_t SampleRng::next() {
  state_ += kGolden;
  return mix(state_);
}

double SampleRng::uniform() {
  // 53 random bits, shifted by half a step so 0 and 1 never occur.
  return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

}  // namespace caravan
