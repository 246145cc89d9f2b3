#!/usr/bin/env python3
"""Seed corpora for the fuzzers (docs/fuzzing.md), made from a real dataset.

usage: make_seeds.py DATASET_DIR OUT_DIR

Writes OUT_DIR/{csv,dataset,scenario,places,request}/ with one seed per file:
  csv       every CSV table of the dataset as it is
  dataset   small slices of the dataset: around each of a dozen border
            crossings, its two sides and their neighbours by one link, with
            the links, crossings, services and sources among them (the text
            of sources cut to 24 characters), as `=== NAME` separated files
  scenario  every scenarios/*.toml
  places    every id, name and alias of locations.csv, and a few misspellings
  request   the API requests of the server tests and docs/requests.md, as
            `METHOD TARGET`, an Accept line, then the JSON body
Small seeds keep each run quick: an instrumented run costs about a
microsecond per input byte.
"""
import csv
import io
import pathlib
import re
import sys

TABLES = ["sources.csv", "fx.csv", "emission_factors.csv", "locations.csv", "links.csv", "crossings.csv",
          "services.csv", "observations.csv"]
SLICES = 12  # crossings to build slices around, spread over crossings.csv
TEXT_CHARS = 24


def read_table(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_table(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def bundle(files):
    return "".join(f"=== {name}\n{text}" + ("" if text.endswith("\n") else "\n") for name, text in files.items())


def dataset_slice(data, tables, crossing):
    def col(name, table):
        return tables[table][0].index(name)

    loc_h, loc_rows = tables["locations.csv"]
    link_h, link_rows = tables["links.csv"]
    ends = {crossing[col("exit", "crossings.csv")], crossing[col("entry", "crossings.csv")]}
    keep = set(ends)
    for r in link_rows:
        a, b = r[col("from", "links.csv")], r[col("to", "links.csv")]
        if a in ends or b in ends:
            keep.update((a, b))
    picked = {"locations.csv": [r for r in loc_rows if r[0] in keep]}
    h, rows = tables["links.csv"]
    picked["links.csv"] = [r for r in rows if r[col("from", "links.csv")] in keep and r[col("to", "links.csv")] in keep]
    h, rows = tables["crossings.csv"]
    picked["crossings.csv"] = [r for r in rows
                               if r[col("exit", "crossings.csv")] in keep and r[col("entry", "crossings.csv")] in keep]
    h, rows = tables["services.csv"]
    picked["services.csv"] = [r for r in rows if all(s in keep for s in r[col("stops", "services.csv")].split(";"))]
    for name in ("fx.csv", "emission_factors.csv"):
        picked[name] = tables[name][1]
    cited = set()
    for name, rows in picked.items():
        c = col("source", name)
        for r in rows:
            cited.update(s.strip() for s in r[c].split(";"))
    src_h, src_rows = tables["sources.csv"]
    sources = [r[:2] + [v[:TEXT_CHARS] for v in r[2:]] for r in src_rows if r[0] in cited]
    files = {}
    toml = (data / "dataset.toml").read_text(encoding="utf-8")
    hubs = [h for h in re.findall(r'"([^"]+)"', re.search(r"^hubs = \[(.*)\]$", toml, re.M).group(1)) if h in keep]
    files["dataset.toml"] = re.sub(r"^hubs = \[.*\]$", "hubs = [" + ", ".join(f'"{h}"' for h in hubs) + "]", toml,
                                   flags=re.M)
    for name in ("fx.csv", "emission_factors.csv", "locations.csv", "links.csv", "crossings.csv", "services.csv"):
        files[name] = write_table(tables[name][0], picked[name])
    files["sources.csv"] = write_table(src_h, sources)  # last: the longest, cut first by -max_len
    return files


ROOT = pathlib.Path(__file__).resolve().parents[2]
PARSED = ("route", "matrix", "compare", "simulate")  # the paths request_fuzz parses


def request_seeds():
    """(target, body) of every route, matrix, compare or simulate request the
    server tests send or docs/requests.md shows."""
    tests = (ROOT / "tests/server/server_test.cc").read_text(encoding="utf-8")
    seeds = set()
    for target in re.findall(r'"(/v1/(?:%s)[^"]*)"' % "|".join(PARSED), tests):
        seeds.add((target, ""))
    # post("/v1/matrix", R"({...})", ...) and c.Post(target, [headers,] R"({...})", ...)
    for target, body in re.findall(r'[Pp]ost\("(/v1/\w+[^"]*)",\s*(?:\{\{[^\n]*?\}\},\s*)?R"\((.*?)\)"', tests, re.S):
        seeds.add((target, body))
    docs = (ROOT / "docs/requests.md").read_text(encoding="utf-8")
    for target in re.findall(r"`(/v1/(?:%s)\?[^`]*)`" % "|".join(PARSED), docs):
        seeds.add((target, ""))
    for body in re.findall(r"`(\{.*?\})`", docs):
        for path in PARSED[1:]:
            seeds.add((f"/v1/{path}", body))
    return sorted(seeds)


def main():
    data, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    for d in ("csv", "dataset", "scenario", "places", "request"):
        (out / d).mkdir(parents=True, exist_ok=True)
    for p in sorted(data.glob("*.csv")):
        (out / "csv" / p.name).write_bytes(p.read_bytes())
    tables = {n: read_table(data / n) for n in TABLES if (data / n).exists()}
    crossings = tables["crossings.csv"][1]
    for c in crossings[::max(1, len(crossings) // SLICES)][:SLICES]:
        (out / "dataset" / f"around-{c[0]}").write_text(bundle(dataset_slice(data, tables, c)), encoding="utf-8")
    for p in sorted((data / "scenarios").glob("*.toml")):
        (out / "scenario" / p.name).write_bytes(p.read_bytes())
    header, rows = read_table(data / "locations.csv")
    names = set()
    for r in rows:
        names.add(r[0])
        names.add(r[header.index("name")])
        names.update(a for a in r[header.index("aliases")].split(";") if a)
    names.update({"horg", "tashknet", "XIAN", "Almaty-1", "khorgos", "alataw pass", "xi an", "Małaszewicze"})
    for i, n in enumerate(sorted(names)):
        (out / "places" / f"name-{i:04d}").write_text(n, encoding="utf-8")
    for i, (target, body) in enumerate(request_seeds()):
        method = "POST" if body or not target.startswith("/v1/route") else "GET"
        accept = "text/csv" if i % 5 == 0 else "application/json"
        (out / "request" / f"request-{i:03d}").write_text(f"{method} {target}\n{accept}\n{body}", encoding="utf-8")


if __name__ == "__main__":
    main()
