"""Coverage figures: thresholds, divisions, facility types, determinism, JSON shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from quanmin.analytics.circle import (
    DEFAULT_SPEED_KMH,
    LIFE_CIRCLE_WALK_DISTANCE_M,
    Facilities,
    Residents,
    analyse,
    generate_facilities,
    generate_grid_network,
    generate_residents,
    threshold_m,
)

from .circle_helpers import line_network, lonlat


def test_default_speed_follows_gb_50180():
    assert DEFAULT_SPEED_KMH == pytest.approx(3.6)
    assert threshold_m(5) == pytest.approx(LIFE_CIRCLE_WALK_DISTANCE_M[5][0])
    lo, hi = LIFE_CIRCLE_WALK_DISTANCE_M[15]
    assert threshold_m(15) == pytest.approx((lo + hi) / 2)
    assert threshold_m(10, speed_kmh=3.0) == pytest.approx(LIFE_CIRCLE_WALK_DISTANCE_M[10][0])
    with pytest.raises(ValueError):
        threshold_m(10, speed_kmh=0)


def test_minutes_thresholds_and_speed():
    net = line_network(21)  # 2 km of street, a node every 100 m
    fac = Facilities(*lonlat([0.0], [0.0]))
    res = Residents(*lonlat([240.0, 540.0, 840.0, 1500.0], [0.0, 0.0, 0.0, 0.0]), [1, 10, 100, 1000])
    result = analyse(net, fac, res, minutes=(5, 10, 15))
    assert {k: v["covered_population"] for k, v in result["minutes"].items()} == {"5": 1, "10": 11, "15": 111}
    assert result["minutes"]["15"] == {
        "covered_population": 111,
        "total_population": 1111,
        "share": round(111 / 1111, 6),
        "distance_m": 900.0,
    }
    faster = analyse(net, fac, res, minutes=(15,), speed_kmh=6.0)  # 1500 m
    assert faster["minutes"]["15"]["covered_population"] == 1111


def test_divisions_roll_up_by_code_prefix_and_rank_the_underserved():
    net = line_network(31)
    fac = Facilities(*lonlat([0.0], [0.0]))
    x = [100.0, 200.0, 1500.0, 2500.0, 2600.0, 2900.0]
    codes = ["440106011001", "440106011001", "440106011002", "440106012001", "440106012001", "440104001001"]
    res = Residents(*lonlat(x, [0.0] * 6), [10, 20, 30, 40, 50, 60], codes)
    result = analyse(net, fac, res, minutes=(10,))
    rows = {r["region_code"]: r for r in result["divisions"]}
    assert rows["440100000000"]["level"] == "city"
    assert rows["440100000000"]["total_population"] == 210
    assert rows["440106000000"]["level"] == "county"
    assert rows["440106000000"]["total_population"] == 150
    assert rows["440106011000"]["level"] == "township"
    assert rows["440106011000"]["minutes"]["10"] == {
        "covered_population": 30,
        "uncovered_population": 30,
        "share": 0.5,
    }
    assert rows["440106011001"]["minutes"]["10"]["share"] == 1.0
    ranked = result["underserved"]["10"]
    assert [r["region_code"] for r in ranked] == ["440106012001", "440104001001", "440106011002"]
    assert [r["uncovered_population"] for r in ranked] == [90, 60, 30]
    # A leaf coded at township level stays one row, at its own level.
    res2 = Residents(*lonlat([100.0, 2500.0], [0.0, 0.0]), [5, 7], ["440106011000", "440106011001"])
    rows2 = {r["region_code"]: r for r in analyse(net, fac, res2, minutes=(10,))["divisions"]}
    assert rows2["440106011000"]["total_population"] == 12
    assert [r["level"] for r in rows2.values()].count("township") == 1


def test_region_codes_are_checked():
    with pytest.raises(ValueError, match="12 digits"):
        Residents([116.4], [39.9], [1], ["44010601100"])


def test_per_type_coverage_is_its_own():
    net = line_network(31)
    fac = Facilities(*lonlat([0.0, 3000.0], [0.0, 0.0]), np.array(["table_tennis", "football"], dtype=object))
    res = Residents(*lonlat([100.0, 2900.0, 1500.0], [0.0, 0.0, 0.0]), [1, 2, 4], ["440106011001"] * 3)
    result = analyse(net, fac, res, minutes=(10,))
    assert result["minutes"]["10"]["covered_population"] == 3
    assert result["by_type"]["table_tennis"]["minutes"]["10"]["covered_population"] == 1
    assert result["by_type"]["football"]["minutes"]["10"]["covered_population"] == 2
    assert result["by_type"]["football"]["underserved"]["10"][0]["uncovered_population"] == 5


def test_result_does_not_depend_on_facility_order():
    net = generate_grid_network(2500, seed=5)
    res = generate_residents(net, 5000, seed=6)  # >= 4096: the Z-ordered snap path
    fac = generate_facilities(net, 40, seed=7)
    first = analyse(net, fac, res)
    perm = np.random.default_rng(8).permutation(len(fac))
    shuffled = Facilities(fac.lon[perm], fac.lat[perm], fac.type[perm], fac.id[perm])
    second = analyse(net, shuffled, res)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    third = analyse(net, shuffled, res, parallel=False)
    assert json.dumps(first, sort_keys=True) == json.dumps(third, sort_keys=True)


def test_result_is_json_in_the_command_shape():
    net = generate_grid_network(900, seed=1)
    result = analyse(net, generate_facilities(net, 10), generate_residents(net, 500), minutes=(10, 15))
    shape = json.loads(json.dumps(result))
    assert set(shape["minutes"]) == {"10", "15"}
    for entry in shape["minutes"].values():
        assert isinstance(entry["covered_population"], int)
        assert isinstance(entry["total_population"], int)
        assert 0.0 <= entry["share"] <= 1.0


def test_empty_inputs():
    net = line_network(3)
    none = Facilities(np.empty(0), np.empty(0))
    res = Residents(*lonlat([100.0], [0.0]), [9])
    result = analyse(net, none, res, minutes=(10,))
    assert result["minutes"]["10"]["covered_population"] == 0
    nobody = Residents(np.empty(0), np.empty(0), np.empty(0))
    result = analyse(net, Facilities(*lonlat([0.0], [0.0])), nobody, minutes=(10,))
    assert result["minutes"]["10"] == {
        "covered_population": 0,
        "total_population": 0,
        "share": None,
        "distance_m": 600.0,
    }


def test_untyped_facilities_count_in_the_total_only():
    net = line_network(31)
    types = np.array(["football", None], dtype=object)
    fac = Facilities(*lonlat([0.0, 3000.0], [0.0, 0.0]), types)
    res = Residents(*lonlat([100.0, 2900.0], [0.0, 0.0]), [1, 2])
    result = analyse(net, fac, res, minutes=(10,))
    assert result["minutes"]["10"]["covered_population"] == 3
    assert set(result["by_type"]) == {"football"}
    assert result["by_type"]["football"]["minutes"]["10"]["covered_population"] == 1
    plain = analyse(net, fac, res, minutes=(10,), by_type=False)
    assert "by_type" not in plain and plain["minutes"] == result["minutes"]


def test_generated_grid_is_a_plausible_street_grid():
    net = generate_grid_network(10_000, seed=4, removed_share=0.02)
    assert net.n_nodes == 10_000
    full = 2 * 100 * 99  # edges of a complete 100 x 100 grid
    assert 0.96 * full < net.n_edges < full
    assert 60.0 < net.length_m.min() and net.length_m.max() < 175.0
    assert 100.0 < np.median(net.length_m) < 130.0
    assert net.ball_factor == 1.0  # lengths are great-circle distances
    assert net.components().max() < 50  # a few cut-off corners at most


def test_timings_and_progress_report_each_stage():
    net = generate_grid_network(400, seed=2)
    stages: dict = {}
    seen: list = []
    analyse(net, generate_facilities(net, 5), generate_residents(net, 100), timings=stages, progress=seen.append)
    assert seen[:4] == ["prepare", "snap_facilities", "passes", "coverage"]
    assert set(seen) < set(stages)
    assert {"dijkstra_in_passes", "snap_residents_in_parallel"} < set(stages)
    assert all(v >= 0 for v in stages.values())
