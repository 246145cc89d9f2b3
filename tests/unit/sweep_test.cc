// Sweeps: grid files with file:line errors, cell numbering, a cell's figures
// worked out by hand on a three-place network and against the planner and
// Monte Carlo called directly, the journal and its record, the coordinator
// protocol over in-process ranks against the single-process run, resuming,
// and the table's CSV and JSON.
#include "caravan/sweep.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "caravan/stochastic.h"
#include "caravan/sweep_present.h"
#include "test_network.h"

namespace caravan {
namespace {

namespace fs = std::filesystem;
using testing::load_or_fail;
using testing::make_files;

// A fresh folder per test, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("caravan-sweep-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

//        600 km road, 60 km/h: 10 h
//   a ────────────────────────────── b
//    \                              /
//     600 km, 10 h       600 km, 10 h
//       \                        /
//        ──────────── c ─────────
// One country (KZ), no borders, no trucking.csv row, no tolls, no handling,
// no empty_return.csv. Under ADR 0500 section 4 a road link without a trucking
// row charges its tariff_per_unit_km per truck-km, here 1 USD; a 40-ft chassis
// carries the one FEU (no gross limit known), so 1 truck. CO2 is per tonne-km
// of cargo: 100 g. One FEU (the default unit, 20 t of cargo) from a to b:
//   direct      10 h, 1 truck × 600 km × 1 USD = 600 USD, 100 × 20 × 600 g = 1,200 kg
//   through c   20 h, 1 × 1,200 × 1 = 1,200 USD, 100 × 20 × 1,200 g = 2,400 kg
//               (when the direct road is closed; same truck at c, so no lift)
// Both directions alike: the links give one figure, charged both ways.
DatasetFiles triangle() {
  DatasetFiles f = make_files(
      "a,Alpha,,KZ,terminal,43,70,Asia/Almaty,0,0,USD,t\n"
      "b,Beta,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
      "c,Gamma,,KZ,terminal,41,73,Asia/Almaty,0,0,USD,t\n",
      "ab,a,b,road,600,,60,1,0,USD,100,,true,open,t\n"
      "ac,a,c,road,600,,60,1,0,USD,100,,true,open,t\n"
      "cb,c,b,road,600,,60,1,0,USD,100,,true,open,t\n");
  f.text["dataset.toml"] += "hubs = [\"a\", \"b\", \"c\"]\n";
  return f;
}

// A scenario that changes nothing the tests ask about: a closure long past.
std::string harmless(const std::string& name) {
  return "name = \"" + name +
         "\"\n[[measures]]\ntype = \"close_location\"\nlocation = \"c\"\nfrom = \"2020-01-01T00:00Z\"\nuntil = "
         "\"2020-01-02T00:00Z\"\n";
}

const char* kCloseDirect = "name = \"Direct road closed\"\n[[measures]]\ntype = \"close_link\"\nlink = \"ab\"\n";
const char* kSlowDetour =
    "name = \"Slow c\"\n[[measures]]\ntype = \"close_location\"\nlocation = \"c\"\n"
    "from = \"2026-03-01T00:00Z\"\nuntil = \"2026-03-02T05:00Z\"\n";

struct Triangle {
  Network net = load_or_fail(triangle());
  TempDir dir;
  Triangle() {
    dir.write("close-direct.toml", kCloseDirect);
    dir.write("slow-c.toml", kSlowDetour);
  }
  Result<SweepGrid> parse(const std::string& text) const {
    return parse_sweep_grid(text, dir.path / "grid.toml", net, dir.path / "no-scenarios");
  }
  SweepGrid grid(const std::string& text) const {
    auto g = parse(text);
    EXPECT_TRUE(g.ok()) << (g.ok() ? "" : to_string(g.errors()));
    return g.ok() ? std::move(*g) : SweepGrid{};
  }
};

const char* kHandGrid = R"(
[measures]
sets = ["close-direct.toml"]
[departures]
dates = ["2026-03-02T00:00Z"]
[samples]
count = 0
[pairs]
list = [["a", "b"], ["b", "a"]]
[query]
by = "time"
)";

std::vector<CellResult> run_in_process(const SweepContext& ctx, unsigned threads, std::uint32_t chunk = 64) {
  SweepRunOptions o;
  o.threads = threads;
  o.max_chunk = chunk;
  auto out = run_sweep(ctx, nullptr, nullptr, o);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : to_string(out.errors()));
  return out.ok() ? std::move(out->cells) : std::vector<CellResult>{};
}

// ---- the grid

