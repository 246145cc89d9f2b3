// caravan/sweep.h — sweeps: every combination of measures, departures, seeds
// and trade lanes, on one machine or many.
//
// A sweep asks the same question of many worlds. Its grid (a TOML file, see
// docs/sweeps.md) names
//   * measure sets — each one or more scenarios applied together — combined
//     as a full factorial (every set on or off) or as listed (each alone);
//     the combination with no set on is the base;
//   * departure dates, Monte Carlo seeds and a sample count;
//   * the origin-destination pairs: the dataset's hubs, all its places, an
//     explicit list, or the lanes of a demand file;
//   * the query (objective, containers, deadline) and the outputs wanted.
// A cell is one (combination, departure, seed, pair). Evaluating it plans
// the pair on the combination's overlay with the grid's objective and
// replays the itinerary with `samples` Monte Carlo draws (stochastic.h):
// time p50/p95, on-time probability, cost in USD and CO2. The change against
// the base is the cell's figures minus those of the base cell with the same
// departure, seed and pair. Every cell depends only on its key, never on
// which thread or process ran it, so a sweep's table is the same byte for
// byte however it was run.
//
// Running: run_sweep() hands chunks of cells to this process's threads and,
// through a SweepTransport, to other processes (ranks). Rank 0 coordinates:
// it owns the queue of cells, hands out chunks on request (chunks shrink as
// the queue empties, so no rank waits long for the slowest) and writes every
// result to a SweepJournal as it arrives. An interrupted sweep resumes from
// its journal. The transport is an interface so that this module knows
// nothing of MPI: sweep_mpi.h implements it over MPI where MPI is available,
// and in_process_transports() over queues, for tests.
//
// Thread safety: SweepGrid and SweepContext are immutable once built and may
// be shared by threads (SweepContext::evaluate is reentrant with one
// CellScratch per thread). A SweepJournal and a SweepTransport are used by
// one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"
#include "caravan/load.h"
#include "caravan/network.h"
#include "caravan/request.h"
#include "caravan/route.h"
#include "caravan/scenario.h"

namespace caravan {

// ---------------------------------------------------------------------------
// The grid

/// One or more scenarios applied together, switched on and off as one.
struct MeasureSet {
  std::string name;                 ///< as given, else its scenario ids joined by "+"
  std::vector<Scenario> scenarios;  ///< applied in this order
};

enum class Combine : std::uint8_t {
  kFactorial,  ///< every subset of the sets: 2^n combinations
  kListed,     ///< the base, then each set on its own
};

/// The measure sets switched on in one world of the sweep.
struct Combination {
  std::string name;                 ///< "base", or its sets' names joined by "+"
  std::vector<std::uint32_t> sets;  ///< indexes into SweepGrid::sets, ascending
};

/// One origin-destination pair of the sweep.
struct OdPair {
  LocationIdx from, to;
  double teu_per_year = 0;  ///< from a demand file; 0 otherwise
};

/// The query every cell asks: the grid's [query] table, read by
/// parse_sweep_request (request.h) with the route request's names and limits.
struct SweepQuery {
  /// What is shipped and how it is planned: objective, units, unit, cargo,
  /// via, avoid, modes. Each cell sets from, to and depart.
  RouteQuery route = [] {
    RouteQuery q;
    q.objective = default_sweep_objective();
    return q;
  }();
  /// On-time probability: arrival by departure + deadline_after, or by the
  /// fixed `deadline` (after every departure); at most one is set.
  std::optional<Duration> deadline_after;
  std::optional<Instant> deadline;

