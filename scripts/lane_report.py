#!/usr/bin/env python3
"""Options on the main lanes and the rules they break (issue 10, point 7).

    scripts/lane_report.py CARAVAN_BINARY [OUT_DIR]   run the lanes, then report
    scripts/lane_report.py --json DIR                 report answers saved as DIR/<from>-<to>.json

Each lane is `caravan route FROM TO --depart 2026-03-02T00:00Z --format json` (1 FEU, Pareto).
Per option: hours, USD per FEU, and the legs in short (each run of one moving mode with the place
it ends at; borders as exit>entry country codes). Rules counted:
  flown      a container on an air leg
  changes>3  more than three changes of moving mode (the figure the issue measured)
  chain      more than two changes between rail and road (ADR 0500 section 6; vessels do not count)
  alike      the same sequence of moving legs, crossings and services as an earlier option
  similar    the same modes between the same places and crossings as an earlier option (a looser
             "same trip": e.g. one rides a service where the other uses the same track on demand)
  unbuilt    rail across the Torugart border (no railway exists there before the CKU line)
"""
import json
import os
import subprocess
import sys

ORIGINS = ["chongqing", "xian", "chengdu", "yiwu", "zhengzhou", "lianyungang", "urumqi", "kashgar"]
DESTINATIONS = ["duisburg", "tashkent", "almaty", "bishkek", "baku", "istanbul"]
MOVING = {"rail", "road", "ferry", "sea", "air"}


def short(it):
    runs, last = [], None
    for leg in it["legs"]:
        k = leg["kind"]
        if k in MOVING:
            if k != last:
                runs.append([k, leg["to"]])
                last = k
            else:
                runs[-1][1] = leg["to"]
        elif k == "border":
            runs.append(["|" + leg["crossing"].split("-")[0], None])
            last = None
    out = []
    for k, to in runs:
        out.append(k if to is None else f"{k}>{to}")
    return " ".join(out)


def key(it):
    return tuple((l["kind"], l["from"], l["to"], l.get("service"), l.get("link"), l.get("crossing"))
                 for l in it["legs"] if l["kind"] in MOVING or l["kind"] == "border")


def loose_key(it):
    runs, last = [], None
    for l in it["legs"]:
        if l["kind"] in MOVING:
            if l["kind"] != last:
                runs.append((l["kind"], l["from"], l["to"]))
                last = l["kind"]
            else:
                runs[-1] = (runs[-1][0], runs[-1][1], l["to"])
        elif l["kind"] == "border":
            runs.append(("border", l["crossing"]))
            last = None
    return tuple(runs)


def breaks(it, unit):
    modes = [l["kind"] for l in it["legs"] if l["kind"] in MOVING]
    flown = unit != "KG" and "air" in modes
    changes = sum(1 for a, b in zip(modes, modes[1:]) if a != b)
    land = [m for m in modes if m in ("rail", "road")]
    chain = sum(1 for a, b in zip(land, land[1:]) if a != b)
    unbuilt = any(l["kind"] == "border" and (l.get("crossing") or "").startswith("torugart") and l.get("crossing", "").endswith("-rail")
                  for l in it["legs"])
    return flown, changes, chain, unbuilt


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--json":
        src = sys.argv[2]
        load = lambda a, b: json.load(open(os.path.join(src, f"{a}-{b}.json")))
    elif len(sys.argv) >= 2:
        binary = sys.argv[1]
        out_dir = sys.argv[2] if len(sys.argv) > 2 else None

        def load(a, b):
            p = subprocess.run([binary, "route", a, b, "--depart", "2026-03-02T00:00Z", "--format", "json"],
                               capture_output=True, text=True)
            if p.returncode != 0:
                return {"itineraries": [], "error": p.stderr.strip()}
            if out_dir:
                os.makedirs(out_dir, exist_ok=True)
                open(os.path.join(out_dir, f"{a}-{b}.json"), "w").write(p.stdout)
            return json.loads(p.stdout)
    else:
        print(__doc__)
        return 2
    total = {"options": 0, "flown": 0, "changes>3": 0, "chain": 0, "alike": 0, "similar": 0, "unbuilt": 0, "any": 0}
    print("| lane | option | hours | USD per FEU | legs |")
    print("|---|---|---|---|---|")
    for a in ORIGINS:
        for b in DESTINATIONS:
            d = load(a, b)
            unit = d.get("query", {}).get("unit", "FEU")
            units = d.get("query", {}).get("units", 1)
            per = units * (2 if unit == "TEU" else 1) if unit != "KG" else 1
            if not d["itineraries"]:
                print(f"| {a} → {b} | – | – | – | {d.get('error', 'no route')} |")
            seen, seen_loose = set(), set()
            for n, it in enumerate(d["itineraries"], 1):
                flown, changes, chain, unbuilt = breaks(it, unit)
                k = key(it)
                alike = k in seen
                seen.add(k)
                similar = not alike and loose_key(it) in seen_loose
                seen_loose.add(loose_key(it))
                marks = [m for m, on in (("flown", flown), ("changes>3", changes > 3), ("chain", chain > 2),
                                         ("alike", alike), ("similar", similar), ("unbuilt", unbuilt)) if on]
                total["options"] += 1
                for m in marks:
                    total[m] += 1
                total["any"] += bool([m for m in marks if m != "similar"])
                flag = f" **[{', '.join(marks)}]**" if marks else ""
                print(f"| {a} → {b} | {n} | {it['hours']:.1f} | {it['cost_usd'] / per:,.0f} | {short(it)}{flag} |")
    print()
    print(f"lanes {len(ORIGINS) * len(DESTINATIONS)}; options {total['options']}; breaking a rule {total['any']} "
          f"(flown {total['flown']}, changes>3 {total['changes>3']}, chain {total['chain']}, alike {total['alike']}, "
          f"unbuilt {total['unbuilt']}); similar (not counted as breaking) {total['similar']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