TEST(SweepGrid, NumbersCellsCombinationMajor) {
  Triangle t;
  SweepGrid g = t.grid(R"(
[measures]
sets = ["close-direct.toml", "slow-c.toml"]
[departures]
first = "2026-03-02T00:00Z"
every_days = 7
count = 3
[samples]
seeds = [5, 9]
[pairs]
places = ["a", "b", "c"]
)");
  ASSERT_EQ(g.combinations.size(), 4u);
  ASSERT_EQ(g.departures.size(), 3u);
  EXPECT_EQ(g.departures[2], *parse_instant("2026-03-16T00:00Z"));
  ASSERT_EQ(g.pairs.size(), 6u);  // every ordered pair of three places
  EXPECT_EQ(g.cell_count(), 4u * 3 * 2 * 6);
  // ((c × 3 + d) × 2 + s) × 6 + p
  EXPECT_EQ(g.key(0), (CellKey{0, 0, 0, 0}));
  EXPECT_EQ(g.key(1), (CellKey{0, 0, 0, 1}));
  EXPECT_EQ(g.key(6), (CellKey{0, 0, 1, 0}));
  EXPECT_EQ(g.key(12), (CellKey{0, 1, 0, 0}));
  EXPECT_EQ(g.key(36), (CellKey{1, 0, 0, 0}));
  EXPECT_EQ(g.key(143), (CellKey{3, 2, 1, 5}));
  for (std::uint64_t c = 0; c < g.cell_count(); ++c) EXPECT_EQ(g.cell(g.key(c)), c);
  EXPECT_EQ(g.base_cell(36 + 13), 13u);
  EXPECT_EQ(g.base_cell(7), 7u);
}

TEST(SweepGrid, FactorialIsEverySubsetInMaskOrder) {
  Triangle t;
  t.dir.write("x.toml", harmless("x"));
  SweepGrid g = t.grid(R"(
[measures]
sets = ["close-direct.toml", ["slow-c.toml"], { name = "third", scenarios = ["x.toml"] }]
[departures]
dates = ["2026-03-02T00:00Z"]
[pairs]
list = [["a", "b"]]
)");
  std::vector<std::string> names;
  for (const Combination& c : g.combinations) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"base", "close-direct", "slow-c", "close-direct+slow-c", "third",
                                             "close-direct+third", "slow-c+third", "close-direct+slow-c+third"}));
  EXPECT_EQ(g.combinations[5].sets, (std::vector<std::uint32_t>{0, 2}));
}

TEST(SweepGrid, ListedCombinationsAreTheBaseAndEachSet) {
  Triangle t;
  t.dir.write("x.toml", harmless("x"));
  SweepGrid g = t.grid(R"(
[measures]
combine = "listed"
sets = [["close-direct.toml", "slow-c.toml"], "x.toml"]
[departures]
dates = ["2026-03-02T00:00Z"]
[pairs]
list = [["a", "b"]]
)");
  ASSERT_EQ(g.combinations.size(), 3u);
  EXPECT_EQ(g.combinations[0].name, "base");
  EXPECT_EQ(g.combinations[1].name, "close-direct+slow-c");
  EXPECT_EQ(g.combinations[2].name, "x");
  EXPECT_EQ(g.sets[0].scenarios.size(), 2u);
}

