// `caravan sweep` end to end on the real dataset: the table and its summary,
// bad input, a journal of another sweep, an interrupted run that resumes to
// the same bytes, and — where the build has MPI — `mpirun -np 2` and `-np 3`
// on loopback writing the same bytes as one process, and a rank killed
// mid-run failing the sweep with a clear message and a journal to resume from.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

const std::string kData = CARAVAN_TEST_DATA_DIR;
const std::string kSmall = kData + "/sweeps/small.toml";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::size_t lines(const fs::path& p) {
  std::string t = read(p);
  return static_cast<std::size_t>(std::count(t.begin(), t.end(), '\n'));
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("caravan-sweep-cli-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// A child process with stdout and stderr in files of `dir`.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const fs::path& dir, const std::string& tag,
          const std::vector<std::string>& env = {})
      : out_(dir / (tag + ".out")), err_(dir / (tag + ".err")) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(o, 1);
      ::dup2(e, 2);
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      for (const std::string& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  pid_t pid() const { return pid_; }
  // Waits for the end; the wait status.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return status;
  }
  std::string out() const { return read(out_); }
  std::string err() const { return read(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
};

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

std::vector<std::string> sweep_args(const std::string& grid, const std::string& out,
                                    std::vector<std::string> more = {}) {
  std::vector<std::string> a = {CARAVAN_BINARY, "sweep", "--grid", grid, "--data", kData, "--out", out};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

struct Ran {
  int status;
  std::string out, err;
};

Ran run(const std::vector<std::string>& argv, const fs::path& dir, const std::string& tag,
        const std::vector<std::string>& env = {}) {
  Process p(argv, dir, tag, env);
  int status = p.wait();
  return {status, p.out(), p.err()};
}

// 2 combinations × 240 hub pairs × 400 samples: long enough to stop part way.
const char* kLongerGrid = R"(
[measures]
sets = ["green-lanes"]
[departures]
dates = ["2026-03-02T08:00+08:00"]
[samples]
count = 400
[pairs]
set = "hubs"
[query]
modes = ["rail", "road", "ferry", "sea"]
deadline_hours = 336
)";
constexpr std::size_t kLongerCells = 480;

fs::path write_longer_grid(const TempDir& dir) {
  fs::path p = dir.path / "longer.toml";
  std::ofstream(p) << kLongerGrid;
  return p;
}

// Waits until the journal holds `records` results, or the run has ended.
// True when it got there while the run was still going.
bool wait_for_records(const fs::path& journal, std::size_t records, const fs::path& table) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < give_up) {
    if (fs::exists(table)) return false;
    if (fs::exists(journal) && lines(journal) >= records + 1) return true;  // + the header
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(SweepCli, SmallGridWritesOneTableAndASummary) {
  TempDir dir;
  Ran r = run(sweep_args(kSmall, "out", {"--threads", "2"}), dir.path, "run");
  ASSERT_EQ(exit_code(r.status), 0) << r.err;
  EXPECT_NE(r.out.find("Sweep small: 480 cells = 4 measure combinations × 2 departures × 2 seeds × 30 pairs, 200 "
                       "samples each"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" green-lanes+customs-facilitation "), std::string::npos) << r.out;
  const fs::path table = dir.path / "out" / "results.csv";
  std::string csv = read(table);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "measures,depart,seed,from,to,status,hours,p50_hours,p95_hours,on_time_probability,cost_usd,co2_kg,"
            "stuck_samples,change_hours,change_p50_hours,change_p95_hours,change_on_time_probability,change_cost_usd,"
            "change_co2_kg,note");
  EXPECT_EQ(lines(table), 481u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path / "out"), fs::directory_iterator()), 1)
      << "the journal is gone once the table is written";

  Ran one = run(sweep_args(kSmall, "one", {"--threads", "1"}), dir.path, "one");
  ASSERT_EQ(exit_code(one.status), 0) << one.err;
  EXPECT_EQ(read(dir.path / "one" / "results.csv"), csv) << "the thread count changes nothing";

  Ran json = run(sweep_args(kSmall, "json", {"--format", "json"}), dir.path, "json");
  ASSERT_EQ(exit_code(json.status), 0) << json.err;
  auto j = nlohmann::json::parse(read(dir.path / "json" / "results.json"));
  ASSERT_EQ(j["rows"].size(), 480u);
  EXPECT_EQ(j["sweep"]["cells"], 480);
  // Row 100 of the JSON is line 102 of the CSV: the same cell, the same figures.
  std::string line;
  std::istringstream in(csv);
  for (int i = 0; i < 102; ++i) std::getline(in, line);
  const auto& row = j["rows"][100];
  std::string expected = row["measures"].get<std::string>() + "," + row["depart"].get<std::string>() + "," +
                         std::to_string(row["seed"].get<int>()) + "," + row["from"].get<std::string>() + "," +
                         row["to"].get<std::string>() + ",";
  EXPECT_EQ(line.substr(0, expected.size()), expected);
  EXPECT_NEAR(std::stod(line.substr(line.find(",ok,") + 4)), row["hours"].get<double>(), 0.005);
}

