"""Where to build: cover sets, greedy max-coverage and the exact integer program."""

from __future__ import annotations

import numpy as np
import pytest

from quanmin.analytics.circle import (
    Candidates,
    Facilities,
    Residents,
    analyse,
    cover_sets,
    exact_max_coverage,
    generate_candidates,
    generate_facilities,
    generate_grid_network,
    generate_residents,
    greedy_max_coverage,
    nearest_source_distance,
    snap,
    threshold_m,
)
from quanmin.analytics.circle.coverage import walk_distance_m
from quanmin.analytics.circle.suggest import CoverSets

from .circle_helpers import line_network, lonlat


def sets_of(lists):
    indptr = np.concatenate([[0], np.cumsum([len(s) for s in lists])]).astype(np.int64)
    members = np.concatenate([np.asarray(s, dtype=np.int64) for s in lists]) if lists else np.empty(0, np.int64)
    return CoverSets(indptr, members)


def test_greedy_picks_the_obvious_site():
    net = line_network(31)  # 3 km of street
    fac = Facilities(*lonlat([0.0], [0.0]))
    x = [1000.0] + [2000.0 + 20 * i for i in range(10)]
    res = Residents(*lonlat(x, [5.0] * len(x)), [1] + [100] * 10)
    cand = Candidates(*lonlat([500.0, 1000.0, 2100.0], [10.0, 10.0, 10.0]), np.array(["a", "b", "c"], dtype=object))
    result = analyse(net, fac, res, minutes=(10,), suggest_k=1, candidates=cand, suggest_method="greedy")
    sug = result["suggestions"]
    assert [s["id"] for s in sug["sites"]] == ["c"]
    assert sug["sites"][0]["added_population"] == 1000
    assert sug["before"]["10"]["covered_population"] == 0
    assert sug["after"]["10"]["covered_population"] == 1000
    assert "1 - 1/e" in sug["guarantee"]


def test_cover_sets_match_one_search_per_candidate():
    net = generate_grid_network(900, seed=2)
    res = generate_residents(net, 800, seed=3)
    fac = generate_facilities(net, 3, seed=4)
    cand = generate_candidates(net, 40, seed=5)
    limit = threshold_m(10)
    rs, fs, cs = snap(net, res.lon, res.lat), snap(net, fac.lon, fac.lat), snap(net, cand.lon, cand.lat)
    eligible = walk_distance_m(net, fs, rs, limit) > limit
    assert eligible.any() and not eligible.all()
    for block in (4_000_000, 60):  # one block, and many small ones
        sets = cover_sets(net, rs, eligible, cs, limit, max_block_nodes=block)
        for c in range(len(cand)):
            dist = nearest_source_distance(net, cs.node[c : c + 1], cs.distance_m[c : c + 1], limit)
            brute = np.flatnonzero(eligible & (rs.distance_m + dist[rs.node] <= limit))
            assert np.array_equal(sets.of(c), brute), c


def test_greedy_can_lose_to_the_exact_program():
    # Greedy takes the heaviest set {a, b} first and is stuck; {a, c} + {b, d} is optimal.
    weight = np.array([4.0, 4.0, 3.5, 3.5])  # a, b, c, d
    sets = sets_of([[0, 1], [0, 2], [1, 3]])
    chosen, gains = greedy_max_coverage(sets, weight, 2)
    assert chosen == [0, 1] and sum(gains) == 11.5
    best, best_gains, optimal = exact_max_coverage(sets, weight, 2)
    assert optimal and sorted(best) == [1, 2] and sum(best_gains) == 15.0


@pytest.mark.parametrize("seed", range(6))
def test_greedy_within_its_guarantee_of_exact(seed):
    rng = np.random.default_rng(seed)
    weight = rng.integers(1, 50, 60).astype(float)
    sets = sets_of([rng.choice(60, rng.integers(1, 12), replace=False) for _ in range(25)])
    for k in (1, 3, 5):
        greedy = sum(greedy_max_coverage(sets, weight, k)[1])
        exact = sum(exact_max_coverage(sets, weight, k)[1])
        assert greedy <= exact + 1e-9
        assert greedy >= (1 - 1 / np.e) * exact - 1e-9


def test_suggestions_add_up_to_the_recount_and_exact_beats_greedy():
    net = generate_grid_network(1600, seed=12)
    res = generate_residents(net, 2000, seed=13)
    fac = generate_facilities(net, 4, seed=14)
    cand = generate_candidates(net, 60, seed=15)
    greedy = analyse(net, fac, res, minutes=(10, 15), suggest_k=4, candidates=cand, suggest_method="greedy")
    exact = analyse(net, fac, res, minutes=(10, 15), suggest_k=4, candidates=cand)  # auto: <= 200
    assert exact["suggestions"]["method"] == "exact"
    for out in (greedy, exact):
        sug = out["suggestions"]
        added = sum(s["added_population"] for s in sug["sites"])
        assert added == sug["after"]["15"]["covered_population"] - sug["before"]["15"]["covered_population"]
        assert sug["before"]["15"] == out["minutes"]["15"]
        gains = [s["added_population"] for s in sug["sites"]]
        assert gains == sorted(gains, reverse=True)
    greedy_added = sum(s["added_population"] for s in greedy["suggestions"]["sites"])
    assert exact["suggestions"]["greedy_added_population"] == greedy_added
    assert greedy_added <= sum(s["added_population"] for s in exact["suggestions"]["sites"])
    assert exact["suggestions"]["guarantee"] == "optimal (integer program)"


def test_grid_candidates_when_no_catalogue():
    net = generate_grid_network(1600, seed=21)
    res = generate_residents(net, 1500, seed=22)
    fac = generate_facilities(net, 2, seed=23)
    out = analyse(net, fac, res, minutes=(10,), suggest_k=3, suggest_method="greedy")
    sug = out["suggestions"]
    assert sug["candidates"]["source"] == "grid" and sug["candidates"]["count"] > 0
    assert len(sug["sites"]) == 3
    assert sug["after"]["10"]["covered_population"] > sug["before"]["10"]["covered_population"]
