#include "caravan/money.h"

#include <array>
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
  return Money{std::llround(amount * static_cast<double>(pow10(c.exponent()))), c};
}

double Money::major() const { return static_cast<double>(minor) / static_cast<double>(pow10(currency.exponent())); }

std::string Money::to_string() const {
  int e = currency.exponent();
  std::int64_t p = pow10(e);
  std::int64_t a = minor < 0 ? -minor : minor;
  std::string whole = std::to_string(a / p);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  std::string out = (minor < 0 ? "-" : "") + grouped;
  if (e > 0) {
    std::string frac = std::to_string(a % p);
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
  std::int64_t whole = 0;
  int whole_digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (whole > 100'000'000'000'000LL) return fail("too large");
    whole = whole * 10 + (text[pos] - '0');
    ++pos;
    ++whole_digits;
  }
  std::int64_t frac = 0;
  int frac_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      frac = frac * 10 + (text[pos] - '0');
      ++pos;
      ++frac_digits;
    }
    if (frac_digits == 0) return fail("no digits after the decimal point (expected a decimal number such as 12.50)");
  }
  if (pos != text.size() || whole_digits == 0) return fail("not a number (expected a decimal number such as 12.50)");
  int e = c.exponent();
  if (frac_digits > e) {
    // Extra digits are allowed only when they are zeros.
    while (frac_digits > e) {
      if (frac % 10 != 0) {
        return fail("more decimals than " + std::string(c.str()) + " has (expected at most " + std::to_string(e) + ")");
      }
      frac /= 10;
      --frac_digits;
    }
  }
  std::int64_t minor = whole * pow10(e) + frac * pow10(e - frac_digits);
  return Money{negative ? -minor : minor, c};
}

void CurrencyTotals::add(Money m) {
  for (Money& item : items_) {
    if (item.currency == m.currency) {
      item.minor += m.minor;
      return;
    }
  }
  items_.push_back(m);
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
  return std::llround(minor_to_usd_cents(static_cast<double>(m.minor), m.currency));
}

}  // namespace caravan
