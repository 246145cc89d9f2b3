// Seeded generators of synthetic graphs and networks (see caravan/synth.h).
#include "caravan/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "caravan/file.h"

namespace caravan {
namespace {

// splitmix64: tiny, fast and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  /// Uniform in [0, n).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>((next() >> 32) * n >> 32); }
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

std::uint32_t grid_side(std::uint32_t n) {
  auto side = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  return side == 0 ? 1 : side;
}

double round3(double w) { return std::max(0.001, std::round(w * 1000.0) / 1000.0); }

}  // namespace

ArcList generate_road_graph(std::uint32_t n, std::uint64_t seed) {
  Rng rng(seed);
  ArcList g;
  g.node_count = n;
  const std::uint32_t side = grid_side(n);
  std::vector<double> x(n), y(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    x[i] = (i % side) + rng.uniform(-0.35, 0.35);
    y[i] = (i / side) + rng.uniform(-0.35, 0.35);
  }
  auto dist = [&](std::uint32_t a, std::uint32_t b) { return std::hypot(x[a] - x[b], y[a] - y[b]) * 10.0; };
  auto both_ways = [&](std::uint32_t a, std::uint32_t b, double lo, double hi) {
    const double d = dist(a, b);
    for (auto [s, t] : {std::pair{a, b}, std::pair{b, a}}) {
      g.tail.push_back(s);
      g.head.push_back(t);
      g.weight.push_back(round3(d * rng.uniform(lo, hi)));
    }
  };
  const std::size_t expect = static_cast<std::size_t>(n) * 4;
  g.tail.reserve(expect);
  g.head.reserve(expect);
  g.weight.reserve(expect);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t r = i / side, c = i % side;
    // Local roads: congestion makes each direction 1.0-1.6 times the distance.
    if (c + 1 < side && i + 1 < n && rng.chance(0.92)) both_ways(i, i + 1, 1.0, 1.6);
    if (i + side < n && rng.chance(0.92)) both_ways(i, i + side, 1.0, 1.6);
    // Motorways: one node in a hundred has a fast link up to 20 cells away.
    if (rng.chance(0.01)) {
      const auto dr = static_cast<std::int64_t>(rng.below(41)) - 20, dc = static_cast<std::int64_t>(rng.below(41)) - 20;
      const std::int64_t r2 = static_cast<std::int64_t>(r) + dr, c2 = static_cast<std::int64_t>(c) + dc;
      if (r2 >= 0 && c2 >= 0 && c2 < side) {
        const auto j = static_cast<std::uint64_t>(r2) * side + static_cast<std::uint64_t>(c2);
        if (j < n && j != i) both_ways(i, static_cast<std::uint32_t>(j), 0.45, 0.55);
      }
    }
  }
  return g;
}

OdPairs generate_od_pairs(std::uint32_t n, std::uint32_t count, std::uint64_t seed) {
  Rng rng(seed ^ 0x5EED0D0D5EEDull);
  OdPairs out;
  if (n == 0) return out;
  out.reserve(count);
  for (std::uint32_t k = 0; k < count; ++k) {
    std::uint32_t s = rng.below(n), t = rng.below(n);
    out.emplace_back(s, t);
  }
  return out;
}

namespace {

// Complete or absent, never half-written (a full disk leaves the old file).
Status write_file(const std::filesystem::path& path, const std::string& header, std::size_t rows,
                  const auto& format_row) {
  return write_file_atomically(path, [&](std::FILE* f) {
    std::string buf = header;
    char line[96];
    for (std::size_t i = 0; i < rows; ++i) {
      int len = format_row(i, line, sizeof line);
      buf.append(line, static_cast<std::size_t>(len));
      if (buf.size() > (1u << 20)) {
        if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) return false;
        buf.clear();
      }
    }
    return std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
  });
}

}  // namespace

Status write_arc_list_csv(const ArcList& g, const std::filesystem::path& path) {
  return write_file(path, "src,dst,weight\n", g.tail.size(), [&](std::size_t i, char* out, std::size_t cap) {
    return std::snprintf(out, cap, "%u,%u,%.3f\n", g.tail[i], g.head[i], g.weight[i]);
  });
}

Status write_od_pairs_csv(const OdPairs& pairs, const std::filesystem::path& path) {
  return write_file(path, "src,dst\n", pairs.size(), [&](std::size_t i, char* out, std::size_t cap) {
    return std::snprintf(out, cap, "%u,%u\n", pairs[i].first, pairs[i].second);
  });
}