TEST(SweepGrid, DefaultsAreHubsOneSeedAThousandSamplesAndTheDefaultObjective) {
  auto net = load_network(fs::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  auto parsed = parse_sweep_grid("[departures]\ndates = [\"2026-03-02\"]\n", "g.toml", *net, "scenarios");
  ASSERT_TRUE(parsed.ok()) << to_string(parsed.errors());
  const SweepGrid& g = *parsed;
  EXPECT_EQ(g.pairs.size(), net->info.hubs.size() * (net->info.hubs.size() - 1));
  EXPECT_EQ(g.combinations.size(), 1u);
  EXPECT_EQ(g.seeds, (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(g.samples, 1000u);
  EXPECT_EQ(g.query.route.objective, Objective::kGeneralized);
  EXPECT_EQ(g.pairs_source, "hubs");
  EXPECT_FALSE(g.outputs.on_time) << "no deadline, so no on-time probability";
  EXPECT_TRUE(g.outputs.p95);
}

TEST(SweepGrid, TheObjectiveIsGeneralizedUnlessTheGridSaysOtherwise) {
  Triangle t;
  const std::string dep = "[departures]\ndates = [\"2026-03-02\"]\n";
  EXPECT_EQ(t.grid(dep).query.route.objective, Objective::kGeneralized);
  EXPECT_FALSE(t.grid(dep).query.route.value_of_time_usd) << "the dataset's";
  SweepGrid cost = t.grid(dep + "[query]\nby = \"cost\"\n");
  EXPECT_EQ(cost.query.route.objective, Objective::kCost);
  SweepGrid valued = t.grid(dep + "[query]\nvalue_of_time = 2.5\nequipment = \"soc\"\n");
  EXPECT_EQ(valued.query.route.value_of_time_usd, 2.5);
  EXPECT_EQ(valued.query.route.equipment, Equipment::kSoc);
}

TEST(SweepGrid, DemandLanesAddUpAndKeepTheirFirstOrder) {
  Triangle t;
  t.dir.write("flows.csv", "from,to,teu_per_year\nb,a,10\na,b,5\nb,a,2.5\na,a,99\n");
  SweepGrid g = t.grid("[departures]\ndates = [\"2026-03-02\"]\n[pairs]\ndemand = \"flows.csv\"\n");
  ASSERT_EQ(g.pairs.size(), 2u);
  EXPECT_EQ(t.net.locations[g.pairs[0].from].id, "b");
  EXPECT_DOUBLE_EQ(g.pairs[0].teu_per_year, 12.5);
  EXPECT_DOUBLE_EQ(g.pairs[1].teu_per_year, 5);
  EXPECT_EQ(g.pairs_source, "flows.csv");
}

struct BadGrid {
  const char* name;
  std::string text;
  std::string message;  // after "<grid>:"
};

TEST(SweepGrid, RejectsBadGridsWithFileLineAndWhatWasExpected) {
  Triangle t;
  const std::string dep = "[departures]\ndates = [\"2026-03-02\"]\n";
  const std::vector<BadGrid> cases = {
      {"unknown top key", "nmae = \"x\"\n" + dep,
       "1: unknown key \"nmae\" (expected name, description, outputs, measures, departures, samples, pairs, query)"},
      {"unknown section key", dep + "[pairs]\nplace = [\"a\"]\n",
       "4: unknown key \"place\" in [pairs] (expected set, places, list, demand)"},
      {"no departures", "[samples]\ncount = 10\n",
       " [departures]: missing (expected dates = [\"2026-03-02T08:00+08:00\", …])"},
      {"bad date", "[departures]\ndates = [\"next monday\"]\n",
       "2: [departures] dates: expected an ISO-8601 date-time from 2000-01-01 to 2099-12-31, such as 2026-03-02"},
      {"unknown dataset scenario", "[measures]\nsets = [\"green\"]\n" + dep,
       "2: [measures] sets: unknown scenario \"green\" (expected a .toml file; the dataset has no scenarios)"},
      {"scenario twice", "[measures]\nsets = [\"close-direct.toml\", [\"slow-c.toml\", \"close-direct.toml\"]]\n" + dep,
       "2: [measures]: scenario \"close-direct\" is applied twice (expected each scenario once)"},
      {"bad combine", "[measures]\ncombine = \"all\"\n" + dep,
       "2: [measures] combine: unknown value \"all\" (expected factorial or listed)"},
      {"pareto", dep + "[query]\nby = \"pareto\"\n",
       "4: [query] by: pareto gives several options per pair, a sweep needs one (expected "
       "generalized, time, cost or co2)"},
      {"unknown place", dep + "[pairs]\nplaces = [\"a\", \"zz\"]\n", "4: [pairs] places: unknown place"},
      {"same place twice", dep + "[pairs]\nlist = [[\"a\", \"a\"]]\n",
       "4: [pairs] list: a pair needs two different places"},
      {"two pair kinds", dep + "[pairs]\nset = \"hubs\"\nplaces = [\"a\", \"b\"]\n",
       "3: [pairs]: expected one of set, places, list or demand"},
      {"on time without deadline", "outputs = [\"on_time\"]\n" + dep,
       "1: outputs: on_time needs a deadline ([query] deadline_hours or deadline)"},
      {"p95 without samples", "outputs = [\"p95\"]\n" + dep + "[samples]\ncount = 0\n",
       "1: outputs: p95 needs samples ([samples] count above 0)"},
      {"unknown output", "outputs = [\"speed\"]\n" + dep,
       "1: outputs: unknown output \"speed\" (expected hours, p50, p95, on_time, cost, co2, change)"},
      {"seed twice", dep + "[samples]\nseeds = [3, 3]\n", "4: [samples] seeds: 3 is listed twice"},
      {"no units", dep + "[query]\nunits = 0\n",
       "4: [query] units: bad value \"0\" (expected a whole number from 1 to 10000)"},
      {"units as a float", dep + "[query]\nunits = 2.0\n",
       "4: [query] units: bad value \"2.0\" (expected a whole number"},
      {"via an avoided place", dep + "[query]\nvia = [\"c\"]\navoid = [\"c\"]\n",
       "4: [query] via: \"c\" is avoided (expected places that avoid spares)"},
      {"both deadlines", dep + "[query]\ndeadline_hours = 24\ndeadline = \"2026-03-09\"\n",
       "5: [query] deadline: given with deadline_hours (expected one of them)"},
      {"deadline before a departure", dep + "[query]\ndeadline = \"2026-03-01\"\n",
       "4: [query] deadline: 2026-03-01T00:00:00Z is not after the departure 2026-03-02T00:00:00Z"},
      {"no modes", dep + "[query]\nmodes = []\n",
       "4: [query] modes: empty list (expected a list of rail, road, ferry, sea, air;"},
      {"unknown mode", dep + "[query]\nmode = [\"rail\", \"rocket\"]\n",
       "4: [query] mode: unknown mode \"rocket\" (expected a list of rail, road, ferry, sea, air)"},
      {"empty seeds", dep + "[samples]\nseeds = []\n",
       "4: [samples] seeds: empty list (expected up to 1000 whole numbers"},
      {"too many samples", dep + "[samples]\ncount = 100000000\n", "4: [samples] count: bad value \"100000000\""},
      {"toml syntax", "name = \n", "1: "},
  };
  for (const BadGrid& c : cases) {
    auto g = t.parse(c.text);
    ASSERT_FALSE(g.ok()) << c.name;
    const std::string expected = (t.dir.path / "grid.toml").string() + ":" + c.message;
    EXPECT_EQ(g.error().to_string().substr(0, expected.size()), expected) << c.name;
  }
}

TEST(SweepGrid, RefusesAFactorialOfMoreThanTwelveSets) {
  Triangle t;
  std::string sets;
  for (int i = 0; i < 13; ++i) {
    t.dir.write("s" + std::to_string(i) + ".toml", harmless("s" + std::to_string(i)));
    sets += (i ? ", " : "") + std::string("\"s") + std::to_string(i) + ".toml\"";
  }
  auto g = t.parse("[measures]\nsets = [" + sets + "]\n[departures]\ndates = [\"2026-03-02\"]\n");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().message,
            "[measures] sets: 13 sets make too large a factorial (expected at most 12, or combine = \"listed\")");
  auto listed =
      t.parse("[measures]\ncombine = \"listed\"\nsets = [" + sets + "]\n[departures]\ndates = [\"2026-03-02\"]\n");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->combinations.size(), 14u);
}

TEST(SweepGrid, ScenarioErrorsKeepTheirOwnFileAndLine) {
  Triangle t;
  t.dir.write("broken.toml", "name = \"b\"\n[[measures]]\ntype = \"close_link\"\nlink = \"nope\"\n");
  auto g = t.parse("[measures]\nsets = [\"broken.toml\"]\n[departures]\ndates = [\"2026-03-02\"]\n");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().file, (t.dir.path / "broken.toml").string());
  EXPECT_EQ(g.error().line, 4u);
}

