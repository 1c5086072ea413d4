"""Who is within each walking threshold: totals, per division roll-ups, the underserved."""

from __future__ import annotations

import gc
from contextlib import contextmanager

import numpy as np

from quanmin.regions.codes import LEVELS, number_at, parent_level

from .network import WalkNetwork
from .paths import nearest_source_distance
from .points import format_region_code
from .snap import Snapped
from .standard import minutes_key


def walk_distance_m(network: WalkNetwork, facility_snap: Snapped, resident_snap: Snapped, limit_m: float) -> np.ndarray:
    """Per resident: straight line to its node + network path + facility's straight line.

    Minimum over all facilities, from one bounded multi-source pass; inf where no facility is
    within ``limit_m``. The network is undirected, so the distance from the facilities'
    super-source to a resident's node is the distance from that node to the nearest facility.
    """
    if resident_snap.node.size == 0:
        return np.empty(0)
    node_dist = nearest_source_distance(network, facility_snap.node, facility_snap.distance_m, limit_m)
    return resident_snap.distance_m + node_dist[resident_snap.node]


def number(x: float) -> int | float:
    """A population as JSON likes it: an int when it is whole."""
    x = float(x)
    return int(round(x)) if abs(x - round(x)) < 1e-9 else x


def share(covered: float, total: float) -> float | None:
    """Covered / total to 6 places (NumPy's rounding, as ``_shares``); None for no people."""
    return None if total <= 0 else float(np.round(float(covered) / float(total), 6))


def coverage_totals(
    population: np.ndarray, walk_m: np.ndarray, minutes: list[float], thresholds_m: list[float]
) -> dict:
    """``{"10": {"covered_population", "total_population", "share", "distance_m"}, ...}``."""
    from .kernels import cover, sum_in_order  # lazy: Numba loads with the first analysis

    population = np.ascontiguousarray(population, dtype=np.float64)
    walk_m = np.ascontiguousarray(walk_m, dtype=np.float64)
    covered, _ = cover(walk_m, population, np.empty(0, np.intp), 0, np.asarray(thresholds_m, dtype=np.float64))
    return totals_table(sum_in_order(population), covered.tolist(), minutes, thresholds_m)


def totals_table(total: float, covered: list[float], minutes: list[float], thresholds_m: list[float]) -> dict:
    """``coverage_totals`` from the sums already made: the population, and per threshold the
    population within it."""
    out = {}
    for mins, limit, within in zip(minutes, thresholds_m, covered):
        within = float(within)
        out[minutes_key(mins)] = {
            "covered_population": number(within),
            "total_population": number(total),
            "share": share(within, total),
            "distance_m": round(limit, 3),
        }
    return out


class DivisionIndex:
    """Residents grouped by division, at each level, computed once per set of residents.

    A resident coded 440106011001 counts for its community, township 440106011000, county
    440106000000 and city 440100000000 (prefixes of 12, 9, 6 and 4 digits). A division appears
    once, at the level its own code shows, and sums its whole subtree.
    """

    def __init__(self, region_code: np.ndarray):
        import pandas as pd  # here, not at start-up: importing it takes a quarter of a second

        # pandas hashes where np.unique sorts all the residents: 3x faster for a million.
        self.inverse, self.leaves = pd.factorize(np.asarray(region_code), sort=True)
        self.levels: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []
        for level in LEVELS:
            anc = number_at(self.leaves, level)
            if level != LEVELS[0]:
                # Skip codes that are really of a coarser level (a township code padded as 12).
                own = np.flatnonzero(number_at(anc, parent_level(level)) != anc)
            else:
                own = np.arange(anc.size)
            if own.size:
                codes, inv = np.unique(anc[own], return_inverse=True)
                self.levels.append((level, codes, own, inv))

    def totals(self, population: np.ndarray) -> list[np.ndarray]:
        """``sums(population)``, kept for the array last asked about: every per-type figure
        rolls up the same population."""
        cached = getattr(self, "_totals", None)
        if cached is None or cached[0] is not population:
            self._totals = cached = (population, self.sums(population))
        return cached[1]

    def sums(self, weights: np.ndarray) -> list[np.ndarray]:
        """Per level, the sum of per-resident ``weights`` for each division code."""
        return self.roll_up(np.bincount(self.inverse, weights=weights, minlength=self.leaves.size))

    def roll_up(self, leaf: np.ndarray) -> list[np.ndarray]:
        """Per level, the sums of per-leaf figures for each division code."""
        return [np.bincount(inv, weights=leaf[own], minlength=codes.size) for _, codes, own, inv in self.levels]


