#!/usr/bin/python3
"""The peer comparison of docs/performance.md: caravan's `bench sssp` against
Boost.Graph, python-igraph, networkx and pgRouting on the same seeded graphs
and query sets. Run through `make bench-peers`, which installs the peers and
builds the programs first.

  run.py BUILD_DIR          BUILD_DIR holds caravan, caravan_graphgen, boost_sssp

Writes BUILD_DIR/peers/{10k,1m}/ (graphs), BUILD_DIR/peers/results.json and
BUILD_DIR/peers/table.md, and prints the table. Every peer prints the JSON line
{"load_seconds","query_seconds","queries","checksum"}; peak memory is the
maximum resident set size from /usr/bin/time (for pgRouting, the server
backend's VmHWM). caravan runs twice: its default algorithm (ALT: bidirectional
A* with landmarks, after a landmark preprocessing counted in its load time) and
`--algorithm bidijkstra` (no preprocessing), so the table shows both; the
"x caravan" ratios are against the default. Bounded: on the large graph the slow
peers run 5 passes over a prefix of the queries, and their time per query is
the median pass's divided by the prefix length.
"""
import json
import os
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SEED = 1
QUERIES = 200
GRAPHS = [("10k", 10_000), ("1m", 1_000_000)]
PYTHON = "/usr/bin/python3"  # Debian's, where python3-igraph and python3-networkx live
HERE = os.path.dirname(os.path.abspath(__file__))
# (runs, queries) per peer and graph: the median of 5 runs for every peer; on
# 1m the slow peers answer a prefix of the queries (all 200 would take igraph,
# networkx and pgRouting hours), and their checksums are compared with caravan's
# on the same prefix. The whole comparison takes about 15 minutes.
PLAN = {
    "caravan": {"10k": (5, 200), "1m": (5, 200)},
    "caravan-bidijkstra": {"10k": (5, 200), "1m": (5, 200)},
    "boost": {"10k": (5, 200), "1m": (5, 200)},
    "igraph": {"10k": (5, 200), "1m": (5, 50)},
    "networkx": {"10k": (5, 200), "1m": (5, 10)},
    "pgrouting": {"10k": (5, 200), "1m": (5, 50)},
}
NAMES = {
    "caravan": "caravan (ALT)",
    "caravan-bidijkstra": "caravan (bidirectional Dijkstra)",
    "boost": "Boost.Graph",
    "igraph": "python-igraph",
    "networkx": "networkx",
    "pgrouting": "pgRouting",
}
# Checksums are sums of 200 doubles printed with 3 decimals; peers add path
# weights in different orders, so they may differ in the last digits.
ABS_TOL, REL_TOL = 0.002, 1e-9


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (json result, max RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd, check=True,
                             capture_output=True, text=True).stdout
        kb = int(rss.read().strip().splitlines()[-1])
    return json.loads(out.strip().splitlines()[-1]), kb / 1024.0


def prefix_queries(src, dst, count):
    with open(src) as f:
        lines = f.readlines()
    with open(dst, "w") as f:
        f.writelines(lines[: count + 1])


# ---------------------------------------------------------------- pgRouting

class Postgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1:54329, in a temp dir."""

    PORT = "54329"

    def __init__(self):
        self.bin = "/usr/lib/postgresql/15/bin"
        self.dir = tempfile.mkdtemp(prefix="caravan-pg-")
        self.as_user = []
        if os.geteuid() == 0:  # the server refuses to run as root
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_user + [f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True)
        opts = (f"-p {self.PORT} -k {self.dir} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB "
                "-c work_mem=1GB -c max_parallel_workers_per_gather=0 -c fsync=off")
        subprocess.run(self.as_user + [f"{self.bin}/pg_ctl", "-D", data, "-o", opts, "-l",
                                       os.path.join(self.dir, "log"), "-w", "start"], check=True, capture_output=True)
        try:
            self.psql("CREATE EXTENSION pgrouting CASCADE;")  # pulls in PostGIS, which pgRouting requires
        except Exception:
            self.stop()
            raise

    def psql(self, script):
        r = subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", self.PORT, "-U", "postgres", "-d", "postgres",
                            "-v", "ON_ERROR_STOP=1", "-A", "-t"], input=script, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("psql failed: " + r.stderr.strip())
        return r.stdout

    def version(self):
        return self.psql("SELECT pgr_version() || ' on PostgreSQL ' || current_setting('server_version');").strip()

    def run(self, edges, queries):
        """Loads the graph and runs all queries in one pgr_dijkstraCost call."""
        script = f"""
\\timing on
DROP TABLE IF EXISTS edges, queries;
CREATE TABLE edges (id bigserial PRIMARY KEY, source bigint, target bigint, cost float8);
\\copy edges(source, target, cost) FROM '{edges}' WITH (FORMAT csv, HEADER true)
CREATE TABLE queries (src bigint, dst bigint);
\\copy queries(src, dst) FROM '{queries}' WITH (FORMAT csv, HEADER true)
ANALYZE edges;
\\timing off
SELECT pg_backend_pid() AS pid \\gset
\\setenv PGBACKEND :pid
\\timing on
SELECT 'sum=' || coalesce(round(sum(c.agg_cost)::numeric, 3), 0)
  FROM queries q
  JOIN pgr_dijkstraCost('SELECT id, source, target, cost FROM edges',
                        'SELECT DISTINCT src AS source, dst AS target FROM queries WHERE src <> dst') c
    ON c.start_vid = q.src AND c.end_vid = q.dst;
