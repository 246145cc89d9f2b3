// The `caravan` Python module: load a dataset, resolve places, plan routes.
// Results are the same JSON contracts as the CLI and the HTTP API, returned as
// Python dicts, so notebooks and scripts see exactly what other tools see.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <stdexcept>

#include "caravan/check.h"
#include "caravan/load.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/route.h"

namespace py = pybind11;

namespace {

// A loaded dataset with its compiled route index; immutable, so one object
// can serve many queries.
class Dataset {
 public:
  explicit Dataset(const std::optional<std::string>& path) {
    std::filesystem::path dir = path ? std::filesystem::path(*path) : caravan::default_data_dir();
    auto net = caravan::load_network(dir);
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

  py::object route(const std::string& from, const std::string& to, const std::optional<std::string>& depart,
                   std::uint32_t units, const std::string& unit, const std::string& by, const std::vector<std::string>& via,
                   const std::vector<std::string>& avoid, const std::optional<std::string>& modes) const {
    caravan::RouteQuery q;
    q.from = place_or_throw(from);
    q.to = place_or_throw(to);
    auto t = caravan::parse_instant(depart.value_or("2026-03-02T00:00Z"));
    if (!t) throw std::invalid_argument("depart: " + t.error().message);
    q.depart = *t;
    if (units == 0) throw std::invalid_argument("units: must be at least 1");
    q.units = units;
    auto u = caravan::parse_unit_kind(unit);
    if (!u) throw std::invalid_argument("unit: unknown unit \"" + unit + "\" (expected TEU or FEU)");
    q.unit = *u;
    auto o = caravan::parse_objective(by);
    if (!o) throw std::invalid_argument("by: unknown objective \"" + by + "\" (expected pareto, time, cost or co2)");
    q.objective = *o;
    for (const std::string& v : via) q.via.push_back(place_or_throw(v));
    for (const std::string& a : avoid) {
      if (a.size() == 2 && caravan::has_country(*net_, a)) q.avoid_countries.push_back(a);
      else q.avoid.push_back(place_or_throw(a));
    }
    if (modes) {
      auto m = caravan::parse_mode_set(*modes);
      if (!m) throw std::invalid_argument("modes: " + m.error().message);
      q.modes = *m;
    }
    caravan::Planner planner(*index_);
    auto its = planner.plan(q);
    if (!its) {
      if (its.error().code == caravan::ErrorCode::kNoRoute) throw py::value_error(its.error().message);
      throw std::invalid_argument(its.error().message);
    }
    std::string json = caravan::itineraries_to_json(*net_, caravan::QueryEcho{q, std::nullopt, {}}, *its, -1);
    return py::module_::import("json").attr("loads")(json);
  }

  py::object network_geojson() const {
    return py::module_::import("json").attr("loads")(caravan::network_to_geojson(*net_));
  }

 private:
  caravan::LocationIdx place_or_throw(const std::string& text) const {
    auto r = caravan::resolve_place(*net_, text);
    if (!r) throw py::key_error(r.error().message);
    return *r;
  }

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
      "    for it in r[\"itineraries\"]: print(it[\"hours\"], it[\"cost_usd\"], it[\"co2_kg\"])\n";
  py::class_<Dataset>(m, "Dataset", "A loaded, validated dataset. Raises ValueError listing every data error.")
      .def(py::init<const std::optional<std::string>&>(), py::arg("path") = py::none(),
           "Load a dataset folder (default: the embedded central-asia dataset or $CARAVAN_DATA).")
      .def_property_readonly("name", &Dataset::name)
      .def_property_readonly("version", &Dataset::version)
      .def("resolve", &Dataset::resolve, py::arg("place"),
           "The location id a name, alias or id refers to. Raises KeyError listing the nearest candidates.")
      .def("places", &Dataset::places, py::arg("query"), py::arg("limit") = 10,
           "Locations matching a partial name, best first (for autocomplete).")
      .def("route", &Dataset::route, py::arg("origin"), py::arg("destination"), py::arg("depart") = py::none(),
           py::arg("units") = 1, py::arg("unit") = "FEU", py::arg("by") = "pareto", py::arg("via") = std::vector<std::string>{},
           py::arg("avoid") = std::vector<std::string>{}, py::arg("modes") = py::none(),
           "Plan a shipment; returns the Itinerary JSON contract as a dict (Pareto options, fastest first).\n"
           "depart: ISO-8601 (default 2026-03-02T00:00Z); by: pareto, time, cost or co2; via: places in order;\n"
           "avoid: places or ISO country codes; modes: e.g. 'rail,ferry'. Raises KeyError for unknown places,\n"
           "ValueError for bad arguments or when no route exists.")
      .def("network_geojson", &Dataset::network_geojson, "The whole network as a GeoJSON FeatureCollection dict.");
}
