// caravan/money.h — money as integer minor units with an ISO 4217 currency.
//
// Amounts are int64 minor units (cents, tiyn, fen …) so sums are exact. Sums
// stay per currency (`CurrencyTotals`): a shipper settles CNY on the Chinese
// legs and KZT in Kazakhstan. Conversion to USD happens only for presentation
// and for ranking, through an `FxTable` whose date is shown with the result.
//
// Overflow: one amount is at most kMaxMinorUnits (parse_money refuses more),
// and arithmetic that could leave int64 — a tariff times a distance and a
// number of boxes, a division by a tiny exchange rate, a long sum — has a
// checked form below that fails instead of wrapping or rounding out of range.
//
// Thread safety: plain values; FxTable is immutable after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"

namespace caravan {

/// The largest amount one price or charge may have, in minor units: 10^15
/// (ten trillion USD in cents; 25 million USD in a currency quoted at 400,000
/// per USD). Far above any freight charge, and 9,000 of them still sum inside
/// int64.
inline constexpr std::int64_t kMaxMinorUnits = 1'000'000'000'000'000;

/// a + b, or nullopt when the sum leaves int64.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);
/// a × b, or nullopt when the product leaves int64.
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b);
/// `x` rounded half away from zero, or nullopt when `x` is NaN, infinite or
/// outside int64 (where std::llround gives an unspecified value).
std::optional<std::int64_t> checked_llround(double x);

/// An ISO 4217 alphabetic code, packed into three bytes.
struct Currency {
  char code[3] = {'X', 'X', 'X'};

  /// The code for a known ISO 4217 currency (case-sensitive, e.g. `KZT`).
  static std::optional<Currency> parse(std::string_view s);
  static Currency usd() { return Currency{{'U', 'S', 'D'}}; }
  std::string_view str() const { return {code, 3}; }
  /// Minor-unit exponent from ISO 4217 (2 for USD, 0 for JPY, 3 for KWD).
  int exponent() const;
  friend bool operator==(Currency a, Currency b) {
    return a.code[0] == b.code[0] && a.code[1] == b.code[1] && a.code[2] == b.code[2];
  }
  friend bool operator<(Currency a, Currency b) { return a.str() < b.str(); }
};

/// An exact amount of one currency.
struct Money {
  std::int64_t minor = 0;
  Currency currency = Currency::usd();

  /// `amount` in major units (e.g. 12.34 USD), rounded half away from zero.
  /// Requires |amount| in minor units to be at most kMaxMinorUnits; use
  /// checked_from_major for amounts that come from input.
  static Money from_major(double amount, Currency c);
  /// As from_major; fails when `amount` is not finite or its magnitude in
  /// minor units exceeds kMaxMinorUnits.
  static Result<Money> checked_from_major(double amount, Currency c);
  double major() const;
  /// `1,234.50 USD` style rendering with thousands separators.
  std::string to_string() const;
};

/// Parses a decimal amount in major units (`12.5`, `1200`) exactly into minor
/// units of `c`; fails on more decimals than the currency has (trailing zeros
/// aside) and on magnitudes above kMaxMinorUnits.
Result<Money> parse_money(std::string_view text, Currency c);

/// Sums kept per currency, in first-seen order.
class CurrencyTotals {
 public:
  /// Adds `m` to its currency's total. Returns false, leaving the totals as
  /// they were, when the total would leave int64.
  bool add(Money m);
  const std::vector<Money>& items() const { return items_; }
  std::int64_t amount(Currency c) const;  ///< minor units, 0 when absent

 private:
  std::vector<Money> items_;
};

/// Exchange rates as units of currency per 1 USD, valid at one date.
class FxTable {
 public:
  /// Adds or replaces a rate. `per_usd` must be > 0.
  void set(Currency c, double per_usd);
  void set_date(std::string date) { date_ = std::move(date); }

  bool has(Currency c) const;
  double per_usd(Currency c) const;  ///< requires has(c)
  const std::string& date() const { return date_; }
  /// Converts to USD cents, rounded to the nearest cent. Requires has(m.currency)
  /// and a result inside int64; checked_to_usd_cents checks the latter.
  std::int64_t to_usd_cents(Money m) const;
  /// As to_usd_cents; nullopt when the result does not fit int64 (a huge
  /// amount in a currency with a rate far below 1 per USD).
  std::optional<std::int64_t> checked_to_usd_cents(Money m) const;
  /// Converts fractional minor units of `c` to USD cents without rounding.
  double minor_to_usd_cents(double minor, Currency c) const;
  const std::vector<std::pair<Currency, double>>& rates() const { return rates_; }

 private:
  std::vector<std::pair<Currency, double>> rates_;
  std::string date_;
};

}  // namespace caravan
