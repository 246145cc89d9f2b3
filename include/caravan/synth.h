// caravan/synth.h — seeded synthetic networks for benchmarks and tests.
//
// Two generators, both deterministic for a given size and seed on every
// platform (their own 64-bit generator and uniform draws, nothing from
// <random>'s implementation-defined distributions):
//
//  * generate_road_graph: a plain road-like directed graph — a perturbed grid
//    (about 92 % of neighbour pairs joined both ways, weights = distance times
//    a congestion factor per direction) with a few long fast shortcuts — for
//    `caravan bench sssp` and the peer comparison (bench/peers).
//
//  * generate_network: a timetabled multimodal Network of the same shape — a
//    grid of locations in four countries (vertical strips, each with its IANA
//    zone and rail gauge), roads between neighbours, rail lines on every
//    fourth row and column, border crossings with weekly opening hours (rail
//    ones with a gauge change where gauges differ) and weekly block-train
//    services along the rail rows — for planner benchmarks at 1,000 to
//    1,000,000 locations, and for tests on small instances.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "caravan/arc_list.h"
#include "caravan/network.h"

namespace caravan {

/// A road-like graph of `nodes` nodes (ids 0..nodes-1); weights rounded to
/// 1/1000 so they print exactly with three decimals.
ArcList generate_road_graph(std::uint32_t nodes, std::uint64_t seed);

/// `count` origin-destination pairs drawn uniformly among `nodes` nodes.
OdPairs generate_od_pairs(std::uint32_t nodes, std::uint32_t count, std::uint64_t seed);

/// Writes `src,dst,weight` / `src,dst` CSV (the formats of arc_list.h),
/// atomically: the file is complete or keeps its old content. Fails with
/// not_found when the folder cannot take a new file, kInternal when a write
/// fails (a full disk).
Status write_arc_list_csv(const ArcList& arcs, const std::filesystem::path& path);
Status write_od_pairs_csv(const OdPairs& pairs, const std::filesystem::path& path);

/// A timetabled multimodal network of `locations` locations (at least 16),
/// built in memory; passes Network::validate(). Location ids are `n<index>`.
Network generate_network(std::uint32_t locations, std::uint64_t seed);

}  // namespace caravan
