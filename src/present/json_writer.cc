#include "json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "caravan/text.h"

namespace caravan::detail {

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!levels_.empty() && levels_.back().object && !after_key_);
  separate();
  out_ += '"';
  append_escaped(name);
  out_ += indent_ >= 0 ? "\": " : "\":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_item();
  out_ += bracket;
  levels_.push_back(Level{bracket == '{'});
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  assert(!levels_.empty() && levels_.back().object == (bracket == '}') && !after_key_);
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty && indent_ >= 0) newline_and_indent(levels_.size());
  out_ += bracket;
  return *this;
}

void JsonWriter::before_item() {
  if (after_key_) {  // the value of a member: key() has placed it
    after_key_ = false;
    return;
  }
  assert(levels_.empty() || !levels_.back().object);  // a member needs its key first
  if (!levels_.empty()) separate();
}

void JsonWriter::separate() {
  Level& level = levels_.back();
  if (!level.empty) out_ += ',';
  level.empty = false;
  if (indent_ >= 0) newline_and_indent(levels_.size());
}

void JsonWriter::newline_and_indent(std::size_t depth) {
  out_ += '\n';
  out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::append_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto plain = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
  };
  for (std::size_t i = 0; i < s.size();) {
    // Runs of bytes that need no escape (nearly all text) go in one append.
    std::size_t j = i;
    while (j < s.size() && plain(s[j])) ++j;
    out_.append(s.data() + i, j - i);
    if (j == s.size()) return;
    const char c = s[j];
    i = j + 1;
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Valid UTF-8 as it is; a byte that is not becomes U+FFFD, so the
      // output is always valid JSON whatever text reached it.
      if (const std::size_t bad = utf8_invalid_length(s.substr(j)); bad > 0) {
        out_ += "\xEF\xBF\xBD";
        i = j + bad;
      } else {
        const std::size_t n = utf8_sequence_length(s.substr(j));
        out_.append(s.data() + j, n);
        i = j + n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:  // the other control characters
        out_ += "\\u00";
        out_ += kHex[(c >> 4) & 0xf];
        out_ += kHex[c & 0xf];
    }
  }
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_item();
  out_ += '"';
  append_escaped(s);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t v) {
  before_item();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_item();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_item();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  if (!std::isfinite(v)) return null();
  before_item();
  if (std::signbit(v)) {
    out_ += '-';
    v = -v;
  }
  if (v == 0) {
    out_ += "0.0";
    return *this;
  }
  // Shortest round-trip digits d1.d2d3…e±X, laid out as the DOM writer does:
  // plain decimals for decimal exponents n (value = 0.digits × 10^n) in
  // (-4, 15], an integral value with ".0", otherwise d.ddde±XX.
  char sci[32];
  auto [end, ec] = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  std::string_view text(sci, static_cast<std::size_t>(end - sci));
  const std::size_t e_at = text.find('e');
  char digits[20];
  int k = 0;
  for (char c : text.substr(0, e_at)) {
    if (c != '.') digits[k++] = c;
  }
  std::string_view exponent = text.substr(e_at + 1);
  if (exponent.front() == '+') exponent.remove_prefix(1);  // from_chars takes no '+'
  int e10 = 0;
  std::from_chars(exponent.data(), exponent.data() + exponent.size(), e10);
  const int n = e10 + 1;
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {
    out_.append(digits, static_cast<std::size_t>(k));
    out_.append(static_cast<std::size_t>(n - k), '0');
    out_ += ".0";
  } else if (0 < n && n <= kMaxExp) {
    out_.append(digits, static_cast<std::size_t>(n));
    out_ += '.';
    out_.append(digits + n, static_cast<std::size_t>(k - n));
  } else if (kMinExp < n && n <= 0) {
    out_ += "0.";
    out_.append(static_cast<std::size_t>(-n), '0');
    out_.append(digits, static_cast<std::size_t>(k));
  } else {
    out_ += digits[0];
    if (k > 1) {
      out_ += '.';
      out_.append(digits + 1, static_cast<std::size_t>(k - 1));
    }
    const int e = n - 1;
    out_ += 'e';
    out_ += e < 0 ? '-' : '+';
    const int mag = std::abs(e);
    if (mag < 10) out_ += '0';
    out_ += std::to_string(mag);
  }
  return *this;
}

}  // namespace caravan::detail
