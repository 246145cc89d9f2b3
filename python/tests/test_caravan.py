"""The Python module returns the same contracts as the CLI."""
import datetime
import json
import os
import subprocess
import unittest

import caravan

CLI = os.environ.get("CARAVAN_BINARY")


class DatasetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ds = caravan.Dataset()

    def test_resolves_names_and_aliases(self):
        self.assertEqual(self.ds.resolve("Xi'an"), "xian")
        self.assertEqual(self.ds.resolve("Alataw Pass"), self.ds.resolve("alashankou"))
        with self.assertRaises(KeyError) as e:
            self.ds.resolve("xiann")
        self.assertIn("nearest", str(e.exception))

    def test_route_follows_the_itinerary_contract(self):
        r = self.ds.route("xian", "tashkent", depart="2026-03-02T08:00+08:00", units=2, unit="FEU")
        self.assertEqual(r["query"]["from"], "xian")
        self.assertEqual(r["query"]["units"], 2)
        its = r["itineraries"]
        self.assertGreaterEqual(len(its), 1)
        hours = [it["hours"] for it in its]
        self.assertEqual(hours, sorted(hours), "fastest first")
        for it in its:
            self.assertAlmostEqual(sum(l["cost_usd"] for l in it["legs"]), it["cost_usd"], places=1)

    def test_single_objective_returns_one_option(self):
        r = self.ds.route("urumqi", "almaty", by="cost")
        self.assertEqual(len(r["itineraries"]), 1)

    def test_bad_arguments_raise(self):
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", unit="pallet")
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", modes="air")  # containers never fly

    def test_places_search_and_network(self):
        found = self.ds.places("tash", 3)
        self.assertTrue(any(p["id"] == "tashkent" for p in found))
        geo = self.ds.network_geojson()
        self.assertEqual(geo["type"], "FeatureCollection")
        self.assertGreater(len(geo["features"]), 100)

    def test_lists_the_datasets_scenarios(self):
        ids = [s["id"] for s in self.ds.scenarios()]
        self.assertIn("green-lanes", ids)
        self.assertIn("khorgos-closure", ids)
        self.assertEqual(ids, sorted(ids))
        self.assertTrue(all(s["measures"] >= 1 for s in self.ds.scenarios()))

    @unittest.skipUnless(CLI, "needs CARAVAN_BINARY")
    def test_route_with_scenario_and_deadline_is_what_the_cli_answers(self):
        args = dict(depart="2026-03-02T08:00+08:00", deadline="2026-03-09T00:00+05:00", samples=300, seed=7)
        got = self.ds.route("xian", "tashkent", scenarios=["green-lanes"], **args)
        scenario = os.path.join(os.environ["CARAVAN_DATA"], "scenarios", "green-lanes.toml")
        out = subprocess.run([CLI, "route", "xian", "tashkent", "--depart", args["depart"], "--deadline", args["deadline"],
                              "--samples", "300", "--seed", "7", "--scenario", scenario, "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        self.assertEqual(got, json.loads(out))
        self.assertEqual(got["query"]["scenarios"], ["green-lanes"])

    def test_deadline_brings_reliability_and_one_most_reliable_option(self):
        r = self.ds.route("xian", "tashkent", depart="2026-03-02T08:00+08:00", deadline="2026-03-09T00:00+05:00")
        for it in r["itineraries"]:
            rel = it["reliability"]
            self.assertEqual(rel["samples"], 1000)
            self.assertLessEqual(rel["p50_hours"], rel["p80_hours"])
            self.assertLessEqual(rel["p80_hours"], rel["p95_hours"])
            self.assertTrue(0 <= rel["on_time_probability"] <= 1)
        self.assertEqual(sum(1 for it in r["itineraries"] if it.get("most_reliable")), 1)

    def test_green_lanes_never_slow_the_fastest_option(self):
        base = self.ds.route("xian", "almaty", depart="2026-03-02T08:00+08:00", by="time")
        green = self.ds.route("xian", "almaty", depart="2026-03-02T08:00+08:00", by="time", scenarios=["green-lanes"])
        self.assertLessEqual(green["itineraries"][0]["hours"], base["itineraries"][0]["hours"])

    def test_matrix_pairs_agree_with_single_routes(self):
        places = ["xian", "almaty", "tashkent"]
        m = self.ds.matrix(places=places, depart="2026-03-02T00:00Z", samples=0)
        pairs = m["pairs"]
        self.assertEqual(len(pairs), 6)
        for p in pairs:
            # A matrix cell is the itinerary the generalized cost picks (its default).
            r = self.ds.route(p["from"], p["to"], depart="2026-03-02T00:00Z", by="generalized")
            self.assertEqual(p["hours"], r["itineraries"][0]["hours"], f"{p['from']} -> {p['to']}")
            self.assertEqual(p["generalized_cost_usd"], r["itineraries"][0]["generalized_cost_usd"])

    def test_compare_reports_changes_and_demand_weighted_means(self):
        c = self.ds.compare(["khorgos-closure"], places=["xian", "urumqi", "almaty", "tashkent"],
                            depart="2026-03-02T00:00Z", samples=0,
                            demand=[("xian", "almaty", 1000.0), ("urumqi", "tashkent", 500.0)])
        self.assertEqual(c["query"]["scenarios"], ["khorgos-closure"])
        self.assertEqual(len(c["pairs"]), 12)
        for p in c["pairs"]:
            if p["base"]["reachable"] and p["scenario"]["reachable"]:
                self.assertGreaterEqual(p["delta_generalized_cost_usd"], 0,
                                        "closing a crossing cannot make a pair's best generalized cost lower")
        self.assertIn("by_demand", c["means"])
        self.assertEqual(c["means"]["by_demand"]["weight"], 1500.0)

    @unittest.skipUnless(CLI, "needs CARAVAN_BINARY")
    def test_simulate_is_what_the_cli_reports(self):
        demand = os.path.join(os.environ["CARAVAN_DATA"], "demand.csv")
        got = self.ds.simulate(demand, start="2026-03-02T00:00Z", days=30, warmup=7, units=45, seed=3)
        out = subprocess.run([CLI, "simulate", "--demand", demand, "--start", "2026-03-02T00:00Z", "--days", "30",
                              "--warmup", "7", "--units", "45", "--seed", "3", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        self.assertEqual(got, json.loads(out))
        self.assertTrue(any(r["kind"] == "crossing" for r in got["resources"]))

    def test_simulate_takes_a_list_of_lanes_and_a_scenario(self):
        lanes = [("xian", "almaty", 200000.0)]
        base = self.ds.simulate(lanes, start="2026-03-02T00:00Z", days=30, warmup=0, units=45)
        cut = self.ds.simulate(lanes, start="2026-03-02T00:00Z", days=30, warmup=0, units=45,
                               scenarios=["khorgos-2024-exchange"])
        self.assertEqual(cut["query"]["scenarios"], ["khorgos-2024-exchange"])
        mean = lambda r: r["lanes"][0]["mean_hours"]
        self.assertGreaterEqual(mean(cut), mean(base), "less capacity at Khorgos cannot speed the lane up")
        with self.assertRaises(ValueError):
            self.ds.simulate(lanes, days=0)
        with self.assertRaises(ValueError):
            self.ds.simulate(lanes, by="pareto")

    def test_scenario_and_argument_errors_raise(self):
        with self.assertRaises(KeyError) as e:
            self.ds.route("xian", "tashkent", scenarios=["no-such-measure"])
        self.assertIn("green-lanes", str(e.exception))
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", depart="2026-03-02T00:00Z", deadline="2026-03-01T00:00Z")
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", cargo_tonnes=500)
        with self.assertRaises(ValueError):
            self.ds.compare([])
        with self.assertRaises(KeyError):
            self.ds.compare(["green-lanes"], demand=[("xian", "atlantis", 10.0)])
        with self.assertRaises(ValueError):
            self.ds.matrix(places=["xian"])

    def test_departure_defaults_to_the_next_whole_hour_as_in_the_cli(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        r = self.ds.route("urumqi", "almaty", by="time")
        after = datetime.datetime.now(datetime.timezone.utc)
        depart = datetime.datetime.fromisoformat(r["query"]["depart"].replace("Z", "+00:00"))
        hours = {(t.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)) for t in (before, after)}
        self.assertIn(depart, hours)

    def test_options_have_the_cli_names_and_older_names_still_work(self):
        a = self.ds.route("xian", "tashkent", depart="2026-03-02T08:00Z", by="time", mode="rail,road")
        b = self.ds.route("xian", "tashkent", depart="2026-03-02T08:00Z", by="time", modes=["rail", "road"])
        self.assertEqual(a, b)
        with self.assertRaises(ValueError) as e:
            self.ds.route("xian", "tashkent", colour="red")
        self.assertTrue(e.exception.args[0].startswith("colour: unknown option"))
        for bad in (float("inf"), float("nan"), 1e308, -5):
            with self.assertRaises(ValueError) as e:
                self.ds.route("xian", "tashkent", cargo_tonnes=bad)
            self.assertTrue(e.exception.args[0].startswith("cargo_tonnes: bad value"), e.exception.args[0])
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", samples=100000000)
        with self.assertRaises(ValueError):
            self.ds.route("xian", "tashkent", depart="")
        self.assertIn("cargo_tonnes: Cargo per container, tonnes", self.ds.route.__doc__)

    def test_bad_dataset_folder_raises(self):
        with self.assertRaises(ValueError):
            caravan.Dataset("/nonexistent")


if __name__ == "__main__":
    unittest.main()
