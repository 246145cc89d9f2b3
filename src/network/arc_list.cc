// Fast CSV readers for plain graphs: one pass over the bytes, fields split on
// ',' and converted with std::from_chars; no allocation per field.
#include "caravan/arc_list.h"

#include "caravan/file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace caravan {
namespace {

constexpr std::uint32_t kMaxId = 2'147'483'646;  // keeps n + 1 in 31 bits

// Splits `line` on ',' into at most `max` fields; returns the count (max + 1
// when there are more).
std::size_t split_fields(std::string_view line, std::string_view* out, std::size_t max) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    std::string_view f = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (count == max) return max + 1;
    out[count++] = f;
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

std::string_view trim_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 40)) + (s.size() > 40 ? "…\"" : "\""); }

// Parses rows of a `src,dst[,weight]` file, one line at a time.
class RowParser {
 public:
  RowParser(std::string_view file, bool weighted) : file_(file), weighted_(weighted) {}

  // Returns false and sets `error` at the first bad line.
  bool header(std::string_view line) {
    line = trim_cr(line);
    std::string_view want = weighted_ ? "src,dst,weight" : "src,dst";
    if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF) line.remove_prefix(3);  // UTF-8 BOM
    if (line != want) {
      error = Error::at(std::string(file_), line_no, "",
                        "bad header " + quoted(line) + " (expected " + std::string(want) + ")");
      return false;
    }
    return true;
  }

  bool id(std::string_view field, const char* column, std::uint32_t& out) {
    std::uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (field.empty() || ec != std::errc() || ptr != field.data() + field.size() || v > kMaxId) {
      error =
          Error::at(std::string(file_), line_no, column,
                    "bad node id " + quoted(field) + " (expected an integer from 0 to " + std::to_string(kMaxId) + ")");
      return false;
    }
    out = static_cast<std::uint32_t>(v);
    return true;
  }

  bool weight(std::string_view field, double& out) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (field.empty() || ec != std::errc() || ptr != field.data() + field.size()) {
      error = Error::at(std::string(file_), line_no, "weight",
                        "bad weight " + quoted(field) + " (expected a finite number >= 0)");
      return false;
    }
    if (std::isnan(v) || std::isinf(v)) {
      error = Error::at(std::string(file_), line_no, "weight",
                        "weight is not finite " + quoted(field) + " (expected a finite number >= 0)");
      return false;
    }
    if (v < 0) {
      error = Error::at(std::string(file_), line_no, "weight",
                        "negative weight " + std::string(field) + " (expected a finite number >= 0)");
      return false;
    }
    out = v;
    return true;
  }

  // A data row; `fields` receives src, dst[, weight].
  bool row(std::string_view line, std::uint32_t& src, std::uint32_t& dst, double& w) {
    std::string_view f[3];
    const std::size_t want = weighted_ ? 3 : 2;
    std::size_t got = split_fields(line, f, want);
    if (got != want) {
      error = Error::at(std::string(file_), line_no, "",
                        "row has " + (got > want ? "more than " + std::to_string(want) : std::to_string(got)) +
                            " fields (expected " + (weighted_ ? "3: src,dst,weight" : "2: src,dst") + ")");
      return false;
    }
    if (!id(f[0], "src", src) || !id(f[1], "dst", dst)) return false;
    if (weighted_ && !weight(f[2], w)) return false;
    return true;
  }

  // Feeds every line of `text`; `on_row(src, dst, w)` may fail by returning false
  // after setting `error`. Returns false on the first error.
  template <typename OnRow>
  bool feed(std::string_view text, OnRow&& on_row, bool final) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos && !final) break;
      std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? text.size() : nl + 1;
      ++line_no;
      line = trim_cr(line);
      if (!seen_header_) {
        if (!header(line)) return false;
        seen_header_ = true;
        continue;
      }
      if (line.empty()) continue;
      std::uint32_t s = 0, d = 0;
      double w = 0;
      if (!row(line, s, d, w)) return false;
      if (!on_row(s, d, w)) return false;
    }
    consumed = pos;
    return true;
  }

  bool finish() {
    if (!seen_header_) {
      error =
          Error::at(std::string(file_), 1, "",
                    std::string("empty file (expected the header ") + (weighted_ ? "src,dst,weight" : "src,dst") + ")");
      return false;
    }
    return true;
  }

  std::string_view file_;
  bool weighted_;
  bool seen_header_ = false;
  std::uint32_t line_no = 0;
  std::size_t consumed = 0;
  Error error;
};

}  // namespace

