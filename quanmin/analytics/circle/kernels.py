"""Compiled loops (Numba) for the analysis's hot paths.

They release the GIL, so the residents' snap and the per-type passes run side by side on the
cores. Compiled once and cached on disk (``cache=True``): in ``__pycache__`` beside this file,
or, where that is read-only (a package installed by another user), in ``NUMBA_CACHE_DIR``, which
is set below to a folder of the temporary directory unless given. Import this module only where
it is used, since importing Numba takes a fifth of a second.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np


def _cache_dir() -> None:
    """Point Numba's cache somewhere writable before it is imported: with neither this folder
    nor a home cache writable (a service account), every decorator below would fail."""
    here = Path(__file__).resolve().parent
    if (
        "NUMBA_CACHE_DIR" not in os.environ
        and not os.access(here / "__pycache__", os.W_OK)
        and not os.access(here, os.W_OK)
    ):
        os.environ["NUMBA_CACHE_DIR"] = str(Path(tempfile.gettempdir()) / f"quanmin-numba-{os.getuid()}")


_cache_dir()

from numba import njit  # noqa: E402 (after the cache folder is settled)


@njit(nogil=True, cache=True)
def csr_from_edges(u, v, length, n):
    """Both directions of every edge as CSR arrays (indptr, indices, data): a counting sort
    by row, every entry kept (parallel edges too: a pass relaxes each and keeps the shorter)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(u.size):
        indptr[u[e] + 1] += 1
        indptr[v[e] + 1] += 1
    for i in range(n):
        indptr[i + 1] += indptr[i]
    fill = indptr[:-1].copy()
    indices = np.empty(2 * u.size, dtype=u.dtype)
    data = np.empty(2 * u.size)
    for e in range(u.size):
        a, b, w = u[e], v[e], length[e]
        indices[fill[a]], data[fill[a]] = b, w
        fill[a] += 1
        indices[fill[b]], data[fill[b]] = a, w
        fill[b] += 1
    return indptr, indices, data


@njit(nogil=True, cache=True)
def _grow(nodes, keys, links, used):
    cap = 2 * nodes.size
    n2, k2, l2 = np.empty(cap, nodes.dtype), np.empty(cap, keys.dtype), np.empty(cap, links.dtype)
    n2[:used], k2[:used], l2[:used] = nodes[:used], keys[:used], links[:used]
    return n2, k2, l2


