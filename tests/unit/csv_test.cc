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

TEST(ParseCsv, QuotedCrlfLineBreaksInACrlfFileAreKept) {
  Errors errors;
  CsvTable t = parse_csv("t.csv", "id,note\r\na,\"first\r\nsecond\"\r\nb,x\r\n", errors);
  ASSERT_TRUE(errors.empty()) << to_string(errors);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields, (Items{"a", "first\r\nsecond"}));
  EXPECT_EQ(t.rows[1].line, 4u);
  EXPECT_EQ(t.rows[1].fields, (Items{"b", "x"}));
}

// Before: Latin-1 and NUL bytes passed into names and, from there, into
// JSON and GeoJSON output.
TEST(ParseCsv, ALatin1ByteIsAnErrorAtItsLineAndTheRowKeepsNoInvalidByte) {
  Errors errors;
  CsvTable t = parse_csv("locations.csv", "id,name\nxian,Xi'an\nbaku,Bak\xFC\nosh,Osh\n", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(),
            "locations.csv:3: invalid UTF-8 byte 0xFC at byte 9 (expected UTF-8 text; "
            "convert Latin-1 or Windows-1252 files to UTF-8)");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[1].fields, (Items{"baku", "Bak\xEF\xBF\xBD"}));
}

TEST(ParseCsv, ANulByteIsAnErrorAtItsLineInsideAQuotedField) {
  Errors errors;
  const std::string text("id,note\na,\"one\ntw\0o\"\n", 21);
  (void)parse_csv("sources.csv", text, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3u);  // the second line of the quoted field
  EXPECT_EQ(errors[0].message.substr(0, 17), "NUL byte at byte ");
}

TEST(ParseCsv, TenBadRowsAreShownAndTheRestCounted) {
  std::string text = "id\n";
  for (int i = 0; i < 25; ++i) text += "caf\xE9\n";
  Errors errors;
  CsvTable t = parse_csv("t.csv", text, errors);
  ASSERT_EQ(errors.size(), 11u);
  EXPECT_EQ(errors[9].line, 11u);
  EXPECT_EQ(errors[10].to_string(), "t.csv: 15 more rows that are not UTF-8 text");
  EXPECT_EQ(t.rows.size(), 25u);
}

}  // namespace
}  // namespace caravan
