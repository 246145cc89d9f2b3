"""The Python module returns the same contracts as the CLI."""
import unittest

import caravan


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
            self.ds.route("xian", "tashkent", modes="air")  # no route by air alone from a rail terminal

    def test_places_search_and_network(self):
        found = self.ds.places("tash", 3)
        self.assertTrue(any(p["id"] == "tashkent" for p in found))
        geo = self.ds.network_geojson()
        self.assertEqual(geo["type"], "FeatureCollection")
        self.assertGreater(len(geo["features"]), 100)

    def test_bad_dataset_folder_raises(self):
        with self.assertRaises(ValueError):
            caravan.Dataset("/nonexistent")


if __name__ == "__main__":
    unittest.main()
