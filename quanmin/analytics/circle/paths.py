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


def nearest_source_distance(
    network: WalkNetwork, nodes: np.ndarray, offsets_m: np.ndarray, limit_m: float
) -> np.ndarray:
    """Network distance in metres from the nearest source to every node, inf beyond ``limit_m``.

    The distance of a source includes its offset (a facility's straight-line distance from its
    node). One pass from all sources at once, never one search per source, stopping at
    ``limit_m`` so that only the part of the city within reach is visited (see
    ``kernels.bounded_dijkstra``). It releases the GIL, so passes can run on several threads.
    """
    from .kernels import bounded_dijkstra

    nodes = np.ascontiguousarray(nodes, dtype=np.int64).reshape(-1)
    offsets_m = np.ascontiguousarray(offsets_m, dtype=np.float64).reshape(-1)
    if nodes.size == 0:
        return np.full(network.n_nodes, np.inf)
    limit_m = float(limit_m)
    if not np.isfinite(limit_m):  # no path is longer than all the edges together
        limit_m = float(network.length_m.sum() + offsets_m.max())
    csr = network.csr
    return bounded_dijkstra(
        csr.indptr, csr.indices, csr.data, nodes, offsets_m, limit_m, bucket_width(network.shortest_edge_m, limit_m)
    )
