// Running a sweep: the coordinator's queue and bookkeeping, the workers'
// loop, and the messages between them.
//
// Messages (bytes over a SweepTransport):
//   worker -> coordinator  "R <threads> <cells> <chunks> <busy_ns> <wait_ns>\n", then the
//                          encode_cell lines of its last chunk (none in its first message):
//                          the results so far and a request for more; the numbers are the
//                          worker's running totals, for SweepStats
//   coordinator -> worker  "C\n" and one cell number a line: the next chunk; or "S\n": stop
// The coordinator answers every request, so a worker has at most one chunk at
// a time and never waits for anything but its answer.
#include <time.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <sstream>
#include <thread>

#include "caravan/parallel.h"
#include "caravan/sweep.h"

namespace caravan {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time of the calling thread: what evaluating and coordinating cost,
// which a machine shared with other work does not inflate as it does wall time.
double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The cells still to run, handed out in chunks that shrink as the queue
// empties (guided self-scheduling): a chunk is a quarter of each thread's
// fair share of what is left, at most max_chunk cells a thread. Early chunks
// are large, so the coordinator is asked rarely; the last are single cells,
// so no thread waits long for the slowest.
class CellQueue {
 public:
  CellQueue(std::vector<std::uint64_t> pending, unsigned threads_everywhere, std::uint32_t max_chunk)
      : pending_(std::move(pending)),
        threads_(std::max(1u, threads_everywhere)),
        max_chunk_(std::max<std::uint32_t>(1, max_chunk)) {}

  // The next chunk for a requester running `threads` threads; empty when
  // nothing is left or the sweep has stopped.
  std::vector<std::uint64_t> take(unsigned threads) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::size_t left = stopped_ ? 0 : pending_.size() - next_;
    if (left == 0) return {};
    const std::size_t share = (left + 4 * std::size_t{threads_} - 1) / (4 * std::size_t{threads_});
    const std::size_t n = std::min(left, std::clamp<std::size_t>(share, 1, max_chunk_) * std::max(1u, threads));
    std::vector<std::uint64_t> chunk(pending_.begin() + static_cast<std::ptrdiff_t>(next_),
                                     pending_.begin() + static_cast<std::ptrdiff_t>(next_ + n));
    next_ += n;
    ++chunks_;
    return chunk;
  }
  void stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  std::uint64_t chunks() {
    std::lock_guard<std::mutex> lock(mu_);
    return chunks_;
  }

 private:
  std::mutex mu_;
  std::vector<std::uint64_t> pending_;
  std::size_t next_ = 0;
  std::uint64_t chunks_ = 0;
  bool stopped_ = false;
  unsigned threads_;
  std::uint32_t max_chunk_;
};

// Results as they arrive, from any thread: journaled (all but kError cells),
// kept in cell order, counted for the progress callback. The first failure
// stops the queue.
class Recorder {
 public:
  Recorder(SweepJournal* journal, std::uint64_t total, const SweepRunOptions& o, CellQueue& queue)
      : journal_(journal), progress_(o.progress), queue_(queue), cells_(total), have_(total, 0) {}

