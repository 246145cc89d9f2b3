#include <gtest/gtest.h>

#include "caravan/money.h"

#include <cstdint>
#include <limits>

namespace caravan {
namespace {

Currency cur(const char* c) { return *Currency::parse(c); }

TEST(Currency, KnowsIso4217CodesAndExponents) {
  EXPECT_EQ(cur("KZT").exponent(), 2);
  EXPECT_EQ(cur("JPY").exponent(), 0);
  EXPECT_EQ(cur("KWD").exponent(), 3);
  EXPECT_FALSE(Currency::parse("XYZ").has_value());
  EXPECT_FALSE(Currency::parse("usd").has_value());
}

TEST(Money, ParsesDecimalsExactly) {
  auto m = parse_money("1234.5", cur("CNY"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->minor, 123450);
  auto whole = parse_money("7", cur("JPY"));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->minor, 7);
  auto zeros = parse_money("7.500", cur("USD"));
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ(zeros->minor, 750);
}

TEST(Money, RejectsMalformedAndTooPrecise) {
  EXPECT_FALSE(parse_money("1,5", cur("USD")).ok());
  EXPECT_FALSE(parse_money("abc", cur("USD")).ok());
  EXPECT_FALSE(parse_money("1.", cur("USD")).ok());
  auto precise = parse_money("1.234", cur("USD"));
  ASSERT_FALSE(precise.ok());
  EXPECT_NE(precise.error().message.find("more decimals than USD has"), std::string::npos);
}

TEST(Money, RendersWithThousandsSeparators) {
  EXPECT_EQ((Money{123456789, cur("KZT")}).to_string(), "1,234,567.89 KZT");
  EXPECT_EQ((Money{-5, cur("USD")}).to_string(), "-0.05 USD");
  EXPECT_EQ((Money{1000, cur("JPY")}).to_string(), "1,000 JPY");
}

TEST(CurrencyTotals, SumsPerCurrencyInFirstSeenOrder) {
  CurrencyTotals t;
  t.add({100, cur("CNY")});
  t.add({5000, cur("KZT")});
  t.add({250, cur("CNY")});
  ASSERT_EQ(t.items().size(), 2u);
  EXPECT_EQ(t.items()[0].currency, cur("CNY"));
  EXPECT_EQ(t.amount(cur("CNY")), 350);
  EXPECT_EQ(t.amount(cur("KZT")), 5000);
  EXPECT_EQ(t.amount(cur("UZS")), 0);
}

TEST(FxTable, ConvertsToUsdCents) {
  FxTable fx;
  fx.set(cur("KZT"), 458.7);
  fx.set(cur("JPY"), 150);
  // 45,870.00 KZT at 458.7 per USD is exactly 100 USD.
  EXPECT_EQ(fx.to_usd_cents({4587000, cur("KZT")}), 10000);
  // 1,500 JPY (exponent 0) at 150 per USD is 10 USD.
  EXPECT_EQ(fx.to_usd_cents({1500, cur("JPY")}), 1000);
  EXPECT_EQ(fx.to_usd_cents({1234, Currency::usd()}), 1234);
  fx.set(cur("KZT"), 500);
  EXPECT_EQ(fx.to_usd_cents({5000000, cur("KZT")}), 10000);
}

// Before: the decimals were accumulated in an int64 whatever their number,
// so 30 decimals overflowed (undefined behaviour, caught by UBSan).
TEST(Money, ManyDecimalsNeverOverflow) {
  auto tiny = parse_money("0.000000000000000000000000000001", cur("USD"));
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().message,
            "bad amount \"0.000000000000000000000000000001\": more decimals than USD has (expected at most 2)");
  auto zeros = parse_money("12.50000000000000000000000000000000000000", cur("USD"));
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ(zeros->minor, 1250);
  auto nines = parse_money("1.99999999999999999999999999", cur("KWD"));
  EXPECT_FALSE(nines.ok());
}

TEST(Money, RefusesAmountsAboveTheLimit) {
  // 10^13 USD is 10^15 cents, the limit; one cent more is refused.
  auto at = parse_money("10000000000000", cur("USD"));
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->minor, kMaxMinorUnits);
  auto over = parse_money("10000000000000.01", cur("USD"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message,
            "bad amount \"10000000000000.01\": too large (expected at most 10,000,000,000,000.00 USD)");
  EXPECT_FALSE(parse_money("99999999999999999999999999999", cur("JPY")).ok());
  auto neg = parse_money("-10000000000000", cur("USD"));
  ASSERT_TRUE(neg.ok());
  EXPECT_EQ(neg->minor, -kMaxMinorUnits);
}

TEST(Money, RendersTheMostNegativeAmount) {
  // Negating INT64_MIN overflows; the magnitude is taken as unsigned.
  EXPECT_EQ((Money{INT64_MIN, cur("USD")}).to_string(), "-92,233,720,368,547,758.08 USD");
  EXPECT_EQ((Money{INT64_MAX, cur("JPY")}).to_string(), "9,223,372,036,854,775,807 JPY");
}

TEST(CheckedArithmetic, AddAndMultiplyReportOverflow) {
  EXPECT_EQ(checked_add(INT64_MAX - 1, 1), INT64_MAX);
  EXPECT_EQ(checked_add(INT64_MAX, 1), std::nullopt);
  EXPECT_EQ(checked_add(INT64_MIN, -1), std::nullopt);
  EXPECT_EQ(checked_mul(3'037'000'499, 3'037'000'499), 9'223'372'030'926'249'001);
  EXPECT_EQ(checked_mul(3'037'000'500, 3'037'000'500), std::nullopt);  // just above 2^63
  EXPECT_EQ(checked_mul(INT64_MIN, -1), std::nullopt);
}

TEST(CheckedArithmetic, LlroundRefusesWhatDoesNotFitInt64) {
  EXPECT_EQ(checked_llround(2.5), 3);
  EXPECT_EQ(checked_llround(-2.5), -3);
  EXPECT_EQ(checked_llround(9223372036854774784.0), 9223372036854774784);  // largest double below 2^63
  EXPECT_EQ(checked_llround(9223372036854775808.0), std::nullopt);         // 2^63
  EXPECT_EQ(checked_llround(-9223372036854775808.0), INT64_MIN);
  EXPECT_EQ(checked_llround(1e300), std::nullopt);
  EXPECT_EQ(checked_llround(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(checked_llround(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
}

TEST(Money, CheckedFromMajorRefusesNonFiniteAndHugeAmounts) {
  auto ok = Money::checked_from_major(12.345, cur("KWD"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->minor, 12345);
  EXPECT_FALSE(Money::checked_from_major(1e300, cur("USD")).ok());
  EXPECT_FALSE(Money::checked_from_major(std::numeric_limits<double>::infinity(), cur("USD")).ok());
  EXPECT_FALSE(Money::checked_from_major(std::numeric_limits<double>::quiet_NaN(), cur("USD")).ok());
  EXPECT_FALSE(Money::checked_from_major(1e13 + 1, cur("USD")).ok());
  EXPECT_TRUE(Money::checked_from_major(1e13, cur("USD")).ok());
}

// Before: totals were summed with a plain +=, which wraps (undefined).
TEST(CurrencyTotals, AnOverflowingAddIsRefusedAndLeavesTheTotal) {
  CurrencyTotals t;
  EXPECT_TRUE(t.add({INT64_MAX - 10, cur("CNY")}));
  EXPECT_FALSE(t.add({11, cur("CNY")}));
  EXPECT_EQ(t.amount(cur("CNY")), INT64_MAX - 10);
  EXPECT_TRUE(t.add({10, cur("CNY")}));
  EXPECT_EQ(t.amount(cur("CNY")), INT64_MAX);
}

TEST(FxTable, CheckedConversionRefusesAResultOutsideInt64) {
  FxTable fx;
  fx.set(cur("UZS"), 1e-9);  // the loader accepts rates down to 1e-9 per USD
  // 10^15 minor = 10^13 UZS at 10^-9 per USD = 10^22 USD: not representable.
  EXPECT_EQ(fx.checked_to_usd_cents({kMaxMinorUnits, cur("UZS")}), std::nullopt);
  fx.set(cur("UZS"), 12904.9);
  EXPECT_EQ(fx.checked_to_usd_cents({1290490, cur("UZS")}), 100);  // 12,904.90 UZS = 1 USD
}

}  // namespace
}  // namespace caravan
