// The HTTP API, end to end: a Server on 127.0.0.1 with an ephemeral port, in
// this process, over the embedded dataset; requests through cpp-httplib's
// client. Every endpoint, every error path, the token, the size limits, and
// every response checked against the OpenAPI document the server publishes.
#include "caravan/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "caravan/load.h"
#include "caravan/request.h"
#include "openapi_check.h"
#include "running_server.h"

namespace caravan {
namespace {

using nlohmann::json;
using testing::dataset;
using testing::default_options;
using testing::kData;
using testing::kToken;
using testing::OpenApiChecker;
using testing::RunningServer;
using testing::temp_db;

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new RunningServer(default_options());
    httplib::Client c = server_->client();
    auto r = c.Get("/v1/openapi.json");
    ASSERT_TRUE(r);
    checker_ = new OpenApiChecker(json::parse(r->body));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete checker_;
    server_ = nullptr;
    checker_ = nullptr;
  }

  // Sends a request, checks the body against the document for `doc_path`, and
  // returns status and parsed body (null for an empty body).
  struct Reply {
    int status = 0;
    json body;
    httplib::Headers headers;
  };
  Reply check(const httplib::Result& r, const std::string& doc_path, const std::string& method) {
    Reply out;
    if (!r) {
      ADD_FAILURE() << "no response: " << httplib::to_string(r.error());
      return out;
    }
    out.status = r->status;
    out.headers = r->headers;
    if (!r->body.empty()) {
      try {
        out.body = json::parse(r->body);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "not JSON: " << r->body.substr(0, 200);
        return out;
      }
    }
    const json* schema = checker_->response_schema(doc_path, method, r->status);
    if (r->status == 204) return out;
    if (schema == nullptr) {
      ADD_FAILURE() << method << " " << doc_path << " " << r->status << " is not in the OpenAPI document";
      return out;
    }
    for (const std::string& v : checker_->check(out.body, *schema))
      ADD_FAILURE() << method << " " << doc_path << ": " << v;
    return out;
  }
  Reply get(const std::string& target, const std::string& doc_path) {
    auto c = server_->client();
    return check(c.Get(target), doc_path, "get");
  }
  Reply post(const std::string& target, const std::string& body, const std::string& doc_path, bool token = false,
             const std::string& content_type = "application/json") {
    auto c = server_->client();
    httplib::Headers h;
    if (token) h.emplace("Authorization", std::string("Bearer ") + kToken);
    return check(c.Post(target, h, body, content_type), doc_path, "post");
  }
  Reply del(const std::string& target, const std::string& doc_path, const std::string& token) {
    auto c = server_->client();
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return check(c.Delete(target, h), doc_path, "delete");
  }

  static void expect_error(const Reply& r, int status, const std::string& code, const json& field) {
    EXPECT_EQ(r.status, status) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], code) << r.body.dump();
    EXPECT_EQ(r.body["error"]["field"], field) << r.body.dump();
  }

  static RunningServer* server_;
  static OpenApiChecker* checker_;
};
RunningServer* Api::server_ = nullptr;
OpenApiChecker* Api::checker_ = nullptr;

const std::string kRoute = "/v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z";

// Runs the CLI and returns its stdout.
std::string run_cli(const std::string& args) {
  std::string cmd = std::string(CARAVAN_BINARY) + " " + args + " --data " + kData.string() + " 2>/dev/null";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (p != nullptr && !std::feof(p)) {
    std::size_t n = std::fread(buf, 1, sizeof buf, p);
    out.append(buf, n);
  }
  if (p != nullptr) ::pclose(p);
  return out;
}

// ---- the document -----------------------------------------------------------

TEST_F(Api, OpenApiDocumentDescribesEveryEndpointAndResolvesEveryRef) {
  const json& doc = checker_->doc();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> want = {"/healthz",      "/v1/route",          "/v1/places", "/v1/network", "/v1/openapi.json",
                                "/v1/scenarios", "/v1/scenarios/{id}", "/v1/matrix", "/v1/compare", "/v1/simulate"};
  std::set<std::string> have;
  for (const auto& [p, ops] : doc["paths"].items()) have.insert(p);
  EXPECT_EQ(have, want);
  // Every $ref points somewhere.
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        EXPECT_NO_THROW(checker_->resolve(j["$ref"].get<std::string>())) << j["$ref"];
      }
      for (const auto& [k, v] : j.items()) walk(v);
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc);
  // Write endpoints say they need the token.
  EXPECT_TRUE(doc["paths"]["/v1/scenarios"]["post"].contains("security"));
  EXPECT_TRUE(doc["paths"]["/v1/scenarios/{id}"]["delete"].contains("security"));
}

TEST_F(Api, EveryDocumentedRouteParameterIsAcceptedAndOthersRejected) {
  const json& params = checker_->doc()["paths"]["/v1/route"]["get"]["parameters"];
  std::map<std::string, std::string> sample = {{"from", "xian"},
                                               {"to", "tashkent"},
                                               {"depart", "2026-03-02"},
                                               {"units", "2"},
                                               {"unit", "TEU"},
                                               {"cargo_tonnes", "12"},
                                               {"equipment", "soc"},
                                               {"by", "time"},
                                               {"value_of_time", "2.5"},
                                               {"via", "khorgos-cn"},
                                               {"avoid", "RU"},
                                               {"mode", "rail,road"},
                                               {"deadline", "2026-03-30"},
                                               {"samples", "50"},
                                               {"seed", "7"},
                                               {"scenario", "green-lanes"},
                                               {"format", "json"}};
  // volume_m3 is for KG cargo only, which takes no cargo_tonnes or equipment: asked on its own.
  auto kg =
      get("/v1/route?from=urumqi&to=almaty&depart=2026-03-02T00:00Z&unit=KG&units=2000&volume_m3=15", "/v1/route");
  EXPECT_EQ(kg.status, 200) << kg.body.dump();
  std::string q;
  std::size_t asked = 0;
  for (const auto& p : params) {
    std::string name = checker_->resolve(p["$ref"].get<std::string>())["name"];
    if (name == "volume_m3") continue;
    ++asked;
    ASSERT_TRUE(sample.count(name)) << "no sample value for documented parameter " << name;
    q += (q.empty() ? "?" : "&") + name + "=" + sample[name];
  }
  EXPECT_EQ(asked, sample.size());
  auto ok = get("/v1/route" + q, "/v1/route");
  EXPECT_EQ(ok.status, 200) << ok.body.dump();
  auto bad = get(kRoute + "&colour=red", "/v1/route");
  expect_error(bad, 400, "bad_parameter", "colour");
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("colour: unknown option"), std::string::npos);
}

