// Plans the fastest route with an installed caravan library and prints its
// arrival, for comparison with `caravan route --by time`.
//   consumer DATA_DIR FROM TO DEPART
#include <iostream>

#include "caravan/load.h"
#include "caravan/places.h"
#include "caravan/route.h"
#include "caravan/units.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: consumer DATA_DIR FROM TO DEPART\n";
    return 2;
  }
  auto net = caravan::load_network(argv[1]);
  if (!net) {
    std::cerr << net.errors().front().to_string() << "\n";
    return 2;
  }
  auto from = caravan::resolve_place(*net, argv[2]);
  auto to = caravan::resolve_place(*net, argv[3]);
  auto depart = caravan::parse_instant(argv[4]);
  if (!from || !to || !depart) {
    std::cerr << "bad place or departure\n";
    return 2;
  }
  caravan::RouteIndex index(*net);
  caravan::Planner planner(index);
  caravan::RouteQuery q;
  q.from = *from;
  q.to = *to;
  q.depart = *depart;
  q.objective = caravan::Objective::kTime;
  auto its = planner.plan(q);
  if (!its) {
    std::cerr << its.errors().front().to_string() << "\n";
    return 1;
  }
  const caravan::Itinerary& it = its->front();
  std::cout << "arrive " << caravan::format_instant_utc(it.arrive) << ", " << it.legs.size() << " legs\n";
  return 0;
}
