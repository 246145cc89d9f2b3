#include <gtest/gtest.h>

#include "caravan/money.h"

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

}  // namespace
}  // namespace caravan
