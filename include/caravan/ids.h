// caravan/ids.h — strong index types and the vector keyed by them.
//
// Every entity of a Network (location, link, crossing, service, rail product,
// source) is addressed by a dense 32-bit index of its own type, so a link
// index can never be used where a location index is meant. Ids from the data files (slugs like
// `khorgos-cn`) are mapped to indexes once, at load.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <vector>

namespace caravan {

template <typename Tag>
struct Idx {
  std::uint32_t v = std::numeric_limits<std::uint32_t>::max();

  constexpr Idx() = default;
  constexpr explicit Idx(std::uint32_t value) : v(value) {}
  static constexpr Idx invalid() { return Idx(); }
  constexpr bool valid() const { return v != std::numeric_limits<std::uint32_t>::max(); }
  friend constexpr auto operator<=>(Idx, Idx) = default;
};

using LocationIdx = Idx<struct LocationTag>;
using LinkIdx = Idx<struct LinkTag>;
using CrossingIdx = Idx<struct CrossingTag>;
using ServiceIdx = Idx<struct ServiceTag>;
using SourceIdx = Idx<struct SourceTag>;
using ProductIdx = Idx<struct ProductTag>;

/// A std::vector indexed by one strong index type.
template <typename I, typename T>
class VectorMap {
 public:
  using value_type = T;

  T& operator[](I i) { return data_[i.v]; }
  const T& operator[](I i) const { return data_[i.v]; }
  I push_back(T v) {
    data_.push_back(std::move(v));
    return I(static_cast<std::uint32_t>(data_.size() - 1));
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(data_.size()); }
  bool empty() const { return data_.empty(); }
  void resize(std::uint32_t n) { data_.resize(n); }
  void reserve(std::uint32_t n) { data_.reserve(n); }
  auto begin() { return data_.begin(); }
  auto end() { return data_.end(); }
  auto begin() const { return data_.begin(); }
  auto end() const { return data_.end(); }
  /// The indexes 0..size()-1, for `for (auto i : v.indexes())`.
  struct IndexRange {
    std::uint32_t n;
    struct It {
      std::uint32_t i;
      I operator*() const { return I(i); }
      It& operator++() {
        ++i;
        return *this;
      }
      bool operator!=(const It& o) const { return i != o.i; }
    };
    It begin() const { return {0}; }
    It end() const { return {n}; }
  };
  IndexRange indexes() const { return {size()}; }

 private:
  std::vector<T> data_;
};

}  // namespace caravan
