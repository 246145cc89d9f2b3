// `caravan sweep --grid SWEEP.toml`: every combination of measures,
// departures, seeds and pairs — in this process on threads, or across the
// ranks of `mpirun -np N caravan sweep …` where the build has MPI.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/sweep.h"
#include "caravan/sweep_present.h"
#include "commands.h"
#include "request_options.h"
#include "scenario_options.h"
#ifdef CARAVAN_HAVE_MPI
#include "caravan/sweep_mpi.h"
#endif

namespace caravan::cli {
namespace {

struct SweepOptionsCli {
  std::string grid;
  std::string out;
  std::string format = "csv";
  std::unique_ptr<RequestOptions> request;  // --by and --threads, as the sweep request reads them
  std::uint32_t chunk = 64;
  bool restart = false;
  bool stats = false;
  std::string data;
};

// Environment variables an MPI launcher sets in the processes it starts:
// Open MPI's mpirun, PMIx (srun --mpi=pmix, Open MPI 5), PMI-2 (srun, MPICH).
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(v) != nullptr) return true;
  }
  return false;
}

// ---- what rank 0 says when a signal stops it (mpirun stops every rank when
// one dies): written by the handler with async-signal-safe calls only.
std::atomic<std::uint64_t> g_done{0}, g_total{0};
std::atomic<bool> g_armed{false};
char g_journal[2048];

