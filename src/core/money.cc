#include "caravan/money.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace caravan {
namespace {

struct CurrencyInfo {
  const char* code;
  int exponent;
};

// ISO 4217 codes the region and its trading partners use, with their minor-unit
// exponents. A code outside this list is rejected as unknown.
constexpr std::array kCurrencies = {
    CurrencyInfo{"AED", 2}, CurrencyInfo{"AFN", 2}, CurrencyInfo{"AMD", 2}, CurrencyInfo{"AZN", 2},
    CurrencyInfo{"BGN", 2}, CurrencyInfo{"BHD", 3}, CurrencyInfo{"BYN", 2}, CurrencyInfo{"CHF", 2},
    CurrencyInfo{"CNY", 2}, CurrencyInfo{"CZK", 2}, CurrencyInfo{"DKK", 2}, CurrencyInfo{"EUR", 2},
    CurrencyInfo{"GBP", 2}, CurrencyInfo{"GEL", 2}, CurrencyInfo{"HKD", 2}, CurrencyInfo{"HUF", 2},
    CurrencyInfo{"INR", 2}, CurrencyInfo{"IRR", 2}, CurrencyInfo{"JPY", 0}, CurrencyInfo{"KGS", 2},
    CurrencyInfo{"KRW", 0}, CurrencyInfo{"KWD", 3}, CurrencyInfo{"KZT", 2}, CurrencyInfo{"MNT", 2},
    CurrencyInfo{"NOK", 2}, CurrencyInfo{"OMR", 3}, CurrencyInfo{"PKR", 2}, CurrencyInfo{"PLN", 2},
    CurrencyInfo{"RON", 2}, CurrencyInfo{"RUB", 2}, CurrencyInfo{"SAR", 2}, CurrencyInfo{"SEK", 2},
    CurrencyInfo{"SGD", 2}, CurrencyInfo{"TJS", 2}, CurrencyInfo{"TMT", 2}, CurrencyInfo{"TRY", 2},
    CurrencyInfo{"UAH", 2}, CurrencyInfo{"USD", 2}, CurrencyInfo{"UZS", 2},
};

const CurrencyInfo* find_info(std::string_view s) {
  for (const CurrencyInfo& c : kCurrencies) {
    if (s == c.code) return &c;
  }
  return nullptr;
}

std::int64_t pow10(int e) {
  std::int64_t p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> checked_llround(double x) {
  // 2^63 is exact as a double. Doubles of magnitude 2^52 and more are whole
  // numbers, so rounding anything in [-2^63, 2^63) stays inside int64.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(x >= -kTwo63 && x < kTwo63)) return std::nullopt;  // also false for NaN
  return static_cast<std::int64_t>(std::round(x));
}

std::optional<Currency> Currency::parse(std::string_view s) {
  const CurrencyInfo* info = find_info(s);
  if (info == nullptr) return std::nullopt;
  return Currency{{info->code[0], info->code[1], info->code[2]}};
}

int Currency::exponent() const {
  // Only a handful of codes differ from 2; the planner asks for every arc it
  // prices, so a branch beats scanning the table.
  for (const CurrencyInfo& c : kCurrencies) {
    if (c.exponent != 2 && code[0] == c.code[0] && code[1] == c.code[1] && code[2] == c.code[2]) return c.exponent;
  }
  return 2;
}

Money Money::from_major(double amount, Currency c) {
  auto m = checked_from_major(amount, c);
  assert(m.ok());
  return m.ok() ? *m : Money{0, c};
}

Result<Money> Money::checked_from_major(double amount, Currency c) {
  auto minor = checked_llround(amount * static_cast<double>(pow10(c.exponent())));
  if (!minor || *minor > kMaxMinorUnits || *minor < -kMaxMinorUnits) {
    return Error::invalid("amount " + std::to_string(amount) + " " + std::string(c.str()) +
                          " is out of range (expected at most " + Money{kMaxMinorUnits, c}.to_string() + ")");
  }
  return Money{*minor, c};
}

double Money::major() const { return static_cast<double>(minor) / static_cast<double>(pow10(currency.exponent())); }

std::string Money::to_string() const {
  int e = currency.exponent();
  std::int64_t p = pow10(e);
  // The magnitude as unsigned: -INT64_MIN does not fit int64.
  const std::uint64_t a = minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  const auto up = static_cast<std::uint64_t>(p);
  std::string whole = std::to_string(a / up);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  std::string out = (minor < 0 ? "-" : "") + grouped;
  if (e > 0) {
    std::string frac = std::to_string(a % up);
    out += '.';
    out += std::string(static_cast<std::size_t>(e) - frac.size(), '0') + frac;
  }
  out += ' ';
  out += currency.str();
  return out;
}

Result<Money> parse_money(std::string_view text, Currency c) {
  auto fail = [&](const std::string& why) {
    return Error::invalid("bad amount \"" + std::string(text) + "\": " + why);
  };
  if (text.empty()) return fail("empty (expected a decimal number such as 12.50)");
  std::size_t pos = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    pos = 1;
  }
  const int e = c.exponent();
  const std::int64_t scale = pow10(e);
  auto too_large = [&] { return fail("too large (expected at most " + Money{kMaxMinorUnits, c}.to_string() + ")"); };
  // Every digit is checked against the limit as it is read, so no amount of
  // digits can overflow.
  std::int64_t whole = 0;
  int whole_digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    whole = whole * 10 + (text[pos] - '0');
    if (whole > kMaxMinorUnits / scale) return too_large();
    ++pos;
    ++whole_digits;
  }
  std::int64_t frac = 0;  // the first `e` decimals, as minor units
  int frac_digits = 0;
  bool extra_nonzero = false;  // a non-zero digit beyond the currency's `e`
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (frac_digits < e)
        frac = frac * 10 + (text[pos] - '0');
      else if (text[pos] != '0')
        extra_nonzero = true;
      ++pos;
      ++frac_digits;
    }
    if (frac_digits == 0) return fail("no digits after the decimal point (expected a decimal number such as 12.50)");
  }
  if (pos != text.size() || whole_digits == 0) return fail("not a number (expected a decimal number such as 12.50)");
  if (extra_nonzero) {
    return fail("more decimals than " + std::string(c.str()) + " has (expected at most " + std::to_string(e) + ")");
  }
  const std::int64_t minor = whole * scale + frac * pow10(e - std::min(frac_digits, e));
  if (minor > kMaxMinorUnits) return too_large();
  return Money{negative ? -minor : minor, c};
}

