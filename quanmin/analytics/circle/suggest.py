"""Where to build: k candidate sites that bring the most uncovered residents within reach.

Maximum coverage. Each candidate c covers the uncovered residents r with
snap_r + path(node_r, node_c) + snap_c <= T, found by a search bounded by T around c.

Greedy picks, k times, the site adding the most population. Coverage is monotone and
submodular, so greedy reaches at least (1 - 1/e) ~ 63.2 % of the best possible k sites
(Nemhauser, Wolsey & Fisher 1978, "An analysis of approximations for maximizing submodular set
functions"), and no polynomial algorithm does better unless P = NP (Feige 1998). Where the
instance is small an integer program (scipy.optimize.milp, HiGHS) gives the exact optimum.

Cost of the cover sets: a KD-tree ball query per candidate for the b nodes within great-circle
reach T of it, then one multi-source Dijkstra (a bucket queue, kernels.bounded_dijkstra) over all
the balls side by side (disjoint copies, so each is searched from its own candidate only):
O(C (log V + b) + R) for C candidates and R (resident, candidate) pairs in reach; never a search
over the whole city per candidate. Lazy greedy then costs O(M log C) in practice (M = total size
of the sets), O(k M) at worst.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from .geo import EARTH_RADIUS_M, m_to_chord
from .network import WalkNetwork
from .paths import shortest_paths
from .snap import Snapped

GREEDY_GUARANTEE = (
    "greedy max-coverage: at least 1 - 1/e (63.2%) of the optimum for the same k (Nemhauser, Wolsey & Fisher 1978)"
)
EXACT_MAX_CANDIDATES = 200  # beyond this the integer program is not offered automatically


@dataclass(frozen=True)
class CoverSets:
    """Residents each candidate would bring within reach: members[indptr[c]:indptr[c+1]]."""

    indptr: np.ndarray
    members: np.ndarray

    def of(self, c: int) -> np.ndarray:
        return self.members[self.indptr[c] : self.indptr[c + 1]]


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + l) for each pair, without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.arange(total, dtype=np.int64) + shift


def cover_sets(
    network: WalkNetwork,
    resident_snap: Snapped,
    eligible: np.ndarray,
    candidate_snap: Snapped,
    threshold_m: float,
    max_block_nodes: int = 4_000_000,
) -> CoverSets:
    """Per candidate, the eligible (not yet covered) residents within ``threshold_m``.

    A node farther than T * ball_factor by great circle cannot be within T by network, so each
    candidate's search needs only the subgraph inside that ball (1 m of slack absorbs the
    rounding of edge lengths). The balls of all candidates are laid side by side as disjoint
    copies in one graph, each starting at its own candidate's node, and one multi-source pass
    (``paths.shortest_paths``, bounded by T) searches them all at once; copies never touch, so each node's
    distance is from its own candidate. Distances add up in the order the full pass uses
    (snap_c, then edges, then snap_r), so a site's gain agrees with the before/after recount.
    Batches keep the copies under ``max_block_nodes`` nodes.
    """
    n = network.n_nodes
    res_idx = np.flatnonzero(eligible)
    order = res_idx[np.argsort(resident_snap.node[res_idx], kind="stable")]
    order_node = resident_snap.node[order]
    reach = threshold_m - candidate_snap.distance_m
    active = np.flatnonzero(reach >= 0) if order.size else np.empty(0, dtype=np.int64)
    pair_cand, pair_res = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]

    factor = network.ball_factor
    if active.size and not np.isfinite(factor):
        balls = [np.arange(n, dtype=np.int64)] * active.size  # no bound from geometry
    elif active.size:
        radius = np.array([m_to_chord(r * factor + 1.0) for r in reach[active]])
        found = network.ball_tree.query_ball_point(network.xyz[candidate_snap.node[active]], radius)
        balls = [np.asarray(b, dtype=np.int64) for b in found]
    else:
        balls = []

    start = 0
    while start < len(balls):
        stop, size = start, 0
        while stop < len(balls) and (stop == start or size + balls[stop].size <= max_block_nodes):
            size += balls[stop].size
            stop += 1
        cands = active[start:stop]
        comp_c, res = _search_block(
            network,
            balls[start:stop],
            candidate_snap.node[cands],
            candidate_snap.distance_m[cands],
            resident_snap.distance_m,
            order,
            order_node,
            threshold_m,
        )
        pair_cand.append(cands[comp_c])
        pair_res.append(res)
        start = stop

    cand_all = np.concatenate(pair_cand)
    res_all = np.concatenate(pair_res)
    sort = np.lexsort((res_all, cand_all))
    indptr = np.zeros(len(candidate_snap.node) + 1, dtype=np.int64)
    np.cumsum(np.bincount(cand_all, minlength=len(candidate_snap.node)), out=indptr[1:])
    return CoverSets(indptr, res_all[sort])


def _search_block(network, balls, cand_node, cand_off, res_snap_m, order, order_node, threshold_m):
    """One bounded multi-source Dijkstra over disjoint copies of the candidates' balls.

    Returns (candidate position in the block, resident index) for every resident in reach.
    """
    n, base = network.n_nodes, network.csr
    sizes = np.array([b.size for b in balls], dtype=np.int64)
    nodes = np.concatenate(balls)
    comp = np.repeat(np.arange(len(balls)), sizes)
    m = nodes.size
    # Block-local index of (copy, node): look up comp * n + node in the sorted keys.
    key = comp * n + nodes
    korder = np.argsort(key, kind="stable")
    skeys = key[korder]

    def local(keys):
        j = np.minimum(np.searchsorted(skeys, keys), m - 1)
        return korder[j], skeys[j] == keys

    row_len = (base.indptr[nodes + 1] - base.indptr[nodes]).astype(np.int64)
    pos = _ranges(base.indptr[nodes].astype(np.int64), row_len)
    e_src = np.repeat(np.arange(m), row_len)
    e_dst, inside = local(comp[e_src] * n + base.indices[pos])
    e_src, e_dst, e_w = e_src[inside], e_dst[inside], base.data[pos][inside]
    c_local, _ = local(np.arange(len(balls)) * n + cand_node)

    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(e_src, minlength=m), out=indptr[1:])
    dist = shortest_paths(indptr, e_dst, e_w, c_local, cand_off, threshold_m, network.shortest_edge_m)

    lo = np.searchsorted(order_node, nodes, "left")
    hi = np.searchsorted(order_node, nodes, "right")
    has = (hi > lo) & np.isfinite(dist)
    members = order[_ranges(lo[has], (hi - lo)[has])]
    blk = np.repeat(np.flatnonzero(has), (hi - lo)[has])
    within = res_snap_m[members] + dist[blk] <= threshold_m
    return comp[blk[within]], members[within]


def greedy_max_coverage(sets: CoverSets, weight: np.ndarray, k: int) -> tuple[list[int], list[float]]:
    """Lazy greedy: k candidates and the weight each adds, in the order chosen.

    Stops early when no candidate adds anything. Ties go to the earlier candidate.
    """
    n_cand = sets.indptr.size - 1
    covered = np.zeros(weight.size, dtype=bool)
    heap = [(-float(weight[sets.of(c)].sum()), c) for c in range(n_cand)]
    heapq.heapify(heap)
    chosen, gains = [], []
    while heap and len(chosen) < k:
        neg, c = heapq.heappop(heap)
        members = sets.of(c)
        gain = float(weight[members[~covered[members]]].sum())
        if heap:
            bound, other = -heap[0][0], heap[0][1]
            tol = 1e-9 * max(1.0, gain)
            if gain < bound - tol or (gain <= bound + tol and other < c):
                heapq.heappush(heap, (-gain, c))  # stale bound, or a tie the earlier one wins
                continue
        if gain <= 0.0:
            break
        chosen.append(int(c))
        gains.append(gain)
        covered[members] = True
    return chosen, gains


def exact_max_coverage(
    sets: CoverSets, weight: np.ndarray, k: int, time_limit_s: float = 60.0
) -> tuple[list[int], list[float], bool]:
    """Optimal k candidates by integer program (scipy.optimize.milp with HiGHS).

    max sum_e w_e y_e  s.t.  y_e <= sum_{c covers e} x_c,  sum_c x_c <= k,  x binary,
    0 <= y <= 1; residents covered by the same candidates are merged into one element e.
    The chosen sites are returned in greedy order among themselves, each with its gain, and
    whether HiGHS proved the optimum (False when it stopped at ``time_limit_s``).
    """
    import scipy.sparse as sp  # lazy: SciPy's sparse and optimize take 0.5 s to load (measured), only a suggestion needs them
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_cand = sets.indptr.size - 1
    cand_of = np.repeat(np.arange(n_cand), np.diff(sets.indptr))
    incidence = sp.csr_matrix((np.ones(sets.members.size), (sets.members, cand_of)), shape=(weight.size, n_cand))
    incidence.sum_duplicates()
    groups: dict[tuple, int] = {}
    elem_weight: list[float] = []
    rows, cols = [], []
    for r in np.flatnonzero(np.diff(incidence.indptr)):
        key = tuple(incidence.indices[incidence.indptr[r] : incidence.indptr[r + 1]])
        e = groups.get(key)
        if e is None:
            e = groups[key] = len(elem_weight)
            elem_weight.append(0.0)
            rows.extend([e] * len(key))
            cols.extend(key)
        elem_weight[e] += float(weight[r])
    n_elem = len(elem_weight)
    if n_elem == 0 or k <= 0:
        return [], [], True
    # Variables: x_0..x_{C-1}, then y_0..y_{E-1}.
    cover = sp.csr_matrix((-np.ones(len(rows)), (rows, cols)), shape=(n_elem, n_cand))
    a_cover = sp.hstack([cover, sp.identity(n_elem)], format="csr")
    a_budget = sp.hstack([sp.csr_matrix(np.ones((1, n_cand))), sp.csr_matrix((1, n_elem))])
    cost = np.concatenate([np.zeros(n_cand), -np.asarray(elem_weight)])
    res = milp(
        cost,
        constraints=[
            LinearConstraint(a_cover, -np.inf, 0.0),
            LinearConstraint(a_budget, 0.0, float(k)),
        ],
        integrality=np.concatenate([np.ones(n_cand), np.zeros(n_elem)]),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": time_limit_s},
    )
    if res.x is None:
        raise RuntimeError(f"integer program failed: {res.message}")
    picked = [int(c) for c in np.flatnonzero(res.x[:n_cand] > 0.5)]
    sub = CoverSets(
        np.concatenate([[0], np.cumsum([sets.of(c).size for c in picked])]).astype(np.int64),
        np.concatenate([sets.of(c) for c in picked]) if picked else np.empty(0, dtype=np.int64),
    )
    order, gains = greedy_max_coverage(sub, weight, len(picked))
    return [picked[i] for i in order], gains, res.status == 0


def grid_candidates(lon: np.ndarray, lat: np.ndarray, spacing_m: float, max_count: int = 5000):
    """A square grid of candidate sites over the points' extent (when no catalogue is given).

    The spacing widens until at most ``max_count`` sites remain.
    """
    if lon.size == 0:
        return np.empty(0), np.empty(0)
    lat0 = float(np.mean(lat))
    height = np.radians(lat.max() - lat.min()) * EARTH_RADIUS_M
    width = np.radians(lon.max() - lon.min()) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    spacing = float(spacing_m)
    while (width / spacing + 1) * (height / spacing + 1) > max_count:
        spacing *= 1.25
    d_lat = np.degrees(spacing / EARTH_RADIUS_M)
    d_lon = d_lat / max(np.cos(np.radians(lat0)), 1e-6)
    gx = np.arange(lon.min(), lon.max() + d_lon / 2, d_lon)
    gy = np.arange(lat.min(), lat.max() + d_lat / 2, d_lat)
    mx, my = np.meshgrid(gx, gy)
    return mx.ravel(), my.ravel()


def union_sources(a: Snapped, b: Snapped) -> Snapped:
    """Facilities and chosen sites together, for the after-coverage pass."""
    return Snapped(np.concatenate([a.node, b.node]), np.concatenate([a.distance_m, b.distance_m]))


__all__ = [
    "EXACT_MAX_CANDIDATES",
    "GREEDY_GUARANTEE",
    "CoverSets",
    "cover_sets",
    "exact_max_coverage",
    "greedy_max_coverage",
    "grid_candidates",
    "union_sources",
]