  bool has_deadline() const { return deadline_after.has_value() || deadline.has_value(); }
};

/// The figures each cell reports (the grid's `outputs`); all applicable ones
/// by default.
struct SweepOutputs {
  bool hours = true;    ///< planned hours (stages at their medians)
  bool p50 = true;      ///< Monte Carlo median hours
  bool p95 = true;      ///< Monte Carlo 95th percentile hours
  bool on_time = true;  ///< P(arrive by the deadline)
  bool cost = true;     ///< USD
  bool co2 = true;      ///< kg
  bool change = true;   ///< each of the above minus the base cell's
};

/// Which combination, departure, seed and pair a cell is.
struct CellKey {
  std::uint32_t combination = 0, departure = 0, seed = 0, pair = 0;
  friend bool operator==(const CellKey&, const CellKey&) = default;
};

/// A parsed, validated grid. Cells are numbered combination-major:
///   cell = ((combination × departures + departure) × seeds + seed) × pairs + pair.
struct SweepGrid {
  std::string name, description;
  std::string file;            ///< the grid file as given, for messages
  std::vector<Scenario> base;  ///< applied under every combination, the base included
  std::vector<MeasureSet> sets;
  Combine combine = Combine::kFactorial;
  std::vector<Combination> combinations;  ///< [0] is the base
  std::vector<Instant> departures;
  std::vector<std::uint64_t> seeds;
  std::uint32_t samples = 1000;  ///< Monte Carlo samples per cell; 0: none
  std::vector<OdPair> pairs;
  std::string pairs_source;  ///< `hubs`, `places`, `list` or the demand file as written
  SweepQuery query;
  SweepOutputs outputs;
  /// FNV-1a 64 of the text of the grid file and every scenario and demand
  /// file it read: part of the fingerprint.
  std::uint64_t inputs_hash = 0;

  std::uint64_t cell_count() const;
  /// cell < cell_count().
  CellKey key(std::uint64_t cell) const;
  std::uint64_t cell(const CellKey& k) const;
  /// The cell of the base with the same departure, seed and pair.
  std::uint64_t base_cell(std::uint64_t cell) const { return cell % (cell_count() / combinations.size()); }
};

/// Parses a grid. Scenario items are dataset scenario ids, looked up as
/// `<scenario_dir>/<id>.toml`, or paths (ending in `.toml` or holding a `/`);
/// paths and the demand file are relative to the grid file's folder.
/// Errors name the grid file and line: unknown keys, wrong types, unknown
/// places or scenarios, a scenario in two sets, an empty dimension, a
/// factorial of more than 12 sets. Scenario and demand file errors are
/// theirs (file:line).
Result<SweepGrid> parse_sweep_grid(std::string_view toml_text, const std::filesystem::path& file, const Network& net,
                                   const std::filesystem::path& scenario_dir);

/// Reads and parses a grid file. Fails with kNotFound when it cannot be read.
Result<SweepGrid> load_sweep_grid(const std::filesystem::path& file, const Network& net,
                                  const std::filesystem::path& scenario_dir);

/// FNV-1a 64 of every file of a dataset, names and text.
std::uint64_t dataset_hash(const DatasetFiles& files);

/// What identifies a sweep's results: the grid as resolved (including an
/// objective set after parsing), its input files, the dataset and this
/// version of caravan. A journal is resumed only by a sweep with the same
/// fingerprint, and every rank must have the same.
std::uint64_t sweep_fingerprint(const SweepGrid& grid, std::uint64_t dataset_hash);

// ---------------------------------------------------------------------------
// Cells

enum class CellStatus : std::uint8_t {
  kOk,
  kNoRoute,  ///< the planner found nothing (the message says why)
  kError,    ///< the planner failed (an internal error); never journaled
};
std::string_view to_string(CellStatus s);

/// The figures of one cell.
struct CellResult {
  std::uint64_t cell = 0;
  CellStatus status = CellStatus::kOk;
  double hours = 0;  ///< planned door to door, stages at their medians
  std::int64_t cost_usd_cents = 0;
  std::int64_t co2_g = 0;
  /// When samples > 0: hours from departure; infinity when that share of the
  /// samples never arrives (stuck_samples counts those).
  std::optional<double> p50_hours, p95_hours;
  std::optional<double> on_time_probability;  ///< when samples > 0 and a deadline is set
  std::uint32_t stuck_samples = 0;
  std::string message;  ///< for kNoRoute and kError