// The document's limits for one option are the request table's (request.h).
void expect_schema_matches(const OptionSpec& spec, const json& schema, const std::string& where) {
  SCOPED_TRACE(where + " " + std::string(spec.name));
  std::vector<std::string> choices;
  for (std::size_t start = 0; !spec.choices.empty() && start <= spec.choices.size();) {
    std::size_t bar = spec.choices.find('|', start);
    if (bar == std::string_view::npos) bar = spec.choices.size();
    choices.emplace_back(spec.choices.substr(start, bar - start));
    start = bar + 1;
  }
  switch (spec.type) {
    case OptionType::kCount:
      EXPECT_EQ(schema["type"], "integer");
      EXPECT_EQ(schema["minimum"].get<double>(), spec.min);
      EXPECT_EQ(schema["maximum"].get<double>(), spec.max);
      break;
    case OptionType::kNumber:
      EXPECT_EQ(schema["type"], "number");
      EXPECT_EQ(schema["minimum"].get<double>(), spec.min);
      EXPECT_EQ(schema["maximum"].get<double>(), spec.max);
      EXPECT_EQ(schema.value("exclusiveMinimum", false), spec.min_exclusive);
      break;
    case OptionType::kChoice:
      EXPECT_EQ(schema["enum"], json(choices));
      break;
    case OptionType::kChoices:
      EXPECT_EQ(schema["items"]["enum"], json(choices));
      [[fallthrough]];
    case OptionType::kPlaces:
    case OptionType::kAvoid:
    case OptionType::kScenarios:
    case OptionType::kDemand:
      EXPECT_EQ(schema["type"], "array");
      EXPECT_EQ(schema["maxItems"].get<std::size_t>(), spec.max_items);
      break;
    case OptionType::kPlace:
    case OptionType::kInstant:
    case OptionType::kFlag:
      EXPECT_TRUE(schema.contains("type"));
      break;
  }
  if (spec.type == OptionType::kFlag) {
    EXPECT_EQ(schema["type"], "boolean");
  }
}

TEST_F(Api, OpenApiDocumentsEveryOptionWithTheLimitsOfTheRequestTables) {
  std::map<std::string, json> params;
  for (const auto& p : checker_->doc()["paths"]["/v1/route"]["get"]["parameters"]) {
    const json& param = checker_->resolve(p["$ref"].get<std::string>());
    params[param["name"]] = param;
  }
  std::size_t remote = 0;
  for (const OptionSpec& s : route_options()) {
    if (s.local_only) {
      EXPECT_FALSE(params.count(std::string(s.name))) << s.name << " is for local requests only";
      continue;
    }
    ++remote;
    ASSERT_TRUE(params.count(std::string(s.name))) << "undocumented route option " << s.name;
    const json& p = params[std::string(s.name)];
    EXPECT_EQ(p["required"].get<bool>(), s.required) << s.name;
    expect_schema_matches(s, p["schema"], "GET /v1/route");
  }
  EXPECT_EQ(params.size(), remote + 1);  // and format
  EXPECT_TRUE(params.count("format"));
  for (auto [schema_name, specs] :
       {std::pair{"MatrixRequest", matrix_options()}, std::pair{"CompareRequest", compare_options()},
        std::pair{"SimulateRequest", simulate_options()}}) {
    const json& body = checker_->doc()["components"]["schemas"][schema_name];
    std::set<std::string> names = {"format"}, required;  // format: the server's own, not the request's
    for (const OptionSpec& s : specs) {
      if (s.local_only) continue;
      names.insert(std::string(s.name));
      if (s.required) required.insert(std::string(s.name));
      if (!s.aliases.empty()) names.insert(std::string(s.aliases));
      ASSERT_TRUE(body["properties"].contains(std::string(s.name))) << schema_name << " lacks " << s.name;
      expect_schema_matches(s, body["properties"][std::string(s.name)], schema_name);
    }
    std::set<std::string> documented, documented_required;
    for (const auto& [k, v] : body["properties"].items()) documented.insert(k);
    for (const auto& r : body.value("required", json::array())) documented_required.insert(r.get<std::string>());
    EXPECT_EQ(documented, names) << schema_name;
    EXPECT_EQ(documented_required, required) << schema_name;
  }
}

TEST_F(Api, OpenApiDocumentIsServedAsJson) {
  auto c = server_->client();
  auto r = c.Get("/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(r->body), json::parse(std::string(openapi_document())));
}

// ---- health, places, network ------------------------------------------------

TEST_F(Api, HealthzNamesTheDatasetAndItsSize) {
  auto r = get("/healthz", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
  EXPECT_EQ(r.body["dataset"]["name"], dataset()->info.name);
  EXPECT_EQ(r.body["locations"], dataset()->locations.size());
  EXPECT_EQ(r.body["links"], dataset()->links.size());
}

TEST_F(Api, PlacesFindsByNameAliasAndPrefix) {
  auto r = get("/v1/places?q=Xi%27an", "/v1/places");
  ASSERT_EQ(r.status, 200);
  ASSERT_FALSE(r.body["places"].empty());
  EXPECT_EQ(r.body["places"][0]["id"], "xian");
  EXPECT_EQ(r.body["query"], "Xi'an");
  auto alias = get("/v1/places?q=Horgos&limit=3", "/v1/places");
  ASSERT_FALSE(alias.body["places"].empty());
  EXPECT_EQ(alias.body["places"][0]["id"], "khorgos-cn");  // "Horgos" is an alias of the Chinese railway port
  EXPECT_LE(alias.body["places"].size(), 3u);
  auto prefix = get("/v1/places?q=tashk", "/v1/places");
  ASSERT_FALSE(prefix.body["places"].empty());
  EXPECT_EQ(prefix.body["places"][0]["name"].get<std::string>().substr(0, 8), "Tashkent");
}

TEST_F(Api, PlacesWithEmptyQueryIsEmpty) {
  auto r = get("/v1/places?q=", "/v1/places");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body["places"].empty());
}

TEST_F(Api, PlacesRejectsMissingQueryBadLimitAndUnknownParameter) {
  expect_error(get("/v1/places", "/v1/places"), 400, "bad_parameter", "q");
  expect_error(get("/v1/places?q=x&limit=0", "/v1/places"), 400, "bad_parameter", "limit");
  expect_error(get("/v1/places?q=x&limit=51", "/v1/places"), 400, "bad_parameter", "limit");
  expect_error(get("/v1/places?q=x&limit=ten", "/v1/places"), 400, "bad_parameter", "limit");
  expect_error(get("/v1/places?q=x&lang=ru", "/v1/places"), 400, "bad_parameter", "lang");
}

TEST_F(Api, NetworkIsGeoJsonOfEveryLocationLinkAndCrossing) {
  auto r = get("/v1/network", "/v1/network");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["type"], "FeatureCollection");
  std::map<std::string, std::size_t> count;
  for (const auto& f : r.body["features"]) count[f["properties"]["feature_type"]]++;
  EXPECT_EQ(count["location"], dataset()->locations.size());
  EXPECT_EQ(count["link"], dataset()->links.size());
  EXPECT_EQ(count["crossing"], dataset()->crossings.size());
}

