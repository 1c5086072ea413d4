"""Compiled loops (Numba) for the analysis's hot paths.

They release the GIL, so the residents' snap and the per-type passes run side by side on the
cores. Compiled once and cached on disk (``cache=True``: beside this file, or in Numba's
per-user cache where this folder is read-only); import this module only where it is used, since
importing Numba takes a fifth of a second.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def _grow(nodes, keys, links, used):
    cap = 2 * nodes.size
    n2, k2, l2 = np.empty(cap, nodes.dtype), np.empty(cap, keys.dtype), np.empty(cap, links.dtype)
    n2[:used], k2[:used], l2[:used] = nodes[:used], keys[:used], links[:used]
    return n2, k2, l2


@njit(nogil=True, cache=True)
def bounded_dijkstra(indptr, indices, weights, sources, offsets, limit, width):
    """Distance from the nearest source to every node of a CSR graph, inf beyond ``limit``.

    A source's distance starts at its offset, so the result at v is min over sources s of
    (offset_s + path(s, v)), as one Dijkstra from a virtual super-source gives; a path longer
    than ``limit`` is not followed (a distance equal to it is kept, as SciPy's ``limit``).

    Dial's bucket queue instead of a heap: bucket b holds the nodes whose distance lies in
    [b * width, (b + 1) * width), taken in order. When no edge is shorter than ``width``
    (see ``paths.bucket_width``), a node cannot lower another in its own bucket, so every node is
    final when its bucket is reached; shorter edges (a zero-length one, say) just put a node
    back into the current bucket, and it is done again with its lower distance. Either way the
    result is each node's least float path sum over the paths within the limit, the same
    floats as SciPy's csgraph (float addition of a non-negative length never lowers a sum),
    in about 2.5 times less time on a city network: no heap to keep in order.
    """
    n = indptr.size - 1
    dist = np.full(n, np.inf)
    n_buckets = int(limit / width) + 1 if limit > 0.0 else 1
    head = np.full(n_buckets, -1, dtype=np.int64)
    # Bucket entries as linked lists in one pool: node, its distance when queued, next entry.
    nodes = np.empty(4096, dtype=indices.dtype)
    keys = np.empty(4096, dtype=np.float64)
    links = np.empty(4096, dtype=np.int64)
    used = 0
    first = n_buckets
    for i in range(sources.size):
        s, d = sources[i], offsets[i]
        if d <= limit and d < dist[s]:
            dist[s] = d
            b = int(d / width) if limit > 0.0 else 0
            if used == nodes.size:
                nodes, keys, links = _grow(nodes, keys, links, used)
            nodes[used], keys[used], links[used] = s, d, head[b]
            head[b] = used
            used += 1
            first = min(first, b)
    b = first
    while b < n_buckets:
        k = head[b]
        if k < 0:
            b += 1
            continue
        head[b] = links[k]
        u, du = nodes[k], keys[k]
        if du != dist[u]:
            continue  # lowered since it was queued: its newer entry counts
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = du + weights[e]
            if nd > limit or nd >= dist[v]:
                continue
            dist[v] = nd
            bv = int(nd / width)
            if used == nodes.size:
                nodes, keys, links = _grow(nodes, keys, links, used)
            nodes[used], keys[used], links[used] = v, nd, head[bv]
            head[bv] = used
            used += 1
    return dist


@njit(nogil=True, cache=True)
def covered_by_leaf(walk, population, leaf, n_leaves, thresholds):
    """Per threshold, the population within it summed per leaf division: in one sweep what
    ``np.bincount(leaf, np.where(walk <= t, population, 0))`` gives per threshold, adding
    resident by resident in the same order, so the same floats."""
    covered = np.zeros((thresholds.size, n_leaves))
    for i in range(walk.size):
        w = walk[i]
        for t in range(thresholds.size):
            if w <= thresholds[t]:
                covered[t, leaf[i]] += population[i]
    return covered