// ---- cells

TEST(SweepCells, FiguresMatchTheHandWorkedTriangle) {
  Triangle t;
  SweepGrid g = t.grid(kHandGrid);
  auto ctx = SweepContext::build(t.net, g);
  ASSERT_TRUE(ctx.ok()) << to_string(ctx.errors());
  std::vector<CellResult> cells = run_in_process(*ctx, 1);
  ASSERT_EQ(cells.size(), 4u);  // {base, close-direct} × {a→b, b→a}
  for (int pair = 0; pair < 2; ++pair) {
    const CellResult& base = cells[static_cast<std::size_t>(pair)];
    const CellResult& closed = cells[static_cast<std::size_t>(2 + pair)];
    EXPECT_EQ(base.status, CellStatus::kOk);
    EXPECT_DOUBLE_EQ(base.hours, 10.0);
    EXPECT_EQ(base.cost_usd_cents, 60000);     // 1 truck × 600 km × 1 USD/truck-km
    EXPECT_EQ(base.co2_g, 1200000);            // 600 km × 100 g/tkm × 20 t
    EXPECT_DOUBLE_EQ(closed.hours, 20.0);      // 1,200 km / 60 km/h
    EXPECT_EQ(closed.cost_usd_cents, 120000);  // 1 truck × 1,200 km × 1 USD
    EXPECT_EQ(closed.co2_g, 2400000);          // 1,200 km × 100 g/tkm × 20 t
    CellChange d = change_against(closed, base);
    EXPECT_DOUBLE_EQ(*d.hours, 10.0);      // 20 h − 10 h
    EXPECT_DOUBLE_EQ(*d.cost_usd, 600.0);  // 1,200 − 600 USD
    EXPECT_DOUBLE_EQ(*d.co2_kg, 1200.0);   // 2,400 − 1,200 kg
    EXPECT_FALSE(d.p95_hours) << "no samples";
  }
}

TEST(SweepCells, AClosedDetourMakesNoRouteAndNoChange) {
  Triangle t;
  t.dir.write("cut.toml",
              "name = \"cut\"\n[[measures]]\ntype = \"close_link\"\nlink = \"ac\"\n[[measures]]\ntype = "
              "\"close_link\"\nlink = \"ab\"\n");
  SweepGrid g = t.grid(
      "[measures]\nsets = [\"cut.toml\"]\n[departures]\ndates = [\"2026-03-02\"]\n[samples]\ncount = 0\n"
      "[pairs]\nlist = [[\"a\", \"b\"]]\n[query]\nby = \"time\"\n");
  auto ctx = SweepContext::build(t.net, g);
  ASSERT_TRUE(ctx.ok());
  std::vector<CellResult> cells = run_in_process(*ctx, 1);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[1].status, CellStatus::kNoRoute);
  EXPECT_FALSE(cells[1].message.empty());
  EXPECT_FALSE(change_against(cells[1], cells[0]).hours);
}