TEST(SweepCli, BadInputExitsTwoWithTheReason) {
  TempDir dir;
  Ran missing = run(sweep_args("nope.toml", "out"), dir.path, "missing");
  EXPECT_EQ(exit_code(missing.status), 2);
  EXPECT_EQ(missing.err, "caravan: nope.toml: cannot read grid file (expected a sweep grid TOML file)\n");
  Ran format = run(sweep_args(kSmall, "out", {"--format", "xml"}), dir.path, "format");
  EXPECT_EQ(exit_code(format.status), 2);
  EXPECT_EQ(format.err, "caravan: --format: unknown format \"xml\" (expected csv or json)\n");
  Ran by = run(sweep_args(kSmall, "out", {"--by", "pareto"}), dir.path, "by");
  EXPECT_EQ(exit_code(by.status), 2);
  EXPECT_NE(by.err.find("caravan: --by: pareto gives several options per pair, a sweep needs one"), std::string::npos)
      << by.err;
  std::ofstream(dir.path / "bad.toml")
      << "[departures]\ndates = [\"2026-03-02\"]\n[pairs]\nplaces = [\"xian\", \"atlantis\"]\n";
  Ran bad = run(sweep_args("bad.toml", "out"), dir.path, "bad");
  EXPECT_EQ(exit_code(bad.status), 2);
  EXPECT_EQ(bad.err.rfind("caravan: bad.toml:4: [pairs] places: unknown place \"atlantis\"", 0), 0u) << bad.err;
  EXPECT_FALSE(fs::exists(dir.path / "out" / "results.csv"));
}

TEST(SweepCli, RefusesTheJournalOfAnotherSweepUntilRestarted) {
  TempDir dir;
  fs::create_directories(dir.path / "out");
  std::ofstream(dir.path / "out" / "sweep.journal") << "caravan sweep journal 1 0123456789abcdef 480\n";
  Ran r = run(sweep_args(kSmall, "out"), dir.path, "other");
  EXPECT_EQ(exit_code(r.status), 2);
  EXPECT_EQ(r.err,
            "caravan: out/sweep.journal: holds the results of another grid, dataset or caravan version (expected the "
            "journal of this sweep; discard it to start afresh); --restart discards it\n");
  Ran again = run(sweep_args(kSmall, "out", {"--restart"}), dir.path, "restart");
  EXPECT_EQ(exit_code(again.status), 0) << again.err;
  EXPECT_EQ(lines(dir.path / "out" / "results.csv"), 481u);
}

