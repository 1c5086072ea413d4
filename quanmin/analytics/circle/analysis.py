"""The whole fitness-circle analysis in one call, returning a JSON-ready dict."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .coverage import (
    DivisionIndex,
    coverage_totals,
    division_figures,
    division_table,
    number,
    totals_table,
    underserved,
    walk_distance_m,
)
from .network import WalkNetwork
from .paths import nearest_source_distance
from .points import Candidates, Facilities, Residents
from .snap import GROUP_FROM, Snapped, SnapQuery, SpatialOrder, snap
from .standard import (
    DEFAULT_MINUTES,
    DEFAULT_SPEED_KMH,
    STANDARD,
    minutes_key,
    speed_m_per_min,
    threshold_m,
)
from .suggest import (
    EXACT_MAX_CANDIDATES,
    GREEDY_GUARANTEE,
    cover_sets,
    exact_max_coverage,
    greedy_max_coverage,
    grid_candidates,
    union_sources,
)


class _Clock:
    """Stage timings (seconds) into the caller's dict, and progress to the caller's callback."""

    def __init__(self, timings: dict | None, progress: Callable[[str], None] | None):
        self.timings, self.progress, self.t = timings, progress, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + (now - self.t)
        if self.progress is not None:
            self.progress(stage)
        self.t = now


def analyse(
    network: WalkNetwork,
    facilities: Facilities,
    residents: Residents,
    minutes: Sequence[float] = DEFAULT_MINUTES,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    suggest_k: int = 0,
    candidates: Candidates | None = None,
    suggest_minutes: float | None = None,
    suggest_method: str = "auto",
    by_type: bool = True,
    top: int = 20,
    timings: dict | None = None,
    progress: Callable[[str], None] | None = None,
    arrays: dict | None = None,
    parallel: bool = True,
) -> dict:
    """Share of residents within each walking time of a sports ground, and where to build.

    Method (issue 7): every resident point and facility joins its nearest network node by
    great-circle distance; resident-to-facility distance = straight line to its node + shortest
    network path + the facility's straight line from its node; minutes = distance / speed
    (default 3.6 km/h from GB 50180-2018, see standard.py). One bounded multi-source
    Dijkstra covers all facilities at once; with facility types, one per type instead, the
    overall figure being their minimum (see ``_fold_passes``). Suggestions (``suggest_k`` > 0)
    choose among ``candidates``, or a grid over the uncovered residents when none are given,
    at ``suggest_minutes`` (default: the largest threshold); ``suggest_method`` "auto" runs the
    integer program up to 200 candidates and greedy beyond.

    Returns a dict that ``json.dumps`` takes as it is::

        {"minutes": {"10": {"covered_population", "total_population", "share", "distance_m"}},
         "method": {...}, "snap": {...},
         "divisions": [...], "underserved": {"10": [...]},      # when residents have codes
         "by_type": {"basketball": {"facilities", "minutes", "underserved"}},
         "suggestions": {...}}                                    # when suggest_k > 0

    ``timings`` (a dict) receives seconds per stage, ``progress`` is called with each stage's
    name as it ends, and ``arrays`` (a dict) receives per-resident NumPy arrays for the map
    layer: ``walk_m`` (inf beyond the largest threshold), ``covered`` per minutes key, and,
    with suggestions, ``walk_m_after``. ``parallel=False`` keeps all work on the calling thread.
    """
    from .kernels import cover, sum_in_order  # lazy: importing Numba takes 0.2 s

    clock = _Clock(timings, progress)
    minutes = [float(m) for m in minutes]
    if not minutes:
        raise ValueError("give at least one threshold in minutes")
    limits = [threshold_m(m, speed_kmh) for m in minutes]
    sug_minutes = float(suggest_minutes) if suggest_minutes else max(minutes)
    t_sug = threshold_m(sug_minutes, speed_kmh)
    # One pass reaches every threshold asked for, the suggestion's included.
    limit = max([*limits, t_sug] if suggest_k > 0 else limits)
    if network.n_nodes == 0:
        raise ValueError("the walking network is empty")
    pool_cm = _Pool(max_workers=1, thread_name_prefix="fitness-circle") if parallel else _Inline()
    with pool_cm as pool:
        # There (a second thread): the node grid, the facilities' snap, then the shortest-path
        # passes one after another (compiled, they release the GIL). Here meanwhile: the CSR
        # (first: the passes need it), the residents' points and the division index, then the
        # residents' snap on threads of their own, then each type's figures as its pass ends.
        # ``parallel=False`` runs all of it on this thread, in the same order.
        grid_job = pool.submit(lambda: network.grid)
        _ = network.csr
        fac_query = SnapQuery(facilities.lon, facilities.lat)
        fac_job = pool.submit(fac_query.run, network)
        groups = _facility_groups(facilities, by_type)
        jobs = {name: pool.submit(_one_pass, network, fac_job, mask, limit) for name, mask in groups.items()}
        # The residents grouped by place from here on (see SpatialOrder); ``arrays`` gets them
        # back in the caller's order at the end.
        order = SpatialOrder(residents.lon, residents.lat) if len(residents) >= GROUP_FROM else None
        if order is not None:
            residents = residents.grouped(order)
        res_query = SnapQuery(residents.lon, residents.lat, grouped=True)
        divisions = DivisionIndex(residents.region_code) if residents.region_code is not None else None
        grid_job.result()
        clock.lap("prepare")
        fac_snap = fac_job.result()
        clock.lap("snap_facilities")
        if parallel:
            res_query.start(network, threads=min(os.cpu_count() or 2, 4))
        else:
            res_query.run(network)
        total = sum_in_order(residents.population)
        typed = by_type and facilities.type is not None
        walk_m, by_type_figures, dijkstra_s = _fold_passes(
            jobs, groups, typed, res_query, residents, total, divisions, minutes, limits, top
        )
        clock.lap("passes")  # the Dijkstra passes, waiting for the residents' snap, per-type figures
        res_snap, snap_s = res_query.result(), res_query.seconds
        if timings is not None:
            timings["dijkstra_in_passes"], timings["dijkstra_in_passes_cpu"] = dijkstra_s
            timings["snap_residents_in_parallel"] = snap_s

    pop = residents.population
    covered, leaf_covered = cover(walk_m, pop, *_leaves(divisions), np.asarray(limits, dtype=np.float64))
    result: dict = {
        "minutes": totals_table(total, covered, minutes, limits),
        "method": {
            "speed_kmh": float(speed_kmh),
            "speed_m_per_min": round(speed_m_per_min(speed_kmh), 6),
            "speed_source": STANDARD if float(speed_kmh) == DEFAULT_SPEED_KMH else "given",
            "distance": "great-circle snap to nearest node + network path + great-circle snap",
            "network": {"nodes": network.n_nodes, "edges": network.n_edges},
            "facilities": len(facilities),
            "residents": len(residents),
        },
        "snap": {
            "resident_max_m": round(float(res_snap.distance_m.max()), 3) if len(residents) else None,
            "residents_beyond_reach": int((res_snap.distance_m > limit).sum()),
            "population_beyond_reach": number(pop[res_snap.distance_m > limit].sum()),
            "facilities_beyond_reach": int((fac_snap.distance_m > limit).sum()),
        },
    }
    if divisions is not None:
        figures = division_figures(divisions, pop, leaf_covered)
        result["divisions"] = division_table(figures, minutes)
        result["underserved"] = underserved(figures, minutes, top=top)
    clock.lap("coverage")

    if by_type_figures is not None:
        result["by_type"] = by_type_figures

    if arrays is not None:
        arrays["walk_m"] = walk_m
        arrays["covered"] = {minutes_key(m): walk_m <= t for m, t in zip(minutes, limits)}
        arrays["resident_node"] = res_snap.node
        arrays["resident_snap_m"] = res_snap.distance_m

    if suggest_k > 0:
        result["suggestions"] = _suggest(
            network,
            residents,
            res_snap,
            fac_snap,
            walk_m,
            minutes,
            limits,
            sug_minutes,
            t_sug,
            int(suggest_k),
            candidates,
            suggest_method,
            arrays,
            clock,
        )
    if arrays is not None and order is not None:
        for key in ("walk_m", "resident_node", "resident_snap_m", *(("walk_m_after",) if suggest_k > 0 else ())):
            arrays[key] = order.restore(arrays[key])
        arrays["covered"] = {key: order.restore(v) for key, v in arrays["covered"].items()}
    return result


class _Pool(ThreadPoolExecutor):
    """The analysis's second thread. When the analysis fails, the passes still queued are
    dropped rather than run out before the error reaches the caller."""

    def __exit__(self, exc_type, exc, tb):
        self.shutdown(wait=True, cancel_futures=exc_type is not None)
        return False


class _Inline:
    """Runs submitted work at once on this thread (``parallel=False``)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future