// [query] via, avoid and cargo_tonnes reach every cell as they reach a route
// request. Through c: 1,200 km, 20 h, 1 truck × 1,200 km × 1 USD = 1,200 USD
// (the cargo changes the CO2, not the truck count: no gross limit is known);
// 5 t per FEU × 1,200 km × 100 g = 600 kg. Avoiding c: a→b takes the direct
// road (10 h, 5 t × 600 km × 100 g = 300 kg) and c→b has no route.
TEST(SweepCells, ViaAvoidAndCargoAreTheRouteRequestsOwn) {
  Triangle t;
  const std::string head = "[departures]\ndates = [\"2026-03-02T00:00Z\"]\n[samples]\ncount = 0\n";
  SweepGrid through = t.grid(head +
                             "[pairs]\nlist = [[\"a\", \"b\"]]\n[query]\nby = \"time\"\nvia = [\"c\"]\n"
                             "cargo_tonnes = 5\n");
  auto ctx = SweepContext::build(t.net, through);
  ASSERT_TRUE(ctx.ok()) << to_string(ctx.errors());
  std::vector<CellResult> cells = run_in_process(*ctx, 1);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].status, CellStatus::kOk);
  EXPECT_DOUBLE_EQ(cells[0].hours, 20.0);
  EXPECT_EQ(cells[0].cost_usd_cents, 120000);  // 1 truck × 1,200 km × 1 USD
  EXPECT_EQ(cells[0].co2_g, 600000);           // 1,200 km × 100 g/tkm × 5 t

  SweepGrid around = t.grid(head +
                            "[pairs]\nlist = [[\"a\", \"b\"], [\"c\", \"b\"]]\n[query]\nby = \"time\"\n"
                            "avoid = [\"c\"]\ncargo_tonnes = 5.0\n");
  auto ctx2 = SweepContext::build(t.net, around);
  ASSERT_TRUE(ctx2.ok()) << to_string(ctx2.errors());
  cells = run_in_process(*ctx2, 1);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].status, CellStatus::kOk);
  EXPECT_DOUBLE_EQ(cells[0].hours, 10.0);
  EXPECT_EQ(cells[0].co2_g, 300000);  // 600 km × 100 g/tkm × 5 t
  EXPECT_EQ(cells[1].status, CellStatus::kNoRoute);
  EXPECT_EQ(cells[1].message, "the origin Gamma is avoided ([query] avoid)");
}

// The sweep's cell against the planner and the Monte Carlo called directly
// with the combination's scenarios, the departure, the seed and the deadline.
TEST(SweepCells, MatchThePlannerAndMonteCarloCalledDirectly) {
  auto net = load_network(fs::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  TempDir dir;
  auto g = parse_sweep_grid(R"(
[measures]
sets = ["green-lanes", "cku-railway"]
[departures]
dates = ["2026-03-02T08:00+08:00", "2026-03-05T08:00+08:00"]
[samples]
count = 300
seeds = [7, 8]
[pairs]
list = [["xian", "tashkent"], ["urumqi", "almaty"]]
[query]
by = "time"
modes = ["rail", "road"]
deadline_hours = 200
)",
                            dir.path / "g.toml", *net, fs::path(CARAVAN_TEST_DATA_DIR) / "scenarios");
  ASSERT_TRUE(g.ok()) << to_string(g.errors());
  auto ctx = SweepContext::build(*net, *g);
  ASSERT_TRUE(ctx.ok());
  std::vector<CellResult> cells = run_in_process(*ctx, 2);
  ASSERT_EQ(cells.size(), 4u * 2 * 2 * 2);
  for (std::uint64_t c : {0ull, 5ull, 18ull, 31ull}) {
    const CellKey k = g->key(c);
    std::vector<Scenario> scs;
    for (std::uint32_t s : g->combinations[k.combination].sets) scs.push_back(g->sets[s].scenarios[0]);
    auto ov = Overlay::build(*net, scs);
    ASSERT_TRUE(ov.ok());
    RouteIndex index(*net, &*ov);
    Planner planner(index);
    RouteQuery q;
    q.from = g->pairs[k.pair].from;
    q.to = g->pairs[k.pair].to;
    q.depart = g->departures[k.departure];
    q.objective = Objective::kTime;
    q.modes = *parse_mode_set("rail,road");
    auto its = planner.plan(q);
    ASSERT_TRUE(its.ok());
    StageModel model(index);
    MonteCarloOptions mc;
    mc.samples = 300;
    mc.seed = g->seeds[k.seed];
    mc.deadline = q.depart + hours(200);
    Reliability rel = monte_carlo(model, q, its->front(), mc);
    const CellResult& r = cells[c];
    EXPECT_EQ(r.status, CellStatus::kOk) << c;
    EXPECT_DOUBLE_EQ(r.hours, to_hours(its->front().duration())) << c;
    EXPECT_EQ(r.cost_usd_cents, its->front().cost_usd_cents) << c;
    EXPECT_EQ(r.co2_g, its->front().co2_g) << c;
    EXPECT_DOUBLE_EQ(*r.p50_hours, rel.p50_hours) << c;
    EXPECT_DOUBLE_EQ(*r.p95_hours, rel.p95_hours) << c;
    EXPECT_DOUBLE_EQ(*r.on_time_probability, *rel.on_time_probability) << c;
  }
}

// ---- the record and the journal

