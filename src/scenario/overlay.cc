// The Overlay: base network plus the patches of an ordered list of scenarios,
// read through a NetworkView whose tables point at the base rows or at the
// patched copies held here.
#include <algorithm>

#include "caravan/scenario.h"

namespace caravan {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

// Patched copies by base index, and added services. std::unordered_map keeps
// its elements in place, so the view's pointers stay valid.
struct Overlay::Patches {
  std::unordered_map<std::uint32_t, Location> locations;
  std::unordered_map<std::uint32_t, Link> links;
  std::unordered_map<std::uint32_t, Crossing> crossings;
  std::unordered_map<std::uint32_t, Service> services;
  std::unordered_map<std::uint32_t, RailProduct> products;
  std::vector<Service> added;  // index base count + k; reserved before pointers are taken
};

Overlay::Overlay() = default;
Overlay::Overlay(Overlay&&) noexcept = default;
Overlay& Overlay::operator=(Overlay&&) noexcept = default;
Overlay::~Overlay() = default;

Result<Overlay> Overlay::build(const Network& net, const std::vector<Scenario>& scenarios) {
  Overlay o;
  o.p_ = std::make_unique<Patches>();
  o.view_ = std::make_unique<NetworkView>(net);
  Patches& p = *o.p_;
  NetworkView& v = *o.view_;
  Errors errors;
  // The patched copy of an entity, made on first write.
  auto patch = [](auto& map, std::uint32_t i, const auto& base) -> auto& {
    auto it = map.find(i);
    if (it == map.end()) it = map.emplace(i, base).first;
    return it->second;
  };
  auto location = [&](LocationIdx l) -> Location& { return patch(p.locations, l.v, net.locations[l]); };
  auto crossing = [&](CrossingIdx c) -> Crossing& { return patch(p.crossings, c.v, net.crossings[c]); };
  auto link = [&](LinkIdx l) -> Link& { return patch(p.links, l.v, net.links[l]); };
  auto product = [&](ProductIdx q) -> RailProduct& { return patch(p.products, q.v, net.products[q]); };
  auto service = [&](ServiceIdx s) -> Service& {
    if (s.v >= net.services.size()) return p.added[s.v - net.services.size()];
    return patch(p.services, s.v, net.services[s]);
  };
  // Classes a measure with an optional class touches.
  auto classes_of = [](std::optional<TrafficClass> cls) {
    std::vector<int> out;
    for (int k = 0; k < kTrafficClasses; ++k) {
      if (!cls || static_cast<int>(*cls) == k) out.push_back(k);
    }
    return out;
  };
  auto mark_clearance = [&](CrossingIdx c, int k) {
    if (v.clearance_set_.empty())
      v.clearance_set_.assign(static_cast<std::size_t>(net.crossings.size()) * kTrafficClasses, 0);
    v.clearance_set_[c.v * kTrafficClasses + static_cast<std::uint32_t>(k)] = 1;
  };
  // Service distances follow the links in force; the adjacency is built only
  // when a scenario adds a service.
  std::vector<std::vector<LinkIdx>> outgoing;
  auto link_in_force = [&](LinkIdx li) -> const Link& {
    auto it = p.links.find(li.v);
    return it == p.links.end() ? net.links[li] : it->second;
  };
  auto crossing_in_force = [&](CrossingIdx c) -> const Crossing& {
    auto it = p.crossings.find(c.v);
    return it == p.crossings.end() ? net.crossings[c] : it->second;
  };
  auto has_port_crossing = [&](LocationIdx a, LocationIdx b, Mode m) {
    for (const Crossing& c : net.crossings) {
      if (c.exit == a && c.entry == b && c.mode == m) return true;
    }
    return false;
  };
  std::size_t adds = 0;
  for (const Scenario& sc : scenarios) {
    for (const Measure& m : sc.measures) adds += std::holds_alternative<AddService>(m.action) ? 1 : 0;
  }
  p.added.reserve(adds);

  for (const Scenario& sc : scenarios) {
    v.scenario_ids_.push_back(sc.id);
    for (const Measure& m : sc.measures) {
      auto fail = [&](std::string message) { errors.push_back(Error::at(m.file, m.line, "", std::move(message))); };
      std::visit(Overloaded{
                     [&](const SetClearance& a) {
                       Crossing& c = crossing(a.crossing);
                       if (!a.cls) {
                         c.clearance_median = a.median;
                         c.clearance_p90 = a.p90;
                       }
                       for (int k : classes_of(a.cls)) {
                         c.classes[k].clearance_median = a.median;
                         c.classes[k].clearance_p90 = a.p90;
                         mark_clearance(a.crossing, k);
                       }
                     },
                     [&](const SetHours& a) {
                       Crossing& c = crossing(a.crossing);
                       if (!a.cls) {
                         if (a.exit_open) c.exit_open = *a.exit_open;
                         if (a.entry_open) c.entry_open = *a.entry_open;
                       }
                       for (int k : classes_of(a.cls)) {
                         if (a.exit_open) c.classes[k].exit_open = *a.exit_open;
                         if (a.entry_open) c.classes[k].entry_open = *a.entry_open;
                       }
                     },
                     [&](const OpenLink& a) { link(a.link).status = LinkStatus::kOpen; },
                     [&](const CloseLink& a) { link(a.link).status = LinkStatus::kClosed; },
                     [&](const OpenCrossing& a) { crossing(a.crossing).status = LinkStatus::kOpen; },
                     [&](const CloseLocation& a) {
                       auto& w = v.location_closures_[a.location.v];
                       w.push_back({a.from, a.until});
                       std::sort(w.begin(), w.end(),
                                 [](const ClosureWindow& x, const ClosureWindow& y) { return x.from < y.from; });
                     },
                     [&](const CloseCrossing& a) {
                       auto& w = v.crossing_closures_[a.crossing.v];
                       w.push_back({a.cls, a.from, a.until});
                       std::sort(w.begin(), w.end(),
                                 [](const ClassClosure& x, const ClassClosure& y) { return x.from < y.from; });
                     },
                     [&](const AddService& a) {
                       Service s = a.service;
                       for (const Service& other : p.added) {
                         if (other.id == s.id)
                           return fail("duplicate service \"" + s.id + "\" (expected an id not added before)");
                       }
                       if (s.stops.size() > kMaxServiceStops) {
                         return fail("service " + s.id + ": " + std::to_string(s.stops.size()) +
                                     " stops (expected at most " + std::to_string(kMaxServiceStops) + ")");
                       }
                       s.stop_km.assign(1, Distance{0});
                       s.stop_co2_g_per_t.assign(1, 0);
                       for (std::size_t i = 0; i + 1 < s.stops.size(); ++i) {
                         const Location& x = net.locations[s.stops[i]];
                         const Location& y = net.locations[s.stops[i + 1]];
                         if (x.country != y.country && s.mode == Mode::kRail) {
                           CrossingIdx c = find_rail_crossing(net, s.stops[i], s.stops[i + 1]);
                           if (!c.valid() || crossing_in_force(c).status != LinkStatus::kOpen) {
                             return fail("service " + s.id + " crosses from " + x.id + " to " + y.id +
                                         " (expected consecutive stops in two countries to be the exit and entry of an "
                                         "open rail crossing)");
                           }
                           s.stop_km.push_back(s.stop_km.back());
                           s.stop_co2_g_per_t.push_back(s.stop_co2_g_per_t.back());
                           continue;
                         }
                         if (x.country != y.country && !has_port_crossing(s.stops[i], s.stops[i + 1], s.mode)) {
                           return fail("service " + s.id + ": no crossing from " + x.id + " to " + y.id +
                                       " (expected a crossings.csv row with that exit, entry and mode)");
                         }
                         if (outgoing.empty()) outgoing = outgoing_links(net);
                         auto path =
                             shortest_link_path(net, outgoing, link_in_force, s.stops[i], s.stops[i + 1], s.mode);
                         if (!path) {
                           return fail("service " + s.id + ": no open " + std::string(to_string(s.mode)) +
                                       " link path from " + x.id + " to " + y.id +
                                       " (expected stops joined by open links of its mode)");
                         }
                         s.stop_km.push_back(s.stop_km.back() + path->km);
                         s.stop_co2_g_per_t.push_back(s.stop_co2_g_per_t.back() + path->co2_g_per_t);
                       }
                       for (const std::string& id : m.sources) {
                         auto it = net.source_by_id.find(id);
                         if (it != net.source_by_id.end()) s.sources.push_back(it->second);
                       }
                       p.added.push_back(std::move(s));
                     },
                     [&](const SetFrequency& a) {
                       Service& s = service(a.service);
                       s.weekdays = a.weekdays;
                       if (a.depart_local_s) s.depart_local_s = *a.depart_local_s;
                     },
                     [&](const SetPunctuality& a) {
                       v.punctuality_[a.service.v] = {a.delay_median, a.delay_p90};
                     },
                     [&](const SetCapacity& a) {
                       if (a.crossing.valid()) crossing(a.crossing).capacity_teu_per_day = a.capacity;
                       if (a.link.valid()) link(a.link).capacity_teu_per_day = a.capacity;
                       if (a.service.valid()) service(a.service).capacity_teu = a.capacity;
                     },
                     [&](const SetPortDwell& a) {
                       Location& l = location(a.location);
                       l.port_dwell_median = a.median;
                       l.port_dwell_p90 = a.p90;
                     },
                     [&](const SetTariff& a) {
                       if (a.link.valid()) {
                         Link& k = link(a.link);
                         if (a.tariff_per_teu_km) k.tariff_per_teu_km = *a.tariff_per_teu_km;
                         if (a.per_teu) k.tariff_per_teu = *a.per_teu;
                       }
                       if (a.service.valid()) {
                         Service& s = service(a.service);
                         if (a.per_teu) s.tariff_per_teu = *a.per_teu;
                         if (a.per_feu) s.tariff_per_feu = *a.per_feu;
                       }
                       if (a.product.valid()) {
                         RailProduct& q = product(a.product);
                         if (a.tariff_per_teu_km) q.tariff_per_teu_km = *a.tariff_per_teu_km;
                         if (a.tariff_per_teu_km_eastbound)
                           q.tariff_per_teu_km_eastbound = *a.tariff_per_teu_km_eastbound;
                       }
                       if (a.crossing.valid()) {
                         Crossing& c = crossing(a.crossing);
                         if (a.cost) c.cost = *a.cost;
                         if (a.cost_feu) c.cost_feu = *a.cost_feu;
                         // A fee measure sets every class's fee.
                         for (CrossingTerms& t : c.classes) {
                           if (a.cost) {
                             t.cost = *a.cost;
                             if (!a.cost_feu) t.cost_feu = Money{a.cost->minor * 2, a.cost->currency};
                           }
                           if (a.cost_feu) t.cost_feu = *a.cost_feu;
                         }
                         if (a.gauge_change_cost) c.gauge_change_cost_per_teu = *a.gauge_change_cost;
                         if (a.gauge_change_cost_feu) c.gauge_change_cost_feu = *a.gauge_change_cost_feu;
                       }
                     },
                     [&](const SetFx& a) { v.fx_.set(a.currency, a.per_usd); },
                 },
                 m.action);
    }
  }
  if (!errors.empty()) return errors;

  // Point the view at the patched copies.
  for (auto& [i, l] : p.locations) v.locations_[i] = &l;
  for (auto& [i, k] : p.links) v.links_[i] = &k;
  for (auto& [i, c] : p.crossings) v.crossings_[i] = &c;
  for (auto& [i, q] : p.products) v.products_[i] = &q;
  // Services running through a border take their timetable from the
  // block-train terms in force; re-derive it for every such service.
  for (ServiceIdx s : net.services.indexes()) {
    if (!net.services[s].borders.empty() || p.services.count(s.v)) {
      Service& x = service(s);
      schedule_service(x, net, crossing_in_force);
    }
  }
  for (Service& s : p.added) schedule_service(s, net, crossing_in_force);
  for (auto& [i, s] : p.services) v.services_[i] = &s;
  for (const Service& s : p.added) v.services_.push_back(&s);
  return o;
}

}  // namespace caravan
