#include "caravan/csv.h"

#include "caravan/text.h"

namespace caravan {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

CsvTable parse_csv(std::string file, std::string_view text, Errors& errors) {
  CsvTable table;
  table.file = std::move(file);
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);  // UTF-8 byte-order mark
  }
  std::size_t pos = 0;
  std::uint32_t line = 1;
  bool first = true;
  // Rows that are not UTF-8 text: the first kMaxTextErrors are reported one by one.
  constexpr std::size_t kMaxTextErrors = 10;
  std::size_t text_faults = 0;
  while (pos < text.size()) {
    const std::size_t row_begin = pos;
    CsvRow row;
    row.line = line;
    std::string field;
    bool row_done = false;
    bool bad_row = false;
    while (!row_done) {
      field.clear();
      if (pos < text.size() && text[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < text.size()) {
          char c = text[pos];
          if (c == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
        if (!closed) {
          errors.push_back(Error::at(table.file, row.line, "", "unterminated quoted field (expected a closing \")"));
          bad_row = true;
          pos = text.size();
        } else if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          errors.push_back(Error::at(table.file, line, "", "text after a closing quote (expected , or end of line)"));
          bad_row = true;
          while (pos < text.size() && text[pos] != ',' && text[pos] != '\n') ++pos;
        }
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n') {
          if (text[pos] == '"') {
            errors.push_back(
                Error::at(table.file, line, "", "quote inside an unquoted field (expected the whole field in quotes)"));
            bad_row = true;
          }
          if (text[pos] != '\r') field += text[pos];
          ++pos;
        }
      }
      row.fields.push_back(field);
      if (pos < text.size() && text[pos] == '\r') ++pos;
      if (pos >= text.size() || text[pos] == '\n') {
        row_done = true;
        if (pos < text.size()) ++pos;
        ++line;
      } else {
        ++pos;  // the comma
      }
    }
    if (auto f = find_text_faults(text.substr(row_begin, pos - row_begin), 1); !f.empty()) {
      if (text_faults++ < kMaxTextErrors)
        errors.push_back(Error::at(table.file, row.line + f[0].line - 1, "", f[0].message));
      // Kept, made text, so that one bad byte is one error (a dropped row
      // would turn every reference to it into another).
      for (std::string& value : row.fields) value = sanitize_text(value);
    }
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (blank || bad_row) continue;
    if (first) {
      table.header = std::move(row.fields);
      first = false;
    } else {
      table.rows.push_back(std::move(row));
    }
  }
  if (text_faults > kMaxTextErrors) {
    errors.push_back(Error::at(table.file, 0, "",
                               std::to_string(text_faults - kMaxTextErrors) + " more rows that are not UTF-8 text"));
  }
  if (first) errors.push_back(Error::at(table.file, 1, "", "empty file (expected a header row)"));
  return table;
}

std::vector<std::string> split_list(std::string_view text, std::string_view separators) {
  std::vector<std::string> items;
  if (text.find_first_not_of(' ') == std::string_view::npos) return items;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find_first_of(separators, start);
    std::string_view item = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.emplace_back(item);
    if (end == std::string_view::npos) return items;
    start = end + 1;
  }
}

std::vector<SourceRef> parse_source_refs(std::string_view field) {
  std::vector<SourceRef> out;
  for (std::string& item : split_list(field)) {
    SourceRef ref;
    std::size_t eq = item.find('=');
    if (eq == std::string::npos) {
      ref.id = std::move(item);
    } else {
      auto trim = [](std::string t) {
        while (!t.empty() && t.back() == ' ') t.pop_back();
        while (!t.empty() && t.front() == ' ') t.erase(t.begin());
        return t;
      };
      ref.column = trim(item.substr(0, eq));
      ref.id = trim(item.substr(eq + 1));
    }
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace caravan
