// Input text checks: UTF-8 validity (against an independent decoder, over
// every sequence of up to three bytes), NUL and control bytes, and where the
// fault is reported.
#include "caravan/text.h"

#include <gtest/gtest.h>

#include <optional>

namespace caravan {
namespace {

// An independent UTF-8 check: decode by bit patterns into a code point, then
// accept only the shortest form of a Unicode scalar value.
std::optional<std::size_t> reference_length(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t n;
  std::uint32_t cp;
  if ((b0 & 0x80) == 0) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return std::nullopt;
  }
  if (s.size() < n) return std::nullopt;
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  const std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return n;
}

TEST(Utf8SequenceLength, AgreesWithAnIndependentDecoderOnEverySequenceOfUpToThreeBytes) {
  std::string s(3, '\0');
  std::size_t checked = 0;
  for (std::uint32_t v = 0; v < (1u << 24); ++v) {
    s[0] = static_cast<char>(v >> 16);
    s[1] = static_cast<char>(v >> 8);
    s[2] = static_cast<char>(v);
    for (std::size_t len = 1; len <= 3; ++len) {
      if (len < 3 && (v & ((1u << (8 * (3 - len))) - 1)) != 0) continue;  // shorter strings once each
      std::string_view sv(s.data(), len);
      std::size_t got = utf8_sequence_length(sv);
      auto want = reference_length(sv);
      ASSERT_EQ(got, want.value_or(0)) << "bytes " << std::hex << v << " length " << len;
      ++checked;
    }
  }
  EXPECT_GT(checked, 16'000'000u);
}

TEST(Utf8SequenceLength, FourByteFormsAtTheirBoundaries) {
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x98\x80"), 4u);  // U+1F600
  EXPECT_EQ(utf8_sequence_length("\xF4\x8F\xBF\xBF"), 4u);  // U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xF0\x8F\xBF\xBF"), 0u);  // overlong U+FFFF
  EXPECT_EQ(utf8_sequence_length("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x98"), 0u);  // cut short
}

TEST(FindTextFaults, CleanTextWithTabsCrlfAndMultibyteLettersHasNone) {
  EXPECT_TRUE(find_text_faults("id,name\r\nmalaszewicze,Ma\xC5\x82\x61szewicze\tPL\r\n", 10).empty());
}

TEST(FindTextFaults, NamesTheLineAndByteOfALatin1Letter) {
  std::size_t lines = 0;
  auto f = find_text_faults("id,name\nxian,Xi'an\nbaku,Bak\xFC\n", 10, &lines);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(lines, 1u);
  EXPECT_EQ(f[0].line, 3u);
  EXPECT_EQ(f[0].byte, 9u);
  EXPECT_EQ(f[0].offset, 27u);
  EXPECT_EQ(f[0].message,
            "invalid UTF-8 byte 0xFC at byte 9 (expected UTF-8 text; convert Latin-1 or Windows-1252 files to UTF-8)");
}

TEST(FindTextFaults, NulAndControlBytesAreFaults) {
  auto f = find_text_faults(std::string_view("a\0b\nc\x1b[31m\n", 11), 10);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].line, 1u);
  EXPECT_EQ(f[0].message, "NUL byte at byte 2 (expected text: only tab, line feed and carriage return among controls)");
  EXPECT_EQ(f[1].line, 2u);
  EXPECT_EQ(f[1].message,
            "control character 0x1B at byte 2 (expected text: only tab, line feed and carriage return among controls)");
}

TEST(FindTextFaults, OneFaultPerLineAndAtMostTheLimitButEveryLineCounted) {
  std::size_t lines = 0;
  auto f = find_text_faults("\xE9\xE9\n\xE9\nok\n\xE9\n", 2, &lines);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].line, 1u);
  EXPECT_EQ(f[1].line, 2u);
  EXPECT_EQ(lines, 3u);
}

TEST(CheckText, ShowsTenLinesThenCountsTheRest) {
  std::string text;
  for (int i = 0; i < 13; ++i) text += "caf\xE9\n";
  Errors e = check_text("x.toml", text);
  ASSERT_EQ(e.size(), 11u);
  EXPECT_EQ(e[0].to_string().substr(0, 9), "x.toml:1:");
  EXPECT_EQ(e[9].line, 10u);
  EXPECT_EQ(e[10].to_string(), "x.toml: 3 more lines that are not UTF-8 text");
  EXPECT_TRUE(check_text("x.toml", "name = \"Xi'an\"\n").empty());
}

TEST(SanitizeText, ReplacesEachBadByteAndKeepsTheRest) {
  EXPECT_EQ(sanitize_text("Bak\xFC"), "Bak\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_text(std::string_view("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_text("Ma\xC5\x82\x61 \t\n"), "Ma\xC5\x82\x61 \t\n");
  EXPECT_EQ(sanitize_text("\xE2\x82!"), "\xEF\xBF\xBD!");  // a cut-off euro sign is one replacement
  EXPECT_EQ(sanitize_text("\xE2\xE2\x82\xAC"), "\xEF\xBF\xBD\xE2\x82\xAC");
  EXPECT_EQ(sanitize_text("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // C0 never starts a sequence
}

}  // namespace
}  // namespace caravan