def _facility_groups(facilities: Facilities, by_type: bool) -> dict[str, np.ndarray]:
    """Facilities per type (a table-tennis table is not a football pitch), or all as one."""
    if by_type and facilities.type is not None:
        types = np.array(["" if t is None else str(t) for t in facilities.type], dtype=object)
        return {name: types == name for name in sorted(set(types.tolist()))}
    return {"": np.ones(len(facilities), dtype=bool)}


def _one_pass(network, fac_job: Future, mask: np.ndarray, limit: float):
    """One group's shortest-path pass: node distances, and its wall and CPU seconds."""
    fac_snap = fac_job.result()
    t, cpu = time.perf_counter(), time.thread_time()
    node_dist = nearest_source_distance(network, fac_snap.node[mask], fac_snap.distance_m[mask], limit)
    return node_dist, time.perf_counter() - t, time.thread_time() - cpu


def _leaves(divisions: DivisionIndex | None) -> tuple[np.ndarray, int]:
    """Each resident's leaf division and their number, for the compiled sums (none without codes)."""
    return (divisions.inverse, divisions.leaves.size) if divisions is not None else (np.empty(0, np.intp), 0)


def _fold_passes(jobs, groups, typed, res_query, residents, total, divisions, minutes, limits, top):
    """Walking distance per resident to the nearest facility, and per-type figures.

    The overall distance is the minimum over the types' passes: exactly what one pass over all
    facilities gives, since float addition is monotone, so that pass is not run. Each type is
    folded in as its pass ends, once the residents' snap is there.
    """
    from .kernels import walk_and_cover  # lazy: Numba loads with the first analysis

    res_snap = res_query.result()
    population = residents.population
    walk_all = np.full(len(residents), np.inf)
    thresholds = np.asarray(limits, dtype=np.float64)
    leaf, n_leaves = _leaves(divisions)
    out: dict = {}
    dijkstra_s = [0.0, 0.0]  # wall, and the passes' own CPU (steadier on a busy machine)
    for name, job in jobs.items():
        node_dist, wall, cpu = job.result()
        dijkstra_s[0] += wall
        dijkstra_s[1] += cpu
        totals, leaf_covered = walk_and_cover(
            res_snap.node, res_snap.distance_m, node_dist, walk_all, population, leaf, n_leaves, thresholds
        )
        if name == "":  # facilities without a type count only in the total
            continue
        entry = {"facilities": int(groups[name].sum()), "minutes": totals_table(total, totals, minutes, limits)}
        if divisions is not None:
            figures = division_figures(divisions, population, leaf_covered)
            entry["underserved"] = underserved(figures, minutes, top=top)
        out[name] = entry
    return walk_all, (out if typed else None), dijkstra_s