@njit(nogil=True, cache=True)
def bounded_dijkstra(indptr, indices, weights, sources, offsets, limit, width, n_buckets):
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
    in about 2.5 times less time on a city network: no heap to keep in order. The last of the
    ``n_buckets`` buckets also takes every distance beyond it, as a current bucket would. The
    indices are not checked here: ``paths.shortest_paths`` checks them.
    """
    n = indptr.size - 1
    dist = np.full(n, np.inf)
    last = n_buckets - 1
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
            b = min(int(d / width), last)
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
            # Queued as the sources were, written out again: a helper returning the pool (arrays
            # in a tuple) made the pass twice as slow, measured.
            bv = min(int(nd / width), last)
            if used == nodes.size:
                nodes, keys, links = _grow(nodes, keys, links, used)
            nodes[used], keys[used], links[used] = v, nd, head[bv]
            head[bv] = used
            used += 1
    return dist


@njit(nogil=True, cache=True)
def _add(totals, lost, t, x):
    """totals[t] += x, keeping what the rounding lost in lost[t] (Neumaier's compensated sum).

    The analysis's totals add a million fractional populations one by one; plain addition
    would leave an error of some 1e-7 (a city of 5,952,128 people showed 5952128.000000234).
    With the lost parts added back the total is exact to the last bit or two, like NumPy's
    pairwise sum, and no longer depends on the order of the residents."""
    s = totals[t] + x
    if abs(totals[t]) >= abs(x):
        lost[t] += (totals[t] - s) + x
    else:
        lost[t] += (x - s) + totals[t]
    totals[t] = s


@njit(nogil=True, cache=True)
def sum_in_order(values):
    """The sum of ``values``, added as ``cover`` adds its totals."""
    totals, lost = np.zeros(1), np.zeros(1)
    for i in range(values.size):
        _add(totals, lost, 0, values[i])
    return totals[0] + lost[0]


@njit(nogil=True, cache=True)
def _cover(i, w, population, leaf, thresholds, totals, lost, covered):
    """Resident i, at walking distance w, counted within every threshold it is within."""
    for t in range(thresholds.size):
        if w <= thresholds[t]:
            _add(totals, lost, t, population[i])
            if leaf.size:
                covered[t, leaf[i]] += population[i]


@njit(nogil=True, cache=True)
def cover(walk, population, leaf, n_leaves, thresholds):
    """Per threshold, the population within it: in total (compensated, see ``_add``) and,
    unless ``leaf`` is empty (residents without division codes), per leaf division, added
    resident by resident as ``np.bincount(leaf, np.where(walk <= t, population, 0))`` adds,
    so the same floats. Returns (totals, per-leaf sums)."""
    totals, lost = np.zeros(thresholds.size), np.zeros(thresholds.size)
    covered = np.zeros((thresholds.size, n_leaves))
    for i in range(walk.size):
        _cover(i, walk[i], population, leaf, thresholds, totals, lost, covered)
    return totals + lost, covered


@njit(nogil=True, cache=True)
def walk_and_cover(res_node, res_snap_m, node_dist, walk_min, population, leaf, n_leaves, thresholds):
    """``cover`` of one facility type's walk per resident (snap + the node's distance), in the
    same sweep that folds the walk into the running minimum ``walk_min`` in place."""
    totals, lost = np.zeros(thresholds.size), np.zeros(thresholds.size)
    covered = np.zeros((thresholds.size, n_leaves))
    for i in range(res_node.size):
        w = res_snap_m[i] + node_dist[res_node[i]]
        if w < walk_min[i]:
            walk_min[i] = w
        _cover(i, w, population, leaf, thresholds, totals, lost, covered)
    return totals + lost, covered


@njit(nogil=True, cache=True)
def counting_positions(code, n_codes):
    """Counting sort of ``code`` (0 <= code < n_codes): where each item goes when items are
    taken code by code, in their given order within a code, and ``start`` (``start[c]`` to
    ``start[c + 1]`` are code c's places)."""
    start = np.zeros(n_codes + 1, dtype=np.int64)
    for i in range(code.size):
        start[code[i] + 1] += 1
    for c in range(n_codes):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    position = np.empty(code.size, dtype=np.int64)
    for i in range(code.size):
        position[i] = fill[code[i]]
        fill[code[i]] += 1
    return start, position


@njit(nogil=True, cache=True)
def spatial_order(lon, lat, bits):
    """Each point's place when points are grouped into 2^bits x 2^bits squares over their
    extent, the squares taken along a Z-order curve and the points of a square in their given
    order: a counting sort, so ``out[position] = values`` (NumPy) moves an array there reading
    it once in order and writing to as many streams as squares, which the cache holds, where
    sorting them point by point would read at random.
    """
    n = lon.size
    lon_lo, lon_hi, lat_lo, lat_hi = lon.min(), lon.max(), lat.min(), lat.max()
    side = 1 << bits
    sx = side / (lon_hi - lon_lo) if lon_hi > lon_lo else 0.0
    sy = side / (lat_hi - lat_lo) if lat_hi > lat_lo else 0.0
    code = np.empty(n, dtype=np.int64)
    for i in range(n):
        x = min(int((lon[i] - lon_lo) * sx), side - 1)
        y = min(int((lat[i] - lat_lo) * sy), side - 1)
        z = 0
        for b in range(bits):  # interleave: x in the even bits, y in the odd
            z |= ((x >> b) & 1) << (2 * b) | ((y >> b) & 1) << (2 * b + 1)
        code[i] = z
    return counting_positions(code, side * side)[1]


# sin and cos at every multiple of 1/64 rad over [-2 pi, 2 pi], for ``_sin_cos``.
_STEPS_PER_RAD = 64
_TABLE_OFFSET = 403
_TABLE_ANGLES = np.arange(-_TABLE_OFFSET, _TABLE_OFFSET + 1) / _STEPS_PER_RAD
SIN_TABLE, COS_TABLE = np.sin(_TABLE_ANGLES), np.cos(_TABLE_ANGLES)


@njit(nogil=True, cache=True)
def _sin_cos(a, sin_table, cos_table):
    """sin and cos of ``a`` (|a| <= 2 pi) within an ulp or two of NumPy's, five times faster.

    NumPy's float64 sin and cos are not vectorised; here a = k/64 + d with |d| <= 1/128: the
    table gives sin and cos of k/64, and Taylor polynomials those of d (the first term left
    out is below 1e-20), joined by the angle-sum formulas. k/64 is exact in binary and a - k/64
    loses nothing (Sterbenz), so the only errors are the last roundings.
    """
    if not abs(a) <= 6.28:  # beyond the table (or NaN): the library's own
        return np.sin(a), np.cos(a)
    k = int(np.rint(a * _STEPS_PER_RAD))
    d = a - k / _STEPS_PER_RAD
    d2 = d * d
    sin_d = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)))
    cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0)))
    sin_k, cos_k = sin_table[k + _TABLE_OFFSET], cos_table[k + _TABLE_OFFSET]
    return sin_k * cos_d + cos_k * sin_d, cos_k * cos_d - sin_k * sin_d


