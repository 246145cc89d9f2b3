// CLI tests of `caravan simulate` on the real dataset and its demand table:
// exit codes (DESIGN.md section 10), the three formats, and that a scenario's
// set_capacity reaches the simulation.
#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int exit_code;
  std::string out;
};

// Runs `caravan simulate` with `args` on the dataset; stderr merged when asked.
CliRun simulate(const std::string& args, bool merge_stderr = false) {
  std::string cmd = std::string(CARAVAN_BINARY) + " simulate " + args + " --data " + CARAVAN_TEST_DATA_DIR;
  cmd += merge_stderr ? " 2>&1" : " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

const std::string kDemand = std::string(CARAVAN_TEST_DATA_DIR) + "/demand.csv";
// Block trains (45 FEU) over 30 days: a few hundred shipments, quick.
const std::string kQuick = "--demand " + kDemand +
                           " --start 2026-03-02 --days 30 --warmup 7 --units 45 --mode rail,road,ferry --by cost"
                           " --service-capacity ignore";

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(SimulateCli, HelpTeachesWithExamples) {
  FILE* p = popen((std::string(CARAVAN_BINARY) + " simulate --help").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 0);
  for (const char* s : {"--demand", "--days", "--warmup", "--seed", "--scenario", "Examples:", "from,to,teu_per_year"})
    EXPECT_NE(out.find(s), std::string::npos) << s;
}

TEST(SimulateCli, TableListsCrossingsAndLanes) {
  CliRun r = simulate(kQuick);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The wagonload lanes queue at Alashankou-Dostyk; block trains through
  // Khorgos clear on their own timetable.
  EXPECT_NE(r.out.find("alashankou-dostyk-rail"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Xi'an → Duisburg"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Runs of services: no capacity limit"), std::string::npos) << r.out;
}

TEST(SimulateCli, JsonIsDeterministicAndScenarioCapacityRaisesWaits) {
  CliRun base = simulate(kQuick + " --format json");
  ASSERT_EQ(base.exit_code, 0) << base.out;
  EXPECT_EQ(simulate(kQuick + " --format json").out, base.out) << "same seed, same report";
  auto j = nlohmann::json::parse(base.out);
  ASSERT_EQ(j["lanes"].size(), 7u);
  for (const auto& l : j["lanes"]) EXPECT_GT(l["shipments"].get<int>(), 0) << l.dump();
  auto wait_at = [](const nlohmann::json& doc, const std::string& id) {
    for (const auto& x : doc["resources"]) {
      if (x["id"] == id) return std::make_pair(x["capacity"].get<int>(), x["mean_wait_hours"].get<double>());
    }
    return std::make_pair(-1, -1.0);
  };
  auto [cap, wait] = wait_at(j, "alashankou-dostyk-rail");
  EXPECT_EQ(cap, 1637);  // crossings.csv
  const std::string half = write_temp("alashankou-half.toml",
                                      "id = \"alashankou-half\"\nname = \"Alashankou at half capacity\"\n"
                                      "[[measures]]\ntype = \"set_capacity\"\ncrossing = \"alashankou-dostyk-rail\"\n"
                                      "capacity = 800\nsource = \"est-teu-per-train\"\n");
  CliRun sc = simulate(kQuick + " --format json --scenario " + half);
  ASSERT_EQ(sc.exit_code, 0) << sc.out;
  auto js = nlohmann::json::parse(sc.out);
  EXPECT_EQ(js["query"]["scenarios"][0], "alashankou-half");
  auto [cap2, wait2] = wait_at(js, "alashankou-dostyk-rail");
  EXPECT_EQ(cap2, 800);
  EXPECT_GT(wait2, wait) << "less capacity, longer queue";
}

TEST(SimulateCli, SampledStagesAreEchoedAndChangeTransitTimes) {
  auto medians = nlohmann::json::parse(simulate(kQuick + " --format json").out);
  CliRun r = simulate(kQuick + " --format json --sample-stages");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto sampled = nlohmann::json::parse(r.out);
  EXPECT_EQ(sampled["query"]["sample_stages"], true);
  EXPECT_EQ(medians["query"]["sample_stages"], false);
  EXPECT_NE(sampled["lanes"][0]["mean_hours"], medians["lanes"][0]["mean_hours"]);
}

TEST(SimulateCli, CsvHasOneRowPerResourceAndLane) {
  CliRun r = simulate(kQuick + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("record,kind,id,from,to,capacity,", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nresource,crossing,alashankou-dostyk-rail,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nlane,,,xian,duisburg,"), std::string::npos) << r.out;
}

TEST(SimulateCli, BadInputExitsWithTwo) {
  EXPECT_EQ(simulate("").exit_code, 2) << "--demand is required";
  CliRun missing = simulate("--demand /nonexistent/demand.csv", true);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("/nonexistent/demand.csv: no such file"), std::string::npos) << missing.out;
  std::string bad = write_temp("bad_demand.csv", "from,to,teu_per_year\nxian,almaty,many\n");
  CliRun malformed = simulate("--demand " + bad, true);
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.out.find("bad_demand.csv:2: column teu_per_year: malformed number"), std::string::npos)
      << malformed.out;
  std::string unknown = write_temp("unknown_place.csv", "from,to,teu_per_year\nxian,atlantis,10\n");
  EXPECT_EQ(simulate("--demand " + unknown).exit_code, 2);
  std::string self = write_temp("self_lane.csv", "from,to,teu_per_year\nxian,xian,10\n");
  CliRun s = simulate("--demand " + self, true);
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_NE(s.out.find("to itself"), std::string::npos) << s.out;
  EXPECT_EQ(simulate("--demand " + kDemand + " --format xml").exit_code, 2);
  EXPECT_EQ(simulate("--demand " + kDemand + " --days 10 --warmup 10").exit_code, 2);
  EXPECT_EQ(simulate("--demand " + kDemand + " --start yesterday").exit_code, 2);
  EXPECT_EQ(simulate("--demand " + kDemand + " --mode boat").exit_code, 2);
  EXPECT_EQ(simulate("--demand " + kDemand + " --service-capacity some").exit_code, 2);
  EXPECT_EQ(simulate("--demand " + kDemand + " --scenario /nonexistent.toml").exit_code, 2);
}

}  // namespace
