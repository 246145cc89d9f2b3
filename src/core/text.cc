#include "caravan/text.h"

#include <cstdio>
#include <utility>

namespace caravan {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// How many bytes from text[0] match a valid UTF-8 sequence, and how many it
// needs: equal for a whole valid sequence, fewer where it breaks off.
std::pair<std::size_t, std::size_t> match_utf8(std::string_view text) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return {1, 1};
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {0, 1};  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  std::size_t matched = 1;
  while (matched < n && matched < text.size()) {
    const unsigned char x = b(matched);
    if (matched == 1 ? (x < lo || x > hi) : !continuation(x)) break;
    ++matched;
  }
  return {matched, n};
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text) {
  if (text.empty()) return 0;
  auto [matched, needed] = match_utf8(text);
  return matched == needed ? needed : 0;
}

std::size_t utf8_invalid_length(std::string_view text) {
  if (text.empty()) return 0;
  auto [matched, needed] = match_utf8(text);
  if (matched == needed) return 0;
  return matched == 0 ? 1 : matched;
}

std::vector<TextFault> find_text_faults(std::string_view text, std::size_t limit, std::size_t* faulty_lines) {
  std::vector<TextFault> faults;
  std::size_t count = 0;
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  bool line_faulty = false;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      line_faulty = false;
      continue;
    }
    std::size_t n = 1;
    std::string problem;
    if (c == 0) {
      problem = "NUL byte";
    } else if (c < 0x20 && c != '\t' && c != '\r') {
      problem = "control character " + hex_byte(c);
    } else if (c >= 0x80) {
      n = utf8_sequence_length(text.substr(i));
      if (n == 0) {
        n = 1;
        problem = "invalid UTF-8 byte " + hex_byte(c);
      }
    }
    if (!problem.empty() && !line_faulty) {
      line_faulty = true;
      ++count;
      if (faults.size() < limit) {
        const auto byte = static_cast<std::uint32_t>(i - line_start + 1);
        std::string expected = c >= 0x80 ? "expected UTF-8 text; convert Latin-1 or Windows-1252 files to UTF-8"
                                         : "expected text: only tab, line feed and carriage return among controls";
        faults.push_back({line, byte, i, problem + " at byte " + std::to_string(byte) + " (" + expected + ")"});
      }
    }
    i += n;
  }
  if (faulty_lines != nullptr) *faulty_lines = count;
  return faults;
}

Errors check_text(std::string_view file, std::string_view text) {
  constexpr std::size_t kShown = 10;
  std::size_t lines = 0;
  Errors errors;
  for (TextFault& f : find_text_faults(text, kShown, &lines)) {
    errors.push_back(Error::at(std::string(file), f.line, "", std::move(f.message)));
  }
  if (lines > kShown) {
    errors.push_back(
        Error::at(std::string(file), 0, "", std::to_string(lines - kShown) + " more lines that are not UTF-8 text"));
  }
  return errors;
}

std::string sanitize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::size_t bad = utf8_invalid_length(text.substr(i)); bad > 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      i += bad;
    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      const std::size_t n = utf8_sequence_length(text.substr(i));
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace caravan
