"""One bounded multi-source shortest-path pass over the walking network."""

from __future__ import annotations

import numpy as np

from .network import WalkNetwork

# At most this many buckets in a pass: finer buckets than the shortest edge gain nothing.
MAX_BUCKETS = 1 << 16


def bucket_width(shortest_edge_m: float, limit_m: float) -> float:
    """Width of a pass's buckets (see ``kernels.bounded_dijkstra``): the shortest non-zero
    edge, so that no node can lower another in its own bucket and each is settled once, but
    no finer than ``limit_m / MAX_BUCKETS`` nor wider than the limit."""
    return max(min(float(shortest_edge_m), float(limit_m)), float(limit_m) / MAX_BUCKETS, 1e-9)


def shortest_paths(indptr, indices, weights, nodes, offsets_m, limit_m: float, shortest_edge_m: float) -> np.ndarray:
    """``kernels.bounded_dijkstra`` on a CSR graph, its inputs checked first (the compiled loop
    does not check its indices): sources must be nodes of the graph, offsets as many as the
    sources, non-negative and not NaN; the limit non-negative (inf: no limit)."""
    from .kernels import bounded_dijkstra  # lazy: Numba loads with the first analysis

    n = indptr.size - 1
    nodes = np.ascontiguousarray(nodes, dtype=np.int64).reshape(-1)
    offsets_m = np.ascontiguousarray(offsets_m, dtype=np.float64).reshape(-1)
    limit_m = float(limit_m)
    if offsets_m.shape != nodes.shape:
        raise ValueError(f"{offsets_m.size} offsets for {nodes.size} sources")
    if nodes.size and (nodes.min() < 0 or nodes.max() >= n):
        raise ValueError("a source is not a node of the network")
    if np.isnan(offsets_m).any() or (offsets_m < 0).any():
        raise ValueError("source offsets must be non-negative metres")
    if np.isnan(limit_m) or limit_m < 0:
        raise ValueError("the limit must be non-negative metres")
    # Buckets span the limit, or without one the longest path there can be: all the edges and
    # the largest offset. That sum need not be exact: the last bucket takes all beyond it.
    finite = offsets_m[np.isfinite(offsets_m)]
    span = limit_m if np.isfinite(limit_m) else float(weights.sum()) + (float(finite.max()) if finite.size else 0.0)
    width = bucket_width(shortest_edge_m, span)
    n_buckets = int(span / width) + 1 if span > 0 else 1
    return bounded_dijkstra(indptr, indices, weights, nodes, offsets_m, limit_m, width, n_buckets)


def nearest_source_distance(
    network: WalkNetwork, nodes: np.ndarray, offsets_m: np.ndarray, limit_m: float
) -> np.ndarray:
    """Network distance in metres from the nearest source to every node, inf beyond ``limit_m``.

    The distance of a source includes its offset (a facility's straight-line distance from its
    node). One pass from all sources at once, never one search per source, stopping at
    ``limit_m`` so that only the part of the city within reach is visited (see
    ``kernels.bounded_dijkstra``). It releases the GIL, so passes can run on several threads.
    """
    csr = network.csr
    return shortest_paths(csr.indptr, csr.indices, csr.data, nodes, offsets_m, limit_m, network.shortest_edge_m)
