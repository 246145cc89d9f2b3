// The `caravan` Python module: load a dataset, resolve places, plan routes
// (with reliability and scenarios), hub matrices, scenario comparisons and
// the capacity and queue simulation.
// Results are the same JSON contracts as the CLI and the HTTP API, returned as
// Python dicts, so notebooks and scripts see exactly what other tools see.
// Long computations release the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>

#include "caravan/check.h"
#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/request.h"
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

  py::object route(const std::string& origin, const std::string& destination, const py::kwargs& options) const {
    caravan::RequestFields fields = {{"from", origin, {}}, {"to", destination, {}}};
    add_options(fields, options);
    auto req = caravan::parse_route_request(*net_, fields, now());
    if (!req) throw_error(req.error());
    Scenarios sc = scenarios_or_throw(req->scenarios);
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      caravan::Planner planner(index);
      caravan::Result<std::vector<caravan::Itinerary>> its = std::vector<caravan::Itinerary>{};
      if (req->samples > 0) {
        caravan::StageModel model(index);
        caravan::MonteCarloOptions mc;
        mc.samples = req->samples;
        mc.seed = req->seed;
        mc.threads = req->threads;
        mc.deadline = req->deadline;
        its = caravan::plan_reliable(planner, model, req->query, mc);
      } else {
        its = planner.plan(req->query);
      }
      if (!its) {
        py::gil_scoped_acquire locked;
        throw_error(its.error());
      }
      caravan::QueryEcho echo{req->query, req->deadline, sc.ids};
      json = caravan::itineraries_to_json(index.view(), echo, *its, -1);
    }
    return loads(json);
  }

  py::object matrix(const py::kwargs& options) const {
    caravan::RequestFields fields;
    add_options(fields, options);
    auto req = caravan::parse_matrix_request(*net_, fields, now());
    if (!req) throw_error(req.error());
    Scenarios sc = scenarios_or_throw(req->scenarios);
    caravan::MatrixEcho echo = caravan::matrix_echo(req->options());
    echo.scenarios = sc.ids;
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      auto result = caravan::compute_matrix(index, req->places, req->options());
      if (!result) {
        py::gil_scoped_acquire locked;
        throw_error(result.error());
      }
      json = caravan::matrix_to_json(*net_, echo, *result, -1);
    }
    return loads(json);
  }

  py::object compare(const py::object& scenarios, const py::kwargs& options) const {
    caravan::RequestFields fields;
    add_fields(fields, "scenario", scenarios);
    add_options(fields, options);
    auto req = caravan::parse_compare_request(*net_, fields, now());
    if (!req) throw_error(req.error());
    Scenarios base = scenarios_or_throw(req->base_scenarios);
    std::vector<std::string> all_names = req->base_scenarios;
    all_names.insert(all_names.end(), req->scenarios.begin(), req->scenarios.end());
    Scenarios with = scenarios_or_throw(all_names);
    caravan::MatrixEcho echo = caravan::matrix_echo(req->options());
    echo.base_scenarios = base.ids;
    echo.scenarios.assign(with.ids.begin() + static_cast<std::ptrdiff_t>(base.ids.size()), with.ids.end());
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex base_index(*net_, base.overlay.get());
      caravan::RouteIndex index(*net_, with.overlay.get());
      const caravan::MatrixOptions m = req->options();
      auto before = caravan::compute_matrix(base_index, req->places, m);
      auto after =
          before ? caravan::compute_matrix(index, req->places, m) : caravan::Result<caravan::Matrix>(before.errors());
      if (!after) {
        py::gil_scoped_acquire locked;
        throw_error(after.error());
      }
      caravan::Comparison c = caravan::compare(*before, *after, req->demand ? &*req->demand : nullptr);
      json = caravan::comparison_to_json(*net_, echo, c, -1);
    }
    return loads(json);
  }

  py::object simulate(const py::object& demand, const py::kwargs& options) const {
    caravan::RequestFields fields;
    add_fields(fields, "demand", demand);
    add_options(fields, options);
    auto req = caravan::parse_simulate_request(*net_, fields, now());
    if (!req) throw_error(req.error());
    Scenarios sc = scenarios_or_throw(req->scenarios);
    caravan::SimEcho echo;
    echo.demand = req->demand_source;
    echo.scenarios = sc.ids;
    std::string json;
    {
      py::gil_scoped_release unlocked;
      caravan::RouteIndex index(*net_, sc.overlay.get());
      auto report = caravan::simulate(index, req->demand, req->options);
      if (!report) {
        py::gil_scoped_acquire locked;
        throw_error(report.error());
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
    auto parsed = caravan::load_named_scenarios(*net_, dir_ / "scenarios", names);
    if (!parsed) {
      const caravan::Error& e = parsed.error();
      throw_error(e, parsed.errors().size() == 1 && e.file.empty() ? e.message : caravan::to_string(parsed.errors()));
    }
    for (const caravan::Scenario& sc : *parsed) out.ids.push_back(sc.id);
    auto ov = caravan::Overlay::build(*net_, *parsed);
    if (!ov) throw std::invalid_argument(caravan::to_string(ov.errors()));
    out.overlay = std::make_unique<caravan::Overlay>(std::move(ov).value());
    return out;
  }

  static caravan::RequestContext now() {
    return {caravan::RequestOrigin::kLocal,
            std::chrono::time_point_cast<caravan::Duration>(std::chrono::system_clock::now())};
  }

  // KeyError for what is unknown (places, scenarios), ValueError for the rest.
  [[noreturn]] static void throw_error(const caravan::Error& e, const std::string& message = {}) {
    const std::string& text = message.empty() ? e.message : message;
    if (e.code == caravan::ErrorCode::kNotFound) throw py::key_error(text);
    throw std::invalid_argument(text);
  }

  // A Python value as request fields: None is "not given"; a list or tuple is
  // a field per item; a tuple or dict inside a list is a structured item (a
  // demand row: from, to, teu_per_year); anything else is its text, numbers
  // as Python writes them (1e+308, inf), so the parser checks them as it
  // checks the CLI's and the API's.
  static void add_fields(caravan::RequestFields& out, const std::string& name, const py::handle& v) {
    if (v.is_none()) return;
    if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
      for (const py::handle& item : v) {
        if (py::isinstance<py::tuple>(item) || py::isinstance<py::list>(item) || py::isinstance<py::dict>(item)) {
          out.push_back({name, "", row_members(name, item)});
        } else {
          out.push_back({name, text_of(item), {}});
        }
      }
      return;
    }
    out.push_back({name, text_of(v), {}});
  }

  static std::vector<std::pair<std::string, std::string>> row_members(const std::string& name, const py::handle& item) {
    std::vector<std::pair<std::string, std::string>> members;
    if (py::isinstance<py::dict>(item)) {
      for (const auto& [k, val] : item.cast<py::dict>()) members.emplace_back(py::str(k), text_of(val));
      return members;
    }
    static const char* kRow[] = {"from", "to", "teu_per_year"};
    std::size_t i = 0;
    for (const py::handle& val : item) {
      if (i >= 3) throw std::invalid_argument(name + ": a row of more than 3 items (expected from, to, teu_per_year)");
      members.emplace_back(kRow[i++], text_of(val));
    }
    return members;
  }

  static std::string text_of(const py::handle& v) {
    if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "true" : "false";
    if (py::isinstance<py::float_>(v)) return py::repr(v);
    if (py::isinstance<py::bytes>(v)) throw py::type_error("expected text, not bytes");
    if (py::hasattr(v, "__fspath__")) return py::str(v.attr("__fspath__")());
    return py::str(v);
  }

  static void add_options(caravan::RequestFields& out, const py::kwargs& options) {
    for (const auto& [k, v] : options) add_fields(out, py::str(k), v);
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

// A docstring: the summary, then every option of the request table with its
// limits and default, and the errors raised.
std::string options_doc(const std::string& summary, std::span<const caravan::OptionSpec> specs,
                        std::initializer_list<std::string_view> positional) {
  std::string doc =
      summary + "\n\nKeyword arguments (the names of the CLI and the API; lists take a list or a comma list):\n";
  for (const caravan::OptionSpec& s : specs) {
    if (std::find(positional.begin(), positional.end(), s.name) != positional.end()) continue;
    doc += "  " + std::string(s.name) + ": " + std::string(s.help) + "; " + s.expected();
    if (!s.default_text.empty()) doc += " (default: " + std::string(s.default_text) + ")";
    doc += "\n";
  }
  return doc + "Raises KeyError for unknown places or scenarios, ValueError for bad arguments or when no route exists.";
}

// The option tables, for tools and tests: {"route": [{name, type, min, ...}], ...}.
py::dict request_options() {
  py::dict out;
  for (auto [name, specs] :
       {std::pair{"route", caravan::route_options()}, std::pair{"matrix", caravan::matrix_options()},
        std::pair{"compare", caravan::compare_options()}, std::pair{"simulate", caravan::simulate_options()}}) {
    py::list rows;
    for (const caravan::OptionSpec& s : specs) {
      py::dict d;
      static const char* kTypes[] = {"place",  "places",  "avoid",     "count", "number", "instant",
                                     "choice", "choices", "scenarios", "flag",  "demand"};
      d["name"] = std::string(s.name);
      d["type"] = kTypes[static_cast<int>(s.type)];
      d["help"] = std::string(s.help);
      d["default"] = std::string(s.default_text);
      d["min"] = s.min;
      d["max"] = s.max;
      d["min_exclusive"] = s.min_exclusive;
      d["max_items"] = s.max_items;
      d["choices"] = std::string(s.choices);
      d["required"] = s.required;
      d["local_only"] = s.local_only;
      d["aliases"] = std::string(s.aliases);
      d["cli_flag"] = s.cli_flag();
      d["expected"] = s.expected();
      rows.append(d);
    }
    out[name] = rows;
  }
  return out;
}

PYBIND11_MODULE(caravan, m) {
  m.doc() =
      "caravan: plan, price and stress-test freight across China, Central Asia, the Caspian, Europe and Iran.\n\n"
      "    import caravan\n"
      "    ds = caravan.Dataset()                      # the embedded central-asia dataset\n"
      "    r = ds.route(\"Xi'an\", \"Tashkent\", depart=\"2026-03-02T08:00+08:00\", units=2)\n"
      "    for it in r[\"itineraries\"]: print(it[\"hours\"], it[\"cost_usd\"], it[\"co2_kg\"])\n"
      "    ds.route(\"xian\", \"tashkent\", deadline=\"2026-03-09T00:00+05:00\", scenario=\"green-lanes\")\n"
      "    ds.compare([\"cku-railway\"], samples=0)[\"winners\"][:5]\n";
  m.def("request_options", &request_options,
        "The options of route, matrix, compare and simulate with their limits, as every front end takes them.");
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
      .def("route", &Dataset::route, py::arg("origin"), py::arg("destination"),
           options_doc("Plan a shipment; returns the Itinerary JSON contract as a dict (Pareto options, fastest\n"
                       "first), as `caravan route --format json` and GET /v1/route answer. A deadline or samples add\n"
                       "a Monte Carlo 'reliability' to each option and mark the most reliable one.",
                       caravan::route_options(), {"from", "to"})
               .c_str())
      .def("matrix", &Dataset::matrix,
           options_doc("The best itinerary by `by` (default generalized: money plus the value of time) between\n"
                       "every ordered pair of places, as the matrix JSON of `caravan matrix --format json` and POST\n"
                       "/v1/matrix.",
                       caravan::matrix_options(), {})
               .c_str())
      .def("compare", &Dataset::compare, py::arg("scenarios"),
           options_doc("What scenarios change for every pair: the matrix on the base (plus base_scenario) and with\n"
                       "the scenarios, as the JSON of `caravan compare --format json` and POST /v1/compare.",
                       caravan::compare_options(), {"scenario"})
               .c_str())
      .def("simulate", &Dataset::simulate, py::arg("demand"),
           options_doc("Demand meets capacity: the JSON of `caravan simulate --format json` and POST /v1/simulate\n"
                       "(utilisation, queue waits and backlog per capacitated crossing, link or run; transit and\n"
                       "delay per lane). demand: a CSV path or a list of (from, to, teu_per_year). Same seed, same\n"
                       "report.",
                       caravan::simulate_options(), {"demand"})
               .c_str())
      .def("network_geojson", &Dataset::network_geojson, "The whole network as a GeoJSON FeatureCollection dict.");
}