bool CurrencyTotals::add(Money m) {
  for (Money& item : items_) {
    if (item.currency == m.currency) {
      auto sum = checked_add(item.minor, m.minor);
      if (!sum) return false;
      item.minor = *sum;
      return true;
    }
  }
  items_.push_back(m);
  return true;
}

std::int64_t CurrencyTotals::amount(Currency c) const {
  for (const Money& item : items_) {
    if (item.currency == c) return item.minor;
  }
  return 0;
}

void FxTable::set(Currency c, double per_usd) {
  for (auto& [cur, rate] : rates_) {
    if (cur == c) {
      rate = per_usd;
      return;
    }
  }
  rates_.emplace_back(c, per_usd);
}

bool FxTable::has(Currency c) const {
  if (c == Currency::usd()) return true;
  for (const auto& r : rates_) {
    if (r.first == c) return true;
  }
  return false;
}

double FxTable::per_usd(Currency c) const {
  for (const auto& r : rates_) {
    if (r.first == c) return r.second;
  }
  assert(c == Currency::usd());
  return 1.0;
}

double FxTable::minor_to_usd_cents(double minor, Currency c) const {
  double major = minor / static_cast<double>(pow10(c.exponent()));
  return major / per_usd(c) * 100.0;
}

std::int64_t FxTable::to_usd_cents(Money m) const {
  auto cents = checked_to_usd_cents(m);
  assert(cents.has_value());
  return cents.value_or(0);
}

std::optional<std::int64_t> FxTable::checked_to_usd_cents(Money m) const {
  return checked_llround(minor_to_usd_cents(static_cast<double>(m.minor), m.currency));
}

}  // namespace caravan
