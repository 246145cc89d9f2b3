// caravan/text.h — checking that input is text before it is read as data.
//
// Every data file is UTF-8 (DESIGN.md section 5). Names and notes flow into
// JSON, GeoJSON and terminal tables, so bytes that are not UTF-8 (a Latin-1
// "é" is the byte 0xE9), NUL bytes and other control characters are refused
// where they enter, with the file and line, instead of failing or corrupting
// the output later. Tab, line feed and carriage return are text.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"

namespace caravan {

/// The first problem on one line of a text.
struct TextFault {
  std::uint32_t line = 0;  ///< 1-based line
  std::uint32_t byte = 0;  ///< 1-based byte offset within the line
  std::size_t offset = 0;  ///< byte offset from the start of the text
  std::string message;     ///< e.g. `invalid UTF-8 byte 0xE9 at byte 4 (expected UTF-8 text; …)`
};

/// Length of the valid UTF-8 sequence starting at `text[0]` that encodes a
/// scalar value (no overlong forms, no surrogates, at most U+10FFFF), or 0
/// when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text);

/// Where text[0] does not start a valid sequence: how many bytes one U+FFFD
/// replaces, the "maximal subpart" of Unicode's recommended practice (the
/// lead byte and the continuation bytes that could still have completed it;
/// so a cut-off 3-byte sequence is one replacement). 0 at a valid sequence.
std::size_t utf8_invalid_length(std::string_view text);

/// The first fault of each faulty line of `text`, in order, at most `limit`
/// of them; `*faulty_lines` (when given) receives how many lines have one.
std::vector<TextFault> find_text_faults(std::string_view text, std::size_t limit, std::size_t* faulty_lines = nullptr);

/// Every faulty line of `text` as an error at `file:line`, at most ten, then
/// one error counting the rest. Empty when `text` is clean.
Errors check_text(std::string_view file, std::string_view text);

/// `text` with what find_text_faults would report (bytes that are not valid
/// UTF-8, by maximal subpart; NUL; controls other than tab, LF and CR)
/// replaced by U+FFFD, for echoing untrusted input into output.
std::string sanitize_text(std::string_view text);

}  // namespace caravan
