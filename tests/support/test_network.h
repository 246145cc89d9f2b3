// Builds small datasets in memory for tests: the caller writes only the rows
// that matter; sources, FX, emission factors and the ISO box figures get
// fixed defaults. Other files of ADR 0500 (rail products, trucking, …) are
// added with `with()`.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "caravan/load.h"
#include "caravan/route.h"

namespace caravan::testing {

inline const char* kLocationsHeader =
    "id,name,aliases,country,kind,lat,lon,timezone,transfer_hours,handling_cost,currency,source\n";
inline const char* kLinksHeader =
    "id,from,to,mode,km,gauge_mm,speed_kmh,tariff_per_unit_km,tariff_per_unit,currency,co2_g_per_tkm,"
    "capacity_units_per_day,bidirectional,status,source\n";
inline const char* kCrossingsHeader =
    "id,exit,entry,mode,clearance_median_h,clearance_p90_h,cost,currency,exit_open,entry_open,gauge_change,"
    "gauge_change_h,gauge_change_cost_per_unit,capacity_per_day,source\n";
inline const char* kServicesHeader =
    "id,name,mode,operator,stops,days,depart_local,stop_offsets_h,capacity_units,tariff_per_unit,currency,source\n";
inline const char* kRailProductsHeader =
    "id,name,railway,countries,formation_median_h,formation_p90_h,yard_dwell_h,yard_spacing_km,tariff_per_teu_km,"
    "tariff_per_teu_km_eastbound,feu_factor,currency,source\n";
inline const char* kTruckingHeader =
    "country,per_truck_km,per_truck_km_eastbound,currency,max_gross_kg,truck_tare_kg,source\n";
inline const char* kCrossingClassesHeader =
    "crossing,class,clearance_median_h,clearance_p90_h,exit_open,entry_open,cost,cost_feu,currency,source\n";
inline const char* kClosuresHeader = "crossing,class,from,until,note,source\n";
inline const char* kFaresHeader = "service,from,to,tariff_per_unit,tariff_per_feu,currency,source\n";
inline const char* kAirRatesHeader = "service,min_kg,per_kg,min_charge,currency,source\n";
inline const char* kEmptyReturnHeader = "country,unit,cost,currency,source\n";

/// ISO 668 maximum gross (30,480 kg) with typical tares.
inline const char* kEquipment =
    "unit,name,teu,tare_kg,max_gross_kg,source\n"
    "TEU,20-ft dry,1,2200,30480,t\nFEU,40-ft dry,2,3750,30480,t\nFEU_HC,40-ft high-cube,2,3900,30480,t\n";

/// A free, instant on-demand rail product in each of `countries` (`KZ;CN`),
/// so that rail links carry boxes at any hour as they did before ADR 0500.
inline std::string permissive_products(const std::string& countries, double tariff_per_teu_km = 0,
                                       const std::string& currency = "USD") {
  std::string out = kRailProductsHeader;
  std::size_t start = 0;
  while (start < countries.size()) {
    std::size_t end = countries.find(';', start);
    if (end == std::string::npos) end = countries.size();
    std::string c = countries.substr(start, end - start);
    out += c + "-wagons,Wagons " + c + ",Railway " + c + "," + c + ",0,0,,," + std::to_string(tariff_per_teu_km) +
           ",,2," + currency + ",t\n";
    start = end + 1;
  }
  return out;
}

/// Dataset files with the given bodies (rows without headers).
inline DatasetFiles make_files(const std::string& locations, const std::string& links,
                               const std::string& crossings = "", const std::string& services = "") {
  DatasetFiles f;
  f.text["dataset.toml"] = "name = \"test\"\nversion = \"1\"\nfx_date = \"2025-01-15\"\n";
  f.text["sources.csv"] =
      "id,kind,title,publisher,url,published,note\nt,estimate,test figures,tests,,2026,made up for a test\n";
  f.text["fx.csv"] = "currency,per_usd,date,source\nUSD,1,2025-01-15,t\nCNY,8,2025-01-15,t\nKZT,500,2025-01-15,t\n";
  f.text["emission_factors.csv"] =
      "mode,traction,g_co2e_per_tkm,source\nrail,average,20,t\nroad,average,100,t\nferry,average,50,t\nsea,average,10,"
      "t\nair,average,600,t\n";
  f.text["locations.csv"] = kLocationsHeader + locations;
  f.text["links.csv"] = kLinksHeader + links;
  f.text["crossings.csv"] = kCrossingsHeader + crossings;
  f.text["services.csv"] = kServicesHeader + services;
  f.text["equipment.csv"] = kEquipment;
  return f;
}

/// `f` with one more file (its full text, header included).
inline DatasetFiles with(DatasetFiles f, const std::string& name, const std::string& text) {
  f.text[name] = text;
  return f;
}

/// "road a>b, wait b, …": the kinds and places of an itinerary's legs, for compact asserts.
inline std::string leg_summary(const Network& net, const Itinerary& it) {
  std::string out;
  for (const Leg& g : it.legs) {
    if (!out.empty()) out += ", ";
    out += std::string(g.kind_name()) + " " + net.locations[g.from].id;
    if (g.to != g.from) out += ">" + net.locations[g.to].id;
  }
  return out;
}

/// Loads and fails the test with every error when the dataset does not load.
inline Network load_or_fail(const DatasetFiles& f) {
  auto net = load_network(f);
  EXPECT_TRUE(net.ok()) << (net.ok() ? "" : to_string(net.errors()));
  if (!net.ok()) return Network{};
  return std::move(net).value();
}

}  // namespace caravan::testing
