"""One bounded multi-source shortest-path pass over the walking network."""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .network import WalkNetwork


def source_edges(nodes: np.ndarray, offsets_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The super-source's edges: one per node, weighing the smallest offset of the sources
    there (a facility's straight-line distance from its node)."""
    nodes = np.asarray(nodes, dtype=np.int64)
    offsets_m = np.asarray(offsets_m, dtype=np.float64)
    if nodes.size:
        order = np.lexsort((offsets_m, nodes))
        nodes, offsets_m = nodes[order], offsets_m[order]
        first = np.ones(nodes.size, dtype=bool)
        first[1:] = nodes[1:] != nodes[:-1]
        nodes, offsets_m = nodes[first], offsets_m[first]
    return nodes, offsets_m


def nearest_source_distance(
    network: WalkNetwork, nodes: np.ndarray, offsets_m: np.ndarray, limit_m: float
) -> np.ndarray:
    """Network distance in metres from the nearest source to every node, inf beyond ``limit_m``.

    The distance of a source includes its offset. One Dijkstra (SciPy csgraph, C) from the
    virtual super-source, never one search per source; ``limit`` stops it at ``limit_m`` so
    only the part of the city within reach is visited. Cost O((V' + E') log V') for the
    V' nodes and E' edges within reach.
    """
    n = network.n_nodes
    if np.asarray(nodes).size == 0:
        return np.full(n, np.inf)
    # The super-source (the CSR's spare last row) joined to each source's node: one Dijkstra
    # from it gives, at every node v, min over sources f of (offset_f + path(node_f, v)). A zero
    # offset stays an explicit entry, which csgraph reads as an edge of weight 0.
    with network.super_source.joined(*source_edges(nodes, offsets_m)) as graph:
        dist = dijkstra(graph, directed=True, indices=n, limit=float(limit_m), min_only=True)
    return dist[:n]
