"""One request, three front doors: the CLI, the HTTP API and the Python module
take the same options under the same names, give the same JSON for the same
request, and refuse the same values, naming the same option.

Starts `caravan serve` on 127.0.0.1 (a free port) for the duration of the tests.
"""
import json
import os
import re
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import caravan

CLI = os.environ.get("CARAVAN_BINARY")
DATA = os.environ.get("CARAVAN_DATA")
SCENARIOS = os.path.join(DATA or "", "scenarios")


def minified(text):
    """JSON text without the whitespace between tokens: pretty and compact output of one writer compare equal."""
    out, in_string, escaped = [], False, False
    for c in text:
        if in_string:
            out.append(c)
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif c not in " \n\r\t":
            out.append(c)
    return "".join(out)


NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


def json_value(v):
    """Numbers as JSON numbers, as a client would send them; anything else as it is."""
    if isinstance(v, str) and NUMBER.fullmatch(v):
        return json.loads(v)
    return v


def as_list(v):
    return v if isinstance(v, list) else [v]


@unittest.skipUnless(CLI and DATA, "needs CARAVAN_BINARY and CARAVAN_DATA")
class FrontDoorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ds = caravan.Dataset()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.server = subprocess.Popen(
            [CLI, "serve", "--bind", "127.0.0.1", "--port", "0", "--data", DATA, "--db", os.path.join(cls.tmp.name, "s.sqlite")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        cls.url = cls.server.stdout.readline().strip().rstrip("/")
        if not cls.url.startswith("http://127.0.0.1:"):
            cls.server.kill()
            raise RuntimeError("server did not start: " + cls.url)
        cls.options = caravan.request_options()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=30)
        cls.tmp.cleanup()

    # ---- asking each front door ------------------------------------------------

    def cli(self, command, options, fmt="json"):
        """Runs the CLI; returns (exit code, stdout, stderr)."""
        args = [CLI, command]
        if command == "route":
            args += [options["from"], options["to"]]
        for name, value in options.items():
            if name in ("from", "to") and command == "route":
                continue
            if name == "demand" and isinstance(value, list):
                value = self.demand_file(value)
            for v in as_list(value):
                args += ["--" + name.replace("_", "-"), str(v)]
        r = subprocess.run(args + ["--format", fmt, "--data", DATA], capture_output=True, text=True)
        return r.returncode, r.stdout, r.stderr

    def demand_file(self, rows):
        path = os.path.join(self.tmp.name, "demand.csv")
        with open(path, "w") as f:
            f.write("from,to,teu_per_year\n" + "".join(f"{a},{b},{t}\n" for a, b, t in rows))
        return path

    def api(self, command, options, fmt=None):
        """Asks the server; returns (status, body text)."""
        options = {k: v for k, v in options.items() if k != "threads"}  # the server picks its own
        if fmt:
            options["format"] = fmt
        if command == "route":
            query = urllib.parse.urlencode([(k, str(v)) for k, vs in options.items() for v in as_list(vs)])
            req = urllib.request.Request(self.url + "/v1/route?" + query)
        else:
            body = {k: [json_value(x) for x in v] if isinstance(v, list) else json_value(v) for k, v in options.items()}
            if "demand" in body:
                body["demand"] = [{"from": a, "to": b, "teu_per_year": t} for a, b, t in body["demand"]]
            req = urllib.request.Request(self.url + "/v1/" + command, data=json.dumps(body, allow_nan=True).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def py(self, command, options):
        """Calls the module; returns the dict, or raises."""
        o = dict(options)
        if command == "route":
            return self.ds.route(o.pop("from"), o.pop("to"), **o)
        if command == "compare":
            return self.ds.compare(o.pop("scenario"), **o)
        if command == "simulate":
            return self.ds.simulate(o.pop("demand"), **o)
        return self.ds.matrix(**o)

    def same_json_everywhere(self, command, options):
        code, out, err = self.cli(command, options)
        self.assertEqual(code, 0, err)
        status, body = self.api(command, options)
        self.assertEqual(status, 200, body)
        self.assertEqual(minified(out), body.strip(), f"CLI and API differ for {options}")
        got = self.py(command, options)
        self.assertEqual(json.dumps(got), json.dumps(json.loads(body)), f"Python and API differ for {options}")
        return json.loads(body)

    # ---- the same answers ---------------------------------------------------------

    def test_every_route_option_gives_the_same_json(self):
        base = {"from": "xian", "to": "tashkent", "depart": "2026-03-02T08:00Z"}
        cases = [
            {},
            {"units": 3, "unit": "TEU"},
            {"cargo_tonnes": 12.5},
            {"by": "time"},
            {"by": "cost", "via": "khorgos-cn"},
            {"avoid": "RU,BY", "by": "time"},
            {"avoid": ["Kazakhstan"], "by": "time"},
            {"avoid": "Almaty", "mode": ["rail", "road"], "by": "co2"},
            {"mode": "rail,road,ferry", "by": "time"},
            {"deadline": "2026-03-12T00:00+05:00", "samples": 200, "seed": 7, "threads": 2},
            {"deadline": "2026-03-12", "samples": 0},
            {"scenario": "green-lanes", "by": "time"},
            {"scenario": ["green-lanes", "punctual-trains"], "samples": 100, "seed": 3},
            # The options of the bookable-options model (ADR 0500).
            {"to": "almaty", "unit": "KG", "units": 2000, "volume_m3": 15},
            {"to": "almaty", "unit": "kg", "units": 500, "mode": "road,air", "by": "cost"},
            {"unit": "FEU_HC", "cargo_tonnes": 24, "equipment": "soc"},
            {"unit": "TEU", "equipment": "coc", "by": "cost"},
            {"by": "generalized", "value_of_time": 5},
            {"by": "generalized", "value_of_time": 0, "mode": "rail"},
        ]
        for extra in cases:
            with self.subTest(extra=extra):
                self.same_json_everywhere("route", {**base, **extra})
        # Names, places and countries are resolved alike: these ask the same as the first.
        a = self.same_json_everywhere("route", {**base, "from": "Xi'an", "avoid": "kz", "by": "time"})
        b = self.same_json_everywhere("route", {**base, "avoid": "KZ", "by": "time"})
        self.assertEqual(a, b)

    def test_a_scenario_path_is_the_scenario_id_for_the_cli_and_python(self):
        base = {"from": "xian", "to": "almaty", "depart": "2026-03-02T08:00Z", "by": "time"}
        by_id = self.same_json_everywhere("route", {**base, "scenario": "green-lanes"})
        path = {**base, "scenario": os.path.join(SCENARIOS, "green-lanes.toml")}
        code, out, err = self.cli("route", path)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), by_id)
        self.assertEqual(self.py("route", path), by_id)
        status, body = self.api("route", path)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"]["field"], "scenario")

    def test_matrix_and_compare_give_the_same_json(self):
        places = ["xian", "almaty", "tashkent"]
        self.same_json_everywhere("matrix", {"places": places, "depart": "2026-03-02T00:00Z", "samples": 0})
        self.same_json_everywhere("matrix", {"places": "xian,Almaty", "depart": "2026-03-02T00:00Z", "units": 2,
                                             "unit": "TEU", "samples": 40, "seed": 5, "scenario": "green-lanes",
                                             "threads": 2})
        self.same_json_everywhere("matrix", {"places": places, "depart": "2026-03-02T00:00Z", "samples": 0,
                                             "mode": "rail", "by": "time", "unit": "FEU_HC", "equipment": "soc"})
        self.same_json_everywhere("matrix", {"places": ["urumqi", "almaty"], "depart": "2026-03-02T00:00Z",
                                             "samples": 0, "unit": "KG", "units": 2000, "volume_m3": 15,
                                             "value_of_time": 1.5})
        self.same_json_everywhere("compare", {"scenario": "green-lanes", "places": places, "depart": "2026-03-02T00:00Z",
                                              "samples": 0, "by": "cost", "mode": "rail,road", "value_of_time": 2})
        self.same_json_everywhere("compare", {"scenario": ["khorgos-closure"], "base_scenario": "green-lanes",
                                              "places": ["xian", "urumqi", "almaty"], "depart": "2026-03-02T00:00Z",
                                              "samples": 0, "demand": [("xian", "almaty", 1000), ("urumqi", "bishkek", 250.5)]})

    def test_simulate_gives_the_same_json(self):
        lanes = [("xian", "almaty", 60000), ("chongqing", "tashkent", 20000)]
        options = {"demand": lanes, "start": "2026-03-02", "days": 21, "warmup": 7, "units": 45, "seed": 4,
                   "by": "time", "mode": "rail,road", "arrivals": "regular", "scenario": "khorgos-2024-exchange"}
        code, out, err = self.cli("simulate", options)
        self.assertEqual(code, 0, err)
        status, body = self.api("simulate", options)
        self.assertEqual(status, 200, body)
        api = json.loads(body)
        cli = json.loads(out)
        self.assertEqual(api["query"]["demand"], "2 rows")
        self.assertEqual(self.py("simulate", options), api, "Python and API differ")
        cli["query"]["demand"] = "2 rows"  # the CLI reads the rows from a file and names it
        self.assertEqual(cli, api)
        with_file = self.py("simulate", {**options, "demand": self.demand_file(lanes)})
        self.assertEqual(with_file, json.loads(out), "Python with the CLI's file differs from the CLI")

    def test_csv_is_the_clis_csv(self):
        cases = [("route", {"from": "xian", "to": "almaty", "depart": "2026-03-02T08:00Z", "deadline": "2026-03-20",
                            "samples": 50}),
                 ("matrix", {"places": "xian,almaty", "depart": "2026-03-02T08:00Z", "samples": 20}),
                 ("compare", {"scenario": "green-lanes", "places": "xian,almaty", "depart": "2026-03-02T08:00Z",
                              "samples": 0}),
                 ("simulate", {"demand": [("xian", "almaty", 60000)], "start": "2026-03-02", "days": 14, "warmup": 0,
                               "units": 45})]
        for command, options in cases:
            with self.subTest(command=command):
                code, out, err = self.cli(command, options, "csv")
                self.assertEqual(code, 0, err)
                status, body = self.api(command, options, "csv")
                self.assertEqual(status, 200, body)
                self.assertEqual(out, body)
                self.assertGreater(len(out.splitlines()), 1)

    # ---- the same refusals -----------------------------------------------------------

    def outcome(self, command, options):
        """(refused, field) from each front end, after checking they agree."""
        code, _, err = self.cli(command, options)
        m = re.match(r"caravan: (--[a-z0-9-]+|from|to): ", err)
        cli = (code == 2, m.group(1).lstrip("-").replace("-", "_") if m else None)
        status, body = self.api(command, options)
        api = (status in (400, 404), json.loads(body)["error"]["field"] if status >= 400 else None)
        try:
            self.py(command, options)
            py = (False, None)
        except (KeyError, ValueError) as e:
            text = e.args[0] if e.args else ""
            py = (True, text.split(": ", 1)[0] if ": " in text else None)
            if isinstance(e, KeyError):
                self.assertEqual(status, 404, f"{options}: Python says unknown, the API {status}")
        self.assertEqual(cli, api, f"CLI and API disagree on {options}: {err.strip()} / {body}")
        self.assertEqual(py, api, f"Python and API disagree on {options}: {body}")
        return api

    def limits(self, command):
        return {o["name"]: o for o in self.options[command]}

    def over_and_at(self, spec):
        """A value just past each end of the option's range, and the values at its ends."""
        lo, hi = spec["min"], spec["max"]
        if spec["type"] == "count":
            return [str(int(lo) - 1), str(int(hi) + 1) if hi < 1e19 else "18446744073709551616"], [str(int(lo)), str(int(hi)) if hi < 1e19 else "18446744073709551615"]
        if spec["type"] == "number":
            return [str(lo) if spec["min_exclusive"] else str(lo - 0.001), str(hi + 0.001), "inf", "nan", "1e308"], [str(hi)]
        return [], []

    def test_every_limit_is_the_same_in_all_three(self):
        requests = {
            "route": {"from": "xian", "to": "tashkent", "depart": "2026-03-02T08:00Z"},
            "matrix": {"places": ["xian", "almaty"], "depart": "2026-03-02T08:00Z", "samples": 0},
            "compare": {"scenario": "green-lanes", "places": ["xian", "almaty"], "depart": "2026-03-02T08:00Z", "samples": 0},
            "simulate": {"demand": [("xian", "almaty", 1000)], "start": "2026-03-02", "days": 730},
        }
        # A value at a limit is accepted: the request then fails later, on an
        # unknown scenario, without computing anything.
        later = {"scenario": "no-such-scenario"}
        list_items = {"via": "khorgos-cn", "avoid": "RU", "mode": "rail", "scenario": "no-such-scenario",
                      "base_scenario": "no-such-scenario"}
        checked = 0
        for command, base in requests.items():
            for name, spec in self.limits(command).items():
                if spec["local_only"] or spec["type"] == "flag":  # a CLI flag takes no value
                    continue
                if spec["type"] == "demand" and command != "simulate":
                    continue  # 10,000 rows are more than a request body may hold
                over, at = self.over_and_at(spec)
                if spec["type"] == "demand":
                    lanes = [("xian", "almaty", 1)]
                    over, at = [lanes * (spec["max_items"] + 1)], [lanes * spec["max_items"]]
                if name == "warmup":
                    at = ["0"]  # less than days, so never the maximum itself
                if spec["type"] in ("places", "avoid", "choices", "scenarios") and spec["max_items"] <= 40:
                    item = list_items.get(name)
                    if name == "places":
                        ids = [f["properties"]["id"] for f in self.ds.network_geojson()["features"]
                               if f["properties"]["feature_type"] == "location"]
                        over, at = [ids[: spec["max_items"] + 1]], [ids[: spec["max_items"]]]
                    elif item:
                        over, at = [[item] * (spec["max_items"] + 1)], [[item] * spec["max_items"]]
                if spec["type"] == "instant":
                    over, at = ["1999-12-31T23:59Z", "2100-01-01", "0000-01-01", "9999-12-31T23:59Z", ""], ["2099-12-31T23:59Z"]
                if spec["type"] == "choice":
                    over = ["box"]
                for v in over:
                    with self.subTest(command=command, name=name, value=v):
                        refused, field = self.outcome(command, {**base, name: v})
                        self.assertTrue(refused, f"{command} {name}={v} accepted")
                        self.assertEqual(field, name)
                        checked += 1
                for v in at:
                    with self.subTest(command=command, name=name, value=v, at_limit=True):
                        options = {**base, name: v}
                        if name == "cargo_tonnes":
                            # Within the option's range, past every box's payload (equipment.csv): refused
                            # alike for the payload limit, before anything is computed.
                            refused, field = self.outcome(command, {**options, **later})
                            self.assertEqual((refused, field), (True, "cargo_tonnes"))
                            checked += 1
                            continue
                        if name == "volume_m3":
                            options = {**options, "unit": "KG", "units": 2000}  # KG cargo only
                        if name != "scenario":
                            options = {**options, **later}
                        if name == "deadline":
                            options["depart"] = "2026-03-02T08:00Z"
                        refused, field = self.outcome(command, options)
                        self.assertEqual(field, "scenario", f"{command} {name}={v} refused for {field}")
                        checked += 1
        self.assertGreater(checked, 60)

    def test_an_unknown_name_is_refused_everywhere(self):
        for command, base in (("route", {"from": "xian", "to": "tashkent"}), ("matrix", {"places": "xian,almaty"})):
            status, body = self.api(command, {**base, "colour": "red"})
            self.assertEqual((status, json.loads(body)["error"]["field"]), (400, "colour"))
            with self.assertRaises(ValueError) as e:
                self.py(command, {**base, "colour": "red"})
            self.assertTrue(e.exception.args[0].startswith("colour: unknown option"))


if __name__ == "__main__":
    unittest.main()