void append_number(char* buf, std::size_t& n, std::size_t cap, std::uint64_t v) {
  char digits[24];
  int k = 0;
  do {
    digits[k++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (k > 0 && n < cap) buf[n++] = digits[--k];
}

void append_text(char* buf, std::size_t& n, std::size_t cap, const char* s) {
  while (*s != '\0' && n < cap) buf[n++] = *s++;
}

void on_signal(int sig) {
  if (g_armed.load()) {
    char buf[4096];
    std::size_t n = 0;
    append_text(buf, n, sizeof buf, "\ncaravan: sweep stopped by signal ");
    append_number(buf, n, sizeof buf, static_cast<std::uint64_t>(sig));
    append_text(buf, n, sizeof buf, " before the end: ");
    append_number(buf, n, sizeof buf, g_done.load());
    append_text(buf, n, sizeof buf, " of ");
    append_number(buf, n, sizeof buf, g_total.load());
    append_text(buf, n, sizeof buf, " cells are saved in ");
    append_text(buf, n, sizeof buf, g_journal);
    append_text(buf, n, sizeof buf, "; no table was written; run the same command again to resume\n");
    ssize_t ignored = ::write(STDERR_FILENO, buf, n);
    (void)ignored;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Handles SIGINT, SIGTERM and SIGHUP while alive.
class StopMessage {
 public:
  StopMessage(const std::filesystem::path& journal, std::uint64_t total) {
    std::string p = journal.string();
    std::size_t n = std::min(p.size(), sizeof g_journal - 1);
    std::memcpy(g_journal, p.data(), n);
    g_journal[n] = '\0';
    g_total = total;
    g_armed = true;
    for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, on_signal);
  }
  ~StopMessage() {
    g_armed = false;
    for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, SIG_DFL);
  }
  StopMessage(const StopMessage&) = delete;
  StopMessage& operator=(const StopMessage&) = delete;
};

// Everything a rank sets up before the ranks compare notes.
struct Setup {
  std::optional<Network> net;
  std::optional<SweepGrid> grid;
  std::optional<SweepContext> ctx;
  std::optional<SweepJournal> journal;  // rank 0 only
  std::filesystem::path out_file;
  std::uint64_t fingerprint = 0;
  unsigned threads = 0;  // --threads; 0: the default
};

// The options of the sweep request the command line takes; the others are the grid's.
std::span<const OptionSpec> command_line_options() {
  static const std::vector<OptionSpec> specs = [] {
    std::vector<OptionSpec> out;
    for (const OptionSpec& s : sweep_options()) {
      if (s.name == "by" || s.name == "threads") out.push_back(s);
    }
    return out;
  }();
  return specs;
}

Status set_up(const SweepOptionsCli& o, bool coordinator, Setup& s) {
  const std::filesystem::path data = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto files = read_dataset_files(data);
  if (!files) return files.status();
  auto net = load_network(data);
  if (!net) return net.status();
  s.net.emplace(std::move(*net));
  const RequestFields asked = o.request->fields();
  auto cli = parse_sweep_request(*s.net, asked, local_context());
  if (!cli) return cli.status();
  s.threads = cli->threads;
  auto grid = load_sweep_grid(o.grid, *s.net, data / "scenarios");
  if (!grid) return grid.status();
  s.grid.emplace(std::move(*grid));
  for (const RequestField& f : asked) {
    if (f.name == "by") s.grid->query.route.objective = cli->query.objective;
  }
  auto ctx = SweepContext::build(*s.net, *s.grid);
  if (!ctx) return ctx.status();
  s.ctx.emplace(std::move(*ctx));
  s.fingerprint = sweep_fingerprint(*s.grid, dataset_hash(*files));
  const std::filesystem::path out =
      o.out.empty() ? std::filesystem::path("sweep-" + std::filesystem::path(o.grid).stem().string())
                    : std::filesystem::path(o.out);
  s.out_file = out / ("results." + o.format);
  if (!coordinator) return {};
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) return Error::internal(out.string() + ": cannot create the output folder (" + ec.message() + ")");
  auto journal = SweepJournal::open(out / "sweep.journal", s.fingerprint, s.grid->cell_count(), o.restart);
  if (!journal) {
    Errors e = journal.errors();
    if (e.front().code == ErrorCode::kInvalidInput) e.front().message += "; --restart discards it";
    return e;
  }
  s.journal.emplace(std::move(*journal));
  return {};
}

// Cells the planner failed on: reported, and the table is not written.
int report_failed_cells(const Setup& s, const std::vector<CellResult>& cells) {
  std::size_t failed = 0;
  for (const CellResult& r : cells) {
    if (r.status != CellStatus::kError) continue;
    if (++failed > 5) continue;
    const CellKey k = s.grid->key(r.cell);
    const OdPair& p = s.grid->pairs[k.pair];
    std::cerr << "caravan: cell " << r.cell << " (" << s.grid->combinations[k.combination].name << ", "
              << format_instant_utc(s.grid->departures[k.departure]) << ", " << s.net->locations[p.from].id << " → "
              << s.net->locations[p.to].id << "): " << r.message << "\n";
  }
  if (failed == 0) return kExitOk;
  std::cerr << "caravan: " << failed << " cells failed; no table was written. The journal "
            << s.journal->path().string() << " keeps the others: run the same command again to retry the failed ones\n";
  return kExitInternal;
}

void print_stats(const SweepStats& st, double setup_seconds, const std::string& mpi) {
  const double run = static_cast<double>(st.cells - st.resumed);
  std::string ranks;
  for (const RankStats& r : st.ranks) {
    ranks += fmt::format(
        "{}{{\"rank\":{},\"threads\":{},\"cells\":{},\"chunks\":{},\"busy_seconds\":{:.6f},\"wait_seconds\":{:.6f}}}",
        ranks.empty() ? "" : ",", r.rank, r.threads, r.cells, r.chunks, r.busy_seconds, r.wait_seconds);
  }
  std::cerr << fmt::format(
      "{{\"ranks\":{},\"cells\":{},\"resumed\":{},\"chunks\":{},\"setup_seconds\":{:.6f},\"wall_seconds\":{:.6f},"
      "\"cells_per_second\":{:.3f},\"coordinator_seconds\":{:.6f},\"mpi\":\"{}\",\"per_rank\":[{}]}}\n",
      st.ranks.size(), st.cells, st.resumed, st.chunks, setup_seconds, st.wall_seconds,
      st.wall_seconds > 0 ? run / st.wall_seconds : 0.0, st.coordinator_seconds, mpi, ranks);
}

int run_sweep_command(const SweepOptionsCli& o) {
  const auto started = std::chrono::steady_clock::now();
  if (o.format != "csv" && o.format != "json") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected csv or json)")});
  }
  if (o.chunk == 0) return report({Error::invalid("--chunk: must be at least 1")});
  std::unique_ptr<SweepTransport> transport;
  std::string mpi = "none";
  if (launched_by_mpi()) {
#ifdef CARAVAN_HAVE_MPI
    auto t = MpiTransport::init();
    if (!t) return report(t.errors());
    transport = std::move(*t);
    mpi = MpiTransport::library_version();
#else
    return report({Error::invalid(
        "started by an MPI launcher, but this caravan was built without MPI (expected a build that found MPI, or "
        "one process)")});
#endif
  }
  const int rank = transport ? transport->rank() : 0;
  const bool coordinator = rank == 0;

  // Every rank sets up, then the ranks compare notes. A rank's own error is
  // printed by rank 0, or by the rank itself when rank 0 set up (so an error
  // every rank shares appears once).
  Setup s;
  Status ready = set_up(o, coordinator, s);
  std::vector<RankReadiness> ranks = {{ready.ok(), s.fingerprint}};
  if (transport) ranks = transport->gather(ranks.front());
  if (!ready.ok() && (coordinator || ranks.front().ready)) {
    Errors errors = ready.errors();
    if (rank > 0) {
      for (Error& e : errors) e.message = "rank " + std::to_string(rank) + ": " + e.message;
    }
    return report_request(errors);
  }
  if (!ready.ok()) return exit_code(ready.error());
  Status agreed = agreement(ranks);
  if (!agreed.ok()) return coordinator && ranks.front().ready ? report(agreed.errors()) : exit_code(agreed.error());
  const double setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  SweepRunOptions run;
  run.threads = s.threads != 0 ? s.threads : (transport && transport->size() > 1 ? 1 : 0);
  run.max_chunk = o.chunk;
  if (!coordinator) {
    auto outcome = run_sweep(*s.ctx, nullptr, transport.get(), run);
    if (!outcome) {
      Errors errors = outcome.errors();
      for (Error& e : errors) e.message = "rank " + std::to_string(rank) + ": " + e.message;
      return report(errors);
    }
    return kExitOk;
  }

  const std::uint64_t total = s.grid->cell_count();
  const std::size_t resumed = s.journal->recovered().size();
  if (resumed > 0) {
    std::cerr << "caravan: resuming: " << resumed << " of " << total << " cells from " << s.journal->path().string()
              << "\n";
  }
  std::optional<Result<SweepOutcome>> outcome;
  {
    StopMessage stop(s.journal->path(), total);
    g_done = resumed;
    ProgressBar bar("sweep");
    run.progress = [&bar](std::uint64_t done, std::uint64_t all) {
      g_done = done;
      bar.update(done, all);
    };
    outcome.emplace(run_sweep(*s.ctx, &*s.journal, transport.get(), run));
  }
  if (!*outcome) {
    int code = report(outcome->errors());
    std::cerr << "caravan: the journal " << s.journal->path().string()
              << " keeps the cells done; run the same command again to resume\n";
    return code;
  }
  const SweepOutcome& done = **outcome;
  if (o.stats) print_stats(done.stats, setup_seconds, mpi);
  if (int code = report_failed_cells(s, done.cells); code != kExitOk) return code;

  const std::string text =
      o.format == "json" ? sweep_to_json(*s.net, *s.grid, done.cells) : sweep_to_csv(*s.net, *s.grid, done.cells);
  Status written = write_file_atomically(s.out_file, text);
  if (!written.ok()) return report(written.errors());
  Status removed = s.journal->remove();
  if (!removed.ok()) return report(removed.errors());

  const SweepGrid& g = *s.grid;
  std::cout << fmt::format(
      "Sweep {}: {} cells = {} measure combinations × {} departures × {} seeds × {} pairs, {} samples each; by {}.\n",
      g.name, total, g.combinations.size(), g.departures.size(), g.seeds.size(), g.pairs.size(), g.samples,
      to_string(g.query.route.objective));
  std::cout << fmt::format("{} cells run ({} resumed) in {:.1f} s on {} rank{} × {} thread{}; wrote {}\n\n",
                           total - resumed, resumed, done.stats.wall_seconds, done.stats.ranks.size(),
                           done.stats.ranks.size() == 1 ? "" : "s", done.stats.ranks[0].threads,
                           done.stats.ranks[0].threads == 1 ? "" : "s", s.out_file.string());
  std::cout << sweep_summary_to_table(g, summarize(g, done.cells));
  return std::cout.good() ? kExitOk : kExitInternal;
}

}  // namespace