// ---- route ------------------------------------------------------------------

TEST_F(Api, RouteAnswersExactlyWhatTheCliPrints) {
  auto r = get(kRoute + "&units=2&unit=TEU", "/v1/route");
  ASSERT_EQ(r.status, 200);
  json cli = json::parse(run_cli("route xian tashkent --depart 2026-03-02T08:00Z --units 2 --unit TEU --format json"));
  EXPECT_EQ(r.body, cli);
}

TEST_F(Api, RouteWithScenarioAnswersWhatTheCliPrintsWithTheScenarioFile) {
  auto r = get(kRoute + "&scenario=green-lanes", "/v1/route");
  ASSERT_EQ(r.status, 200);
  json cli = json::parse(run_cli("route xian tashkent --depart 2026-03-02T08:00Z --format json --scenario " +
                                 (kData / "scenarios" / "green-lanes.toml").string()));
  EXPECT_EQ(r.body, cli);
  EXPECT_EQ(r.body["query"]["scenarios"], json::array({"green-lanes"}));
  auto base = get(kRoute, "/v1/route");
  EXPECT_NE(r.body["itineraries"], base.body["itineraries"]) << "green lanes changed nothing";
}

TEST_F(Api, RouteOptionsAreFastestFirstAndGoFromOriginToDestination) {
  auto r = get(kRoute, "/v1/route");
  ASSERT_EQ(r.status, 200);
  const json& its = r.body["itineraries"];
  ASSERT_GE(its.size(), 2u);
  for (std::size_t i = 1; i < its.size(); ++i) EXPECT_LE(its[i - 1]["hours"], its[i]["hours"]);
  for (const auto& it : its) {
    EXPECT_EQ(it["legs"].front()["from"], "xian");
    EXPECT_EQ(it["legs"].back()["to"], "tashkent");
  }
}

TEST_F(Api, RepeatedRouteQueryIsServedFromTheCacheUnchanged) {
  auto c = server_->client();
  const std::string target = "/v1/route?from=urumqi&to=almaty&depart=2026-04-06T00:00Z";
  auto first = c.Get(target);
  auto second = c.Get(target);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get_header_value("X-Cache"), "miss");
  EXPECT_EQ(second->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(first->body, second->body);
}

TEST_F(Api, RouteWithDeadlineReportsReliabilityOfEveryOption) {
  auto r = get(kRoute + "&deadline=2026-03-09T00:00Z&samples=200&seed=3", "/v1/route");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["query"]["deadline"], "2026-03-09T00:00:00Z");
  for (const auto& it : r.body["itineraries"]) {
    ASSERT_TRUE(it.contains("reliability"));
    EXPECT_EQ(it["reliability"]["samples"], 200);
    double p = it["reliability"]["on_time_probability"];
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    EXPECT_LE(it["reliability"]["p50_hours"].get<double>(), it["reliability"]["p95_hours"].get<double>());
  }
  // Same seed, same figures (the cache is bypassed by another seed first).
  auto other = get(kRoute + "&deadline=2026-03-09T00:00Z&samples=200&seed=4", "/v1/route");
  auto again = get(kRoute + "&deadline=2026-03-09T00:00Z&samples=200&seed=3", "/v1/route");
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(other.status, 200);
}

TEST_F(Api, RouteRejectsBadParametersNamingTheField) {
  expect_error(get("/v1/route?to=tashkent", "/v1/route"), 400, "bad_parameter", "from");
  expect_error(get("/v1/route?from=xian", "/v1/route"), 400, "bad_parameter", "to");
  expect_error(get(kRoute + "&unit=box", "/v1/route"), 400, "bad_parameter", "unit");
  expect_error(get(kRoute + "&units=0", "/v1/route"), 400, "bad_parameter", "units");
  expect_error(get(kRoute + "&units=-3", "/v1/route"), 400, "bad_parameter", "units");
  expect_error(get(kRoute + "&units=1e9", "/v1/route"), 400, "bad_parameter", "units");
  expect_error(get(kRoute + "&by=fun", "/v1/route"), 400, "bad_parameter", "by");
  expect_error(get(kRoute + "&mode=rail,camel", "/v1/route"), 400, "bad_parameter", "mode");
  expect_error(get(kRoute + "&cargo_tonnes=-1", "/v1/route"), 400, "bad_parameter", "cargo_tonnes");
  expect_error(get(kRoute + "&samples=100000", "/v1/route"), 400, "bad_parameter", "samples");
  expect_error(get(kRoute + "&seed=x", "/v1/route"), 400, "bad_parameter", "seed");
  expect_error(get(kRoute + "&deadline=2026-03-01", "/v1/route"), 400, "bad_parameter", "deadline");
  expect_error(get(kRoute + "&deadline=soon", "/v1/route"), 400, "bad_parameter", "deadline");
  expect_error(get("/v1/route?from=xian&to=tashkent&depart=yesterday", "/v1/route"), 400, "bad_parameter", "depart");
  expect_error(get(kRoute + "&from=urumqi", "/v1/route"), 400, "bad_parameter", "from");  // given twice
  auto bad = get(kRoute + "&unit=box", "/v1/route");
  EXPECT_EQ(bad.body["error"]["message"], "unit: unknown unit \"box\" (expected TEU, FEU, FEU_HC or KG)");
}

