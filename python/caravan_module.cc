// The `caravan` Python module: load a dataset, resolve places, plan routes
// (with reliability and scenarios), hub matrices, scenario comparisons and
// the capacity and queue simulation.
// Results are the same JSON contracts as the CLI and the HTTP API, returned as
// Python dicts, so notebooks and scripts see exactly what other tools see.
// Long computations release the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>

#include "caravan/check.h"
#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"
#include "caravan/stochastic.h"

namespace py = pybind11;

namespace {

// A loaded dataset with its compiled route index; immutable, so one object
// can serve many queries.
class Dataset {
 public:
  explicit Dataset(const std::optional<std::string>& path)
      : dir_(path ? std::filesystem::path(*path) : caravan::default_data_dir()) {
    auto net = caravan::load_network(dir_);
    if (!net) throw std::invalid_argument(caravan::to_string(net.errors()));
    net_ = std::make_unique<caravan::Network>(std::move(net).value());
    index_ = std::make_unique<caravan::RouteIndex>(*net_);
  }

  std::string name() const { return net_->info.name; }
  std::string version() const { return net_->info.version; }

  std::string resolve(const std::string& place) const { return net_->locations[place_or_throw(place)].id; }

  std::vector<py::dict> places(const std::string& query, std::size_t limit) const {
    std::vector<py::dict> out;
    for (caravan::LocationIdx i : caravan::search_places(*net_, query, limit)) {
      const caravan::Location& l = net_->locations[i];
      py::dict d;
      d["id"] = l.id;
      d["name"] = l.name;
      d["country"] = std::string(l.country_code());
      d["lat"] = l.lat;
      d["lon"] = l.lon;
      out.push_back(d);
    }
    return out;
  }

  // The dataset's own scenarios (its scenarios/ folder), by id.
  std::vector<py::dict> scenarios() const {
    std::vector<py::dict> out;
    for (const std::filesystem::path& f : dataset_scenario_files()) {
      auto sc = caravan::load_scenario_file(f, *net_);
      if (!sc) throw std::invalid_argument(caravan::to_string(sc.errors()));
      py::dict d;
      d["id"] = sc->id;
      d["name"] = sc->name;
      d["description"] = sc->description;
      d["path"] = f.string();
      d["measures"] = sc->measures.size();
      out.push_back(d);
    }
    return out;
  }

  py::object route(const std::string& from, const std::string& to, const std::optional<std::string>& depart,
                   std::uint32_t units, const std::string& unit, const std::string& by,
                   const std::vector<std::string>& via, const std::vector<std::string>& avoid,
                   const std::optional<std::string>& modes, std::optional<double> cargo_tonnes,
                   const std::optional<std::string>& deadline, std::optional<std::uint32_t> samples, std::uint64_t seed,
                   const std::vector<std::string>& scenario_names) const {
    caravan::RouteQuery q;
    q.from = place_or_throw(from);
    q.to = place_or_throw(to);
    q.depart = instant_or_throw("depart", depart);
    q.units = units_or_throw(units);
    q.unit = unit_or_throw(unit);
    if (cargo_tonnes) {
      if (!(*cargo_tonnes > 0 && *cargo_tonnes <= 100)) {
        throw std::invalid_argument("cargo_tonnes: expected tonnes per container, above 0 and at most 100");
      }
      q.cargo_per_unit = caravan::Mass::from_tonnes(*cargo_tonnes);
    }
    auto o = caravan::parse_objective(by);
    if (!o) throw std::invalid_argument("by: unknown objective \"" + by + "\" (expected pareto, time, cost or co2)");
    q.objective = *o;
    for (const std::string& v : via) q.via.push_back(place_or_throw(v));
    for (const std::string& a : avoid) {
      if (a.size() == 2 && caravan::has_country(*net_, a))
        q.avoid_countries.push_back(a);
      else
        q.avoid.push_back(place_or_throw(a));
    }
    if (modes) {
      auto m = caravan::parse_mode_set(*modes);
      if (!m) throw std::invalid_argument("modes: " + m.error().message);
      q.modes = *m;
    }
    std::optional<caravan::Instant> due;
    if (deadline) {
      due = instant_or_throw("deadline", deadline);
      if (*due <= q.depart) throw std::invalid_argument("deadline: not after the departure (expected a later instant)");
    }
    Scenarios sc = scenarios_or_throw(scenario_names);
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      caravan::Planner planner(index);
      // A deadline alone asks for reliability, 1,000 samples, as in the CLI.
      const std::uint32_t n = samples.value_or(due ? 1000u : 0u);
      caravan::Result<std::vector<caravan::Itinerary>> its = std::vector<caravan::Itinerary>{};
      if (n > 0) {
        caravan::StageModel model(index);
        caravan::MonteCarloOptions mc;
        mc.samples = n;
        mc.seed = seed;
        mc.deadline = due;
        its = caravan::plan_reliable(planner, model, q, mc);
      } else {
        its = planner.plan(q);
      }
      if (!its) {
        py::gil_scoped_acquire locked;
        if (its.error().code == caravan::ErrorCode::kNoRoute) throw py::value_error(its.error().message);
        throw std::invalid_argument(its.error().message);
      }
      caravan::QueryEcho echo{q, due, sc.ids};
      json = caravan::itineraries_to_json(index.view(), echo, *its, -1);
    }
    return loads(json);
  }

