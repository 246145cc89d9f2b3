#!/usr/bin/python3
"""python-igraph and networkx peers for `caravan bench sssp`: same input
files, same JSON line.

  python_sssp.py igraph|networkx EDGES.csv QUERIES.csv [LIMIT]

LIMIT runs only the first LIMIT queries (for the slowest peers on large
graphs; the JSON says how many ran).

igraph:   Graph(n, edges, directed=True), weights as an edge attribute;
          per query Graph.distances(source, target, weights) — igraph's
          Dijkstra (C core), which stops once the target is reached.
networkx: DiGraph built with add_weighted_edges_from; per query
          nx.dijkstra_path_length(G, s, t) — pure-Python Dijkstra with a
          binary heap that stops at the target.
Parsing is plain Python (split on ',') for both; load_seconds covers it and
the graph build.
"""
import json
import math
import sys
import time


def read_csv(path):
    with open(path, "r", encoding="utf-8") as f:
        header = f.readline().strip()
        rows = [line.rstrip("\r\n").split(",") for line in f if line.strip()]
    return header, rows


def main():
    peer, edges_path, queries_path = sys.argv[1], sys.argv[2], sys.argv[3]
    # Imported before the clock starts: load_seconds is reading and building only.
    if peer == "igraph":
        import igraph
    elif peer == "networkx":
        import networkx as nx
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    t0 = time.perf_counter()
    _, erows = read_csv(edges_path)
    src = [int(r[0]) for r in erows]
    dst = [int(r[1]) for r in erows]
    w = [float(r[2]) for r in erows]
    del erows
    n = max(max(src), max(dst)) + 1 if src else 0
    _, qrows = read_csv(queries_path)
    queries = [(int(r[0]), int(r[1])) for r in qrows]
    if limit is not None:
        queries = queries[:limit]
    if peer == "igraph":
        g = igraph.Graph(n=n, edges=list(zip(src, dst)), directed=True)
        g.es["weight"] = w
        del src, dst, w
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        total = 0.0
        for s, t in queries:
            d = g.distances(source=s, target=t, weights="weight")[0][0]
            if math.isfinite(d):
                total += d
        query_s = time.perf_counter() - t1
    elif peer == "networkx":
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        # Parallel arcs would collapse in a DiGraph; keep the lightest.
        best = {}
        for a, b, c in zip(src, dst, w):
            k = (a, b)
            if k not in best or c < best[k]:
                best[k] = c
        del src, dst, w
        g.add_weighted_edges_from((a, b, c) for (a, b), c in best.items())
        del best
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        total = 0.0
        for s, t in queries:
            try:
                total += nx.dijkstra_path_length(g, s, t)
            except nx.NetworkXNoPath:
                pass
        query_s = time.perf_counter() - t1
    else:
        sys.exit("unknown peer " + peer)
    print(json.dumps({"load_seconds": round(load_s, 6), "query_seconds": round(query_s, 6),
                      "queries": len(queries), "checksum": round(total, 3)}))


if __name__ == "__main__":
    main()