  void record(std::vector<CellResult> results, bool journal = true) {
    std::string lines;
    if (journal && journal_ != nullptr) {
      for (const CellResult& r : results) {
        if (r.status != CellStatus::kError) lines += encode_cell(r);
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (!lines.empty() && failure_.ok()) {
      Status s = journal_->append(lines);
      if (!s.ok()) fail_locked(std::move(s));
    }
    for (CellResult& r : results) {
      if (r.cell >= cells_.size() || have_[r.cell]) {
        fail_locked(Error::internal("cell " + std::to_string(r.cell) + " was reported twice or does not exist"));
        continue;
      }
      have_[r.cell] = 1;
      cells_[r.cell] = std::move(r);
      ++done_;
    }
    if (progress_) progress_(done_, cells_.size());
  }

  void fail(Status s) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_locked(std::move(s));
  }

  // After every thread has stopped.
  Result<std::vector<CellResult>> take() {
    if (!failure_.ok()) return failure_;
    if (done_ != cells_.size()) return Error::internal("the sweep ended with cells missing");
    return std::move(cells_);
  }

 private:
  void fail_locked(Status s) {
    if (failure_.ok()) failure_ = std::move(s);
    queue_.stop();
  }

  std::mutex mu_;
  SweepJournal* journal_;
  std::function<void(std::uint64_t, std::uint64_t)> progress_;
  CellQueue& queue_;
  std::vector<CellResult> cells_;
  std::vector<char> have_;
  std::uint64_t done_ = 0;
  Status failure_;
};

// One of the coordinator's own compute threads.
void compute(const SweepContext& ctx, CellQueue& queue, Recorder& rec, RankStats& st) {
  try {
    CellScratch scratch;
    for (;;) {
      std::vector<std::uint64_t> chunk = queue.take(1);
      if (chunk.empty()) return;
      std::vector<CellResult> results;
      results.reserve(chunk.size());
      const double begin = thread_cpu_seconds();
      for (std::uint64_t c : chunk) results.push_back(ctx.evaluate(c, scratch));
      st.busy_seconds += thread_cpu_seconds() - begin;
      st.cells += chunk.size();
      ++st.chunks;
      rec.record(std::move(results));
    }
  } catch (const std::exception& e) {
    rec.fail(Error::internal(std::string("a compute thread failed: ") + e.what()));
  }
}

std::string request_message(const RankStats& st, std::string_view results) {
  std::ostringstream s;
  s << "R " << st.threads << ' ' << st.cells << ' ' << st.chunks << ' '
    << static_cast<std::int64_t>(st.busy_seconds * 1e9) << ' ' << static_cast<std::int64_t>(st.wait_seconds * 1e9)
    << '\n';
  return s.str().append(results);
}

// Reads a worker's request into its stats and results.
Status parse_request(std::string_view bytes, RankStats& st, std::vector<CellResult>& results) {
  std::size_t eol = bytes.find('\n');
  std::istringstream header(std::string(bytes.substr(0, eol)));
  char kind = 0;
  std::int64_t busy_ns = 0, wait_ns = 0;
  if (eol == std::string_view::npos || !(header >> kind >> st.threads >> st.cells >> st.chunks >> busy_ns >> wait_ns) ||
      kind != 'R') {
    return Error::internal("rank " + std::to_string(st.rank) + " sent a malformed request");
  }
  st.busy_seconds = static_cast<double>(busy_ns) / 1e9;
  st.wait_seconds = static_cast<double>(wait_ns) / 1e9;
  for (std::size_t start = eol + 1; start < bytes.size();) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    auto r = decode_cell(bytes.substr(start, end - start));
    if (!r) return Error::internal("rank " + std::to_string(st.rank) + " sent a bad result: " + r.error().message);
    results.push_back(std::move(*r));
    start = end + 1;
  }
  return {};
}

std::string chunk_message(const std::vector<std::uint64_t>& chunk) {
  std::string out = "C\n";
  for (std::uint64_t c : chunk) out += std::to_string(c) + '\n';
  return out;
}

// The coordinator's main thread: answers workers until each has been told to stop.
void serve(SweepTransport& t, CellQueue& queue, Recorder& rec, SweepStats& stats) {
  int active = t.size() - 1;
  while (active > 0) {
    auto m = t.receive(SweepTransport::kAnyRank, std::chrono::milliseconds(5));
    if (!m) continue;
    const double begin = thread_cpu_seconds();
    if (m->from <= 0 || m->from >= t.size()) continue;
    RankStats& st = stats.ranks[static_cast<std::size_t>(m->from)];
    std::vector<CellResult> results;
    Status s = parse_request(m->bytes, st, results);
    if (s.ok()) {
      rec.record(std::move(results));
    } else {
      rec.fail(std::move(s));
    }
    std::vector<std::uint64_t> chunk = queue.take(std::max(1u, st.threads));
    if (chunk.empty()) {
      t.send(m->from, "S\n");
      --active;
    } else {
      t.send(m->from, chunk_message(chunk));
    }
    stats.coordinator_seconds += thread_cpu_seconds() - begin;
  }
}

