// The CSV reader and the list splitter shared by every module that reads tables.
#include "caravan/csv.h"

#include <gtest/gtest.h>

namespace caravan {
namespace {

using Items = std::vector<std::string>;

TEST(SplitList, TrimsSpacesAroundItems) { EXPECT_EQ(split_list(" a ; b;c "), (Items{"a", "b", "c"})); }

TEST(SplitList, EmptyOrBlankTextHasNoItems) {
  EXPECT_TRUE(split_list("").empty());
  EXPECT_TRUE(split_list("   ").empty());
}

TEST(SplitList, KeepsEmptyItemsBetweenSeparatorsSoCallersCanReportThem) {
  EXPECT_EQ(split_list("a;;b;"), (Items{"a", "", "b", ""}));
}

TEST(SplitList, SplitsAtAnyOfSeveralSeparators) {
  EXPECT_EQ(split_list("Mon,Tue;Wed", ";,"), (Items{"Mon", "Tue", "Wed"}));
  EXPECT_EQ(split_list("Mon,Tue"), (Items{"Mon,Tue"}));  // ',' is not a separator by default
}

TEST(ParseCsv, QuotedFieldsKeepCommasQuotesAndLineBreaksAndRowsKnowTheirLine) {
  Errors errors;
  CsvTable t = parse_csv("t.csv", "id,name\na,\"x, \"\"y\"\"\"\nb,\"two\nlines\"\nc,z\n", errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(t.header, (Items{"id", "name"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].fields, (Items{"a", "x, \"y\""}));
  EXPECT_EQ(t.rows[1].fields, (Items{"b", "two\nlines"}));
  EXPECT_EQ(t.rows[0].line, 2u);
  EXPECT_EQ(t.rows[1].line, 3u);
  EXPECT_EQ(t.rows[2].line, 5u);  // the quoted line break moved it down one
  EXPECT_EQ(t.column("name"), 1);
  EXPECT_EQ(t.column("missing"), -1);
}

TEST(ParseCsv, EmptyFileIsAnErrorAtLineOne) {
  Errors errors;
  (void)parse_csv("t.csv", "", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "t.csv");
  EXPECT_EQ(errors[0].line, 1u);
  EXPECT_EQ(errors[0].message, "empty file (expected a header row)");
}

}  // namespace
}  // namespace caravan
