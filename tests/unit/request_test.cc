// The request layer on the real dataset: names, defaults, limits, lists,
// countries and scenarios, each error naming its option.
#include "caravan/request.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "caravan/load.h"
#include "caravan/matrix.h"

namespace caravan {
namespace {

const std::filesystem::path kData = CARAVAN_TEST_DATA_DIR;

const Network& net() {
  static const Network n = [] {
    auto r = load_network(kData);
    if (!r) throw std::runtime_error(to_string(r.errors()));
    return std::move(r).value();
  }();
  return n;
}

// 2026-03-02T08:15:00Z, a Monday.
const Instant kNow = *parse_instant("2026-03-02T08:15Z");
const RequestContext kLocal{RequestOrigin::kLocal, kNow};
const RequestContext kRemote{RequestOrigin::kRemote, kNow};

RequestFields route_fields(RequestFields extra) {
  RequestFields f = {{"from", "xian", {}}, {"to", "tashkent", {}}};
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

Result<RouteRequest> route(RequestFields extra, const RequestContext& ctx = kLocal) {
  return parse_route_request(net(), route_fields(std::move(extra)), ctx);
}

// The request fails with an error of `code` whose field is `field`.
template <class T>
void expect_error(const Result<T>& r, const std::string& field, ErrorCode code = ErrorCode::kInvalidInput) {
  ASSERT_FALSE(r.ok()) << "accepted, expected an error on " << field;
  EXPECT_EQ(r.error().column, field) << r.error().message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message.rfind(field + ": ", 0), 0u) << r.error().message;
}

std::string id(LocationIdx i) { return net().locations[i].id; }

TEST(Request, DefaultsAreThoseOfThePlanner) {
  auto r = route({});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(id(r->query.from), "xian");
  EXPECT_EQ(id(r->query.to), "tashkent");
  EXPECT_EQ(format_instant_utc(r->query.depart), "2026-03-02T09:00:00Z");  // the next whole hour
  EXPECT_EQ(r->query.units, 1u);
  EXPECT_EQ(r->query.unit, UnitKind::kFeu);
  EXPECT_FALSE(r->query.cargo_per_unit);
  EXPECT_EQ(r->query.objective, Objective::kPareto);
  EXPECT_EQ(r->query.modes.bits, ModeSet::all().bits);
  EXPECT_EQ(r->samples, 0u);
  EXPECT_EQ(r->seed, 1u);
  EXPECT_TRUE(r->scenarios.empty());
}

TEST(Request, NextWholeHourOnTheHourIsTheHourAfter) {
  auto r = parse_route_request(net(), route_fields({}), {RequestOrigin::kLocal, *parse_instant("2026-03-02T08:00Z")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(format_instant_utc(r->query.depart), "2026-03-02T09:00:00Z");
}

TEST(Request, EveryOptionLandsInTheQuery) {
  auto r = route({{"depart", "2026-03-02T08:00+08:00", {}},
                  {"units", "3", {}},
                  {"unit", "teu", {}},
                  {"cargo_tonnes", "12.5", {}},
                  {"by", "Time", {}},
                  {"via", "khorgos-cn", {}},
                  {"avoid", "RU", {}},
                  {"mode", "rail,road", {}},
                  {"deadline", "2026-03-12", {}},
                  {"samples", "50", {}},
                  {"seed", "18446744073709551615", {}},
                  {"scenario", "green-lanes", {}},
                  {"threads", "2", {}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(format_instant_utc(r->query.depart), "2026-03-02T00:00:00Z");
  EXPECT_EQ(r->query.units, 3u);
  EXPECT_EQ(r->query.unit, UnitKind::kTeu);
  EXPECT_EQ(r->query.cargo_per_unit->kg, 12500);
  EXPECT_EQ(r->query.objective, Objective::kTime);
  ASSERT_EQ(r->query.via.size(), 1u);
  EXPECT_EQ(id(r->query.via[0]), "khorgos-cn");
  EXPECT_EQ(r->query.avoid_countries, std::vector<std::string>{"RU"});
  EXPECT_TRUE(r->query.modes.has(Mode::kRail) && r->query.modes.has(Mode::kRoad) && !r->query.modes.has(Mode::kAir));
  EXPECT_EQ(format_instant_utc(*r->deadline), "2026-03-12T00:00:00Z");
  EXPECT_EQ(r->samples, 50u);
  EXPECT_EQ(r->seed, 18446744073709551615u);
  EXPECT_EQ(r->scenarios, std::vector<std::string>{"green-lanes"});
  EXPECT_EQ(r->threads, 2u);
}

TEST(Request, NumbersOutOfRangeOrNotFiniteAreRefusedNamingTheField) {
  for (const char* t : {"1e308", "inf", "-inf", "nan", "-5", "0", "100.001", "12t", " 12", "0x10", ""}) {
    expect_error(route({{"cargo_tonnes", t, {}}}), "cargo_tonnes");
  }
  for (const char* t : {"0", "-1", "10001", "1e3", "2.0", "+2", "4294967297"})
    expect_error(route({{"units", t, {}}}), "units");
  for (const char* t : {"10001", "100000000", "-1", "1e400"}) expect_error(route({{"samples", t, {}}}), "samples");
  expect_error(route({{"seed", "18446744073709551616", {}}}), "seed");
  expect_error(route({{"seed", "-1", {}}}), "seed");
  // 100 t is within the option's range but not within a 40-ft box's payload (equipment.csv).
  expect_error(route({{"cargo_tonnes", "100", {}}}), "cargo_tonnes");
  EXPECT_EQ(route({{"cargo_tonnes", "26", {}}})->query.cargo_per_unit->kg, 26000);
  EXPECT_EQ(route({{"units", "10000", {}}})->query.units, 10000u);
  EXPECT_EQ(route({{"samples", "10000", {}}})->samples, 10000u);
  auto msg = route({{"samples", "100000000", {}}});
  EXPECT_EQ(msg.error().message, "samples: bad value \"100000000\" (expected a whole number from 0 to 10000)");
  EXPECT_EQ(route({{"cargo_tonnes", "inf", {}}}).error().message,
            "cargo_tonnes: bad value \"inf\" (expected a number above 0 and at most 100)");
}

TEST(Request, InstantsOutsideTheCenturyOrEmptyAreRefused) {
  for (const char* t : {"0000-01-01", "9999-12-31T23:59Z", "1999-12-31T23:59Z", "2100-01-01", "2026-02-30", "soon"}) {
    expect_error(route({{"depart", t, {}}}), "depart");
  }
  auto empty = route({{"depart", "", {}}});
  expect_error(empty, "depart");
  EXPECT_NE(empty.error().message.find("leave it out for the default: the next whole hour"), std::string::npos);
  EXPECT_TRUE(route({{"depart", "2099-12-31T23:59Z", {}}}).ok());
  EXPECT_TRUE(route({{"depart", "2000-01-01T00:00Z", {}}}).ok());
  expect_error(route({{"depart", "2026-03-02", {}}, {"deadline", "2026-03-02", {}}}), "deadline");
}

TEST(Request, DeadlineAloneAsksForAThousandSamplesAndZeroMeansNone) {
  EXPECT_EQ(route({{"deadline", "2026-03-20", {}}})->samples, 1000u);
  EXPECT_EQ(route({{"deadline", "2026-03-20", {}}, {"samples", "0", {}}})->samples, 0u);
}

TEST(Request, CommaListsAndRepeatsAreAlike) {
  auto a =
      route({{"avoid", "RU,BY", {}}, {"via", "khorgos-cn, almaty", {}}, {"mode", "rail", {}}, {"mode", "ROAD", {}}});
  auto b = route({{"avoid", "RU", {}},
                  {"avoid", "BY", {}},
                  {"via", "khorgos-cn", {}},
                  {"via", "almaty", {}},
                  {"mode", "rail,road", {}}});
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(a->query.avoid_countries, (std::vector<std::string>{"RU", "BY"}));
  EXPECT_EQ(a->query.avoid_countries, b->query.avoid_countries);
  EXPECT_EQ(a->query.via, b->query.via);
  EXPECT_EQ(a->query.modes.bits, b->query.modes.bits);
  expect_error(route({{"avoid", "RU,,BY", {}}}), "avoid");
}

TEST(Request, APlaceWhoseNameHasACommaIsTakenWhole) {
  auto r = route({{"via", "Irkeshtam port (CN side, approximate)", {}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(id(r->query.via.at(0)), "irkeshtam-cn");
}

TEST(Request, ListsStopAtTheirLimits) {
  RequestFields eight, nine;
  const char* places[] = {"khorgos-cn", "almaty", "astana", "bishkek", "urumqi", "aktau", "baku", "tbilisi", "poti"};
  for (int i = 0; i < 9; ++i) {
    if (i < 8) eight.push_back({"via", places[i], {}});
    nine.push_back({"via", places[i], {}});
  }
  auto ok = route(eight);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->query.via.size(), kMaxVia);
  expect_error(route(nine), "via");
  std::string seventeen;
  for (int i = 0; i < 17; ++i) seventeen += (i ? "," : "") + std::string("green-lanes");
  expect_error(route({{"scenario", seventeen, {}}}), "scenario");
}

TEST(Request, CountriesByCodeOrNameInAnyCase) {
  for (const char* t : {"RU", "ru", "Russia", "russian federation", "RUSSIA"}) {
    auto r = route({{"avoid", t, {}}});
    ASSERT_TRUE(r.ok()) << t << ": " << r.error().message;
    EXPECT_EQ(r->query.avoid_countries, std::vector<std::string>{"RU"}) << t;
  }
  EXPECT_EQ(route({{"avoid", "Turkey", {}}})->query.avoid_countries, std::vector<std::string>{"TR"});
  EXPECT_EQ(route({{"avoid", "Türkiye", {}}})->query.avoid_countries, std::vector<std::string>{"TR"});
  EXPECT_EQ(route({{"avoid", "Iran", {}}})->query.avoid_countries, std::vector<std::string>{"IR"});
  EXPECT_EQ(route({{"avoid", "Kyrgyz Republic", {}}})->query.avoid_countries, std::vector<std::string>{"KG"});
  auto place = route({{"avoid", "Almaty", {}}});
  ASSERT_TRUE(place.ok());
  EXPECT_TRUE(place->query.avoid_countries.empty());
  EXPECT_EQ(place->query.avoid.size(), 1u);
}

TEST(Request, UnknownCountryNamesGetAHint) {
  auto typo = route({{"avoid", "Rusia", {}}});
  expect_error(typo, "avoid", ErrorCode::kNotFound);
  EXPECT_NE(typo.error().message.find("nearest countries: Russian Federation (RU)"), std::string::npos)
      << typo.error().message;
  auto absent = route({{"avoid", "United States", {}}});
  expect_error(absent, "avoid", ErrorCode::kNotFound);
  EXPECT_NE(absent.error().message.find("no location in country United States (US)"), std::string::npos)
      << absent.error().message;
  expect_error(route({{"avoid", "ZZ", {}}}), "avoid", ErrorCode::kNotFound);
}

TEST(Request, ResolveCountryReadsCodesAndNames) {
  EXPECT_EQ(resolve_country("kz"), "KZ");
  EXPECT_EQ(resolve_country("People's Republic of China"), "CN");
  EXPECT_EQ(resolve_country("UK"), "GB");  // an exonym, not a code: GB is the code
  EXPECT_EQ(resolve_country("Viet Nam"), "VN");
  EXPECT_EQ(resolve_country("Vietnam"), "VN");
  EXPECT_FALSE(resolve_country("XX"));
  EXPECT_FALSE(resolve_country("Atlantis"));
  EXPECT_FALSE(resolve_country(""));
  EXPECT_EQ(country_name("IR"), "Iran");
  EXPECT_EQ(country_name("KZ"), "Kazakhstan");
  EXPECT_EQ(country_name("QQ"), "");
}

TEST(Request, NamesAreCheckedAndAliasesAccepted) {
  auto typo = route({{"colour", "red", {}}});
  expect_error(typo, "colour");
  EXPECT_NE(typo.error().message.find("colour: unknown option (expected from, to, depart,"), std::string::npos);
  expect_error(route({{"units", "2", {}}, {"units", "3", {}}}), "units");
  expect_error(parse_route_request(net(), {{"to", "tashkent", {}}}, kLocal), "from");
  auto aliases = route({{"modes", "rail", {}}, {"scenarios", "green-lanes", {}}});
  ASSERT_TRUE(aliases.ok()) << aliases.error().message;
  EXPECT_EQ(aliases->query.modes.bits, ModeSet{1}.bits);
  EXPECT_EQ(aliases->scenarios, std::vector<std::string>{"green-lanes"});
  // Aliases are the same option: both together are a repeat of one list.
  auto both = route({{"scenario", "green-lanes", {}}, {"scenarios", "khorgos-closure", {}}});
  EXPECT_EQ(both->scenarios, (std::vector<std::string>{"green-lanes", "khorgos-closure"}));
}

TEST(Request, RemoteRequestsNameNoFilesAndNoThreads) {
  expect_error(route({{"threads", "2", {}}}, kRemote), "threads");
  auto path = route({{"scenario", "data/central-asia/scenarios/green-lanes.toml", {}}}, kRemote);
  expect_error(path, "scenario");
  EXPECT_NE(path.error().message.find("POST /v1/scenarios"), std::string::npos);
  EXPECT_TRUE(route({{"scenario", "green-lanes", {}}}, kRemote).ok());
  EXPECT_TRUE(route({{"scenario", "my.toml", {}}}, kLocal).ok());  // read later, by load_named_scenarios
}

TEST(Request, TextMustBeUtf8WithoutControlCharacters) {
  expect_error(route({{"via", "\xff\xfe", {}}}), "via");
  expect_error(route({{"via", "xi\nan", {}}}), "via");
  expect_error(route({{"via", "\xc0\xaf", {}}}), "via");  // overlong '/'
  EXPECT_TRUE(route({{"via", "Małaszewicze", {}}}).ok());
  // An unknown name is echoed, as text: a query string's names are any bytes.
  auto bad_name = route({{"c\xffl\x01", "red", {}}});
  expect_error(bad_name, "c\xEF\xBF\xBDl\xEF\xBF\xBD");
  EXPECT_EQ(bad_name.error().message.rfind("c\xEF\xBF\xBDl\xEF\xBF\xBD: unknown option (expected from,", 0), 0u);
  auto nameless = route({{"", "red", {}}});
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.error().column, "");
  EXPECT_EQ(nameless.error().message.rfind("an option without a name (expected from, to,", 0), 0u);
}

TEST(Request, InvalidValueNamesTheFieldOrTheUnknownName) {
  Error e = invalid_value(matrix_options(), "samples", "1e400");
  EXPECT_EQ(e.column, "samples");
  EXPECT_EQ(e.message, "samples: bad value \"1e400\" (expected a whole number from 0 to 1000)");
  EXPECT_EQ(invalid_value(matrix_options(), "scenarios", "1e400").column, "scenario");
  EXPECT_EQ(invalid_value(matrix_options(), "colour", "1").column, "colour");
}

// ---- matrix and compare ------------------------------------------------------

TEST(Request, MatrixDefaultsToTheHubsAndAThousandSamples) {
  auto m = parse_matrix_request(net(), {}, kLocal);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->places, default_hubs(net()));
  EXPECT_EQ(m->samples, 1000u);
  MatrixOptions o = m->options();
  EXPECT_EQ(format_instant_utc(o.depart), "2026-03-02T09:00:00Z");
  EXPECT_EQ(o.samples, 1000u);
}

TEST(Request, MatrixPlacesAreDistinctAtLeastTwoAndAtMostForty) {
  expect_error(parse_matrix_request(net(), {{"places", "xian,xian", {}}}, kLocal), "places");
  expect_error(parse_matrix_request(net(), {{"places", "xian", {}}}, kLocal), "places");
  expect_error(parse_matrix_request(net(), {{"places", "xian,gotham", {}}}, kLocal), "places", ErrorCode::kNotFound);
  expect_error(parse_matrix_request(net(), {{"samples", "1001", {}}}, kLocal), "samples");
  RequestFields many;
  for (std::uint32_t i = 0; i <= kMaxMatrixPlaces; ++i)
    many.push_back({"places", net().locations[LocationIdx(i)].id, {}});
  expect_error(parse_matrix_request(net(), many, kLocal), "places");
  many.pop_back();
  EXPECT_TRUE(parse_matrix_request(net(), many, kLocal).ok());
}

TEST(Request, CompareNeedsAScenarioAndTakesDemandRows) {
  expect_error(parse_compare_request(net(), {{"places", "xian,almaty", {}}}, kLocal), "scenario");
  expect_error(parse_matrix_request(net(), {{"demand", "flows.csv", {}}}, kLocal), "demand");  // matrix has none
  RequestField row{"demand", "", {{"from", "xian"}, {"to", "bishkek"}, {"teu_per_year", "1000"}}};
  auto c =
      parse_compare_request(net(), {{"scenarios", "green-lanes", {}}, {"places", "xian,almaty", {}}, row}, kRemote);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->demand);
  EXPECT_EQ(c->demand->size(), 1u);
  EXPECT_EQ(c->demand->front().teu_per_year, 1000.0);
  ASSERT_EQ(c->places.size(), 3u);  // the demand's bishkek joins
  EXPECT_EQ(id(c->places[2]), "bishkek");
  for (const char* teu : {"-1", "nan", "1e10", "lots"}) {
    RequestField bad{"demand", "", {{"from", "xian"}, {"to", "bishkek"}, {"teu_per_year", teu}}};
    expect_error(parse_compare_request(net(), {{"scenario", "green-lanes", {}}, bad}, kRemote), "demand");
  }
  RequestField short_row{"demand", "", {{"from", "xian"}}};
  expect_error(parse_compare_request(net(), {{"scenario", "green-lanes", {}}, short_row}, kRemote), "demand");
  RequestField nowhere{"demand", "", {{"from", "xian"}, {"to", "mordor"}, {"teu_per_year", "1"}}};
  expect_error(parse_compare_request(net(), {{"scenario", "green-lanes", {}}, nowhere}, kRemote), "demand",
               ErrorCode::kNotFound);
  expect_error(parse_compare_request(net(), {{"scenario", "green-lanes", {}}, {"demand", "/etc/passwd", {}}}, kRemote),
               "demand");
  auto file =
      parse_compare_request(net(), {{"scenario", "green-lanes", {}}, {"demand", (kData / "demand.csv").string(), {}}},
                            kLocal);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_GT(file->demand->size(), 1u);
}

// ---- simulate --------------------------------------------------------------------

RequestField lane(const char* from, const char* to, const char* teu) {
  return {"demand", "", {{"from", from}, {"to", to}, {"teu_per_year", teu}}};
}

TEST(Request, SimulateDefaultsAreTheCommandsAndItsWorkIsBounded) {
  auto s = parse_simulate_request(net(), {lane("xian", "almaty", "1000")}, kRemote);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(format_instant_utc(s->options.start), "2026-03-09T00:00:00Z");  // the Monday after 2026-03-02T08:15Z
  EXPECT_EQ(s->options.horizon, std::chrono::days(90));
  EXPECT_EQ(s->options.warmup, std::chrono::days(14));
  EXPECT_EQ(s->options.objective, Objective::kCost);
  EXPECT_FALSE(s->options.service_capacity);
  EXPECT_EQ(s->options.max_shipments, kMaxSimShipments);
  EXPECT_EQ(s->options.max_events, kMaxSimEvents);
  EXPECT_EQ(s->demand_source, "1 row");
  expect_error(parse_simulate_request(net(), {}, kRemote), "demand");
  expect_error(parse_simulate_request(net(), {lane("xian", "almaty", "1"), {"days", "730.5", {}}}, kRemote), "days");
  expect_error(parse_simulate_request(net(), {lane("xian", "almaty", "1"), {"days", "0", {}}}, kRemote), "days");
  expect_error(parse_simulate_request(net(), {lane("xian", "almaty", "1"), {"days", "7", {}}}, kRemote), "warmup");
  expect_error(parse_simulate_request(net(), {lane("xian", "almaty", "1"), {"by", "pareto", {}}}, kRemote), "by");
  EXPECT_TRUE(parse_simulate_request(net(), {lane("xian", "almaty", "1"), {"days", "730", {}}}, kRemote).ok());
  RequestFields lanes;
  for (std::size_t i = 0; i <= kMaxSimLanes; ++i) lanes.push_back(lane("xian", "almaty", "1"));
  expect_error(parse_simulate_request(net(), lanes, kRemote), "demand");
  lanes.pop_back();
  EXPECT_TRUE(parse_simulate_request(net(), lanes, kRemote).ok());
}

TEST(Request, SimulateTakesEveryOption) {
  auto s = parse_simulate_request(net(),
                                  {{"demand", (kData / "demand.csv").string(), {}},
                                   {"start", "2026-03-02", {}},
                                   {"days", "30.5", {}},
                                   {"warmup", "7", {}},
                                   {"seed", "9", {}},
                                   {"units", "45", {}},
                                   {"unit", "TEU", {}},
                                   {"by", "time", {}},
                                   {"mode", "rail,road", {}},
                                   {"arrivals", "regular", {}},
                                   {"service_capacity", "per-run", {}},
                                   {"sample_stages", "true", {}},
                                   {"scenario", "green-lanes", {}},
                                   {"threads", "3", {}}},
                                  kLocal);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(format_instant_utc(s->options.start), "2026-03-02T00:00:00Z");
  EXPECT_EQ(s->options.horizon, Duration(30 * 86400 + 43200));
  EXPECT_EQ(s->options.warmup, std::chrono::days(7));
  EXPECT_EQ(s->options.seed, 9u);
  EXPECT_EQ(s->options.shipment_units, 45u);
  EXPECT_EQ(s->options.unit, UnitKind::kTeu);
  EXPECT_EQ(s->options.objective, Objective::kTime);
  EXPECT_FALSE(s->options.modes.has(Mode::kAir));
  EXPECT_EQ(s->options.arrivals, ArrivalProcess::kRegular);
  EXPECT_TRUE(s->options.service_capacity);
  EXPECT_TRUE(s->options.sample_stages);
  EXPECT_EQ(s->options.threads, 3u);
  EXPECT_EQ(s->scenarios, std::vector<std::string>{"green-lanes"});
  EXPECT_EQ(s->demand_source, (kData / "demand.csv").string());
  EXPECT_GT(s->demand.size(), 1u);
}

// ---- scenarios -------------------------------------------------------------------

TEST(Request, ScenariosAreIdsOfTheDatasetOrPaths) {
  EXPECT_TRUE(is_scenario_path("a/b"));
  EXPECT_TRUE(is_scenario_path("mine.toml"));
  EXPECT_FALSE(is_scenario_path("green-lanes"));
  const auto dir = kData / "scenarios";
  auto by_id = load_named_scenarios(net(), dir, {"green-lanes", (dir / "khorgos-closure.toml").string()});
  ASSERT_TRUE(by_id.ok()) << to_string(by_id.errors());
  EXPECT_EQ(by_id->at(0).id, "green-lanes");
  EXPECT_EQ(by_id->at(1).id, "khorgos-closure");
  auto unknown = load_named_scenarios(net(), dir, {"no-such"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().column, "scenario");
  EXPECT_NE(unknown.error().message.find("cku-railway, customs-facilitation, green-lanes"), std::string::npos)
      << unknown.error().message;
  auto ids = scenario_ids_in(dir);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "green-lanes"), 1);
}

// ---- the tables ----------------------------------------------------------------------

TEST(Request, TablesHaveUniqueNamesHelpAndSaneLimits) {
  for (auto specs : {route_options(), matrix_options(), compare_options(), simulate_options(), sweep_options()}) {
    std::set<std::string_view> names;
    for (const OptionSpec& s : specs) {
      EXPECT_TRUE(names.insert(s.name).second) << s.name;
      EXPECT_FALSE(s.help.empty()) << s.name;
      EXPECT_LE(s.min, s.max) << s.name;
      if (s.type == OptionType::kChoice || s.type == OptionType::kChoices) {
        EXPECT_FALSE(s.choices.empty()) << s.name;
      }
    }
  }
  EXPECT_EQ(route_options()[5].cli_flag(), "--cargo-tonnes");
}

TEST(Request, DocsListEveryOptionWithItsLimitAndDefault) {
  std::ifstream in(kData / ".." / ".." / "docs" / "requests.md");
  ASSERT_TRUE(in) << "docs/requests.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (auto [command, specs] : {std::pair{"route", route_options()}, std::pair{"matrix", matrix_options()},
                                std::pair{"compare", compare_options()}, std::pair{"simulate", simulate_options()},
                                std::pair{"sweep", sweep_options()}}) {
    const std::size_t start = doc.find(std::string("### ") + command + "\n");
    ASSERT_NE(start, std::string::npos) << command;
    const std::string section = doc.substr(start, doc.find("\n\n", doc.find("|---", start)) - start);
    for (const OptionSpec& s : specs) {
      const std::size_t row = section.find("| `" + std::string(s.name) + "` |");
      ASSERT_NE(row, std::string::npos) << command << " " << s.name << " is not documented";
      const std::string line = section.substr(row, section.find('\n', row) - row);
      const std::string tail = " | " + s.expected() + " | " +
                               (s.default_text.empty() ? std::string("—") : std::string(s.default_text)) + " |";
      EXPECT_EQ(line.substr(line.size() - std::min(line.size(), tail.size())), tail) << command << " " << s.name;
    }
  }
}

}  // namespace
}  // namespace caravan
