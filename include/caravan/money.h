// caravan/money.h — money as integer minor units with an ISO 4217 currency.
//
// Amounts are int64 minor units (cents, tiyn, fen …) so sums are exact. Sums
// stay per currency (`CurrencyTotals`): a shipper settles CNY on the Chinese
// legs and KZT in Kazakhstan. Conversion to USD happens only for presentation
// and for ranking, through an `FxTable` whose date is shown with the result.
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
  static Money from_major(double amount, Currency c);
  double major() const;
  /// `1,234.50 USD` style rendering with thousands separators.
  std::string to_string() const;
};

/// Parses a decimal amount in major units (`12.5`, `1200`) exactly into minor
/// units of `c`; fails on more decimals than the currency has.
Result<Money> parse_money(std::string_view text, Currency c);

/// Sums kept per currency, in first-seen order.
class CurrencyTotals {
 public:
  void add(Money m);
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
  /// Converts to USD cents, rounded to the nearest cent. Requires has(m.currency).
  std::int64_t to_usd_cents(Money m) const;
  /// Converts fractional minor units of `c` to USD cents without rounding.
  double minor_to_usd_cents(double minor, Currency c) const;
  const std::vector<std::pair<Currency, double>>& rates() const { return rates_; }

 private:
  std::vector<std::pair<Currency, double>> rates_;
  std::string date_;
};

}  // namespace caravan