@njit(nogil=True, cache=True)
def unit_xyz(lon, lat, sin_table, cos_table):
    """Points on the unit sphere (see ``geo.unit_xyz``)."""
    out = np.empty((lon.size, 3))
    to_rad = np.pi / 180.0
    for i in range(lon.size):
        sin_lat, cos_lat = _sin_cos(lat[i] * to_rad, sin_table, cos_table)
        sin_lon, cos_lon = _sin_cos(lon[i] * to_rad, sin_table, cos_table)
        out[i, 0] = cos_lat * cos_lon
        out[i, 1] = cos_lat * sin_lon
        out[i, 2] = sin_lat
    return out


@njit(nogil=True, cache=True)
def column_sums(xyz):
    """``xyz.sum(axis=0)`` of an (n, 3) array in one sweep (NumPy's takes 15 times longer)."""
    out = np.zeros(3)
    for i in range(xyz.shape[0]):
        out[0] += xyz[i, 0]
        out[1] += xyz[i, 1]
        out[2] += xyz[i, 2]
    return out


@njit(nogil=True, cache=True)
def max_chord2(xyz, centre):
    """The largest squared chord from ``centre`` to any of the points."""
    worst = 0.0
    for i in range(xyz.shape[0]):
        dx, dy, dz = xyz[i, 0] - centre[0], xyz[i, 1] - centre[1], xyz[i, 2] - centre[2]
        worst = max(worst, dx * dx + dy * dy + dz * dz)
    return worst


@njit(nogil=True, cache=True)
def project(xyz, e1, e2):
    """Coordinates of points on the unit sphere in the plane spanned by ``e1`` and ``e2``."""
    n = xyz.shape[0]
    px, py = np.empty(n), np.empty(n)
    for i in range(n):
        px[i] = xyz[i, 0] * e1[0] + xyz[i, 1] * e1[1] + xyz[i, 2] * e1[2]
        py[i] = xyz[i, 0] * e2[0] + xyz[i, 1] * e2[1] + xyz[i, 2] * e2[2]
    return px, py


@njit(nogil=True, cache=True)
def grid_cells(px, py, x0, y0, h, ncx, ncy):
    """The points in the cells of a uniform grid (clamped to it), in cell order: ``start[c]`` to
    ``start[c + 1]`` of ``order`` are cell c's points."""
    n = px.size
    cell = np.empty(n, dtype=np.int64)
    for i in range(n):
        cx = min(max(int((px[i] - x0) / h), 0), ncx - 1)
        cy = min(max(int((py[i] - y0) / h), 0), ncy - 1)
        cell[i] = cy * ncx + cx
    start, position = counting_positions(cell, ncx * ncy)
    order = np.empty(n, dtype=np.int64)
    order[position] = np.arange(n)
    return start, order


@njit(nogil=True, cache=True)
def _rect_gap2(qx, qy, xa, xb, ya, yb):
    """Squared distance from (qx, qy) to the rectangle [xa, xb] x [ya, yb]."""
    dx = max(xa - qx, 0.0, qx - xb)
    dy = max(ya - qy, 0.0, qy - yb)
    return dx * dx + dy * dy