// ---------------------------------------------------------------------------

namespace {

struct Country {
  const char* code;
  const char* zone;
  GaugeMm gauge;
};
constexpr Country kCountries[4] = {{"CN", "Asia/Shanghai", 1435},
                                   {"KZ", "Asia/Almaty", 1520},
                                   {"KG", "Asia/Bishkek", 1520},
                                   {"UZ", "Asia/Tashkent", 1520}};

// One speed per mode, as in a corridor model: within a mode time, cost and CO2
// all grow with distance, so trade-offs (the Pareto set) come from choosing
// modes, services and crossings — as on the real network — not from every
// pair of parallel grid paths.
constexpr double kRoadKmh = 60, kRailKmh = 45;
// Rail junctions every 16 grid cells: a coarser rail grid over a dense road one.
constexpr std::uint32_t kJunction = 16;
constexpr std::uint32_t kCrossingsPerBorder = 4;

const char* const kRoadHours[3] = {"Mon-Fri 09:00-18:00;Sat 09:00-13:00", "Mon-Sat 08:00-20:00", "24/7"};
const char* const kRailHours[2] = {"24/7", "Mon-Sat 06:00-22:00"};

}  // namespace

Network generate_network(std::uint32_t n, std::uint64_t seed) {
  if (n < 16) n = 16;
  Rng rng(seed);
  Network net;
  net.info.name = "synthetic-" + std::to_string(n);
  net.info.version = "1";
  net.info.description = "generated grid network for benchmarks and tests";
  net.info.license = "CC0-1.0";
  net.info.fx_date = "2025-01-01";
  Source src;
  src.id = "synthetic";
  src.title = "generated by caravan's seeded generator";
  src.publisher = "caravan";
  src.note = "random figures of plausible size, not a real network";
  const SourceIdx si = net.sources.push_back(src);
  net.source_by_id["synthetic"] = si;
  const SourceList cite{si};
  net.fx.set(Currency::usd(), 1.0);
  net.fx.set_date("2025-01-01");
  net.fx_sources.push_back(cite);
  net.emission_factors.push_back({Mode::kRail, "average", 20, cite});
  net.emission_factors.push_back({Mode::kRoad, "average", 80, cite});

  const std::uint32_t side = grid_side(n);
  const double spacing_km = 2400.0 / side;  // the whole grid spans about 2,400 km whatever its size
  auto country_of = [&](std::uint32_t c) { return std::min<std::uint32_t>(3, c * 4 / side); };
  auto cell = [&](std::uint32_t r, std::uint32_t c) { return r * side + c; };
  auto exists = [&](std::uint32_t r, std::uint32_t c) { return c < side && cell(r, c) < n; };
  auto junction = [&](std::uint32_t r, std::uint32_t c) { return r % kJunction == 0 && c % kJunction == 0; };
  // Rail stations: junctions, and the two sides of each rail border crossing.
  auto rail_border_row = [&](std::uint32_t r) { return r % kJunction == 0; };
  auto boundary = [&](std::uint32_t k) { return (side * k + 3) / 4; };  // first column of strip k
  auto border_side = [&](std::uint32_t c) {
    for (std::uint32_t k = 1; k < 4; ++k) {
      if (c + 1 == boundary(k) || c == boundary(k)) return true;
    }
    return false;
  };
  TimeZone zones[4] = {TimeZone::utc(), TimeZone::utc(), TimeZone::utc(), TimeZone::utc()};
  for (int k = 0; k < 4; ++k) zones[k] = *TimeZone::locate(kCountries[k].zone);

  net.locations.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t r = i / side, c = i % side;
    const Country& k = kCountries[country_of(c)];
    Location l;
    l.id = "n" + std::to_string(i);
    l.name = "N" + std::to_string(i);
    l.country = {k.code[0], k.code[1]};
    l.kind = LocationKind::kCity;
    l.lat = 38.0 + r * spacing_km / 111.0 + rng.uniform(-0.2, 0.2) * spacing_km / 111.0;
    l.lon = 60.0 + c * spacing_km / 85.0 + rng.uniform(-0.2, 0.2) * spacing_km / 85.0;
    l.zone = zones[country_of(c)];
    l.transfer_time = hours(2);
    l.handling_cost = Money{4000, Currency::usd()};
    const bool station = junction(r, c) || (rail_border_row(r) && border_side(c));
    l.gauge = station ? k.gauge : 0;
    l.sources = cite;
    net.location_by_id[l.id] = net.locations.push_back(std::move(l));
  }

  auto add_link = [&](std::uint32_t a, std::uint32_t b, Mode m, double km, double speed) {
    Link k;
    k.id = std::string(m == Mode::kRail ? "rail-" : "road-") + std::to_string(a) + "-" + std::to_string(b);
    k.from = LocationIdx(a);
    k.to = LocationIdx(b);
    k.mode = m;
    k.length = Distance::from_km(km);
    k.gauge = m == Mode::kRail ? net.locations[k.from].gauge : 0;
    k.speed_kmh = speed;
    k.tariff_per_teu_km = m == Mode::kRail ? 0.5 : 1.1;
    k.tariff_per_teu = Money{0, Currency::usd()};
    k.co2_g_per_tkm = m == Mode::kRail ? 20 : 80;
    k.sources = cite;
    net.link_by_id[k.id] = net.links.push_back(std::move(k));
    return net.links[LinkIdx(net.links.size() - 1)].length.km();
  };
  // Roads between grid neighbours of one country.
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t c = i % side;
    if (c + 1 < side && i + 1 < n && country_of(c) == country_of(c + 1) && rng.chance(0.9)) {
      add_link(i, i + 1, Mode::kRoad, spacing_km * rng.uniform(1.0, 1.3), kRoadKmh);
    }
    if (i + side < n && rng.chance(0.9))
      add_link(i, i + side, Mode::kRoad, spacing_km * rng.uniform(1.0, 1.3), kRoadKmh);
  }
  // Rail: a coarser grid between junctions, plus spurs to the border
  // stations. rail_km_east[i]: rail km from station i to the next station
  // east on its row, for service distances.
  std::vector<double> rail_km_east(n, 0);
  auto rail = [&](std::uint32_t a, std::uint32_t b, std::uint32_t cells) {
    return add_link(a, b, Mode::kRail, spacing_km * cells * rng.uniform(1.0, 1.15), kRailKmh);
  };
  for (std::uint32_t r = 0; r * side < n; r += kJunction) {
    for (std::uint32_t c = 0; c < side; c += kJunction) {
      if (!exists(r, c)) continue;
      if (r + kJunction < side && exists(r + kJunction, c)) rail(cell(r, c), cell(r + kJunction, c), kJunction);
    }
    // Along the row: stations in column order, joined within each country.
    std::vector<std::uint32_t> cols;
    for (std::uint32_t c = 0; c < side; ++c) {
      if (exists(r, c) && net.locations[LocationIdx(cell(r, c))].gauge != 0) cols.push_back(c);
    }
    for (std::size_t q = 0; q + 1 < cols.size(); ++q) {
      if (country_of(cols[q]) != country_of(cols[q + 1])) continue;
      rail_km_east[cell(r, cols[q])] = rail(cell(r, cols[q]), cell(r, cols[q + 1]), cols[q + 1] - cols[q]);
    }
  }

  // Border crossings between neighbouring strips, both directions.
  auto add_crossing = [&](std::uint32_t exit, std::uint32_t entry, Mode m) {
    const Location& a = net.locations[LocationIdx(exit)];
    const Location& b = net.locations[LocationIdx(entry)];
    Crossing x;
    x.id = std::string(m == Mode::kRail ? "xrail-" : "xroad-") + std::to_string(exit) + "-" + std::to_string(entry);
    x.exit = LocationIdx(exit);
    x.entry = LocationIdx(entry);
    x.mode = m;
    const double median = m == Mode::kRail ? rng.uniform(8, 40) : rng.uniform(2, 10);
    x.clearance_median = hours(median);
    x.clearance_p90 = hours(median * 2.2);
    x.cost = Money{static_cast<std::int64_t>(rng.uniform(50, 200)) * 100, Currency::usd()};
    const char* const* table = m == Mode::kRail ? kRailHours : kRoadHours;
    const std::uint32_t choices = m == Mode::kRail ? 2 : 3;
    x.exit_open = *OpeningHours::parse(table[rng.below(choices)]);
    x.entry_open = *OpeningHours::parse(table[rng.below(choices)]);
    x.gauge_change = m == Mode::kRail && a.gauge != b.gauge;
    if (x.gauge_change) {
      x.gauge_change_time = hours(4);
      x.gauge_change_cost_per_teu = Money{7500, Currency::usd()};
    }
    x.sources = cite;
    net.crossing_by_id[x.id] = net.crossings.push_back(std::move(x));
  };
  for (std::uint32_t k = 1; k < 4; ++k) {
    const std::uint32_t b = boundary(k);
    if (b == 0 || b >= side || country_of(b - 1) == country_of(b)) continue;
    // Four rail and four road crossings per border whatever the size, as on
    // real borders: more locations make the country denser, not the border
    // more porous.
    std::uint32_t rows = 0;
    while (exists(rows, b)) ++rows;
    for (std::uint32_t q = 0; q < kCrossingsPerBorder; ++q) {
      const std::uint32_t at =
          static_cast<std::uint32_t>((q * 2 + 1) * static_cast<std::uint64_t>(rows) / (2 * kCrossingsPerBorder));
      const std::uint32_t rail_row = at / kJunction * kJunction;
      const std::uint32_t road_row = std::min(rows - 1, rail_row + kJunction / 2);
      const std::uint32_t west = cell(rail_row, b - 1), east = cell(rail_row, b);
      const bool stations = net.locations[LocationIdx(west)].gauge != 0 && net.locations[LocationIdx(east)].gauge != 0;
      if (stations && !net.crossing_by_id.count("xrail-" + std::to_string(west) + "-" + std::to_string(east))) {
        add_crossing(west, east, Mode::kRail);
        add_crossing(east, west, Mode::kRail);
      }
      if (!net.crossing_by_id.count("xroad-" + std::to_string(cell(road_row, b - 1)) + "-" +
                                    std::to_string(cell(road_row, b)))) {
        add_crossing(cell(road_row, b - 1), cell(road_row, b), Mode::kRoad);
        add_crossing(cell(road_row, b), cell(road_row, b - 1), Mode::kRoad);
      }
    }
  }

  // Weekly block trains along each rail row inside each strip, both ways,
  // calling at up to six stations.
  for (std::uint32_t r = 0; r * side < n; r += kJunction) {
    for (std::uint32_t k = 0; k < 4; ++k) {
      std::vector<std::uint32_t> stations;
      for (std::uint32_t c = 0; c < side; ++c) {
        if (exists(r, c) && country_of(c) == k && net.locations[LocationIdx(cell(r, c))].gauge != 0)
          stations.push_back(cell(r, c));
      }
      if (stations.size() < 2) continue;
      const std::size_t step = std::max<std::size_t>(1, (stations.size() + 4) / 5);
      std::vector<std::uint32_t> stops;
      for (std::size_t q = 0; q < stations.size() && stops.size() < 6; q += step) stops.push_back(stations[q]);
      if (stops.back() != stations.back() && stops.size() < 6) stops.push_back(stations.back());
      if (stops.size() < 2) continue;
      for (int dir = 0; dir < 2; ++dir) {
        Service s;
        s.id = "train-" + std::to_string(r) + "-" + std::to_string(k) + (dir == 0 ? "-east" : "-west");
        s.name = "Block train " + s.id.substr(6);
        s.operator_name = "synthetic";
        s.mode = Mode::kRail;
        std::vector<std::uint32_t> order = stops;
        if (dir == 1) std::reverse(order.begin(), order.end());
        double km = 0, hours_from_start = 0;
        for (std::size_t q = 0; q < order.size(); ++q) {
          if (q > 0) {
            const std::uint32_t lo = std::min(order[q - 1], order[q]), hi = std::max(order[q - 1], order[q]);
            double seg = 0;
            for (std::uint32_t i = lo; i < hi; ++i) seg += rail_km_east[i];
            km += seg;
            hours_from_start += seg / 70.0 + 1.0;  // 70 km/h and an hour at each stop
          }
          s.stops.push_back(LocationIdx(order[q]));
          s.stop_offsets.push_back(hours(hours_from_start));
          s.stop_km.push_back(Distance::from_km(km));
          s.stop_co2_g_per_t.push_back(km * 15.0);
        }
        // Two departures a week on different days; 10:00 local at the first stop.
        const std::uint32_t d0 = rng.below(7);
        s.weekdays = static_cast<std::uint8_t>((1u << d0) | (1u << ((d0 + 3) % 7)));
        s.depart_local_s = 10 * 3600;
        s.capacity_teu = 90;
        s.tariff_per_teu = Money{static_cast<std::int64_t>(std::llround(km * 0.35 * 100)), Currency::usd()};
        s.sources = cite;
        net.service_by_id[s.id] = net.services.push_back(std::move(s));
      }
    }
  }
  return net;
}

}  // namespace caravan