def division_figures(
    index: DivisionIndex, population: np.ndarray, leaf_covered: np.ndarray
) -> list[tuple[str, np.ndarray, np.ndarray, list[np.ndarray]]]:
    """Per level: (level, codes, total population, covered population per threshold), from
    the per-leaf sums of the population within each threshold (``kernels.cover``)."""
    total = index.totals(population)
    covered = [index.roll_up(row) for row in leaf_covered]
    return [(level, codes, total[i], [c[i] for c in covered]) for i, (level, codes, _, _) in enumerate(index.levels)]


def _numbers(values: np.ndarray) -> list:
    """Populations as JSON likes them, a whole array at a time (see ``number``)."""
    rounded = np.round(values)
    if np.all(np.abs(values - rounded) < 1e-9):
        return rounded.astype(np.int64).tolist()
    return [number(v) for v in values.tolist()]


def _shares(covered: np.ndarray, total: np.ndarray) -> list:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.round(covered / total, 6)
    return [None if t <= 0 else r for r, t in zip(ratio.tolist(), total.tolist())]


def division_table(figures, minutes: list[float]) -> list[dict]:
    """Every division with residents, and its ancestors, with coverage per threshold."""
    keys = [minutes_key(m) for m in minutes]
    rows: list[dict] = []
    with _collector_paused():
        for level, codes, total, covered in figures:
            per_key = [
                [
                    {"covered_population": cov, "uncovered_population": unc, "share": shr}
                    for cov, unc, shr in zip(_numbers(c), _numbers(total - c), _shares(c, total))
                ]
                for c in covered
            ]
            rows += [
                {
                    "region_code": f"{code:012d}",
                    "level": level,
                    "total_population": tot,
                    "minutes": dict(zip(keys, cells)),
                }
                for code, tot, cells in zip(codes.tolist(), _numbers(total), zip(*per_key))
            ]
    # Codes are unique across levels and zero-padded, so numeric order is the codes' order.
    order = np.argsort(np.concatenate([f[1] for f in figures]), kind="stable") if rows else []
    return [rows[i] for i in order.tolist()] if rows else rows


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while a large table of plain dicts is built.

    Every few hundred new dicts it would walk all the objects the process holds, which cost
    three times the build itself in a Django process; these dicts hold no cycles to collect.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def underserved(figures, minutes: list[float], level: str = "community", top: int = 20) -> dict:
    """Per threshold, the divisions of ``level`` ranked by people left out (most first).

    Falls back to the finest level present when there is none of ``level``; ties are broken
    by code so the ranking is stable.
    """
    by_level = {f[0]: f for f in figures}
    if level not in by_level:
        present = [lv for lv in LEVELS if lv in by_level]
        if not present:
            return {minutes_key(m): [] for m in minutes}
        level = present[-1]
    _, codes, total, covered = by_level[level]
    out = {}
    for mins, cov in zip(minutes, covered):
        left_out = total - cov
        # Round away float noise before ranking, so equal populations tie and fall to the code.
        rounded = np.round(left_out, 6)
        order = np.lexsort((codes, -rounded))
        order = order[rounded[order] > 0][:top]
        out[minutes_key(mins)] = [
            {
                "region_code": format_region_code(codes[i]),
                "level": level,
                "uncovered_population": number(left_out[i]),
                "total_population": number(total[i]),
                "share": share(cov[i], total[i]),
            }
            for i in order.tolist()
        ]
    return out
