#include "caravan/places.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <optional>

namespace caravan {
namespace {

// Folds the two-byte UTF-8 Latin letters found in the region's place names.
char fold_latin(unsigned char lead, unsigned char next) {
  struct Fold {
    unsigned char lead, next;
    char ascii;
  };
  static constexpr Fold folds[] = {
      {0xC3, 0xA0, 'a'}, {0xC3, 0xA1, 'a'}, {0xC3, 0xA2, 'a'}, {0xC3, 0xA4, 'a'}, {0xC3, 0xA7, 'c'}, {0xC3, 0xA8, 'e'},
      {0xC3, 0xA9, 'e'}, {0xC3, 0xAA, 'e'}, {0xC3, 0xAB, 'e'}, {0xC3, 0xAD, 'i'}, {0xC3, 0xAE, 'i'}, {0xC3, 0xB3, 'o'},
      {0xC3, 0xB6, 'o'}, {0xC3, 0xBA, 'u'}, {0xC3, 0xBC, 'u'}, {0xC3, 0x96, 'o'}, {0xC3, 0x9C, 'u'}, {0xC3, 0x87, 'c'},
      {0xC5, 0x82, 'l'}, {0xC5, 0x81, 'l'}, {0xC5, 0x9F, 's'}, {0xC5, 0x9E, 's'}, {0xC4, 0x9F, 'g'}, {0xC4, 0xB1, 'i'},
      {0xC4, 0xB0, 'i'}, {0xC5, 0x84, 'n'}, {0xC5, 0x9B, 's'}, {0xC5, 0xBA, 'z'}, {0xC5, 0xBC, 'z'}, {0xC4, 0x85, 'a'},
      {0xC4, 0x99, 'e'}, {0xC4, 0x87, 'c'}, {0xC5, 0x8D, 'o'}, {0xC4, 0x81, 'a'}, {0xC5, 0xAB, 'u'},
  };
  for (const Fold& f : folds) {
    if (f.lead == lead && f.next == next) return f.ascii;
  }
  return 0;
}

// Reads a place name as normalize_place_name spells it, one byte at a time,
// so a name can be compared with a normalized query without building a string.
class NormalizedReader {
 public:
  explicit NormalizedReader(std::string_view s) : s_(s) {}

  // The next byte of the normalized spelling, or -1 at its end.
  int next() {
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c >= 0x80) {
        if (i_ + 1 < s_.size()) {
          if (char f = fold_latin(c, static_cast<unsigned char>(s_[i_ + 1])); f != 0) {
            i_ += 2;
            return static_cast<unsigned char>(f);
          }
        }
        ++i_;
        return c;  // other UTF-8 bytes are kept as they are
      }
      ++i_;
      if (c == '\'' || c == ' ' || c == '-' || c == '.' || c == '_' || c == '`') continue;
      return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
    }
    return -1;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// True when `name` normalizes to `normalized`.
bool spells(std::string_view name, std::string_view normalized) {
  NormalizedReader r(name);
  for (char c : normalized) {
    if (r.next() != static_cast<unsigned char>(c)) return false;
  }
  return r.next() < 0;
}

// The edit distance of a and b when it is at most `limit`, else limit + 1:
// the smallest value of a row never decreases from one row to the next, so
// once it passes the limit the rest need not be computed.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t replace = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min(std::min(prev[j], cur[j - 1]) + 1, replace);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

// Edit distance from one pattern of at most 64 bytes to many texts, a column
// of the table per text byte in a few word operations (Myers 1999, in
// Hyyrö's form for the whole-string distance). Search compares a query with
// every spelling of every location, so this is its inner loop.
class BitParallelDistance {
 public:
  static constexpr std::size_t kMaxPattern = 64;

  explicit BitParallelDistance(std::string_view pattern) : m_(pattern.size()) {
    assert(m_ > 0 && m_ <= kMaxPattern);
    for (std::size_t i = 0; i < m_; ++i) peq_[static_cast<unsigned char>(pattern[i])] |= std::uint64_t{1} << i;
  }