TEST(SweepRecord, RoundTripsEveryFieldExactly) {
  CellResult r;
  r.cell = 123456789012ull;
  r.status = CellStatus::kNoRoute;
  r.hours = 0.1 + 0.2;  // not a short decimal
  r.cost_usd_cents = -42;
  r.co2_g = 9007199254740993LL;
  r.p50_hours = 1.0 / 3.0;
  r.p95_hours = std::numeric_limits<double>::infinity();
  r.stuck_samples = 17;
  r.message = "no route:\tfrom a\nto b \\ c";
  std::string line = encode_cell(r);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  auto back = decode_cell(line);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, r);
  CellResult plain;
  EXPECT_EQ(*decode_cell(encode_cell(plain)), plain);
}

TEST(SweepRecord, RejectsADamagedLine) {
  CellResult r;
  r.hours = 12.5;
  std::string line = encode_cell(r);
  std::string flipped = line;
  flipped[flipped.find("12.5")] = '7';
  EXPECT_EQ(decode_cell(flipped).error().message, "cell record fails its checksum");
  EXPECT_EQ(decode_cell("1\tok\t2\n").error().message, "cell record has 3 fields (expected 11)");
}

TEST(SweepJournal, RecoversWhatWasWrittenAndDropsATornLine) {
  TempDir dir;
  const fs::path p = dir.path / "j";
  CellResult a, b;
  a.cell = 3;
  a.hours = 1.5;
  b.cell = 7;
  b.p95_hours = 9.25;
  {
    auto j = SweepJournal::open(p, 0xabc, 10, false);
    ASSERT_TRUE(j.ok()) << j.error().message;
    EXPECT_TRUE(j->recovered().empty());
    ASSERT_TRUE(j->append(encode_cell(a) + encode_cell(b)).ok());
  }
  std::string whole = read(p);
  {
    std::ofstream(p, std::ios::app | std::ios::binary) << encode_cell(a).substr(0, 9);  // killed mid-write
  }
  auto j = SweepJournal::open(p, 0xabc, 10, false);
  ASSERT_TRUE(j.ok()) << j.error().message;
  ASSERT_EQ(j->recovered().size(), 2u);
  EXPECT_EQ(j->recovered()[0], a);
  EXPECT_EQ(j->recovered()[1], b);
  EXPECT_EQ(read(p), whole) << "the torn line is cut off before new records follow";
  EXPECT_EQ(whole.substr(0, whole.find('\n')), "caravan sweep journal 1 0000000000000abc 10");
}

TEST(SweepJournal, RefusesAnotherSweepsJournalADamagedOneAndASecondWriter) {
  TempDir dir;
  const fs::path p = dir.path / "j";
  {
    auto j = SweepJournal::open(p, 1, 10, false);
    ASSERT_TRUE(j.ok());
    auto second = SweepJournal::open(p, 1, 10, false);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().message,
              p.string() + ": another sweep is writing this journal (expected one sweep per folder)");
  }
  auto other = SweepJournal::open(p, 2, 10, false);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, p.string() +
                                       ": holds the results of another grid, dataset or caravan version (expected the "
                                       "journal of this sweep; discard it to start afresh)");
  auto restarted = SweepJournal::open(p, 2, 10, true);
  ASSERT_TRUE(restarted.ok());
  CellResult r;
  r.cell = 10;  // out of range for 10 cells
  ASSERT_TRUE(restarted->append(encode_cell(r)).ok());
  restarted = Error::internal("closed");
  auto damaged = SweepJournal::open(p, 2, 10, false);
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.error().to_string(), p.string() + ":2: damaged journal: cell record repeats or is out of range");
}

TEST(SweepFiles, WriteAtomicallyReplacesTheWholeFile) {
  TempDir dir;
  const fs::path p = dir.path / "t.csv";
  ASSERT_TRUE(write_file_atomically(p, "old\n").ok());
  ASSERT_TRUE(write_file_atomically(p, "new text\n").ok());
  EXPECT_EQ(read(p), "new text\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1) << "no temporary file left";
  EXPECT_FALSE(write_file_atomically(dir.path / "missing" / "t.csv", "x").ok());
}

// ---- running

struct RealSweep {
  Network net = load_network(fs::path(CARAVAN_TEST_DATA_DIR)).value();
  SweepGrid grid = load_sweep_grid(fs::path(CARAVAN_TEST_DATA_DIR) / "sweeps" / "small.toml", net,
                                   fs::path(CARAVAN_TEST_DATA_DIR) / "scenarios")
                       .value();
  SweepContext ctx = SweepContext::build(net, grid).value();
};

// Each in-process rank runs run_sweep on its own thread, as MPI ranks would.
std::vector<CellResult> run_as_ranks(const SweepContext& ctx, int ranks, SweepStats* stats = nullptr,
                                     SweepJournal* journal = nullptr) {
  auto transports = in_process_transports(ranks);
  std::vector<Result<SweepOutcome>> outcomes(static_cast<std::size_t>(ranks), Error::internal("not run"));
  {
    std::vector<std::jthread> threads;
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        SweepTransport& t = *transports[static_cast<std::size_t>(r)];
        if (!agreement(t.gather({true, 42})).ok()) return;
        SweepRunOptions o;
        o.threads = 1;
        o.max_chunk = 8;
        outcomes[static_cast<std::size_t>(r)] = run_sweep(ctx, r == 0 ? journal : nullptr, &t, o);
      });
    }
  }
  for (auto& o : outcomes) EXPECT_TRUE(o.ok()) << (o.ok() ? "" : to_string(o.errors()));
  if (!outcomes[0].ok()) return {};
  for (int r = 1; r < ranks; ++r) EXPECT_TRUE(outcomes[static_cast<std::size_t>(r)]->cells.empty());
  if (stats != nullptr) *stats = outcomes[0]->stats;
  return std::move(outcomes[0]->cells);
}