\\timing off
\\! grep VmHWM /proc/$PGBACKEND/status
"""
        out = self.psql(script)
        times = [float(x) / 1000 for x in re.findall(r"Time: ([0-9.]+) ms", out)]
        checksum = float(re.search(r"sum=([0-9.]+)", out).group(1))
        hwm_kb = int(re.search(r"VmHWM:\s+(\d+) kB", out).group(1))
        with open(queries) as f:
            n_queries = sum(1 for line in f) - 1
        return ({"load_seconds": sum(times[:-1]), "query_seconds": times[-1], "queries": n_queries,
                 "checksum": checksum}, hwm_kb / 1024.0)

    def stop(self):
        subprocess.run(self.as_user + [f"{self.bin}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "-w",
                                       "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- main

def main():
    build = os.path.abspath(sys.argv[1])
    caravan = os.path.join(build, "caravan")
    graphgen = os.path.join(build, "bench", "caravan_graphgen")
    boost = os.path.join(build, "peers", "boost_sssp")
    root = os.path.join(build, "peers")
    started = time.time()
    versions = {}
    versions["caravan"] = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"], capture_output=True,
                                         text=True).stdout.strip() or "?"
    versions["caravan-bidijkstra"] = versions["caravan"]
    versions["boost"] = "Boost " + subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libboost-graph-dev"],
                                                  capture_output=True, text=True).stdout.strip()
    for mod in ("igraph", "networkx"):
        versions[mod] = subprocess.run([PYTHON, "-c", f"import {mod}; print({mod}.__version__)"], capture_output=True,
                                       text=True).stdout.strip()
    pg = Postgres()
    results = []
    try:
        versions["pgrouting"] = pg.version()
        for name, nodes in GRAPHS:
            d = os.path.join(root, name)
            edges, queries = os.path.join(d, "edges.csv"), os.path.join(d, "queries.csv")
            if not os.path.exists(queries):
                subprocess.run([graphgen, str(nodes), str(QUERIES), str(SEED), d], check=True)
            reference = {}  # queries file -> caravan checksum
            for peer, plan in PLAN.items():
                runs, count = plan[name]
                qfile = queries
                if count < QUERIES:
                    qfile = os.path.join(d, f"queries-{count}.csv")
                    prefix_queries(queries, qfile, count)
                if qfile not in reference:
                    reference[qfile] = timed([caravan, "bench", "sssp", "--edges", edges, "--queries", qfile])[0]["checksum"]
                cmd = {
                    "caravan": [caravan, "bench", "sssp", "--edges", edges, "--queries", qfile],
                    "caravan-bidijkstra": [caravan, "bench", "sssp", "--edges", edges, "--queries", qfile,
                                           "--algorithm", "bidijkstra"],
                    "boost": [boost, edges, qfile],
                    "igraph": [PYTHON, os.path.join(HERE, "python_sssp.py"), "igraph", edges, qfile],
                    "networkx": [PYTHON, os.path.join(HERE, "python_sssp.py"), "networkx", edges, qfile],
                }.get(peer)
                samples = []
                for r in range(runs):
                    log(f"[{time.time() - started:6.0f} s] {name} {peer} run {r + 1}/{runs} ({count} queries)")
                    samples.append(pg.run(edges, qfile) if peer == "pgrouting" else timed(cmd))
                ok = all(abs(s[0]["checksum"] - reference[qfile]) <= ABS_TOL + REL_TOL * abs(reference[qfile])
                         for s in samples)
                extra = {k: samples[0][0][k] for k in ("algorithm", "landmarks", "settled_nodes", "index_bytes", "arcs")
                         if k in samples[0][0]}
                results.append({
                    **extra,
                    "graph": name, "nodes": nodes, "peer": peer, "version": versions[peer], "runs": runs,
                    "queries": samples[0][0]["queries"],
                    "load_seconds": statistics.median(s[0]["load_seconds"] for s in samples),
                    "query_seconds": statistics.median(s[0]["query_seconds"] for s in samples),
                    "max_rss_mb": statistics.median(s[1] for s in samples),
                    "checksum": samples[0][0]["checksum"], "caravan_checksum": reference[qfile], "checksum_ok": ok,
                })
    finally:
        pg.stop()
    with open(os.path.join(root, "results.json"), "w") as f:
        json.dump({"versions": versions, "results": results, "seconds": time.time() - started}, f, indent=1)
    table = render(results)
    with open(os.path.join(root, "table.md"), "w") as f:
        f.write(table)
    print(table)
    log(f"bench-peers: {time.time() - started:.0f} s")
    if not all(r["checksum_ok"] for r in results):
        sys.exit("bench-peers: checksums disagree (see results.json)")


def render(results):
    lines = ["| graph | peer | version | runs | queries | load s | query s | queries/s | ms/query | peak MB | "
             "× caravan | checksum |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    per_query = {(r["graph"], r["peer"]): r["query_seconds"] / r["queries"] for r in results}
    for r in results:
        pq = per_query[(r["graph"], r["peer"])]
        ratio = pq / per_query[(r["graph"], "caravan")]
        lines.append(
            f"| {r['graph']} | {NAMES[r['peer']]} | {r['version']} | {r['runs']} | {r['queries']} | {r['load_seconds']:.2f} | "
            f"{r['query_seconds']:.2f} | {1 / pq:.1f} | {pq * 1000:.2f} | {r['max_rss_mb']:.0f} | {ratio:.1f} | "
            f"{r['checksum']:.3f} {'ok' if r['checksum_ok'] else 'MISMATCH'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