  friend bool operator==(const CellResult&, const CellResult&) = default;
};

/// One line (ending in '\n') that decode_cell reads back exactly: doubles
/// in shortest round-trip form, a checksum at the end. The journal's record
/// and the wire format between ranks.
std::string encode_cell(const CellResult& r);
/// Reads a line of encode_cell (with or without its '\n'). Fails with
/// kInvalidInput naming what is wrong (field count, a number, the checksum).
Result<CellResult> decode_cell(std::string_view line);

/// Per-thread scratch for SweepContext::evaluate: a planner and a buffer of
/// sampled hours, kept warm across cells. Move-only.
class CellScratch {
 public:
  CellScratch();
  ~CellScratch();
  CellScratch(CellScratch&&) noexcept;
  CellScratch& operator=(CellScratch&&) noexcept;
  CellScratch(const CellScratch&) = delete;
  CellScratch& operator=(const CellScratch&) = delete;

  struct Impl;

 private:
  friend class SweepContext;
  std::unique_ptr<Impl> impl_;
};

/// What one process needs to evaluate cells. Builds every combination's
/// overlay up front (so a combination that cannot be built fails here, with
/// its name); route indexes and stage models are built on first use and a
/// few are kept, the least recently used dropped — chunks are runs of
/// neighbouring cells, which share a combination. The Network and the
/// SweepGrid must outlive the context.
class SweepContext {
 public:
  /// Fails with the overlay's error, prefixed with the combination's name.
  static Result<SweepContext> build(const Network& net, const SweepGrid& grid);
  ~SweepContext();
  SweepContext(SweepContext&&) noexcept;
  SweepContext& operator=(SweepContext&&) noexcept;

  const Network& network() const { return *net_; }
  const SweepGrid& grid() const { return *grid_; }

  /// The figures of `cell` (< grid().cell_count()). Never fails: a pair with
  /// no route is kNoRoute, a planner failure kError.
  CellResult evaluate(std::uint64_t cell, CellScratch& scratch) const;

  struct Impl;

 private:
  SweepContext(const Network& net, const SweepGrid& grid);
  const Network* net_;
  const SweepGrid* grid_;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------
// The journal: results as they arrive, so a sweep can resume

/// An append-only file of encode_cell lines after a header naming the
/// sweep's fingerprint and cell count. Each append is one write(2), so what
/// a killed process wrote is on disk; a torn last line is dropped on open.
/// The file is locked while open: one sweep per journal.
class SweepJournal {
 public:
  /// Opens `path`, creating it when absent; with `restart` an existing
  /// journal is discarded. Fails with kInvalidInput when the journal holds
  /// another sweep (another fingerprint) or a damaged line, or when another
  /// process has it open; kInternal when it cannot be read or written.
  static Result<SweepJournal> open(const std::filesystem::path& path, std::uint64_t fingerprint, std::uint64_t cells,
                                   bool restart);
  ~SweepJournal();
  SweepJournal(SweepJournal&&) noexcept;
  SweepJournal& operator=(SweepJournal&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  /// The results found on open, in file order; moved out by the caller.
  std::vector<CellResult>& recovered() { return recovered_; }
  /// Appends encoded lines (one write). Fails with kInternal on a write error.
  Status append(std::string_view lines);
  /// Closes and deletes the file: the sweep's table is written.
  Status remove();

 private:
  SweepJournal() = default;
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<CellResult> recovered_;
};

// ---------------------------------------------------------------------------
// Running

/// What one rank says before the sweep starts: whether it set up (loaded
/// the dataset and the grid) and what it set up.
struct RankReadiness {
  bool ready = false;
  std::uint64_t fingerprint = 0;  ///< sweep_fingerprint
};

/// Delivers messages between the processes (ranks) of a distributed sweep.
/// Rank 0 coordinates; every other rank works. The meaning of the bytes is
/// run_sweep's; a transport delivers whole messages, in order between any two
/// ranks. A rank that dies is the runtime's to report (mpirun stops the job).
class SweepTransport {
 public:
  static constexpr int kAnyRank = -1;
  struct Message {
    int from = 0;
    std::string bytes;
  };

