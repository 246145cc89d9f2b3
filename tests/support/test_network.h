// Builds small datasets in memory for tests: the caller writes only the rows
// that matter; sources, FX and emission factors get fixed defaults.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "caravan/load.h"

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

/// Dataset files with the given bodies (rows without headers).
inline DatasetFiles make_files(const std::string& locations, const std::string& links, const std::string& crossings = "",
                               const std::string& services = "") {
  DatasetFiles f;
  f.text["dataset.toml"] = "name = \"test\"\nversion = \"1\"\nfx_date = \"2025-01-15\"\n";
  f.text["sources.csv"] = "id,kind,title,publisher,url,published,note\nt,estimate,test figures,tests,,2026,made up for a test\n";
  f.text["fx.csv"] = "currency,per_usd,date,source\nUSD,1,2025-01-15,t\nCNY,8,2025-01-15,t\nKZT,500,2025-01-15,t\n";
  f.text["emission_factors.csv"] =
      "mode,traction,g_co2e_per_tkm,source\nrail,average,20,t\nroad,average,100,t\nferry,average,50,t\nsea,average,10,t\nair,average,600,t\n";
  f.text["locations.csv"] = kLocationsHeader + locations;
  f.text["links.csv"] = kLinksHeader + links;
  f.text["crossings.csv"] = kCrossingsHeader + crossings;
  f.text["services.csv"] = kServicesHeader + services;
  return f;
}

/// Loads and fails the test with every error when the dataset does not load.
inline Network load_or_fail(const DatasetFiles& f) {
  auto net = load_network(f);
  EXPECT_TRUE(net.ok()) << (net.ok() ? "" : to_string(net.errors()));
  if (!net.ok()) return Network{};
  return std::move(net).value();
}

}  // namespace caravan::testing