namespace {

// A row of src,dst,weight is a few dozen bytes; a longer line is not one.
constexpr std::size_t kMaxLineBytes = 4096;

// Feeds `text`, or the regular file at `path` in 1 MiB chunks when `path` is
// given, so a large file is never held in memory whole; an endless line (a
// file of NUL bytes) stops at kMaxLineBytes.
template <typename OnRow>
bool run(RowParser& p, std::string_view text, const std::filesystem::path* path, OnRow&& on_row) {
  if (path == nullptr) return p.feed(text, on_row, true) && p.finish();
  auto f = open_regular_file(*path);
  if (!f) {
    p.error = f.error();
    return false;
  }
  std::string buf;
  std::vector<char> chunk(1 << 20);
  while (true) {
    std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f->get());
    if (n == 0) break;
    buf.append(chunk.data(), n);
    if (!p.feed(buf, on_row, false)) return false;
    buf.erase(0, p.consumed);
    if (buf.size() > kMaxLineBytes) {
      p.error = Error::at(path->string(), p.line_no + 1, "",
                          "line longer than " + format_byte_size(kMaxLineBytes) + " (expected src,dst[,weight] rows)");
      return false;
    }
  }
  if (std::ferror(f->get())) {
    p.error = Error::not_found(path->string() + ": read error");
    return false;
  }
  return p.feed(buf, on_row, true) && p.finish();
}

Result<ArcList> arcs(std::string_view file, std::string_view text, const std::filesystem::path* path) {
  ArcList out;
  RowParser p(file, true);
  std::uint32_t max_id = 0;
  bool any = false;
  auto add = [&](std::uint32_t s, std::uint32_t d, double w) {
    out.tail.push_back(s);
    out.head.push_back(d);
    out.weight.push_back(w);
    max_id = std::max(max_id, std::max(s, d));
    any = true;
    return true;
  };
  if (!run(p, text, path, add)) return p.error;
  out.node_count = any ? max_id + 1 : 0;
  return out;
}

Result<OdPairs> pairs(std::string_view file, std::string_view text, const std::filesystem::path* path,
                      std::uint32_t node_count) {
  OdPairs out;
  RowParser p(file, false);
  auto add = [&](std::uint32_t s, std::uint32_t d, double) {
    for (auto [v, column] : {std::pair{s, "src"}, std::pair{d, "dst"}}) {
      if (v >= node_count) {
        p.error = Error::at(std::string(file), p.line_no, column,
                            "node " + std::to_string(v) + " out of range (expected " +
                                (node_count == 0 ? std::string("no query: the graph has no node")
                                                 : "an id from 0 to " + std::to_string(node_count - 1)) +
                                " as in the edges file)");
        return false;
      }
    }
    out.emplace_back(s, d);
    return true;
  };
  if (!run(p, text, path, add)) return p.error;
  return out;
}

}  // namespace

Result<ArcList> parse_arc_list_csv(std::string_view file, std::string_view text) { return arcs(file, text, nullptr); }

Result<OdPairs> parse_od_pairs_csv(std::string_view file, std::string_view text, std::uint32_t node_count) {
  return pairs(file, text, nullptr, node_count);
}

Result<ArcList> load_arc_list_csv(const std::filesystem::path& path) {
  std::string name = path.string();
  return arcs(name, {}, &path);
}

Result<OdPairs> load_od_pairs_csv(const std::filesystem::path& path, std::uint32_t node_count) {
  std::string name = path.string();
  return pairs(name, {}, &path, node_count);
}

}  // namespace caravan