  virtual ~SweepTransport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void send(int to, std::string_view bytes) = 0;
  /// The next message from `from` (or any rank), waiting up to `wait`;
  /// nullopt when none came.
  virtual std::optional<Message> receive(int from, std::chrono::microseconds wait) = 0;
  /// Collective, once per rank before any message: what every rank said,
  /// by rank, on every rank.
  virtual std::vector<RankReadiness> gather(const RankReadiness& mine) = 0;
};

/// Whether the ranks may start, from what gather() returned: OK when every
/// rank is ready with rank 0's fingerprint, else an error naming the first
/// rank that is not.
Status agreement(const std::vector<RankReadiness>& by_rank);

/// `ranks` transports joined by in-memory queues, for running the protocol
/// with threads as ranks (tests, and checking a transport against it).
std::vector<std::unique_ptr<SweepTransport>> in_process_transports(int ranks);

struct SweepRunOptions {
  unsigned threads = 0;          ///< compute threads in this process; 0: default_threads()
  std::uint32_t max_chunk = 64;  ///< most cells per thread in one chunk (>= 1)
  /// Coordinator only: called as results arrive, (done, total), one call at a
  /// time; `done` counts resumed cells. Optional.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

/// Where the time of one rank went.
struct RankStats {
  int rank = 0;
  unsigned threads = 0;
  std::uint64_t cells = 0, chunks = 0;
  double busy_seconds = 0;  ///< CPU time evaluating cells, summed over threads
  double wait_seconds = 0;  ///< workers: wall time from asking for a chunk to getting it
};

struct SweepStats {
  std::uint64_t cells = 0, resumed = 0, chunks = 0;
  double wall_seconds = 0;         ///< run_sweep on the coordinator
  double coordinator_seconds = 0;  ///< CPU time the coordinator spent handling workers' messages
  std::vector<RankStats> ranks;    ///< by rank
};

struct SweepOutcome {
  /// Coordinator: every cell, in cell order (resumed and new). Workers: empty.
  std::vector<CellResult> cells;
  SweepStats stats;
};

/// Runs the sweep's cells not in the journal yet. Call on every rank with the
/// same grid, once `agreement(transport->gather(…))` is OK; `transport` null
/// (or of size 1) runs in this process alone,
/// `journal` (coordinator only) may be null. Results are journaled as they
/// arrive, except kError cells, which a resumed sweep runs again. Fails with
/// kInternal when the journal cannot be written (workers are stopped first).
Result<SweepOutcome> run_sweep(const SweepContext& ctx, SweepJournal* journal, SweepTransport* transport,
                               const SweepRunOptions& o);

// ---------------------------------------------------------------------------
// Reading a finished sweep

/// A cell's figure and its change against the base cell, for presenters.
/// `base` is the base cell's result (the same as `r` for base cells).
struct CellChange {
  std::optional<double> hours, p50_hours, p95_hours, on_time, cost_usd, co2_kg;
};
/// The change of `r` against `base`; a figure is empty unless both cells have
/// it (reachable, finite).
CellChange change_against(const CellResult& r, const CellResult& base);

/// Network-wide mean changes of one combination against the base, over the
/// cells reachable in both; weighted by teu_per_year when the pairs come from
/// a demand file.
struct CombinationSummary {
  std::uint32_t combination = 0;
  std::uint64_t cells = 0, compared = 0;
  bool by_demand = false;
  std::optional<double> hours, p50_hours, p95_hours, on_time, cost_usd, co2_kg;
};
/// One summary per combination, in combination order. `cells` as from
/// run_sweep (every cell, in order).
std::vector<CombinationSummary> summarize(const SweepGrid& grid, const std::vector<CellResult>& cells);

/// Writes `text` to `path` through a temporary file in the same folder and a
/// rename, so readers see the old file or the whole new one. Fails with
/// kInternal naming the path.
Status write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace caravan