@njit(nogil=True, cache=True)
def _scan_range(lo, hi, node_xyz, ax, ay, az, best, best_k):
    for k in range(lo, hi):
        dx, dy, dz = node_xyz[k, 0] - ax, node_xyz[k, 1] - ay, node_xyz[k, 2] - az
        d2 = dx * dx + dy * dy + dz * dz
        if d2 < best:
            best, best_k = d2, k
    return best, best_k


@njit(nogil=True, cache=True)
def _scan_cell(c, start, node_xyz, ax, ay, az, best, best_k):
    return _scan_range(start[c], start[c + 1], node_xyz, ax, ay, az, best, best_k)


@njit(nogil=True, cache=True)
def grid_nearest(qxyz, e1, e2, node_xyz, start, x0, y0, h, ncx, ncy, e3, far_chord2, out_index, out_chord):
    """Nearest grid point (by 3D chord) to each query: rings of cells outward from the query's
    cell until no cell left outside the rings can hold a nearer one.

    ``node_xyz`` holds the points in cell order; ``out_index`` receives positions in that
    order. ``e1`` and ``e2`` span the plane the points are projected on (see ``project``), and
    a projection never lengthens a distance, so the plane distance from a query to the cells beyond ring r is a
    lower bound of their chord: once it exceeds the best chord found, the search is over. The
    answer is exact; the bound only decides how far to look. A query whose squared chord to
    ``e3`` (the points' centre) exceeds ``far_chord2`` is compared with every point instead.
    """
    xmax, ymax = x0 + ncx * h, y0 + ncy * h
    for q in range(qxyz.shape[0]):
        ax, ay, az = qxyz[q, 0], qxyz[q, 1], qxyz[q, 2]
        cx_, cy_, cz_ = ax - e3[0], ay - e3[1], az - e3[2]
        if cx_ * cx_ + cy_ * cy_ + cz_ * cz_ > far_chord2:
            # Far beyond the points the plane bounds nothing: a straight look at every point
            # (a plain sweep, faster here than ring after ring of cells or a KD-tree's branches).
            best, best_k = _scan_range(0, node_xyz.shape[0], node_xyz, ax, ay, az, np.inf, -1)
            out_index[q], out_chord[q] = best_k, np.sqrt(best)
            continue
        px = ax * e1[0] + ay * e1[1] + az * e1[2]  # as ``project`` computes it
        py = ax * e2[0] + ay * e2[1] + az * e2[2]
        cx = min(max(int((px - x0) / h), 0), ncx - 1)
        cy = min(max(int((py - y0) / h), 0), ncy - 1)
        best, best_k = np.inf, -1
        r = 0
        while True:
            for gy in range(max(cy - r, 0), min(cy + r, ncy - 1) + 1):
                if gy == cy - r or gy == cy + r:  # the ring's top or bottom row: all new
                    for gx in range(max(cx - r, 0), min(cx + r, ncx - 1) + 1):
                        best, best_k = _scan_cell(gy * ncx + gx, start, node_xyz, ax, ay, az, best, best_k)
                else:  # a row between them: only its two end cells are new
                    if cx - r >= 0:
                        best, best_k = _scan_cell(gy * ncx + cx - r, start, node_xyz, ax, ay, az, best, best_k)
                    if cx + r < ncx:
                        best, best_k = _scan_cell(gy * ncx + cx + r, start, node_xyz, ax, ay, az, best, best_k)
            # The cells beyond ring r lie in at most four rectangles; the nearest of them bounds
            # every chord still unseen (less a hair for rounding in the projection).
            gap = np.inf
            if cx - r - 1 >= 0:
                gap = min(gap, _rect_gap2(px, py, x0, x0 + (cx - r) * h, y0, ymax))
            if cx + r + 1 < ncx:
                gap = min(gap, _rect_gap2(px, py, x0 + (cx + r + 1) * h, xmax, y0, ymax))
            if cy - r - 1 >= 0:
                gap = min(gap, _rect_gap2(px, py, x0, xmax, y0, y0 + (cy - r) * h))
            if cy + r + 1 < ncy:
                gap = min(gap, _rect_gap2(px, py, x0, xmax, y0 + (cy + r + 1) * h, ymax))
            if gap == np.inf:
                break  # every cell has been seen
            margin = np.sqrt(gap) - 1e-12
            if best_k >= 0 and margin > 0.0 and margin * margin > best:
                break
            r += 1
        out_index[q] = best_k
        out_chord[q] = np.sqrt(best)