  std::size_t to(std::string_view text) const {
    const std::uint64_t last = std::uint64_t{1} << (m_ - 1);
    std::uint64_t pv = ~std::uint64_t{0}, mv = 0;
    std::size_t score = m_;
    for (char ch : text) {
      const std::uint64_t eq = peq_[static_cast<unsigned char>(ch)];
      const std::uint64_t xv = eq | mv;
      const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
      std::uint64_t ph = mv | ~(xh | pv);
      std::uint64_t mh = pv & xh;
      if (ph & last)
        ++score;
      else if (mh & last)
        --score;
      ph = (ph << 1) | 1;  // the top row grows by one per text byte
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    return score;
  }

 private:
  std::size_t m_;
  std::uint64_t peq_[256] = {};  // byte -> the pattern positions holding it
};

// Every normalized spelling of a location with its tier: 0 id, 1 name, 2 alias.
template <typename F>
void for_each_spelling(const Location& l, F&& f) {
  f(normalize_place_name(l.id), 0);
  f(normalize_place_name(l.name), 1);
  for (const std::string& a : l.aliases) f(normalize_place_name(a), 2);
}

std::string describe(const Network& net, LocationIdx i) {
  const Location& l = net.locations[i];
  return l.id + " (" + l.name + ", " + std::string(l.country_code()) + ")";
}

}  // namespace

// No distance exceeds the longer length, so that bound cuts nothing off.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  return edit_distance(a, b, std::max(a.size(), b.size()));
}

std::string normalize_place_name(std::string_view s) {
  std::string out;
  NormalizedReader r(s);
  for (int c = r.next(); c >= 0; c = r.next()) out += static_cast<char>(c);
  return out;
}

std::vector<LocationIdx> search_places(const Network& net, std::string_view query, std::size_t limit) {
  std::string q = normalize_place_name(query);
  struct Scored {
    std::size_t score;
    LocationIdx idx;
  };
  // Suggestions by edit distance stop at this distance.
  const std::size_t max_distance = std::max<std::size_t>(3, q.size() / 2);
  std::optional<BitParallelDistance> fast;
  if (!q.empty() && q.size() <= BitParallelDistance::kMaxPattern) fast.emplace(q);
  std::vector<Scored> scored;
  for (LocationIdx i : net.locations.indexes()) {
    std::size_t best = SIZE_MAX;
    for_each_spelling(net.locations[i], [&](const std::string& sp, int tier) {
      std::size_t score;
      const std::size_t length_gap = sp.size() > q.size() ? sp.size() - q.size() : q.size() - sp.size();
      if (sp == q)
        score = static_cast<std::size_t>(tier);
      else if (!q.empty() && sp.rfind(q, 0) == 0)
        score = 10 + static_cast<std::size_t>(tier);
      else if (!q.empty() && sp.find(q) != std::string::npos)
        score = 20 + static_cast<std::size_t>(tier);
      // The distance is at least the gap in length: past the cut-off, the
      // quadratic edit distance (a 4 KB query) need not be computed; within
      // it, computed only as far as the cut-off (beyond, all rank alike).
      else if (length_gap > max_distance)
        score = 100 + length_gap;
      else if (fast)
        score = 100 + std::min(fast->to(sp), max_distance + 1);
      else
        score = 100 + edit_distance(sp, q, max_distance);
      best = std::min(best, score);
    });
    scored.push_back({best, i});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.score < b.score; });
  std::vector<LocationIdx> out;
  for (const Scored& s : scored) {
    if (out.size() >= limit) break;
    if (s.score >= 100 && s.score - 100 > max_distance) break;  // too far to suggest
    out.push_back(s.idx);
  }
  return out;
}

Result<LocationIdx> resolve_place(const Network& net, std::string_view query) {
  std::string q = normalize_place_name(query);
  int best_tier = 3;
  std::vector<LocationIdx> best;
  for (LocationIdx i : net.locations.indexes()) {
    // Compared in place: resolving runs on every request, and normalizing
    // every spelling of every location each time dominated it.
    const Location& l = net.locations[i];
    int tier = 3;
    if (spells(l.id, q))
      tier = 0;
    else if (spells(l.name, q))
      tier = 1;
    else if (std::any_of(l.aliases.begin(), l.aliases.end(), [&](const std::string& a) { return spells(a, q); }))
      tier = 2;
    if (tier < best_tier) {
      best_tier = tier;
      best = {i};
    } else if (tier == best_tier && tier < 3) {
      best.push_back(i);
    }
  }
  if (best.size() == 1) return best.front();
  if (best.size() > 1) {
    std::string msg = "ambiguous place \"" + std::string(query) + "\" (expected one of:";
    for (LocationIdx i : best) msg += " " + describe(net, i) + ";";
    msg.back() = ')';
    return Error::invalid(msg);
  }
  std::string msg = "unknown place \"" + std::string(query) + "\"";
  auto near = search_places(net, query, 5);
  if (!near.empty()) {
    msg += " (nearest:";
    for (LocationIdx i : near) msg += " " + describe(net, i) + ";";
    msg.back() = ')';
  } else {
    msg += " (expected a location id, name or alias)";
  }
  return Error::not_found(msg);
}

bool has_country(const Network& net, std::string_view code) {
  for (const Location& l : net.locations) {
    if (l.country_code() == code) return true;
  }
  return false;
}

}  // namespace caravan