def _suggest(
    network,
    residents,
    res_snap,
    fac_snap,
    walk_m,
    minutes,
    limits,
    sug_minutes,
    t_sug,
    k,
    candidates,
    method,
    arrays,
    clock,
) -> dict:
    if candidates is None:
        # No catalogue: a grid at a third of the walking distance over the uncovered residents.
        far = walk_m > t_sug
        lon, lat = grid_candidates(residents.lon[far], residents.lat[far], t_sug / 3.0)
        candidates = Candidates(lon, lat)
        source = "grid"
    else:
        source = "catalogue"
    cand_snap = snap(network, candidates.lon, candidates.lat)
    eligible = (walk_m > t_sug) & (residents.population > 0)
    sets = cover_sets(network, res_snap, eligible, cand_snap, t_sug)
    clock.lap("suggest_cover_sets")

    if method == "auto":
        method = "exact" if len(candidates) <= EXACT_MAX_CANDIDATES else "greedy"
    if method not in ("exact", "greedy"):
        raise ValueError(f"suggest_method must be auto, greedy or exact, not {method!r}")
    chosen, gains = greedy_max_coverage(sets, residents.population, k)
    greedy_added = number(sum(gains))
    guarantee = GREEDY_GUARANTEE
    if method == "exact":
        best, best_gains, optimal = exact_max_coverage(sets, residents.population, k)
        if optimal or sum(best_gains) > sum(gains):
            chosen, gains = best, best_gains
        guarantee = "optimal (integer program)" if optimal else "integer program hit its time limit: best found"
    clock.lap("suggest_choose")

    chosen_arr = np.asarray(chosen, dtype=np.int64)
    picked = Snapped(cand_snap.node[chosen_arr], cand_snap.distance_m[chosen_arr])
    after_src = union_sources(fac_snap, picked)
    walk_after = walk_distance_m(network, after_src, res_snap, max([*limits, t_sug]))
    if arrays is not None:
        arrays["walk_m_after"] = walk_after
    sites = []
    for rank, (c, gain) in enumerate(zip(chosen, gains), start=1):
        sites.append(
            {
                "rank": rank,
                "id": _plain(candidates.id[c]) if candidates.id is not None else c,
                "lon": round(float(candidates.lon[c]), 7),
                "lat": round(float(candidates.lat[c]), 7),
                "snap_distance_m": round(float(cand_snap.distance_m[c]), 3),
                "added_population": number(gain),
            }
        )
    all_minutes = sorted(set(minutes) | {sug_minutes})
    all_limits = [t_sug if m == sug_minutes else limits[minutes.index(m)] for m in all_minutes]
    clock.lap("suggest_after")
    return {
        "minutes": minutes_key(sug_minutes),
        "k": k,
        "method": method,
        "guarantee": guarantee,
        "greedy_added_population": greedy_added,
        "candidates": {"count": len(candidates), "source": source},
        "sites": sites,
        "before": coverage_totals(residents.population, walk_m, all_minutes, all_limits),
        "after": coverage_totals(residents.population, walk_after, all_minutes, all_limits),
    }


def _plain(value):
    """NumPy scalars as plain Python values for JSON."""
    return value.item() if isinstance(value, np.generic) else value
