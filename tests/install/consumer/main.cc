// Plans a route with an installed caravan library, the request read by its
// request layer from name=value arguments (the fields `caravan route` passes
// it), and prints the first option's arrival, for comparison with the CLI.
//   consumer DATA_DIR NAME=VALUE...   e.g. from=xian to=tashkent by=time avoid=Kazakhstan
#include <iostream>
#include <string>

#include "caravan/load.h"
#include "caravan/request.h"
#include "caravan/route.h"
#include "caravan/units.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: consumer DATA_DIR NAME=VALUE...\n";
    return 2;
  }
  caravan::RequestFields fields;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto eq = arg.find('=');
    if (eq == std::string::npos) {
      std::cerr << "not NAME=VALUE: " << arg << "\n";
      return 2;
    }
    fields.push_back({arg.substr(0, eq), arg.substr(eq + 1), {}});
  }
  auto net = caravan::load_network(argv[1]);
  if (!net) {
    std::cerr << net.errors().front().to_string() << "\n";
    return 2;
  }
  auto request = caravan::parse_route_request(*net, fields, caravan::RequestContext{});
  if (!request) {
    std::cerr << request.errors().front().to_string() << "\n";
    return 2;
  }
  caravan::RouteIndex index(*net);
  caravan::Planner planner(index);
  auto its = planner.plan(request->query);
  if (!its) {
    std::cerr << its.errors().front().to_string() << "\n";
    return 1;
  }
  const caravan::Itinerary& it = its->front();
  std::cout << "arrive " << caravan::format_instant_utc(it.arrive) << ", " << it.legs.size() << " legs\n";
  return 0;
}