TEST_F(Api, RouteToUnknownPlaceIsNotFoundWithSuggestions) {
  auto r = get("/v1/route?from=xian&to=tashknet", "/v1/route");
  expect_error(r, 404, "not_found", "to");
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("tashkent"), std::string::npos) << r.body.dump();
  expect_error(get(kRoute + "&via=atlantis", "/v1/route"), 404, "not_found", "via");
  expect_error(get(kRoute + "&avoid=ZZ", "/v1/route"), 404, "not_found", "avoid");
  expect_error(get(kRoute + "&scenario=no-such-scenario", "/v1/route"), 404, "not_found", "scenario");
}

TEST_F(Api, BadUtf8InParametersIsABadRequestNotACrash) {
  auto r = get("/v1/route?from=%C3%28&to=tashkent", "/v1/route");
  expect_error(r, 400, "bad_parameter", "from");
  EXPECT_EQ(r.body["error"]["message"], "from: not UTF-8 text, or has a control character");
  auto p = get("/v1/places?q=%FF%FE", "/v1/places");
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.body["query"], "\uFFFD\uFFFD");
  auto s = post("/v1/scenarios?id=utf", "name = \"\xff\"\n", "/v1/scenarios", true, "text/plain");
  EXPECT_EQ(s.status, 400) << s.body.dump();
}

TEST_F(Api, RouteWithNothingConnectingIsNoRoute) {
  auto r = get(kRoute + "&mode=sea", "/v1/route");
  expect_error(r, 422, "no_route", nullptr);
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("no route"), std::string::npos);
}

// ---- scenarios ----------------------------------------------------------------

const char* kGoodScenario =
    "name = \"Faster Kolzhat\"\n"
    "description = \"clearance at the Dulata/Kolzhat road crossing down to two hours\"\n"
    "\n"
    "[[measures]]\n"
    "type = \"set_clearance\"\n"
    "crossing = \"dulata-kolzhat-road\"\n"
    "median_h = 2.0\n"
    "p90_h = 4.0\n";

TEST_F(Api, ScenariosListTheDatasetFiles) {
  auto r = get("/v1/scenarios", "/v1/scenarios");
  ASSERT_EQ(r.status, 200);
  std::set<std::string> ids, files;
  for (const auto& s : r.body["scenarios"]) {
    if (s["origin"] == "dataset") ids.insert(s["id"]);
  }
  for (const auto& e : std::filesystem::directory_iterator(kData / "scenarios")) {
    if (e.path().extension() == ".toml") files.insert(e.path().stem().string());
  }
  EXPECT_EQ(ids, files);
  auto one = get("/v1/scenarios/green-lanes", "/v1/scenarios/{id}");
  EXPECT_EQ(one.status, 200);
  EXPECT_NE(one.body["toml"].get<std::string>().find("[[measures]]"), std::string::npos);
  expect_error(get("/v1/scenarios/nope", "/v1/scenarios/{id}"), 404, "not_found", "id");
  expect_error(get("/v1/scenarios?all=1", "/v1/scenarios"), 400, "bad_parameter", "all");
}

TEST_F(Api, SavingAndDeletingScenariosNeedsTheToken) {
  auto c = server_->client();
  expect_error(check(c.Post("/v1/scenarios?id=tok", kGoodScenario, "application/toml"), "/v1/scenarios", "post"), 401,
               "unauthorized", nullptr);
  httplib::Headers wrong = {{"Authorization", "Bearer not-the-token-at-all"}};
  expect_error(check(c.Post("/v1/scenarios?id=tok", wrong, kGoodScenario, "application/toml"), "/v1/scenarios", "post"),
               401, "unauthorized", nullptr);
  httplib::Headers basic = {{"Authorization", std::string("Basic ") + kToken}};
  expect_error(check(c.Post("/v1/scenarios?id=tok", basic, kGoodScenario, "application/toml"), "/v1/scenarios", "post"),
               401, "unauthorized", nullptr);
  auto created = post("/v1/scenarios?id=tok", kGoodScenario, "/v1/scenarios", true, "application/toml");
  ASSERT_EQ(created.status, 201) << created.body.dump();
  expect_error(del("/v1/scenarios/tok", "/v1/scenarios/{id}", ""), 401, "unauthorized", nullptr);
  expect_error(del("/v1/scenarios/tok", "/v1/scenarios/{id}", "wrong-token-wrong-token"), 401, "unauthorized", nullptr);
  EXPECT_EQ(del("/v1/scenarios/tok", "/v1/scenarios/{id}", kToken).status, 204);
}

TEST_F(Api, SavedScenarioIsListedUsableAndDeletable) {
  auto created = post("/v1/scenarios?id=fast-kolzhat", kGoodScenario, "/v1/scenarios", true, "text/plain");
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body["id"], "fast-kolzhat");
  EXPECT_EQ(created.body["origin"], "saved");
  EXPECT_EQ(created.body["measures"][0]["type"], "set_clearance");
  auto list = get("/v1/scenarios", "/v1/scenarios");
  bool listed = false;
  for (const auto& s : list.body["scenarios"]) listed = listed || (s["id"] == "fast-kolzhat" && s["origin"] == "saved");
  EXPECT_TRUE(listed);

  const std::string target = "/v1/route?from=xian&to=almaty&depart=2026-03-02T08:00Z&by=time";
  auto base = get(target, "/v1/route");
  auto with = get(target + "&scenario=fast-kolzhat", "/v1/route");
  ASSERT_EQ(with.status, 200) << with.body.dump();
  EXPECT_EQ(with.body["query"]["scenarios"], json::array({"fast-kolzhat"}));
  // The CLI with the same text as a file agrees.
  auto file = std::filesystem::temp_directory_path() / "fast-kolzhat.toml";
  std::ofstream(file) << kGoodScenario;
  json cli = json::parse(
      run_cli("route xian almaty --depart 2026-03-02T08:00Z --by time --format json --scenario " + file.string()));
  EXPECT_EQ(with.body, cli);
  EXPECT_LT(with.body["itineraries"][0]["hours"].get<double>(), base.body["itineraries"][0]["hours"].get<double>());

  expect_error(post("/v1/scenarios?id=fast-kolzhat", kGoodScenario, "/v1/scenarios", true, "text/plain"), 409,
               "conflict", "body");
  EXPECT_EQ(del("/v1/scenarios/fast-kolzhat", "/v1/scenarios/{id}", kToken).status, 204);
  expect_error(del("/v1/scenarios/fast-kolzhat", "/v1/scenarios/{id}", kToken), 404, "not_found", "id");
  expect_error(get(target + "&scenario=fast-kolzhat", "/v1/route"), 404, "not_found", "scenario");
}

