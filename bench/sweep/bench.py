#!/usr/bin/env python3
"""Sweep throughput: cells per second on 1 and 2 ranks, and a model of 8, 64 and 512.

Usage: bench/sweep/bench.py BUILD_DIR [--grid G.toml] [--repeat N]

Runs `caravan sweep --stats` on the grid (default: the consensus measures' full factorial,
7,680 cells of 1,000 samples) in one process on 1 and 2 threads and under `mpirun -np 1` and
`-np 2` (one thread a rank), each --repeat times (the median is reported), checks that every run
wrote the same table, then once more with no samples to separate planning from the Monte Carlo.
From the measured per-cell time, coordinator time per chunk, round trip and set-up it simulates
the coordinator's guided chunks for more ranks (one thread each) and prints the modelled
speed-up. Not a test: the figures go to docs/performance.md.
"""
import argparse
import heapq
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def run(cmd, out_dir):
    """Runs one sweep; returns (wall seconds of the whole command, stats, table bytes)."""
    shutil.rmtree(out_dir, ignore_errors=True)
    env = dict(os.environ, **MPI_ENV)
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    stats = json.loads(p.stderr[p.stderr.rindex('{"ranks"'):].splitlines()[0])
    table = (pathlib.Path(out_dir) / "results.csv").read_bytes()
    return wall, stats, table


def guided_chunk(left, threads_everywhere, threads, max_chunk=64):
    """The coordinator's chunk rule (src/sweep/run.cc, CellQueue::take)."""
    share = -(-left // (4 * threads_everywhere))
    return min(left, max(1, min(share, max_chunk)) * threads)


def simulate(ranks, cells, t_cell, c_o, latency, setup):
    """Wall seconds of a sweep on `ranks` ranks of one thread: rank 0 takes chunks from the
    queue directly; the others send a request (one-way `latency`), wait for the coordinator
    (one request at a time, `c_o` each), get the chunk back (`latency`) and compute it.
    Returns (wall seconds, chunks, chunks the coordinator served to other ranks)."""
    left = cells
    coordinator_free = 0.0
    end = 0.0
    ready = [(0.0, r) for r in range(ranks)]
    heapq.heapify(ready)
    chunks = served = 0
    while ready:
        t, r = heapq.heappop(ready)
        if r == 0:
            start = t
        else:
            start = max(t + latency, coordinator_free)
            coordinator_free = start + c_o
        n = guided_chunk(left, ranks, 1)
        if n == 0:
            end = max(end, t)
            continue
        left -= n
        chunks += 1
        served += r != 0
        begin = start if r == 0 else start + c_o + latency
        done = begin + n * t_cell
        heapq.heappush(ready, (done, r))
    return setup + end, chunks, served


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--grid", default=str(ROOT / "data/central-asia/sweeps/consensus-factorial.toml"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    caravan = str(pathlib.Path(a.build) / "caravan")
    mpirun = shutil.which("mpirun")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="caravan-sweep-bench-"))
    data = str(ROOT / "data/central-asia")
    base = [caravan, "sweep", "--grid", a.grid, "--data", data, "--stats"]
    configs = [
        ("1 process, 1 thread", base + ["--threads", "1"]),
        ("1 process, 2 threads", base + ["--threads", "2"]),
    ]
    if mpirun:
        mpi = [mpirun, "--oversubscribe", "--bind-to", "none"]
        configs += [
            ("mpirun -np 1", mpi + ["-np", "1"] + base),
            ("mpirun -np 2", mpi + ["-np", "2"] + base),
        ]
    results = {}
    table = None
    for name, cmd in configs:
        runs = []
        for i in range(a.repeat):
            wall, stats, t = run(cmd + ["--out", str(tmp / "out")], tmp / "out")
            if table is None:
                table = t
            elif t != table:
                sys.exit(f"{name}: the table differs from the first run's")
            runs.append((wall, stats))
        runs.sort(key=lambda r: r[1]["wall_seconds"])
        results[name] = runs[len(runs) // 2]
        wall, st = results[name]
        every = ", ".join("%.2f" % r[1]["wall_seconds"] for r in runs)
        print(f"{name:22s} sweep {st['wall_seconds']:7.2f} s  {st['cells_per_second']:8.1f} cells/s  "
              f"set-up {st['setup_seconds']:.2f} s  command {wall:.2f} s  (all runs: {every})")

    # Planning alone: the same grid without samples.
    text = pathlib.Path(a.grid).read_text()
    no_samples = tmp / "no-samples.toml"
    no_samples.write_text(re.sub(r"(?m)^count = \d+", "count = 0", text))
    _, plan_stats, _ = run([caravan, "sweep", "--grid", str(no_samples), "--data", data, "--stats", "--threads", "1",
                            "--out", str(tmp / "plan")], tmp / "plan")

    one = results["1 process, 1 thread"][1]
    cells = one["cells"]
    t_cell = one["per_rank"][0]["busy_seconds"] / cells
    t_plan = plan_stats["per_rank"][0]["busy_seconds"] / cells
    print(f"\ncells {cells}; per cell {t_cell * 1e3:.3f} ms ({t_plan * 1e6:.1f} µs planning, "
          f"{(t_cell - t_plan) * 1e3:.3f} ms Monte Carlo); set-up {one['setup_seconds']:.3f} s")
    for name in ("1 process, 2 threads", "mpirun -np 1", "mpirun -np 2"):
        if name in results:
            st = results[name][1]
            print(f"speed-up {name:22s} {one['wall_seconds'] / st['wall_seconds']:.2f}")

    if "mpirun -np 2" not in results:
        return
    two = results["mpirun -np 2"][1]
    remote = two["per_rank"][1]
    c_o = two["coordinator_seconds"] / max(1, remote["chunks"])
    round_trip = remote["wait_seconds"] / max(1, remote["chunks"])
    latency = max(0.0, (round_trip - c_o) / 2)
    setup = two["setup_seconds"]
    print(f"coordinator {c_o * 1e6:.1f} µs per chunk over {remote['chunks']} chunks; "
          f"round trip {round_trip * 1e6:.1f} µs; set-up under MPI {setup:.3f} s")

    print("\nmodel (one thread a rank; set-up paid once, in parallel):")
    for n_cells, label in ((cells, "this grid"), (cells * 52, "× 52 weekly departures")):
        serial = one["setup_seconds"] + n_cells * t_cell
        for ranks in (1, 2, 8, 64, 512):
            wall, chunks, served = simulate(ranks, n_cells, t_cell, c_o, latency,
                                            setup if ranks > 1 else one["setup_seconds"])
            busy = served * c_o
            print(f"  {label:24s} {n_cells:8d} cells  {ranks:4d} ranks  {wall:9.3f} s  speed-up "
                  f"{serial / wall:7.1f}  chunks {chunks:6d}  coordinator busy {100 * busy / wall:5.1f} %")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
