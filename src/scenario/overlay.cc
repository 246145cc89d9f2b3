// The Overlay: base network plus the patches of an ordered list of scenarios.
#include <algorithm>

#include "caravan/scenario.h"

namespace caravan {
namespace {

const std::vector<ClosureWindow> kNoClosures;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

Overlay::Overlay(const Network& net) : net_(&net), fx_(net.fx) {}

const Crossing& Overlay::crossing(CrossingIdx c) const {
  auto it = crossings_.find(c.v);
  return it == crossings_.end() ? net_->crossings[c] : it->second;
}

bool Overlay::clearance_set(CrossingIdx c) const { return clearance_set_.count(c.v) != 0; }

const Link& Overlay::link(LinkIdx l) const {
  auto it = links_.find(l.v);
  return it == links_.end() ? net_->links[l] : it->second;
}

const Service& Overlay::service(ServiceIdx s) const {
  if (s.v >= net_->services.size()) return added_[s.v - net_->services.size()];
  auto it = services_.find(s.v);
  return it == services_.end() ? net_->services[s] : it->second;
}

std::optional<std::pair<Duration, Duration>> Overlay::punctuality(ServiceIdx s) const {
  auto it = punctuality_.find(s.v);
  if (it == punctuality_.end()) return std::nullopt;
  return it->second;
}

const std::vector<ClosureWindow>& Overlay::closures(LocationIdx l) const {
  auto it = closures_.find(l.v);
  return it == closures_.end() ? kNoClosures : it->second;
}

Result<Overlay> Overlay::build(const Network& net, const std::vector<Scenario>& scenarios) {
  Overlay o(net);
  Errors errors;
  auto crossing = [&](CrossingIdx c) -> Crossing& {
    auto it = o.crossings_.find(c.v);
    if (it == o.crossings_.end()) it = o.crossings_.emplace(c.v, net.crossings[c]).first;
    return it->second;
  };
  auto link = [&](LinkIdx l) -> Link& {
    auto it = o.links_.find(l.v);
    if (it == o.links_.end()) it = o.links_.emplace(l.v, net.links[l]).first;
    return it->second;
  };
  auto service = [&](ServiceIdx s) -> Service& {
    auto it = o.services_.find(s.v);
    if (it == o.services_.end()) it = o.services_.emplace(s.v, net.services[s]).first;
    return it->second;
  };
  // Service distances follow the links in force, with this overlay's patches;
  // the adjacency is built only when a scenario adds a service.
  std::vector<std::vector<LinkIdx>> outgoing;
  auto link_in_force = [&o](LinkIdx li) -> const Link& { return o.link(li); };
  auto has_port_crossing = [&](LocationIdx a, LocationIdx b, Mode m) {
    for (const Crossing& c : net.crossings) {
      if (c.exit == a && c.entry == b && c.mode == m) return true;
    }
    return false;
  };

  for (const Scenario& sc : scenarios) {
    o.scenario_ids_.push_back(sc.id);
    for (const Measure& m : sc.measures) {
      auto fail = [&](std::string message) { errors.push_back(Error::at(m.file, m.line, "", std::move(message))); };
      std::visit(Overloaded{
                     [&](const SetClearance& a) {
                       Crossing& c = crossing(a.crossing);
                       c.clearance_median = a.median;
                       c.clearance_p90 = a.p90;
                       o.clearance_set_[a.crossing.v] = true;
                     },
                     [&](const SetHours& a) {
                       Crossing& c = crossing(a.crossing);
                       if (a.exit_open) c.exit_open = *a.exit_open;
                       if (a.entry_open) c.entry_open = *a.entry_open;
                     },
                     [&](const OpenLink& a) { link(a.link).status = LinkStatus::kOpen; },
                     [&](const CloseLink& a) { link(a.link).status = LinkStatus::kClosed; },
                     [&](const CloseLocation& a) {
                       auto& v = o.closures_[a.location.v];
                       v.push_back({a.from, a.until});
                       std::sort(v.begin(), v.end(),
                                 [](const ClosureWindow& x, const ClosureWindow& y) { return x.from < y.from; });
                     },
                     [&](const AddService& a) {
                       Service s = a.service;
                       for (const Service& other : o.added_) {
                         if (other.id == s.id)
                           return fail("duplicate service \"" + s.id + "\" (expected an id not added before)");
                       }
                       s.stop_km.assign(1, Distance{0});
                       s.stop_co2_g_per_t.assign(1, 0);
                       for (std::size_t i = 0; i + 1 < s.stops.size(); ++i) {
                         const Location& x = net.locations[s.stops[i]];
                         const Location& y = net.locations[s.stops[i + 1]];
                         if (x.country != y.country) {
                           if (s.mode == Mode::kRail || s.mode == Mode::kRoad) {
                             return fail("service " + s.id + " crosses from " + x.id + " to " + y.id +
                                         " (expected rail and road services to stay within one country)");
                           }
                           if (!has_port_crossing(s.stops[i], s.stops[i + 1], s.mode)) {
                             return fail("service " + s.id + ": no crossing from " + x.id + " to " + y.id +
                                         " (expected a crossings.csv row with that exit, entry and mode)");
                           }
                         }
                         if (outgoing.empty()) outgoing = outgoing_links(net);
                         auto path = shortest_link_path(net, outgoing, link_in_force, s.stops[i], s.stops[i + 1], s.mode);
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
                       o.added_.push_back(std::move(s));
                     },
                     [&](const SetFrequency& a) {
                       Service& s = service(a.service);
                       s.weekdays = a.weekdays;
                       if (a.depart_local_s) s.depart_local_s = *a.depart_local_s;
                     },
                     [&](const SetPunctuality& a) {
                       o.punctuality_[a.service.v] = {a.delay_median, a.delay_p90};
                     },
                     [&](const SetCapacity& a) {
                       if (a.crossing.valid()) crossing(a.crossing).capacity_teu_per_day = a.capacity;
                       if (a.link.valid()) link(a.link).capacity_teu_per_day = a.capacity;
                       if (a.service.valid()) service(a.service).capacity_teu = a.capacity;
                     },
                     [&](const SetTariff& a) {
                       if (a.link.valid()) {
                         Link& k = link(a.link);
                         if (a.tariff_per_teu_km) k.tariff_per_teu_km = *a.tariff_per_teu_km;
                         if (a.per_teu) k.tariff_per_teu = *a.per_teu;
                       }
                       if (a.service.valid() && a.per_teu) service(a.service).tariff_per_teu = *a.per_teu;
                       if (a.crossing.valid()) {
                         Crossing& c = crossing(a.crossing);
                         if (a.cost) c.cost = *a.cost;
                         if (a.gauge_change_cost) c.gauge_change_cost_per_teu = *a.gauge_change_cost;
                       }
                     },
                     [&](const SetFx& a) { o.fx_.set(a.currency, a.per_usd); },
                 },
                 m.action);
    }
  }
  if (!errors.empty()) return errors;
  return o;
}

}  // namespace caravan