  py::object matrix(const std::optional<std::vector<std::string>>& places, const std::optional<std::string>& depart,
                    std::uint32_t units, const std::string& unit, std::uint32_t samples, std::uint64_t seed,
                    const std::vector<std::string>& scenario_names, unsigned threads) const {
    caravan::MatrixEcho echo;
    caravan::MatrixOptions m = matrix_options(depart, units, unit, samples, seed, threads, echo);
    std::vector<caravan::LocationIdx> at = places_or_hubs(places);
    Scenarios sc = scenarios_or_throw(scenario_names);
    echo.scenarios = sc.ids;
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      auto result = caravan::compute_matrix(index, at, m);
      if (!result) {
        py::gil_scoped_acquire locked;
        throw std::invalid_argument(caravan::to_string(result.errors()));
      }
      json = caravan::matrix_to_json(*net_, echo, *result, -1);
    }
    return loads(json);
  }

  py::object compare(const std::vector<std::string>& scenario_names,
                     const std::optional<std::vector<std::string>>& places, const std::vector<std::string>& base_names,
                     const std::optional<std::string>& depart, std::uint32_t units, const std::string& unit,
                     std::uint32_t samples, std::uint64_t seed, const py::object& demand, unsigned threads) const {
    if (scenario_names.empty()) throw std::invalid_argument("scenarios: at least one is required");
    caravan::MatrixEcho echo;
    caravan::MatrixOptions m = matrix_options(depart, units, unit, samples, seed, threads, echo);
    std::vector<caravan::LocationIdx> at = places_or_hubs(places);
    std::optional<std::vector<caravan::DemandRow>> flows;
    if (!demand.is_none()) {
      flows = demand_or_throw(demand);
      for (const caravan::DemandRow& r : *flows) {
        for (caravan::LocationIdx l : {r.from, r.to}) {
          if (std::find(at.begin(), at.end(), l) == at.end()) at.push_back(l);
        }
      }
    }
    Scenarios base = scenarios_or_throw(base_names);
    std::vector<std::string> all_names = base_names;
    all_names.insert(all_names.end(), scenario_names.begin(), scenario_names.end());
    Scenarios with = scenarios_or_throw(all_names);
    echo.base_scenarios = base.ids;
    echo.scenarios.assign(with.ids.begin() + static_cast<std::ptrdiff_t>(base.ids.size()), with.ids.end());
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex base_index(*net_, base.overlay.get());
      caravan::RouteIndex index(*net_, with.overlay.get());
      auto before = caravan::compute_matrix(base_index, at, m);
      auto after = before ? caravan::compute_matrix(index, at, m) : caravan::Result<caravan::Matrix>(before.errors());
      if (!after) {
        py::gil_scoped_acquire locked;
        throw std::invalid_argument(caravan::to_string(after.errors()));
      }
      caravan::Comparison c = caravan::compare(*before, *after, flows ? &*flows : nullptr);
      json = caravan::comparison_to_json(*net_, echo, c, -1);
    }
    return loads(json);
  }

  py::object simulate(const py::object& demand, const std::optional<std::string>& start, double days, double warmup,
                      std::uint64_t seed, std::uint32_t units, const std::string& unit, const std::string& by,
                      const std::optional<std::string>& modes, const std::string& service_capacity,
                      const std::string& arrivals, bool sample_stages, const std::vector<std::string>& scenario_names,
                      unsigned threads) const {
    caravan::SimOptions o;
    o.start = instant_or_throw("start", start);
    if (!(days > 0 && days <= 3650)) throw std::invalid_argument("days: expected more than 0 and at most 3650");
    if (!(warmup >= 0 && warmup < days)) throw std::invalid_argument("warmup: expected at least 0 and less than days");
    o.horizon = caravan::Duration(std::llround(days * 86400.0));
    o.warmup = caravan::Duration(std::llround(warmup * 86400.0));
    o.seed = seed;
    o.shipment_units = units_or_throw(units);
    o.unit = unit_or_throw(unit);
    auto objective = caravan::parse_objective(by);
    if (!objective || *objective == caravan::Objective::kPareto) {
      throw std::invalid_argument("by: unknown route choice \"" + by + "\" (expected cost, time or co2)");
    }
    o.objective = *objective;
    if (modes) {
      auto m = caravan::parse_mode_set(*modes);
      if (!m) throw std::invalid_argument("modes: " + m.error().message);
      o.modes = *m;
    }
    if (service_capacity != "per-run" && service_capacity != "ignore") {
      throw std::invalid_argument("service_capacity: expected per-run or ignore");
    }
    o.service_capacity = service_capacity == "per-run";
    if (arrivals != "poisson" && arrivals != "regular")
      throw std::invalid_argument("arrivals: expected poisson or regular");
    o.arrivals = arrivals == "poisson" ? caravan::ArrivalProcess::kPoisson : caravan::ArrivalProcess::kRegular;
    o.sample_stages = sample_stages;
    o.threads = threads;
    std::vector<caravan::DemandRow> flows = demand_or_throw(demand);
    Scenarios sc = scenarios_or_throw(scenario_names);
    caravan::SimEcho echo;
    echo.demand = py::isinstance<py::str>(demand) ? demand.cast<std::string>() : std::string("(list)");
    echo.scenarios = sc.ids;
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      auto report = caravan::simulate(index, flows, o);
      if (!report) {
        py::gil_scoped_acquire locked;
        throw std::invalid_argument(caravan::to_string(report.errors()));
      }
      json = caravan::sim_report_to_json(*net_, echo, *report, -1);
    }
    return loads(json);
  }

  py::object network_geojson() const { return loads(caravan::network_to_geojson(*net_)); }

 private:
  // Scenarios and the overlay built from them; the overlay is null when none.
  struct Scenarios {
    std::vector<std::string> ids;
    std::unique_ptr<caravan::Overlay> overlay;
  };

  static py::object loads(const std::string& json) { return py::module_::import("json").attr("loads")(json); }

  std::vector<std::filesystem::path> dataset_scenario_files() const {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "scenarios", ec)) {
      if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // Each name is a TOML file path, or the id of one of the dataset's scenarios.
  Scenarios scenarios_or_throw(const std::vector<std::string>& names) const {
    Scenarios out;
    if (names.empty()) return out;
    std::vector<caravan::Scenario> parsed;
    for (const std::string& name : names) {
      std::filesystem::path f = name;
      if (f.extension() != ".toml") {
        f = dir_ / "scenarios" / (name + ".toml");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(f, ec)) {
          std::string known;
          for (const auto& k : dataset_scenario_files()) known += (known.empty() ? "" : ", ") + k.stem().string();
          throw py::key_error("scenario: unknown scenario \"" + name + "\" (expected a .toml path or one of: " + known +
                              ")");
        }
      }
      auto sc = caravan::load_scenario_file(f, *net_);
      if (!sc) throw std::invalid_argument(caravan::to_string(sc.errors()));
      out.ids.push_back(sc->id);
      parsed.push_back(std::move(sc).value());
    }
    auto ov = caravan::Overlay::build(*net_, parsed);
    if (!ov) throw std::invalid_argument(caravan::to_string(ov.errors()));
    out.overlay = std::make_unique<caravan::Overlay>(std::move(ov).value());
    return out;
  }

  caravan::Instant instant_or_throw(const char* what, const std::optional<std::string>& text) const {
    auto t = caravan::parse_instant(text.value_or("2026-03-02T00:00Z"));
    if (!t) throw std::invalid_argument(std::string(what) + ": " + t.error().message);
    return *t;
  }

  static std::uint32_t units_or_throw(std::uint32_t units) {
    if (units == 0 || units > 10000) throw std::invalid_argument("units: expected 1 to 10000 containers");
    return units;
  }

  static caravan::UnitKind unit_or_throw(const std::string& unit) {
    auto u = caravan::parse_unit_kind(unit);
    if (!u) throw std::invalid_argument("unit: unknown unit \"" + unit + "\" (expected TEU or FEU)");
    return *u;
  }

  caravan::MatrixOptions matrix_options(const std::optional<std::string>& depart, std::uint32_t units,
                                        const std::string& unit, std::uint32_t samples, std::uint64_t seed,
                                        unsigned threads, caravan::MatrixEcho& echo) const {
    caravan::MatrixOptions m;
    m.depart = instant_or_throw("depart", depart);
    m.units = units_or_throw(units);
    m.unit = unit_or_throw(unit);
    if (samples > 100000) throw std::invalid_argument("samples: expected at most 100000");
    m.samples = samples;
    m.seed = seed;
    m.threads = threads;
    echo.depart = m.depart;
    echo.units = m.units;
    echo.unit = m.unit;
    return m;
  }

  std::vector<caravan::LocationIdx> places_or_hubs(const std::optional<std::vector<std::string>>& places) const {
    if (!places) return caravan::default_hubs(*net_);
    std::vector<caravan::LocationIdx> out;
    for (const std::string& p : *places) out.push_back(place_or_throw(p));
    if (out.size() < 2) throw std::invalid_argument("places: expected at least two");
    return out;
  }

  // A CSV path (from,to,teu_per_year) or a list of (from, to, teu_per_year).
  std::vector<caravan::DemandRow> demand_or_throw(const py::object& demand) const {
    if (py::isinstance<py::str>(demand)) {
      auto rows = caravan::load_demand_csv(demand.cast<std::string>(), *net_);
      if (!rows) throw std::invalid_argument("demand: " + caravan::to_string(rows.errors()));
      return std::move(rows).value();
    }
    std::vector<caravan::DemandRow> out;
    for (const py::handle& item : demand) {
      auto row = item.cast<std::tuple<std::string, std::string, double>>();
      const double teu = std::get<2>(row);
      if (!(teu >= 0)) throw std::invalid_argument("demand: teu_per_year must be a number >= 0");
      out.push_back({place_or_throw(std::get<0>(row)), place_or_throw(std::get<1>(row)), teu});
    }
    return out;
  }

  caravan::LocationIdx place_or_throw(const std::string& text) const {
    auto r = caravan::resolve_place(*net_, text);
    if (!r) throw py::key_error(r.error().message);
    return *r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<caravan::Network> net_;
  std::unique_ptr<caravan::RouteIndex> index_;
};

}  // namespace