TEST(SweepRun, ThreadsChunksAndRanksGiveTheSameCells) {
  RealSweep s;
  std::vector<CellResult> one = run_in_process(s.ctx, 1);
  ASSERT_EQ(one.size(), 480u);
  for (std::size_t i = 0; i < one.size(); ++i) ASSERT_EQ(one[i].cell, i);
  EXPECT_EQ(run_in_process(s.ctx, 3, 1), one);
  SweepStats stats;
  EXPECT_EQ(run_as_ranks(s.ctx, 3, &stats), one);
  ASSERT_EQ(stats.ranks.size(), 3u);
  std::uint64_t total = 0;
  for (const RankStats& r : stats.ranks) total += r.cells;
  EXPECT_EQ(total, 480u) << "every cell run exactly once";
  EXPECT_GT(stats.ranks[1].cells, 0u) << "the workers got chunks";
  EXPECT_GT(stats.ranks[2].cells, 0u);
}

TEST(SweepRun, ResumesFromTheJournalRunningOnlyWhatIsMissing) {
  RealSweep s;
  std::vector<CellResult> all = run_in_process(s.ctx, 2);
  TempDir dir;
  {
    auto j = SweepJournal::open(dir.path / "j", 5, all.size(), false);
    ASSERT_TRUE(j.ok());
    std::string lines;
    for (std::size_t i = 0; i < all.size(); i += 3) lines += encode_cell(all[i]);  // every third cell done
    ASSERT_TRUE(j->append(lines).ok());
  }
  auto j = SweepJournal::open(dir.path / "j", 5, all.size(), false);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->recovered().size(), 160u);
  SweepStats stats;
  EXPECT_EQ(run_as_ranks(s.ctx, 2, &stats, &*j), all);
  EXPECT_EQ(stats.resumed, 160u);
  EXPECT_EQ(stats.ranks[0].cells + stats.ranks[1].cells, 320u);
  // The journal now holds every cell once.
  j = Error::internal("closed");
  auto reopened = SweepJournal::open(dir.path / "j", 5, all.size(), false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->recovered().size(), all.size());
}

TEST(SweepRun, AWorkerThatSendsGarbageStopsTheSweepWithAnError) {
  Triangle t;
  SweepGrid g = t.grid(kHandGrid);
  auto ctx = SweepContext::build(t.net, g);
  ASSERT_TRUE(ctx.ok());
  auto transports = in_process_transports(2);
  std::optional<Result<SweepOutcome>> coordinator;
  std::jthread rank0([&] {
    SweepRunOptions o;
    o.threads = 1;
    coordinator.emplace(run_sweep(*ctx, nullptr, transports[0].get(), o));
  });
  transports[1]->send(0, "hello\n");
  std::optional<SweepTransport::Message> answer;
  while (!(answer = transports[1]->receive(0, std::chrono::milliseconds(100)))) {
  }
  EXPECT_EQ(answer->bytes, "S\n") << "told to stop";
  rank0.join();
  ASSERT_FALSE(coordinator->ok());
  EXPECT_EQ(coordinator->error().message, "rank 1 sent a malformed request");
  EXPECT_EQ(coordinator->error().code, ErrorCode::kInternal);
}

TEST(SweepRun, RanksMustAgreeOnTheSweep) {
  EXPECT_TRUE(agreement({{true, 9}, {true, 9}}).ok());
  EXPECT_EQ(agreement({{true, 9}, {true, 9}, {false, 0}}).error().message,
            "rank 2 could not set up the sweep (its error is above)");
  EXPECT_EQ(agreement({{true, 0x9}, {true, 0xa}}).error().message,
            "rank 1 has another grid, dataset or caravan version than rank 0 (fingerprint a, rank 0 9)");
  auto t = in_process_transports(2);
  std::vector<RankReadiness> seen_by_1;
  std::jthread worker([&] { seen_by_1 = t[1]->gather({true, 8}); });
  std::vector<RankReadiness> seen_by_0 = t[0]->gather({false, 7});
  worker.join();
  for (const auto* seen : {&seen_by_0, &seen_by_1}) {
    ASSERT_EQ(seen->size(), 2u);
    EXPECT_FALSE((*seen)[0].ready);
    EXPECT_EQ((*seen)[1].fingerprint, 8u);
  }
}