TEST_F(Api, SavingRejectsWhatAScenarioFileWouldFailOn) {
  const std::string bad_link =
      "name = \"x\"\ndescription = \"d\"\n\n[[measures]]\ntype = \"close_link\"\nlink = \"nope\"\n";
  auto r = post("/v1/scenarios?id=broken", bad_link, "/v1/scenarios", true, "application/toml");
  expect_error(r, 400, "bad_parameter", "body");
  EXPECT_EQ(r.body["error"]["message"], "broken.toml:6: unknown link \"nope\" (expected a link id of links.csv)");
  auto not_toml = post("/v1/scenarios?id=broken", "this is [not toml", "/v1/scenarios", true, "application/toml");
  expect_error(not_toml, 400, "bad_parameter", "body");
  EXPECT_NE(not_toml.body["error"]["message"].get<std::string>().find("broken.toml:1"), std::string::npos);
  expect_error(post("/v1/scenarios?id=Bad%20Id", kGoodScenario, "/v1/scenarios", true), 400, "bad_parameter", "id");
  expect_error(post("/v1/scenarios?id=x&why=1", kGoodScenario, "/v1/scenarios", true), 400, "bad_parameter", "why");
  expect_error(post("/v1/scenarios?id=x", "", "/v1/scenarios", true), 400, "bad_parameter", "body");
  expect_error(post("/v1/scenarios?id=green-lanes", kGoodScenario, "/v1/scenarios", true), 409, "conflict", "body");
  auto list = get("/v1/scenarios", "/v1/scenarios");
  for (const auto& s : list.body["scenarios"]) EXPECT_NE(s["id"], "broken");
}

TEST_F(Api, DatasetScenariosCannotBeDeleted) {
  expect_error(del("/v1/scenarios/green-lanes", "/v1/scenarios/{id}", kToken), 403, "forbidden", "id");
}

TEST(ApiServer, SavedScenariosSurviveARestart) {
  ServerOptions o = default_options();
  {
    RunningServer s(o);
    auto c = s.client();
    auto r = c.Post("/v1/scenarios?id=kept", {{"Authorization", std::string("Bearer ") + kToken}}, kGoodScenario,
                    "text/plain");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
  }
  RunningServer again(o);
  auto c = again.client();
  auto r = c.Get("/v1/scenarios/kept");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["toml"], kGoodScenario);
}

TEST(ApiServer, WithoutATokenWritesAreRefused) {
  ServerOptions o = default_options();
  o.token.clear();
  RunningServer s(o);
  auto c = s.client();
  auto r = c.Post("/v1/scenarios?id=x", {{"Authorization", "Bearer "}}, kGoodScenario, "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->body.find("writes are disabled"), std::string::npos);
  auto d = c.Delete("/v1/scenarios/green-lanes");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 401);
}

// ---- matrix and compare ------------------------------------------------------

// A matrix cell is the route the generalized cost picks (its default, ADR 0500).
TEST_F(Api, MatrixHasEveryOrderedPairAndAgreesWithRouteByGeneralizedCost) {
  auto r =
      post("/v1/matrix", R"({"places": ["xian", "Almaty", "tashkent"], "depart": "2026-03-02T08:00Z"})", "/v1/matrix");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["places"], json::array({"xian", "almaty", "tashkent"}));
  ASSERT_EQ(r.body["pairs"].size(), 6u);
  for (const auto& p : r.body["pairs"]) {
    if (p["from"] == "xian" && p["to"] == "tashkent") {
      auto route = get(kRoute + "&by=generalized", "/v1/route");
      EXPECT_EQ(p["hours"], route.body["itineraries"][0]["hours"]);
      EXPECT_EQ(p["cost_usd"], route.body["itineraries"][0]["cost_usd"]);
    }
  }
}

TEST_F(Api, MatrixRejectsBadBodies) {
  expect_error(post("/v1/matrix", "{not json", "/v1/matrix"), 400, "bad_parameter", "body");
  expect_error(post("/v1/matrix", "[1,2]", "/v1/matrix"), 400, "bad_parameter", "body");
  expect_error(post("/v1/matrix", R"({"places": ["xian"]})", "/v1/matrix"), 400, "bad_parameter", "places");
  expect_error(post("/v1/matrix", R"({"places": ["xian", "xian"]})", "/v1/matrix"), 400, "bad_parameter", "places");
  expect_error(post("/v1/matrix", R"({"places": ["xian", "gotham"]})", "/v1/matrix"), 404, "not_found", "places");
  expect_error(post("/v1/matrix", R"({"units": 0})", "/v1/matrix"), 400, "bad_parameter", "units");
  expect_error(post("/v1/matrix", R"({"samples": 5000})", "/v1/matrix"), 400, "bad_parameter", "samples");
  expect_error(post("/v1/matrix", R"({"unit": "box"})", "/v1/matrix"), 400, "bad_parameter", "unit");
  expect_error(post("/v1/matrix", R"({"depart": "soon"})", "/v1/matrix"), 400, "bad_parameter", "depart");
  expect_error(post("/v1/matrix", R"({"scenarios": ["nope"]})", "/v1/matrix"), 404, "not_found", "scenario");
  expect_error(post("/v1/matrix", R"({"colour": "red"})", "/v1/matrix"), 400, "bad_parameter", "colour");
}

TEST_F(Api, MatrixBodiesAreReadByTheSharedRequestParser) {
  // A number too large for a double is the member's error, not the body's (nor a 500).
  auto huge = post("/v1/matrix", R"({"places": ["xian", "almaty"], "samples": 1e400})", "/v1/matrix");
  expect_error(huge, 400, "bad_parameter", "samples");
  EXPECT_EQ(huge.body["error"]["message"], "samples: bad value \"1e400\" (expected a whole number from 0 to 1000)");
  // Numbers keep their text: 2.0 is not a whole number, as on the command line.
  expect_error(post("/v1/matrix", R"({"units": 2.0})", "/v1/matrix"), 400, "bad_parameter", "units");
  expect_error(post("/v1/matrix", R"({"units": 1, "units": 2})", "/v1/matrix"), 400, "bad_parameter", "units");
  expect_error(post("/v1/matrix", R"({"places": [["xian"]]})", "/v1/matrix"), 400, "bad_parameter", "places");
  expect_error(post("/v1/matrix", R"({"threads": 2})", "/v1/matrix"), 400, "bad_parameter", "threads");
  // A comma list is a list; null is "not given".
  auto comma = post("/v1/matrix", R"({"places": "xian,almaty", "depart": "2026-03-02", "samples": 0, "seed": null})",
                    "/v1/matrix");
  auto list =
      post("/v1/matrix", R"({"places": ["xian", "almaty"], "depart": "2026-03-02", "samples": 0})", "/v1/matrix");
  ASSERT_EQ(comma.status, 200) << comma.body.dump();
  EXPECT_EQ(comma.body, list.body);
}

