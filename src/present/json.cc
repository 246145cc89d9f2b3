#include <cmath>

#include "caravan/present.h"
#include "json_writer.h"

namespace caravan {
namespace {

using detail::JsonWriter;

// Rounds to a decimal step (0.1, 0.01, …); dividing by the integer 1/step keeps 0.5961 from printing as
// 0.5961000000000001.
double round_to(double v, double step) { return std::round(v / step) / std::round(1.0 / step); }
double usd(std::int64_t cents) { return static_cast<double>(cents) / 100.0; }
double hours_of(Duration d) { return round_to(to_hours(d), 0.01); }

// Hours, rounded; null when infinite (cargo that never arrives).
void hours_value(JsonWriter& w, double h) {
  if (!std::isfinite(h))
    w.null();
  else
    w.number(round_to(h, 0.01));
}

// The members of one leg, inside an object the caller opened.
void leg_members(JsonWriter& w, const NetworkView& view, const Leg& g) {
  const Network& net = view.network();
  w.key("kind").string(g.kind_name());
  w.key("from").string(net.locations[g.from].id);
  w.key("to").string(net.locations[g.to].id);
  w.key("depart").string(format_instant_utc(g.depart));
  w.key("arrive").string(format_instant_utc(g.arrive));
  w.key("hours").number(hours_of(g.arrive - g.depart));
  w.key("km").number(round_to(g.km.km(), 0.1));
  w.key("cost")
      .begin_object()
      .key("amount")
      .number(g.cost.major())
      .key("currency")
      .string(g.cost.currency.str())
      .end_object();
  w.key("cost_usd").number(usd(g.cost_usd_cents));
  w.key("co2_kg").number(round_to(static_cast<double>(g.co2_g) / 1000.0, 0.001));
  if (g.link.valid()) w.key("link").string(net.links[g.link].id);
  if (g.service.valid()) w.key("service").string(view.service(g.service).id);
  if (g.crossing.valid()) w.key("crossing").string(net.crossings[g.crossing].id);
  if (g.traffic_class) w.key("traffic_class").string(to_string(*g.traffic_class));
  if (g.product.valid()) w.key("product").string(view.product(g.product).id);
  if (!g.note.empty()) w.key("note").string(g.note);
  w.key("sources").begin_array();
  for (SourceIdx s : g.sources) w.string(net.sources[s].id);
  w.end_array();
}

}  // namespace

std::string itineraries_to_json(const NetworkView& view, const QueryEcho& echo, const std::vector<Itinerary>& its,
                                int indent) {
  const Network& net = view.network();
  const RouteQuery& q = echo.query;
  JsonWriter w(indent);
  w.begin_object();
  w.key("query").begin_object();
  w.key("from").string(net.locations[q.from].id);
  w.key("to").string(net.locations[q.to].id);
  w.key("depart").string(format_instant_utc(q.depart));
  w.key("units").integer(q.units);
  w.key("unit").string(to_string(q.unit));
  w.key("by").string(to_string(q.objective));
  if (echo.deadline) w.key("deadline").string(format_instant_utc(*echo.deadline));
  w.key("scenarios").begin_array();
  for (const std::string& s : echo.scenarios) w.string(s);
  w.end_array();
  w.key("via").begin_array();
  for (LocationIdx v : q.via) w.string(net.locations[v].id);
  w.end_array();
  w.key("cargo_tonnes").number(q.cargo_mass().tonnes());
  if (is_container(q.unit)) w.key("equipment").string(to_string(q.equipment));
  w.key("value_of_time_usd")
      .number(q.value_of_time_usd    ? *q.value_of_time_usd
              : is_container(q.unit) ? net.info.value_of_time_usd_per_box_hour
                                     : net.info.value_of_time_usd_per_tonne_hour);
  if (!is_container(q.unit)) w.key("chargeable_kg").integer(q.chargeable_mass().kg);
  w.end_object();
  w.key("dataset").begin_object();
  w.key("name").string(net.info.name).key("version").string(net.info.version).key("fx_date").string(net.info.fx_date);
  w.end_object();
  w.key("itineraries").begin_array();
  for (const Itinerary& it : its) {
    w.begin_object();
    w.key("depart").string(format_instant_utc(it.depart));
    w.key("arrive").string(format_instant_utc(it.arrive));
    w.key("hours").number(hours_of(it.duration()));
    w.key("km").number(round_to(it.km.km(), 0.1));
    w.key("cost_usd").number(usd(it.cost_usd_cents));
    w.key("co2_kg").number(round_to(static_cast<double>(it.co2_g) / 1000.0, 0.001));
    w.key("cost_by_currency").begin_array();
    for (const Money& m : it.cost_by_currency.items()) {
      w.begin_object().key("currency").string(m.currency.str()).key("amount").number(m.major()).end_object();
    }
    w.end_array();
    w.key("border_crossings").begin_array();
    for (CrossingIdx c : it.border_crossings) w.string(net.crossings[c].id);
    w.end_array();
    w.key("gauge_changes").integer(it.gauge_changes);
    w.key("mode_changes").integer(it.mode_changes);
    w.key("generalized_cost_usd").number(usd(it.generalized_cost_usd_cents));
    if (it.reliability) {
      const Reliability& r = *it.reliability;
      w.key("reliability").begin_object();
      w.key("samples").integer(r.samples);
      w.key("p5_hours");
      hours_value(w, r.p5_hours);
      w.key("p10_hours");
      hours_value(w, r.p10_hours);
      w.key("p50_hours");
      hours_value(w, r.p50_hours);
      w.key("p80_hours");
      hours_value(w, r.p80_hours);
      w.key("p95_hours");
      hours_value(w, r.p95_hours);
      w.key("on_time_probability");
      if (r.on_time_probability)
        w.number(round_to(*r.on_time_probability, 0.0001));
      else
        w.null();
      if (r.never_arrived > 0) w.key("never_arrived").integer(r.never_arrived);
      w.end_object();
    }
    if (it.most_reliable) w.key("most_reliable").boolean(true);
    w.key("legs").begin_array();
    for (const Leg& g : it.legs) {
      w.begin_object();
      leg_members(w, view, g);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

std::string itineraries_to_geojson(const NetworkView& view, const std::vector<Itinerary>& its, int indent) {
  const Network& net = view.network();
  JsonWriter w(indent);
  w.begin_object();
  w.key("type").string("FeatureCollection");
  w.key("features").begin_array();
  for (std::size_t k = 0; k < its.size(); ++k) {
    for (const Leg& g : its[k].legs) {
      const Location& a = net.locations[g.from];
      const Location& b = net.locations[g.to];
      w.begin_object();
      w.key("type").string("Feature");
      w.key("geometry").begin_object();
      if (g.from != g.to) {
        w.key("type").string("LineString").key("coordinates").begin_array();
        w.begin_array().number(a.lon).number(a.lat).end_array();
        w.begin_array().number(b.lon).number(b.lat).end_array();
        w.end_array();
      } else {
        w.key("type").string("Point").key("coordinates").begin_array().number(a.lon).number(a.lat).end_array();
      }
      w.end_object();
      w.key("properties").begin_object();
      leg_members(w, view, g);
      w.key("option").integer(static_cast<std::int64_t>(k + 1));
      w.key("from_name").string(a.name);
      w.key("to_name").string(b.name);
      w.end_object();
      w.end_object();
    }
  }
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

}  // namespace caravan