TEST(SweepRun, FingerprintFollowsTheObjectiveAndTheDataset) {
  RealSweep s;
  const std::uint64_t f = sweep_fingerprint(s.grid, 1);
  EXPECT_NE(sweep_fingerprint(s.grid, 2), f);
  SweepGrid g = s.grid;
  g.query.route.objective = Objective::kCost;
  EXPECT_NE(sweep_fingerprint(g, 1), f);
}

// ---- summaries and the table

TEST(SweepSummary, MeansAreWeightedByDemandOverComparableCells) {
  Triangle t;
  t.dir.write("flows.csv", "from,to,teu_per_year\na,b,3\nb,a,1\n");
  SweepGrid g = t.grid(
      "[measures]\nsets = [\"close-direct.toml\"]\n[departures]\ndates = [\"2026-03-02\"]\n[samples]\ncount = 0\n"
      "[pairs]\ndemand = \"flows.csv\"\n");
  std::vector<CellResult> cells(4);
  for (std::uint64_t c = 0; c < 4; ++c) cells[c].cell = c;
  cells[0].hours = 10;  // base a->b
  cells[1].hours = 10;  // base b->a
  cells[2].hours = 14;  // a->b: +4, weight 3
  cells[3].hours = 30;  // b->a: +20, weight 1
  std::vector<CombinationSummary> s = summarize(g, cells);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(s[1].by_demand);
  EXPECT_EQ(s[1].compared, 2u);
  EXPECT_DOUBLE_EQ(*s[1].hours, (3 * 4.0 + 1 * 20.0) / 4);
  EXPECT_DOUBLE_EQ(*s[0].hours, 0.0);
  cells[3].status = CellStatus::kNoRoute;
  s = summarize(g, cells);
  EXPECT_EQ(s[1].compared, 1u);
  EXPECT_DOUBLE_EQ(*s[1].hours, 4.0);
}

TEST(SweepTable, CsvIsTheGoldenTextAndJsonCarriesTheSameRows) {
  Triangle t;
  SweepGrid g = t.grid(std::string(kHandGrid) + "\n");
  auto ctx = SweepContext::build(t.net, g);
  ASSERT_TRUE(ctx.ok());
  std::vector<CellResult> cells = run_in_process(*ctx, 1);
  // The triangle's figures (above): base 10 h, 600 USD, 1,200 kg; direct road
  // closed 20 h, 1,200 USD, 2,400 kg, so +10 h, +600 USD, +1,200 kg.
  EXPECT_EQ(
      sweep_to_csv(t.net, g, cells),
      "measures,depart,seed,from,to,status,hours,cost_usd,co2_kg,change_hours,change_cost_usd,change_co2_kg,note\n"
      "base,2026-03-02T00:00:00Z,1,a,b,ok,10.00,600.00,1200.000,0.00,0.00,0.000,\n"
      "base,2026-03-02T00:00:00Z,1,b,a,ok,10.00,600.00,1200.000,0.00,0.00,0.000,\n"
      "close-direct,2026-03-02T00:00:00Z,1,a,b,ok,20.00,1200.00,2400.000,10.00,600.00,1200.000,\n"
      "close-direct,2026-03-02T00:00:00Z,1,b,a,ok,20.00,1200.00,2400.000,10.00,600.00,1200.000,\n");
  auto j = nlohmann::json::parse(sweep_to_json(t.net, g, cells));
  EXPECT_EQ(j["sweep"]["cells"], 4);
  EXPECT_EQ(j["sweep"]["combinations"], nlohmann::json::array({"base", "close-direct"}));
  EXPECT_EQ(j["dataset"]["name"], "test");
  ASSERT_EQ(j["rows"].size(), 4u);
  EXPECT_EQ(j["rows"][2]["measures"], "close-direct");
  EXPECT_EQ(j["rows"][2]["hours"], 20.0);
  EXPECT_EQ(j["rows"][2]["change_cost_usd"], 600.0);  // 1,200 − 600 USD
  EXPECT_TRUE(j["rows"][2]["note"].is_null());
  EXPECT_EQ(j["summary"][1]["change_hours"], 10.0);
  EXPECT_EQ(j["columns"].size(), 13u);
}

TEST(SweepTable, UnreachedPercentilesAreInfInCsvAndNullInJson) {
  Triangle t;
  SweepGrid g = t.grid(
      "outputs = [\"p95\"]\n[departures]\ndates = [\"2026-03-02\"]\n[samples]\ncount = 10\n[pairs]\n"
      "list = [[\"a\", \"b\"]]\n");
  CellResult r;
  r.p95_hours = std::numeric_limits<double>::infinity();
  r.stuck_samples = 10;
  EXPECT_EQ(sweep_to_csv(t.net, g, {r}),
            "measures,depart,seed,from,to,status,p95_hours,stuck_samples,note\n"
            "base,2026-03-02T00:00:00Z,1,a,b,ok,inf,10,\n");
  auto j = nlohmann::json::parse(sweep_to_json(t.net, g, {r}));
  EXPECT_TRUE(j["rows"][0]["p95_hours"].is_null());
}

}  // namespace
}  // namespace caravan
