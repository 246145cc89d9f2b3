#!/usr/bin/python3
"""`make bench-scaling`: route query time and memory on generated timetabled
networks (caravan/synth.h) from 1,000 to 1,000,000 locations, one process per
size, then docs/scaling.csv and docs/scaling.svg (matplotlib, from Debian).

  scaling.py CARAVAN_SCALING DOCS_DIR [--plot-only]

Time-objective queries: 20 per size. Pareto queries: 20 up to 100,000
locations, fewer above (their time grows faster than linearly; see
docs/performance.md), so the whole run stays within about 15 minutes.
"""
import csv
import os
import subprocess
import sys

SIZES = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
PARETO_QUERIES = {300_000: 8, 1_000_000: 4}
FIELDS = ["locations", "arcs", "objective", "queries", "routes", "median_ms", "mean_ms", "mean_labels", "index_build_s",
          "max_rss_mb"]


def measure(binary, out_csv):
    # Written size by size, so a long run that is stopped keeps what it measured.
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        for n in SIZES:
            args = [binary, str(n), "20", "1", str(PARETO_QUERIES.get(n, 20))]
            print(" ".join(args), file=sys.stderr, flush=True)
            out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
            w.writerows(dict(zip(FIELDS, line.split(","))) for line in out.strip().splitlines())
            f.flush()


def plot(in_csv, out_svg):
    import matplotlib
    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    matplotlib.rcParams["svg.hashsalt"] = "caravan"  # stable ids: the SVG changes only when the data does
    with open(in_csv) as f:
        rows = list(csv.DictReader(f))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for obj, style in (("time", "o-"), ("pareto", "s-")):
        r = [x for x in rows if x["objective"] == obj]
        n = [int(x["locations"]) for x in r]
        ax1.plot(n, [float(x["median_ms"]) for x in r], style, label=f"{obj}: median ms/query")
        ax1.plot(n, [float(x["mean_labels"]) / 1000 for x in r], style.replace("-", ":"), alpha=0.5,
                 label=f"{obj}: labels settled (thousands)")
    r = [x for x in rows if x["objective"] == "pareto"]
    ax2.plot([int(x["locations"]) for x in r], [float(x["max_rss_mb"]) for x in r], "d-", label="peak RSS (MB), whole process")
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("locations")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    ax1.set_title("Route query time on generated timetabled networks")
    ax2.set_title("Memory")
    fig.tight_layout()
    fig.savefig(out_svg, metadata={"Date": None})


def main():
    binary, docs = sys.argv[1], sys.argv[2]
    out_csv, out_svg = os.path.join(docs, "scaling.csv"), os.path.join(docs, "scaling.svg")
    if "--plot-only" not in sys.argv:
        measure(binary, out_csv)
    plot(out_csv, out_svg)
    print(f"wrote {out_csv} and {out_svg}")


if __name__ == "__main__":
    main()
