// Itineraries as one flat CSV for spreadsheets: a row per option, then a row
// per leg of it, told apart by the `record` column.
#include <fmt/format.h>

#include <cmath>

#include "caravan/present.h"
#include "csv.h"

namespace caravan {
namespace {

using detail::csv_field;

constexpr const char* kHeader =
    "record,option,leg,kind,from,to,depart,arrive,hours,km,cost,currency,cost_usd,co2_kg,link,service,crossing,"
    "border_crossings,gauge_changes,p50_hours,p80_hours,p95_hours,on_time_probability,most_reliable,note,"
    "mode_changes,generalized_cost_usd,traffic_class,product\n";

std::string hours(Duration d) { return fmt::format("{:.2f}", to_hours(d)); }
std::string usd(std::int64_t cents) { return fmt::format("{:.2f}", static_cast<double>(cents) / 100.0); }
std::string kg(std::int64_t grams) { return fmt::format("{:.3f}", static_cast<double>(grams) / 1000.0); }
// Empty when a share of the samples never arrived.
std::string quantile(double h) { return std::isfinite(h) ? fmt::format("{:.2f}", h) : ""; }

}  // namespace

std::string itineraries_to_csv(const NetworkView& view, const std::vector<Itinerary>& its) {
  const Network& net = view.network();
  std::string out = kHeader;
  auto id = [&](LocationIdx l) { return csv_field(net.locations[l].id); };
  for (std::size_t i = 0; i < its.size(); ++i) {
    const Itinerary& it = its[i];
    std::string crossings;
    for (CrossingIdx c : it.border_crossings) crossings += (crossings.empty() ? "" : ";") + net.crossings[c].id;
    std::string rel = ",,,";
    if (it.reliability) {
      const Reliability& r = *it.reliability;
      rel = quantile(r.p50_hours) + "," + quantile(r.p80_hours) + "," + quantile(r.p95_hours) + "," +
            (r.on_time_probability ? fmt::format("{:.4f}", *r.on_time_probability) : "");
    }
    out += fmt::format("option,{},,,{},{},{},{},{},{:.1f},,,{},{},,,,{},{},{},{},,{},{},,\n", i + 1,
                       it.legs.empty() ? "" : id(it.legs.front().from), it.legs.empty() ? "" : id(it.legs.back().to),
                       format_instant_utc(it.depart), format_instant_utc(it.arrive), hours(it.duration()), it.km.km(),
                       usd(it.cost_usd_cents), kg(it.co2_g), csv_field(crossings), it.gauge_changes, rel,
                       it.most_reliable ? "true" : "false", it.mode_changes, usd(it.generalized_cost_usd_cents));
    for (std::size_t k = 0; k < it.legs.size(); ++k) {
      const Leg& g = it.legs[k];
      const std::string service = g.service.valid() ? view.service(g.service).id : "";
      out +=
          fmt::format("leg,{},{},{},{},{},{},{},{},{:.1f},{},{},{},{},{},{},{},,,,,,,,{},,,{},{}\n", i + 1, k + 1,
                      g.kind_name(), id(g.from), id(g.to), format_instant_utc(g.depart), format_instant_utc(g.arrive),
                      hours(g.arrive - g.depart), g.km.km(), g.cost.major(), g.cost.currency.str(),
                      usd(g.cost_usd_cents), kg(g.co2_g), g.link.valid() ? csv_field(net.links[g.link].id) : "",
                      csv_field(service), g.crossing.valid() ? csv_field(net.crossings[g.crossing].id) : "",
                      csv_field(g.note), g.traffic_class ? to_string(*g.traffic_class) : "",
                      g.product.valid() ? csv_field(view.product(g.product).id) : "");
    }
  }
  return out;
}

}  // namespace caravan