TEST_F(Api, RepeatedRouteParametersAreAllKept) {
  // khorgos-cn twice is a different route from once: the parser must see both.
  auto twice = get(kRoute + "&by=time&via=khorgos-cn&via=almaty&via=khorgos-cn", "/v1/route");
  ASSERT_EQ(twice.status, 200) << twice.body.dump();
  EXPECT_EQ(twice.body["query"]["via"], json::array({"khorgos-cn", "almaty", "khorgos-cn"}));
  auto comma = get(kRoute + "&by=time&via=khorgos-cn,almaty,khorgos-cn", "/v1/route");
  EXPECT_EQ(comma.body, twice.body);
  expect_error(get(kRoute + "&samples=1e400", "/v1/route"), 400, "bad_parameter", "samples");
  expect_error(get(kRoute + "&cargo_tonnes=inf", "/v1/route"), 400, "bad_parameter", "cargo_tonnes");
  expect_error(get(kRoute + "&via=1&via=2&via=3&via=4&via=5&via=6&via=7&via=8&via=9", "/v1/route"), 400,
               "bad_parameter", "via");
}

TEST_F(Api, CompareShowsWhatGreenLanesChange) {
  auto r =
      post("/v1/compare",
           R"({"places": ["xian", "almaty", "tashkent"], "depart": "2026-03-02T08:00Z", "scenarios": ["green-lanes"],
                    "demand": [{"from": "xian", "to": "almaty", "teu_per_year": 1000}]})",
           "/v1/compare");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["query"]["scenarios"], json::array({"green-lanes"}));
  EXPECT_EQ(r.body["pairs"].size(), 6u);
  // Shorter clearances cannot make a pair dearer by the objective (generalized
  // cost); its hours may rise where a slower, cheaper option now wins.
  EXPECT_LT(r.body["means"]["equal_weights"]["delta_generalized_cost_usd"].get<double>(), 0.0);
  for (const auto& p : r.body["pairs"]) {
    if (p.contains("delta_generalized_cost_usd")) {
      EXPECT_LE(p["delta_generalized_cost_usd"].get<double>(), 0.0) << p.dump();
    }
  }
  ASSERT_TRUE(r.body["means"].contains("by_demand"));
  EXPECT_EQ(r.body["means"]["by_demand"]["weight"], 1000.0);
  // The pair's change is the difference of the two matrices.
  auto base =
      post("/v1/matrix", R"({"places": ["xian", "almaty", "tashkent"], "depart": "2026-03-02T08:00Z"})", "/v1/matrix");
  auto with =
      post("/v1/matrix",
           R"({"places": ["xian", "almaty", "tashkent"], "depart": "2026-03-02T08:00Z", "scenarios": ["green-lanes"]})",
           "/v1/matrix");
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(r.body["pairs"][i]["base"]["hours"], base.body["pairs"][i]["hours"]);
    EXPECT_EQ(r.body["pairs"][i]["scenario"]["hours"], with.body["pairs"][i]["hours"]);
  }
}

TEST_F(Api, CompareNeedsScenariosAndGoodDemand) {
  expect_error(post("/v1/compare", R"({"places": ["xian", "almaty"]})", "/v1/compare"), 400, "bad_parameter",
               "scenario");
  expect_error(post("/v1/compare", R"({"scenarios": ["green-lanes"], "demand": [{"from": "xian"}]})", "/v1/compare"),
               400, "bad_parameter", "demand");
  expect_error(
      post("/v1/compare",
           R"({"scenarios": ["green-lanes"], "demand": [{"from": "xian", "to": "mordor", "teu_per_year": 1}]})",
           "/v1/compare"),
      404, "not_found", "demand");
  expect_error(post("/v1/compare", R"({"scenarios": ["green-lanes"], "base_scenarios": ["nope"]})", "/v1/compare"), 404,
               "not_found", "scenario");
}

// ---- CSV and the simulator -----------------------------------------------------

// The fields of each CSV line (RFC 4180 quotes honoured).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

TEST_F(Api, RouteAsCsvIsWhatTheCliWritesAndAddsUpToTheJson) {
  auto c = server_->client();
  auto by_param = c.Get(kRoute + "&format=csv");
  auto by_accept = c.Get(kRoute, {{"Accept", "text/csv"}});
  ASSERT_TRUE(by_param && by_accept);
  EXPECT_EQ(by_param->status, 200);
  EXPECT_EQ(by_param->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(by_param->get_header_value("Content-Disposition").find("caravan-route.csv"), std::string::npos);
  EXPECT_EQ(by_accept->body, by_param->body);
  EXPECT_EQ(by_param->body, run_cli("route xian tashkent --depart 2026-03-02T08:00Z --format csv"));
  auto j = get(kRoute, "/v1/route");
  auto rows = csv_rows(by_param->body);
  ASSERT_GT(rows.size(), 1u);
  const std::vector<std::string>& header = rows[0];
  auto col = [&](const char* name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::size_t options = 0;
  double legs_usd = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), header.size()) << "row " << r;
    if (rows[r][0] == "option") {
      if (options > 0) {
        EXPECT_NEAR(legs_usd, j.body["itineraries"][options - 1]["cost_usd"].get<double>(), 0.05);
      }
      const json& it = j.body["itineraries"][options];
      EXPECT_EQ(std::stod(rows[r][col("hours")]), it["hours"].get<double>());
      EXPECT_EQ(std::stod(rows[r][col("cost_usd")]), it["cost_usd"].get<double>());
      EXPECT_EQ(rows[r][col("from")], "xian");
      EXPECT_EQ(rows[r][col("to")], "tashkent");
      ++options;
      legs_usd = 0;
    } else {
      EXPECT_EQ(rows[r][0], "leg");
      legs_usd += std::stod(rows[r][col("cost_usd")]);
    }
  }
  EXPECT_NEAR(legs_usd, j.body["itineraries"][options - 1]["cost_usd"].get<double>(), 0.05);
  EXPECT_EQ(options, j.body["itineraries"].size());
}

