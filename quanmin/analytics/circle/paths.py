"""One bounded multi-source shortest-path pass over the walking network."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .network import WalkNetwork


def with_super_source(network: WalkNetwork, nodes: np.ndarray, offsets_m: np.ndarray) -> sp.csr_matrix:
    """The network's CSR with its spare last row (the virtual super-source) joined to ``nodes``.

    Each edge weighs that source's offset (a facility's straight-line distance from its node),
    so one Dijkstra from the super-source gives, at every node v,
    min over facilities f of (offset_f + path(node_f, v)). Several facilities on one node keep
    the smallest offset. A zero offset stays an explicit entry: csgraph reads explicit zeros in
    a CSR matrix as edges of weight 0.
    """
    base = network.csr
    n = network.n_nodes
    nodes = np.asarray(nodes, dtype=np.int64)
    offsets_m = np.asarray(offsets_m, dtype=np.float64)
    if nodes.size:
        order = np.lexsort((offsets_m, nodes))
        nodes, offsets_m = nodes[order], offsets_m[order]
        first = np.ones(nodes.size, dtype=bool)
        first[1:] = nodes[1:] != nodes[:-1]
        nodes, offsets_m = nodes[first], offsets_m[first]
    nnz = base.indptr[n]
    indptr = base.indptr.copy()
    indptr[n + 1] = nnz + nodes.size
    indices = np.concatenate([base.indices[:nnz], nodes.astype(base.indices.dtype)])
    data = np.concatenate([base.data[:nnz], offsets_m])
    return sp.csr_matrix((data, indices, indptr), shape=base.shape)


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
    graph = with_super_source(network, nodes, offsets_m)
    dist = dijkstra(graph, directed=True, indices=n, limit=float(limit_m))
    return dist[:n]
