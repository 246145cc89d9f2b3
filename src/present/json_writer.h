// Internal: a streaming JSON writer for the presenters' hot paths.
//
// Rendering an itinerary answer through a DOM (build a tree of maps, then
// dump it) cost five times the planning of the query it renders; writing the
// text straight into one string does not allocate per value. The layout is
// byte-for-byte the one of nlohmann::json's dump(indent) — `"key": value`,
// `indent` spaces per level, empty containers as `[]`/`{}`, compact with
// indent < 0 — and doubles are written the same way (shortest round-trip
// digits, `.0` on integral values, exponent form outside 1e-4 .. 1e15), so
// answers do not change with the writer behind them.
//
// Usage: open containers, give each object member a key() before its value,
// close containers, then take(). Misuse (a value without a key inside an
// object, unbalanced containers) is a programming error and asserted.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::detail {

class JsonWriter {
 public:
  explicit JsonWriter(int indent) : indent_(indent) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  /// The name of the next object member.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view s);
  /// Shortest text that reads back as `v`; null when not finite.
  JsonWriter& number(double v);
  JsonWriter& integer(std::int64_t v);
  JsonWriter& boolean(bool b);
  JsonWriter& null();

  /// A member in one call.
  template <class Write>
  JsonWriter& member(std::string_view name, Write&& write) {
    key(name);
    write(*this);
    return *this;
  }

  /// The text written; the writer is empty afterwards.
  std::string take() {
    assert(levels_.empty());
    return std::move(out_);
  }

 private:
  struct Level {
    bool object;
    bool empty = true;
  };

  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  // Before a value: nothing after a key, else what separate() writes.
  void before_item();
  // Comma, line break and indentation before an item of the open container.
  void separate();
  void newline_and_indent(std::size_t depth);
  void append_escaped(std::string_view s);

  std::string out_;
  std::vector<Level> levels_;
  int indent_;
  bool after_key_ = false;
};

}  // namespace caravan::detail
