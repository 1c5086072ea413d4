"""Benchmark of the fitness-circle analysis (issue 7), printing one JSON line.

A generated street grid of 1,000,000 nodes, 1,000,000 resident points and 5,000 facilities of
5 types; thresholds 10 and 15 minutes at the default speed. Times the whole analysis (network
preparation, snapping, one multi-source pass per facility type, the overall distance being
their minimum, totals and division roll-ups; median of 5 runs, the first reported apart) and
its peak memory, then the same shortest-path work in networkx (multi_source_dijkstra_path_length from a super-source joined to each facility's node by its
snap distance, on the same graph, with the same cutoff) and checks both give the same figures.

    python bench/fitness_circle.py [--nodes N] [--residents N] [--facilities N] [--nx-nodes N]

Goals: under 5 s in total, at least 20x faster than networkx.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from quanmin.analytics.circle import (
    analyse,
    generate_facilities,
    generate_grid_network,
    generate_residents,
    snap,
    threshold_m,
)

MINUTES = (10, 15)


def rss_mb(field: str) -> float | None:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM, so the next peak is this stage's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def networkx_run(net, fac, res, limit_m, thresholds):
    """The same analysis with networkx as the shortest-path engine: graph build, one pass per
    facility type from a super-source (multi_source_dijkstra_path_length, cutoff = the largest
    threshold), the overall distance as the minimum over types (as ours does), then the same
    vectorised per-resident sums. Snapping reuses our KD-tree (networkx has no nearest-node
    search) and is timed as its own stage."""
    import networkx as nx

    timings = {}
    t = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_weighted_edges_from(zip(net.u.tolist(), net.v.tolist(), net.length_m.tolist()), weight="length")
    timings["graph_build"] = time.perf_counter() - t

    t = time.perf_counter()
    rs = snap(net, res.lon, res.lat)
    fs = snap(net, fac.lon, fac.lat)
    timings["snap_same_kdtree"] = time.perf_counter() - t

    source = net.n_nodes  # the super-source: one id past the real nodes
    sp_s = cov_s = sp_cpu = 0.0
    walk_all = np.full(len(res), np.inf)
    by_type = {}
    for name in sorted(set(fac.type.tolist())):
        t0, c0 = time.perf_counter(), time.thread_time()
        mask = fac.type == name
        for node, off in zip(fs.node[mask].tolist(), fs.distance_m[mask].tolist()):
            if not graph.has_edge(source, node) or graph[source][node]["length"] > off:
                graph.add_edge(source, node, length=off)
        dist = nx.multi_source_dijkstra_path_length(graph, [source], cutoff=limit_m, weight="length")
        graph.remove_node(source)
        t1 = time.perf_counter()
        sp_cpu += time.thread_time() - c0
        node_dist = np.full(net.n_nodes + 1, np.inf)
        node_dist[np.fromiter(dist.keys(), dtype=np.int64, count=len(dist))] = np.fromiter(
            dist.values(), dtype=np.float64, count=len(dist)
        )
        walk = rs.distance_m + node_dist[rs.node]
        np.minimum(walk_all, walk, out=walk_all)
        by_type[name] = {m: int(res.population[walk <= thr].sum()) for m, thr in thresholds.items()}
        sp_s, cov_s = sp_s + (t1 - t0), cov_s + (time.perf_counter() - t1)
    t = time.perf_counter()
    covered_all = {m: int(res.population[walk_all <= thr].sum()) for m, thr in thresholds.items()}
    timings["shortest_paths"] = sp_s
    timings["shortest_paths_cpu"] = sp_cpu  # not part of the total (it is inside shortest_paths)
    timings["coverage"] = cov_s + time.perf_counter() - t
    return timings, covered_all, by_type


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--facilities", type=int, default=5_000)
    parser.add_argument("--nx-nodes", type=int, default=None, help="networkx on a smaller generated network")
    parser.add_argument("--repeat", type=int, default=5, help="runs of ours; the median is reported")
    parser.add_argument("--no-networkx", action="store_true")
    args = parser.parse_args()

    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    # Modules are imported before the clock starts, as networkx is on its side: pandas (the
    # division index) and Numba (the compiled loops) are imported by the analysis only when used.
    import pandas  # noqa: F401

    import quanmin.analytics.circle.kernels  # noqa: F401

    t = time.perf_counter()
    net = generate_grid_network(args.nodes, seed=0)
    res = generate_residents(net, args.residents, seed=1)
    fac = generate_facilities(net, args.facilities, seed=2)
    generate_s = time.perf_counter() - t

    rss_before = rss_mb("VmRSS")
    peak_reset = reset_peak_rss()
    runs = []
    for _ in range(max(1, args.repeat)):
        # A fresh copy of the network each run, so the CSR and the KD-tree are built and timed.
        run_net = generate_grid_network(args.nodes, seed=0) if runs else net
        stages: dict = {}
        t, cpu = time.perf_counter(), time.process_time()
        result = analyse(run_net, fac, res, minutes=MINUTES, timings=stages)
        runs.append((time.perf_counter() - t, stages, time.process_time() - cpu))
        if len(runs) == 1:
            peak = rss_mb("VmHWM")
    first_s = runs[0][0]
    runs.sort(key=lambda r: r[0])
    total_s, stages, total_cpu_s = runs[len(runs) // 2]
    # The same on one thread, to show what the second thread buys.
    t = time.perf_counter()
    analyse(generate_grid_network(args.nodes, seed=0), fac, res, minutes=MINUTES, parallel=False)
    one_thread_s = time.perf_counter() - t

    out = {
        "bench": "fitness_circle",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_1m_at_start": load_at_start,  # other work on the machine skews the times
        },
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "residents": len(res),
        "facilities": len(fac),
        "facility_types": len(result.get("by_type", {})),
        "minutes": list(MINUTES),
        "speed_kmh": result["method"]["speed_kmh"],
        "generate_s": round(generate_s, 3),
        "total_s": round(total_s, 3),
        "total_s_runs": [round(r[0], 3) for r in runs],
        # The process's first analysis also loads the compiled loops from Numba's cache (make setup
        # fills it; with an empty cache it would compile them, several seconds, once per install).
        "first_run_s": round(first_s, 3),
        "total_cpu_s": round(total_cpu_s, 3),  # both threads; steadier than wall time under load
        "total_s_one_thread": round(one_thread_s, 3),
        "stages_s": {k: round(v, 3) for k, v in stages.items()},
        "stages_note": "prepare, snap_facilities, passes, coverage: wall time per stage on the calling "
        "thread; dijkstra_in_passes: the passes' own time on the second thread, meanwhile; "
        "snap_residents_in_parallel: the longest slice of the residents' snap, on threads of its own",
        "rss_before_analysis_mb": rss_before,
        "peak_rss_mb": peak,
        "peak_rss_scope": "first analysis only (VmHWM reset before it)" if peak_reset else "whole process",
        "share": {k: v["share"] for k, v in result["minutes"].items()},
    }

    if not args.no_networkx:
        thresholds = {str(m): threshold_m(m) for m in MINUTES}
        if args.nx_nodes and args.nx_nodes < args.nodes:
            # Both sides on the same smaller network, scaled points, so the ratio stays fair.
            scale = args.nx_nodes / args.nodes
            nx_net = generate_grid_network(args.nx_nodes, seed=0)
            nx_res = generate_residents(nx_net, max(1, int(args.residents * scale)), seed=1)
            nx_fac = generate_facilities(nx_net, max(1, int(args.facilities * scale)), seed=2)
            t = time.perf_counter()
            ours = analyse(nx_net, nx_fac, nx_res, minutes=MINUTES)
            ours_s = time.perf_counter() - t
            scope = f"subgraph: generated network of {nx_net.n_nodes} nodes, points scaled alike"
        else:
            nx_net, nx_res, nx_fac, ours, ours_s = net, res, fac, result, total_s
            scope = "full graph"
        cpu = time.process_time()
        nx_t, nx_cov, nx_types = networkx_run(nx_net, nx_fac, nx_res, max(thresholds.values()), thresholds)
        nx_cpu = time.process_time() - cpu
        nx_total = sum(v for k, v in nx_t.items() if not k.endswith("_cpu"))
        same = all(nx_cov[k] == ours["minutes"][k]["covered_population"] for k in thresholds) and all(
            nx_types[name][k] == ours["by_type"][name]["minutes"][k]["covered_population"]
            for name in nx_types
            for k in thresholds
        )
        out["networkx"] = {
            "scope": scope,
            "stages_s": {k: round(v, 3) for k, v in nx_t.items()},
            "total_s": round(nx_total, 3),
            "total_cpu_s": round(nx_cpu, 3),
            "ours_total_s": round(ours_s, 3),
            "same_figures": same,
        }
        out["speedup_total"] = round(nx_total / ours_s, 1)
        if scope == "full graph":
            out["speedup_total_cpu"] = round(nx_cpu / total_cpu_s, 1)
        if scope == "full graph":
            out["speedup_shortest_paths"] = round(nx_t["shortest_paths"] / stages["dijkstra_in_passes"], 1)
            out["speedup_shortest_paths_cpu"] = round(nx_t["shortest_paths_cpu"] / stages["dijkstra_in_passes_cpu"], 1)
    out["goals"] = {
        "under_5_s": total_s < 5.0,
        "at_least_20x_networkx": out.get("speedup_total", 0) >= 20,
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