Runner add_sweep_command(CLI::App& app) {
  auto o = std::make_shared<SweepOptionsCli>();
  CLI::App* cmd = app.add_subcommand("sweep", "Every combination of measures × departures × seeds × pairs");
  cmd->description(
      "Runs a grid of cells — measure combinations (full factorial or as listed) × departure dates ×\n"
      "Monte Carlo seeds × origin-destination pairs — and writes one table: per cell the planned hours,\n"
      "p50/p95 hours, on-time probability, cost (USD), CO2 and the change against the base.\n"
      "Results are journaled as they come: an interrupted sweep resumes where it stopped. Under\n"
      "`mpirun -np N` (or srun) the ranks share the cells, rank 0 handing out chunks; the table is the\n"
      "same byte for byte as from one process. The grid format is in docs/sweeps.md.");
  cmd->add_option("--grid", o->grid, "Sweep grid TOML file")->required();
  cmd->add_option("--out", o->out,
                  "Output folder: results.csv or results.json and the journal (default: sweep-<grid>)");
  cmd->add_option("--format", o->format, "csv (default) or json");
  // --by and --threads with the sweep request's names, limits and help (a
  // rank under MPI defaults to one thread).
  o->request = std::make_unique<RequestOptions>(cmd, command_line_options());
  cmd->add_option("--chunk", o->chunk, "Most cells per thread in one chunk handed out (default 64)");
  cmd->add_flag("--restart", o->restart, "Discard the journal of an earlier run and start afresh");
  cmd->add_flag("--stats", o->stats, "Print timings as one JSON line on stderr (ranks, cells/s, coordinator time)");
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
  cmd->footer(
      "\nExamples:\n"
      "  caravan sweep --grid data/central-asia/sweeps/small.toml\n"
      "      a grid that runs in seconds; the table goes to sweep-small/results.csv\n"
      "  caravan sweep --grid data/central-asia/sweeps/consensus-factorial.toml --out consensus --format json\n"
      "      the consensus measures' full factorial over every hub pair\n"
      "  mpirun -np 64 caravan sweep --grid consensus-factorial.toml --out /scratch/consensus\n"
      "      the same on 64 ranks (srun in a Slurm job); run it again after a failure to resume\n"
      "\nExit codes: 0 done, 2 bad input, 3 internal error (or cells that failed; the journal keeps the rest).");
  return [o] { return run_sweep_command(*o); };
}

}  // namespace caravan::cli