PYBIND11_MODULE(caravan, m) {
  m.doc() =
      "caravan: plan, price and stress-test freight across China, Central Asia, the Caspian, Europe and Iran.\n\n"
      "    import caravan\n"
      "    ds = caravan.Dataset()                      # the embedded central-asia dataset\n"
      "    r = ds.route(\"Xi'an\", \"Tashkent\", depart=\"2026-03-02T08:00+08:00\", units=2)\n"
      "    for it in r[\"itineraries\"]: print(it[\"hours\"], it[\"cost_usd\"], it[\"co2_kg\"])\n"
      "    ds.route(\"xian\", \"tashkent\", deadline=\"2026-03-09T00:00+05:00\", scenarios=[\"green-lanes\"])\n"
      "    ds.compare([\"cku-railway\"], samples=0)[\"winners\"][:5]\n";
  py::class_<Dataset>(m, "Dataset", "A loaded, validated dataset. Raises ValueError listing every data error.")
      .def(py::init<const std::optional<std::string>&>(), py::arg("path") = py::none(),
           "Load a dataset folder (default: the embedded central-asia dataset or $CARAVAN_DATA).")
      .def_property_readonly("name", &Dataset::name)
      .def_property_readonly("version", &Dataset::version)
      .def("resolve", &Dataset::resolve, py::arg("place"),
           "The location id a name, alias or id refers to. Raises KeyError listing the nearest candidates.")
      .def("places", &Dataset::places, py::arg("query"), py::arg("limit") = 10,
           "Locations matching a partial name, best first (for autocomplete).")
      .def("scenarios", &Dataset::scenarios,
           "The dataset's scenarios (its scenarios/ folder): id, name, description, path, number of measures.")
      .def("route", &Dataset::route, py::arg("origin"), py::arg("destination"), py::arg("depart") = py::none(),
           py::arg("units") = 1, py::arg("unit") = "FEU", py::arg("by") = "pareto",
           py::arg("via") = std::vector<std::string>{}, py::arg("avoid") = std::vector<std::string>{},
           py::arg("modes") = py::none(), py::arg("cargo_tonnes") = py::none(), py::arg("deadline") = py::none(),
           py::arg("samples") = py::none(), py::arg("seed") = 1, py::arg("scenarios") = std::vector<std::string>{},
           "Plan a shipment; returns the Itinerary JSON contract as a dict (Pareto options, fastest first).\n"
           "depart: ISO-8601 (default 2026-03-02T00:00Z); by: pareto, time, cost or co2; via: places in order;\n"
           "avoid: places or ISO country codes; modes: e.g. 'rail,ferry'; cargo_tonnes: per container.\n"
           "deadline (ISO-8601) and/or samples add a Monte Carlo 'reliability' to each option (p50/p80/p95,\n"
           "on-time probability; a deadline alone means 1,000 samples) and mark the most reliable one.\n"
           "scenarios: ids of the dataset's scenarios or .toml paths, applied in order.\n"
           "Raises KeyError for unknown places or scenarios, ValueError for bad arguments or when no route exists.")
      .def("matrix", &Dataset::matrix, py::arg("places") = py::none(), py::arg("depart") = py::none(),
           py::arg("units") = 1, py::arg("unit") = "FEU", py::arg("samples") = 0, py::arg("seed") = 1,
           py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
           "The fastest itinerary between every ordered pair of places (default: the dataset's hubs), as\n"
           "the matrix JSON of `caravan matrix --format json`; samples > 0 adds each pair's p95.")
      .def("compare", &Dataset::compare, py::arg("scenarios"), py::arg("places") = py::none(),
           py::arg("base_scenarios") = std::vector<std::string>{}, py::arg("depart") = py::none(), py::arg("units") = 1,
           py::arg("unit") = "FEU", py::arg("samples") = 0, py::arg("seed") = 1, py::arg("demand") = py::none(),
           py::arg("threads") = 0,
           "What scenarios change for every pair: the matrix on the base (plus base_scenarios) and with the\n"
           "scenarios, as the JSON of `caravan compare --format json` (winners, losers, means). demand: a CSV\n"
           "path (from,to,teu_per_year) or a list of (from, to, teu_per_year) for flow-weighted means.")
      .def("simulate", &Dataset::simulate, py::arg("demand"), py::arg("start") = py::none(), py::arg("days") = 90.0,
           py::arg("warmup") = 14.0, py::arg("seed") = 1, py::arg("units") = 1, py::arg("unit") = "FEU",
           py::arg("by") = "cost", py::arg("modes") = py::none(), py::arg("service_capacity") = "ignore",
           py::arg("arrivals") = "poisson", py::arg("sample_stages") = false,
           py::arg("scenarios") = std::vector<std::string>{}, py::arg("threads") = 0,
           "Demand meets capacity: the JSON of `caravan simulate --format json` (utilisation, queue waits\n"
           "and backlog per capacitated crossing, link or run; transit and delay per lane). demand: a CSV\n"
           "path (from,to,teu_per_year) or a list of (from, to, teu_per_year); start: ISO-8601 (default\n"
           "2026-03-02T00:00Z); units: containers per shipment (45 for block trains). Same seed, same report.")
      .def("network_geojson", &Dataset::network_geojson, "The whole network as a GeoJSON FeatureCollection dict.");
}
