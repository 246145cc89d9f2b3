// Distributions, the normal function pair, and per-sample random streams.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "caravan/stochastic.h"

namespace caravan {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

namespace {

// Acklam's rational approximation of the normal quantile: relative error below
// 1.15e-9 over (0, 1); the central piece covers [kAcklamLow, kAcklamHigh].
constexpr double kAcklamLow = 0.02425, kAcklamHigh = 1 - kAcklamLow;

double acklam_central(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double acklam_tail(double q) {
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
         ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
}

}  // namespace

double normal_quantile(double p) {
  assert(p > 0 && p < 1);
  double x;
  if (p < kAcklamLow) {
    x = acklam_tail(std::sqrt(-2 * std::log(p)));
  } else if (p <= kAcklamHigh) {
    x = acklam_central(p);
  } else {
    x = -acklam_tail(std::sqrt(-2 * std::log(1 - p)));
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

std::int64_t Distribution::rounded_scaled_quantile(double u, double scale) const {
  // The answer is quantile(u) * scale rounded to a whole number, and the
  // costly part of quantile(u) is the Halley step of normal_quantile (erfc and
  // exp). Acklam's approximation alone is within 1.15e-9 * |z| of the refined
  // z in the central piece (checked on 6e7 points), so the value computed from
  // it, v, is within `err` of the exact one. Unless a rounding boundary (a
  // half-integer) lies within `err` of v, both round to the same whole number
  // and the refinement is skipped; otherwise, and in the tails, where the
  // refined value carries a larger error of its own, the exact path runs. The
  // bound below is about 3.5 times the measured worst case.
  if (kind_ == Kind::kLognormal && !zero_ && sigma_ != 0 && u >= kAcklamLow && u <= kAcklamHigh) {
    constexpr double kEps = std::numeric_limits<double>::epsilon();
    const double z = acklam_central(u);
    const double v = std::exp(mu_ + sigma_ * z) * scale;
    // |z - exact z|, then |y - exact y| for y = mu + sigma * z with rounding
    // on both sides, then the relative error of exp and the product:
    // e^dy - 1 <= 2 dy for dy < 1, and a few ulps of rounding.
    const double dz = 4e-9 * std::fabs(z) + 1e-14;
    const double dy = sigma_ * dz + 4 * kEps * (std::fabs(mu_) + sigma_ * std::fabs(z));
    const double err = std::fabs(v) * (2 * dy + 8 * kEps);
    const double whole = std::floor(v), frac = v - whole;  // v - floor(v) is exact
    // Away from a half the nearest integer is unambiguous, so this is
    // std::llround(v) without the library call. The test is false for NaN and
    // infinity, and err < 0.25 keeps |v| below 2^48.
    if (err < 0.25 && std::fabs(frac - 0.5) > err) return static_cast<std::int64_t>(whole) + (frac > 0.5 ? 1 : 0);
  }
  return std::llround(quantile(u) * scale);
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

}  // namespace caravan