TEST(SweepCli, AnInterruptedRunSaysWhatItKeptAndResumesToTheSameTable) {
  TempDir dir;
  const fs::path grid = write_longer_grid(dir);
  Ran whole = run(sweep_args(grid.string(), "whole"), dir.path, "whole");
  ASSERT_EQ(exit_code(whole.status), 0) << whole.err;

  Process p(sweep_args(grid.string(), "cut", {"--threads", "1"}), dir.path, "cut");
  const bool caught = wait_for_records(dir.path / "cut" / "sweep.journal", 20, dir.path / "cut" / "results.csv");
  ::kill(p.pid(), SIGINT);
  const int status = p.wait();
  ASSERT_TRUE(caught) << "the run ended before it could be interrupted";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  const std::string err = p.err();
  EXPECT_NE(err.find("caravan: sweep stopped by signal 2 before the end: "), std::string::npos) << err;
  EXPECT_NE(err.find(" cells are saved in cut/sweep.journal; no table was written; run the same command again to "
                     "resume\n"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(dir.path / "cut" / "results.csv")) << "never a partial table";
  const std::size_t kept = lines(dir.path / "cut" / "sweep.journal") - 1;
  EXPECT_GE(kept, 20u);
  EXPECT_LT(kept, kLongerCells);

  Ran resumed = run(sweep_args(grid.string(), "cut", {"--threads", "2"}), dir.path, "resumed");
  ASSERT_EQ(exit_code(resumed.status), 0) << resumed.err;
  // The journal may have gained records after the count above, before the signal landed.
  EXPECT_EQ(resumed.err.rfind("caravan: resuming: ", 0), 0u) << resumed.err;
  EXPECT_NE(resumed.err.find(" of 480 cells from cut/sweep.journal\n"), std::string::npos) << resumed.err;
  EXPECT_EQ(read(dir.path / "cut" / "results.csv"), read(dir.path / "whole" / "results.csv"));
}

#ifdef CARAVAN_MPIEXEC

// mpirun on loopback TCP, as root in CI, under the sanitizers' leak check
// with Open MPI's own allocations suppressed (tests/support/mpi-lsan.supp).
std::vector<std::string> mpi_env(const std::string& job) {
  return {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
          "OMPI_MCA_mca_base_component_disable_dlclose=1",
          "LSAN_OPTIONS=suppressions=" CARAVAN_MPI_LSAN_SUPPRESSIONS ":fast_unwind_on_malloc=0:print_suppressions=0",
          "CARAVAN_TEST_JOB=" + job};
}

std::vector<std::string> mpirun(int ranks, std::vector<std::string> command) {
  std::vector<std::string> a = {
      CARAVAN_MPIEXEC, "--oversubscribe", "--bind-to",          "none", "-np",   std::to_string(ranks), "--mca", "btl",
      "self,tcp",      "--mca",           "btl_tcp_if_include", "lo",   "--mca", "oob_tcp_if_include",  "lo"};
  a.insert(a.end(), command.begin(), command.end());
  return a;
}

// The process of `rank` in the job started with CARAVAN_TEST_JOB=job, or -1.
pid_t rank_process(const std::string& job, int rank) {
  const std::string want_job = "CARAVAN_TEST_JOB=" + job, want_rank = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string env = read(e.path() / "environ");
    bool job_ok = false, rank_ok = false;
    for (std::size_t start = 0; start < env.size();) {
      std::size_t end = env.find('\0', start);
      if (end == std::string::npos) end = env.size();
      std::string_view kv(env.data() + start, end - start);
      job_ok = job_ok || kv == want_job;
      rank_ok = rank_ok || kv == want_rank;
      start = end + 1;
    }
    if (job_ok && rank_ok) return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

TEST(SweepMpi, TwoAndThreeRanksWriteTheSameBytesAsOneProcess) {
  TempDir dir;
  Ran csv = run(sweep_args(kSmall, "one"), dir.path, "one");
  ASSERT_EQ(exit_code(csv.status), 0) << csv.err;
  Ran json = run(sweep_args(kSmall, "one-json", {"--format", "json"}), dir.path, "one-json");
  ASSERT_EQ(exit_code(json.status), 0) << json.err;

  Ran two = run(mpirun(2, sweep_args(kSmall, "two", {"--stats"})), dir.path, "two", mpi_env("two"));
  ASSERT_EQ(exit_code(two.status), 0) << two.err;
  EXPECT_EQ(read(dir.path / "two" / "results.csv"), read(dir.path / "one" / "results.csv"));
  EXPECT_NE(two.out.find("480 cells run (0 resumed)"), std::string::npos) << two.out;
  EXPECT_NE(two.out.find(" on 2 ranks × 1 thread;"), std::string::npos) << two.out;
  // --stats: both ranks computed cells, and together every cell once.
  const std::string line = two.err.substr(two.err.rfind("{\"ranks\""));
  auto stats = nlohmann::json::parse(line.substr(0, line.find('\n')));
  EXPECT_EQ(stats["ranks"], 2);
  EXPECT_GT(stats["per_rank"][1]["cells"].get<int>(), 0);
  EXPECT_EQ(stats["per_rank"][0]["cells"].get<int>() + stats["per_rank"][1]["cells"].get<int>(), 480);

  Ran three = run(mpirun(3, sweep_args(kSmall, "three", {"--format", "json"})), dir.path, "three", mpi_env("three"));
  ASSERT_EQ(exit_code(three.status), 0) << three.err;
  EXPECT_EQ(read(dir.path / "three" / "results.json"), read(dir.path / "one-json" / "results.json"));
}

TEST(SweepMpi, ABadGridIsReportedOnceAndEveryRankStops) {
  TempDir dir;
  std::ofstream(dir.path / "bad.toml") << "[departures]\ndates = [\"soon\"]\n";
  Ran r = run(mpirun(3, sweep_args("bad.toml", "out")), dir.path, "bad", mpi_env("bad"));
  EXPECT_NE(exit_code(r.status), 0);
  const std::string message = "caravan: bad.toml:2: [departures] dates: expected an ISO-8601 date-time";
  ASSERT_NE(r.err.find(message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(message, r.err.find(message) + 1), std::string::npos) << "once, not once per rank:\n" << r.err;
}

TEST(SweepMpi, AKilledRankFailsTheSweepClearlyAndTheJournalResumesIt) {
  TempDir dir;
  const fs::path grid = write_longer_grid(dir);
  Ran whole = run(sweep_args(grid.string(), "whole"), dir.path, "whole");
  ASSERT_EQ(exit_code(whole.status), 0) << whole.err;

  const std::string job = "kill-" + std::to_string(::getpid());
  Process p(mpirun(3, sweep_args(grid.string(), "cut")), dir.path, "cut", mpi_env(job));
  const bool caught = wait_for_records(dir.path / "cut" / "sweep.journal", 20, dir.path / "cut" / "results.csv");
  const pid_t victim = rank_process(job, 1);
  if (victim > 0) ::kill(victim, SIGKILL);
  const int status = p.wait();
  ASSERT_TRUE(caught) << "the run ended before a rank could be killed";
  ASSERT_GT(victim, 0) << "rank 1 not found";
  EXPECT_NE(exit_code(status), 0);
  const std::string err = p.err();
  EXPECT_NE(err.find("caravan: sweep stopped by signal"), std::string::npos) << err;
  EXPECT_NE(err.find(" cells are saved in cut/sweep.journal; no table was written; run the same command again to "
                     "resume\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("rank 1"), std::string::npos) << "mpirun names the rank that died:\n" << err;
  EXPECT_FALSE(fs::exists(dir.path / "cut" / "results.csv")) << "never a silent partial table";
  const std::size_t kept = lines(dir.path / "cut" / "sweep.journal") - 1;
  EXPECT_GE(kept, 20u);
  EXPECT_LT(kept, kLongerCells);

  Ran resumed = run(mpirun(2, sweep_args(grid.string(), "cut")), dir.path, "resumed", mpi_env(job + "-resume"));
  ASSERT_EQ(exit_code(resumed.status), 0) << resumed.err;
  EXPECT_NE(resumed.err.find("caravan: resuming: "), std::string::npos) << resumed.err;
  EXPECT_EQ(read(dir.path / "cut" / "results.csv"), read(dir.path / "whole" / "results.csv"));
}

#endif  // CARAVAN_MPIEXEC

}  // namespace