TEST_F(Api, FormatIsNegotiatedByParameterOrAccept) {
  auto c = server_->client();
  auto json_wins = c.Get(kRoute, {{"Accept", "text/csv;q=0.5, application/json"}});
  ASSERT_TRUE(json_wins);
  EXPECT_EQ(json_wins->get_header_value("Content-Type"), "application/json");
  auto any = c.Get(kRoute, {{"Accept", "*/*"}});
  EXPECT_EQ(any->get_header_value("Content-Type"), "application/json");
  auto csv_wins = c.Get(kRoute, {{"Accept", "application/json;q=0.2, text/*"}});
  EXPECT_EQ(csv_wins->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  auto param_wins = c.Get(kRoute + "&format=json", {{"Accept", "text/csv"}});
  EXPECT_EQ(param_wins->get_header_value("Content-Type"), "application/json");
  auto none = check(c.Get(kRoute, {{"Accept", "text/html"}}), "/v1/route", "get");
  expect_error(none, 406, "not_acceptable", nullptr);
  expect_error(get(kRoute + "&format=xml", "/v1/route"), 400, "bad_parameter", "format");
  expect_error(get(kRoute + "&format=csv&format=json", "/v1/route"), 400, "bad_parameter", "format");
  // Errors stay JSON.
  auto bad = c.Get("/v1/route?from=xian&to=atlantis&format=csv");
  EXPECT_EQ(bad->status, 404);
  EXPECT_EQ(bad->get_header_value("Content-Type"), "application/json");
}

TEST_F(Api, MatrixAndCompareAsCsvAreWhatTheCliWrites) {
  auto c = server_->client();
  const std::string body = R"({"places": ["xian", "almaty", "tashkent"], "depart": "2026-03-02T08:00Z", "samples": 0})";
  auto m = c.Post("/v1/matrix?format=csv", body, "application/json");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200) << m->body;
  EXPECT_EQ(m->body,
            run_cli("matrix --places xian,almaty,tashkent --depart 2026-03-02T08:00Z --samples 0 --format csv"));
  auto cmp = c.Post(
      "/v1/compare", {{"Accept", "text/csv"}},
      R"({"places": ["xian", "almaty"], "depart": "2026-03-02T08:00Z", "samples": 0, "scenario": "green-lanes"})",
      "application/json");
  ASSERT_TRUE(cmp);
  EXPECT_EQ(cmp->status, 200) << cmp->body;
  EXPECT_EQ(cmp->body, run_cli("compare --places xian,almaty --depart 2026-03-02T08:00Z --samples 0 --scenario "
                               "green-lanes --format csv"));
  // The format may also come in the body.
  auto in_body =
      c.Post("/v1/matrix", R"({"places": ["xian", "almaty"], "samples": 0, "depart": "2026-03-02", "format": "csv"})",
             "application/json");
  EXPECT_EQ(in_body->get_header_value("Content-Type"), "text/csv; charset=utf-8");
}

TEST_F(Api, SimulateAnswersWhatTheCliReports) {
  const std::string demand = (kData / "demand.csv").string();
  auto r = post("/v1/simulate",
                R"({"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 50000},
                               {"from": "chongqing", "to": "tashkent", "teu_per_year": 20000}],
                    "start": "2026-03-02", "days": 30, "warmup": 7, "units": 45, "seed": 3, "by": "cost",
                    "scenario": ["khorgos-2024-exchange"]})",
                "/v1/simulate");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  auto file = temp_db().parent_path() / "lanes.csv";
  std::ofstream(file) << "from,to,teu_per_year\nxian,almaty,50000\nchongqing,tashkent,20000\n";
  json cli = json::parse(run_cli("simulate --demand " + file.string() +
                                 " --start 2026-03-02 --days 30 --warmup 7 --units 45 --seed 3 --by cost --scenario "
                                 "khorgos-2024-exchange --format json"));
  EXPECT_EQ(r.body["query"]["demand"], "2 rows");
  cli["query"]["demand"] = "2 rows";  // the CLI names its file
  EXPECT_EQ(r.body, cli);
  EXPECT_EQ(r.body["query"]["scenarios"], json::array({"khorgos-2024-exchange"}));
  EXPECT_EQ(r.body["lanes"].size(), 2u);
  auto c = server_->client();
  auto csv = c.Post("/v1/simulate?format=csv",
                    R"({"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 50000}], "start": "2026-03-02",
                        "days": 14, "warmup": 0, "units": 45})",
                    "application/json");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200) << csv->body;
  std::ofstream(file) << "from,to,teu_per_year\nxian,almaty,50000\n";
  EXPECT_EQ(csv->body, run_cli("simulate --demand " + file.string() +
                               " --start 2026-03-02 --days 14 --warmup 0 --units 45 --format csv"));
}

TEST_F(Api, SimulateIsBoundedInDaysLanesAndShipments) {
  const std::string lane = R"({"from": "xian", "to": "almaty", "teu_per_year": 1000})";
  expect_error(post("/v1/simulate", "{}", "/v1/simulate"), 400, "bad_parameter", "demand");
  expect_error(post("/v1/simulate", R"({"demand": [)" + lane + R"(], "days": 731})", "/v1/simulate"), 400,
               "bad_parameter", "days");
  expect_error(post("/v1/simulate", R"({"demand": [)" + lane + R"(], "days": 10, "warmup": 10})", "/v1/simulate"), 400,
               "bad_parameter", "warmup");
  std::string lanes;
  for (int i = 0; i < 201; ++i) lanes += (i ? "," : "") + lane;
  expect_error(post("/v1/simulate", R"({"demand": [)" + lanes + "]}", "/v1/simulate"), 400, "bad_parameter", "demand");
  expect_error(post("/v1/simulate", R"({"demand": "/etc/passwd"})", "/v1/simulate"), 400, "bad_parameter", "demand");
  expect_error(post("/v1/simulate", R"({"demand": [)" + lane + R"(], "threads": 4})", "/v1/simulate"), 400,
               "bad_parameter", "threads");
  // A lane of a million TEU a year in single boxes releases more shipments than a request may.
  auto many =
      post("/v1/simulate",
           R"({"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 1000000000}], "days": 730, "warmup": 0,
                       "unit": "TEU"})",
           "/v1/simulate");
  EXPECT_EQ(many.status, 400) << many.body.dump();
  EXPECT_NE(many.body["error"]["message"].get<std::string>().find("expected at most 500000"), std::string::npos)
      << many.body.dump();
}