Result<SweepOutcome> coordinate(const SweepContext& ctx, SweepJournal* journal, SweepTransport* t,
                                const SweepRunOptions& o) {
  const auto start = Clock::now();
  const std::uint64_t total = ctx.grid().cell_count();
  const unsigned threads = o.threads == 0 ? default_threads() : o.threads;
  const int ranks = t == nullptr ? 1 : t->size();

  std::vector<CellResult> recovered;
  if (journal != nullptr) recovered = std::move(journal->recovered());
  std::vector<char> have(total, 0);
  for (const CellResult& r : recovered) have[r.cell] = 1;
  std::vector<std::uint64_t> pending;
  for (std::uint64_t c = 0; c < total; ++c) {
    if (!have[c]) pending.push_back(c);
  }

  SweepStats stats;
  stats.cells = total;
  stats.resumed = recovered.size();
  stats.ranks.resize(static_cast<std::size_t>(ranks));
  for (int r = 0; r < ranks; ++r) stats.ranks[static_cast<std::size_t>(r)].rank = r;
  CellQueue queue(std::move(pending), threads * static_cast<unsigned>(ranks), o.max_chunk);
  Recorder rec(journal, total, o, queue);
  rec.record(std::move(recovered), false);

  std::vector<RankStats> local(threads);
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < threads; ++w) pool.emplace_back([&, w] { compute(ctx, queue, rec, local[w]); });
    if (ranks > 1) serve(*t, queue, rec, stats);
  }  // the compute threads join here
  RankStats& own = stats.ranks[0];
  own.threads = threads;
  for (const RankStats& l : local) {
    own.cells += l.cells;
    own.chunks += l.chunks;
    own.busy_seconds += l.busy_seconds;
  }
  stats.chunks = queue.chunks();
  auto cells = rec.take();
  if (!cells) return cells.errors();
  stats.wall_seconds = seconds(Clock::now() - start);
  return SweepOutcome{std::move(*cells), std::move(stats)};
}

// A worker rank: asks for chunks until told to stop.
Result<SweepOutcome> work(const SweepContext& ctx, SweepTransport& t, const SweepRunOptions& o) {
  RankStats st;
  st.rank = t.rank();
  st.threads = o.threads == 0 ? default_threads() : o.threads;
  std::vector<CellScratch> scratch(st.threads);
  std::string results;
  for (;;) {
    const auto asked = Clock::now();
    t.send(0, request_message(st, results));
    std::optional<SweepTransport::Message> m;
    while (!(m = t.receive(0, std::chrono::milliseconds(100)))) {
    }
    st.wait_seconds += seconds(Clock::now() - asked);
    if (m->bytes.rfind("S\n", 0) == 0) break;
    if (m->bytes.rfind("C\n", 0) != 0) return Error::internal("rank 0 sent a malformed message");
    std::vector<std::uint64_t> chunk;
    std::string_view body = std::string_view(m->bytes).substr(2);
    for (std::size_t start = 0; start < body.size();) {
      std::size_t end = body.find('\n', start);
      std::uint64_t c = 0;
      auto res = end == std::string_view::npos ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                                               : std::from_chars(body.data() + start, body.data() + end, c);
      if (res.ec != std::errc() || c >= ctx.grid().cell_count()) return Error::internal("rank 0 sent a bad chunk");
      chunk.push_back(c);
      start = end + 1;
    }
    std::vector<CellResult> done(chunk.size());
    std::vector<double> busy(st.threads, 0.0);
    parallel_for(
        chunk.size(), st.threads,
        [&](std::size_t i, unsigned w) {
          const double begin = thread_cpu_seconds();
          done[i] = ctx.evaluate(chunk[i], scratch[w]);
          busy[w] += thread_cpu_seconds() - begin;
        },
        1);
    for (double b : busy) st.busy_seconds += b;
    st.cells += chunk.size();
    ++st.chunks;
    results.clear();
    for (const CellResult& r : done) results += encode_cell(r);
  }
  SweepOutcome out;
  out.stats.ranks = {st};
  return out;
}

}  // namespace

Result<SweepOutcome> run_sweep(const SweepContext& ctx, SweepJournal* journal, SweepTransport* transport,
                               const SweepRunOptions& o) {
  if (transport != nullptr && transport->rank() != 0) return work(ctx, *transport, o);
  return coordinate(ctx, journal, transport, o);
}

Status agreement(const std::vector<RankReadiness>& by_rank) {
  for (std::size_t r = 0; r < by_rank.size(); ++r) {
    if (!by_rank[r].ready) {
      return Error::invalid("rank " + std::to_string(r) + " could not set up the sweep (its error is above)");
    }
  }
  for (std::size_t r = 1; r < by_rank.size(); ++r) {
    if (by_rank[r].fingerprint != by_rank[0].fingerprint) {
      std::ostringstream m;
      m << "rank " << r << " has another grid, dataset or caravan version than rank 0 (fingerprint " << std::hex
        << by_rank[r].fingerprint << ", rank 0 " << by_rank[0].fingerprint << ")";
      return Error::invalid(m.str());
    }
  }
  return {};
}

}  // namespace caravan