// ---- limits, unknown paths, methods -------------------------------------------

TEST_F(Api, BodiesOverTheLimitAreRefusedWith413) {
  ServerOptions o = default_options();
  o.max_body_bytes = 1024;
  RunningServer small(o);
  auto c = small.client();
  std::string body = R"({"places": [)" + std::string(2000, ' ') + R"("xian", "almaty"]})";
  auto r = check(c.Post("/v1/matrix", body, "application/json"), "/v1/matrix", "post");
  expect_error(r, 413, "body_too_large", nullptr);
  auto s = check(c.Post("/v1/scenarios?id=big", {{"Authorization", std::string("Bearer ") + kToken}},
                        std::string(4096, '#'), "text/plain"),
                 "/v1/scenarios", "post");
  expect_error(s, 413, "body_too_large", nullptr);
  auto fine =
      check(c.Post("/v1/matrix", R"({"places": ["xian", "almaty"], "depart": "2026-03-02"})", "application/json"),
            "/v1/matrix", "post");
  EXPECT_EQ(fine.status, 200);
}

TEST_F(Api, LongQueriesAreRefusedWith414) {
  auto r = get(kRoute + "&via=" + std::string(5000, 'a'), "/v1/route");
  expect_error(r, 414, "query_too_long", nullptr);
}

TEST_F(Api, UnknownPathsAndMethodsAnswerJsonErrors) {
  auto c = server_->client();
  auto r = c.Get("/v1/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "not_found");
  auto m = c.Post("/v1/route", "", "text/plain");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 405);
  EXPECT_EQ(json::parse(m->body)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(m->get_header_value("Allow"), "GET");
  auto p = c.Put("/v1/scenarios", "", "text/plain");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 405);
}

TEST_F(Api, EveryRequestIsLoggedOnceAndTheTokenNever) {
  get("/v1/places?q=log-marker", "/v1/places");
  post("/v1/scenarios?id=logged", "broken [", "/v1/scenarios", true);
  auto count = [](const std::vector<std::string>& log, const std::string& what) {
    return std::count_if(log.begin(), log.end(),
                         [&](const std::string& l) { return l.find(what) != std::string::npos; });
  };
  // The server logs after the response has gone out: wait for both lines.
  std::vector<std::string> log;
  for (int i = 0; i < 5000; ++i) {
    log = server_->log();
    if (count(log, "logged\"") >= 1 && count(log, "log-marker") >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(count(log, "\"GET /v1/places?q=log-marker\" 200 "), 1);
  EXPECT_EQ(count(log, "\"POST /v1/scenarios?id=logged\" 400 "), 1);
  for (const std::string& line : log) EXPECT_EQ(line.find(kToken), std::string::npos) << line;
  // `2026-03-02T08:00:00.123Z 127.0.0.1 "GET /path" 200 1234 0.52ms 5f3a9c0e00000001`
  for (const std::string& line : log) {
    EXPECT_TRUE(line.size() > 30 && line[4] == '-' && line[23] == 'Z' && line.find(" 127.0.0.1 \"") == 24) << line;
    ASSERT_GT(line.size(), 20u);
    EXPECT_EQ(line.substr(line.size() - 19, 3), "ms ") << line;
    EXPECT_EQ(line.find_first_not_of("0123456789abcdef", line.size() - 16), std::string::npos) << line;
  }
}

// ---- concurrency and shutdown ------------------------------------------------

// A request that keeps one worker busy for a while, whatever the speed of the
// planner: the largest matrix the API takes (40 terminals, 1,560 pairs) with
// the largest Monte Carlo per pair — several times the hub matrix's work.
std::string slow_body() {
  nlohmann::json places = nlohmann::json::array();
  for (const Location& l : dataset()->locations) {
    // 20 terminals (380 pairs x 1,000 samples): seconds, against milliseconds for a
    // route, and within the client's 120-s timeout on the re-derived network.
    if (places.size() < 20 && l.kind == LocationKind::kTerminal) places.push_back(l.id);
  }
  return nlohmann::json{{"depart", "2026-03-02T08:00Z"}, {"samples", 1000}, {"places", places}}.dump();
}

TEST(ApiServer, ASlowRequestDoesNotBlockOthersAndStopFinishesIt) {
  RunningServer s(default_options());
  const std::string kSlowBody = slow_body();
  std::atomic<bool> slow_done{false};
  auto slow = std::async(std::launch::async, [&] {
    auto c = s.client();
    auto r = c.Post("/v1/matrix", kSlowBody, "application/json");
    slow_done = true;
    return r ? r->status : -1;
  });
  // Wait until the slow request is being served (the server has read it).
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto c = s.client();
  for (int i = 0; i < 5; ++i) {
    auto h = c.Get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
  }
  auto route = c.Get("/v1/route?from=xian&to=almaty&depart=2026-03-02");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_FALSE(slow_done) << "the slow request finished before the quick ones: it proves nothing";
  // Stop while it is in flight: it is still answered in full.
  s.stop();
  EXPECT_EQ(slow.get(), 200);
  EXPECT_TRUE(slow_done);
}

TEST(ApiServer, CreateFailsOnBadOptionsAndBusyPorts) {
  ServerOptions o = default_options();
  o.port = 70000;
  EXPECT_FALSE(Server::create(dataset(), o).ok());
  RunningServer s(default_options());
  ServerOptions same = default_options();
  same.port = s.port();
  auto busy = Server::create(dataset(), same);
  ASSERT_FALSE(busy.ok());
  EXPECT_NE(busy.error().message.find("cannot listen"), std::string::npos);
  ServerOptions bad_dir = default_options();
  bad_dir.scenario_dir = std::filesystem::temp_directory_path() / "caravan-bad-scenarios";
  std::filesystem::create_directories(bad_dir.scenario_dir);
  std::ofstream(bad_dir.scenario_dir / "x.toml") << "name = 1\n";
  auto bad = Server::create(dataset(), bad_dir);
  EXPECT_FALSE(bad.ok());
  std::filesystem::remove_all(bad_dir.scenario_dir);
}

}  // namespace
}  // namespace caravan
