"""The compiled loops of the fitness-circle analysis against SciPy and NumPy.

The bucket-queue Dijkstra must give the very floats SciPy's csgraph gives from a virtual
super-source, whatever the bucket width; the per-division sweep the sums np.bincount gives.
"""

import threading

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from quanmin.analytics.circle import build_network, generate_grid_network, nearest_source_distance
from quanmin.analytics.circle.kernels import bounded_dijkstra, cover
from quanmin.analytics.circle.paths import MAX_BUCKETS, bucket_width

# A bound on waits for the other thread's state, never reached unless something is wrong.
WAIT_S = 60


def scipy_nearest(csr, nodes, offsets, limit):
    """The reference: SciPy's Dijkstra from a super-source row joined to every source node
    (several sources on one node: the smallest offset, as csgraph keeps the shortest edge)."""
    n = csr.shape[0]
    best: dict[int, float] = {}
    for node, off in zip(np.asarray(nodes).tolist(), np.asarray(offsets).tolist()):
        best[node] = min(off, best.get(node, np.inf))
    rows = np.concatenate([np.repeat(np.arange(n), np.diff(csr.indptr)), np.full(len(best), n)])
    cols = np.concatenate([csr.indices, np.fromiter(best.keys(), dtype=np.int64)])
    data = np.concatenate([csr.data, np.fromiter(best.values(), dtype=np.float64)])
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n + 1), out=indptr[1:])
    graph = sp.csr_matrix((data[order], cols[order], indptr), shape=(n + 1, n + 1))
    return dijkstra(graph, directed=True, indices=n, limit=limit)[:n]


@pytest.mark.parametrize("k", [1, 3, 40, 700])
@pytest.mark.parametrize("limit", [0.0, 150.0, 700.0, 3000.0])
def test_pass_equals_scipy_on_a_city_grid(k, limit):
    net = generate_grid_network(5_000, seed=6)
    rng = np.random.default_rng(k)
    nodes = rng.choice(net.n_nodes, k)  # repeats allowed: the smaller offset counts
    offsets = rng.uniform(0, 120, k)
    got = nearest_source_distance(net, nodes, offsets, limit)
    want = scipy_nearest(net.csr, nodes, offsets, limit)
    assert np.array_equal(got, want)
    assert np.isfinite(got).sum() == np.isfinite(want).sum()


@pytest.mark.parametrize("width", [0.01, 0.3, 7.0, 60.0, 500.0])
def test_any_bucket_width_gives_the_same_floats(width):
    # Buckets far narrower than the shortest edge (62 m here: 0.01 m is already 90,000 empty
    # buckets per source; narrower only costs time), or much wider (nodes then lower one another
    # inside a bucket and are done again), all reach the same distances.
    net = generate_grid_network(3_000, seed=2)
    csr = net.csr
    rng = np.random.default_rng(3)
    nodes, offsets = rng.choice(net.n_nodes, 25), rng.uniform(0, 80, 25)
    got = bounded_dijkstra(csr.indptr, csr.indices, csr.data, nodes, offsets, 900.0, width, int(900.0 / width) + 1)
    assert np.array_equal(got, scipy_nearest(csr, nodes, offsets, 900.0))


def test_zero_length_and_parallel_edges_and_the_limit_itself():
    # 0-1 has length 0 (two OSM nodes on one spot), 1-2 twice (the shorter counts), 2-3 ends
    # exactly at the limit (kept), 3-4 goes past it (not followed), 5 is cut off.
    net = build_network(
        node_id=[10, 11, 12, 13, 14, 15],
        lon=[113.0, 113.0, 113.001, 113.002, 113.003, 113.01],
        lat=[23.0] * 6,
        u_id=[10, 11, 11, 12, 13],
        v_id=[11, 12, 12, 13, 14],
        length_m=[0.0, 120.0, 100.5, 99.5, 30.0],
    )
    got = nearest_source_distance(net, np.array([0]), np.array([0.0]), 200.0)
    assert got.tolist() == [0.0, 0.0, 100.5, 200.0, np.inf, np.inf]
    assert np.array_equal(got, scipy_nearest(net.csr, [0], [0.0], 200.0))
    # A source whose own offset is beyond the limit reaches nothing, not even its node.
    assert np.isinf(nearest_source_distance(net, np.array([2]), np.array([250.0]), 200.0)).all()
    # No limit: every connected node.
    assert nearest_source_distance(net, np.array([0]), np.array([5.0]), np.inf).tolist()[:5] == [
        5.0, 5.0, 105.5, 205.0, 235.0,
    ]


def test_no_limit_reaches_the_far_end_of_a_long_street():
    # With no limit the buckets span all the edges; their float sum may fall short of a path's
    # own sum by an ulp, and the last bucket must still take the far end.
    rng = np.random.default_rng(11)
    for trial in range(40):
        n = 300
        lengths = np.round(rng.uniform(1.0, 200.0, n - 1), 3)
        net = build_network(np.arange(n), np.linspace(113.0, 113.3, n), np.full(n, 23.0),
                            np.arange(n - 1), np.arange(1, n), lengths)
        got = nearest_source_distance(net, np.array([0]), np.array([0.5]), np.inf)
        assert np.array_equal(got, scipy_nearest(net.csr, [0], [0.5], np.inf)), trial
        # Two buckets only: everything beyond the first goes to the last, done again as lowered.
        csr = net.csr
        two = bounded_dijkstra(csr.indptr, csr.indices, csr.data, np.array([0]), np.array([0.5]), np.inf, 1.0, 2)
        assert np.array_equal(two, got)


@pytest.mark.parametrize(
    ("nodes", "offsets", "limit", "message"),
    [
        ([0, 5_000], [0.0, 0.0], 100.0, "not a node"),
        ([-1], [0.0], 100.0, "not a node"),
        ([0, 1, 2], [0.0], 100.0, "offsets for"),
        ([0], [-1e6], 100.0, "non-negative"),
        ([0], [np.nan], 100.0, "non-negative"),
        ([0], [0.0], -1.0, "limit"),
        ([0], [0.0], np.nan, "limit"),
    ],
)
def test_a_pass_refuses_what_its_compiled_loop_would_read_out_of_bounds(nodes, offsets, limit, message):
    net = generate_grid_network(400, seed=1)
    with pytest.raises(ValueError, match=message):
        nearest_source_distance(net, np.array(nodes), np.array(offsets), limit)


def test_bucket_width_follows_the_shortest_edge_within_bounds():
    assert bucket_width(60.5, 900.0) == 60.5
    assert bucket_width(1e-12, 900.0) == 900.0 / MAX_BUCKETS  # never more buckets than that
    assert bucket_width(float("inf"), 900.0) == 900.0  # no edges: one bucket
    assert bucket_width(3.0, 0.0) > 0.0  # a zero limit still divides


def test_a_pass_touches_only_its_reach_and_grows_its_queue():
    # 5,000 sources queue more entries than the first pool holds: the pool grows.
    net = generate_grid_network(40_000, seed=9)
    rng = np.random.default_rng(1)
    nodes, offsets = rng.choice(net.n_nodes, 5_000, replace=False), rng.uniform(0, 30, 5_000)
    got = nearest_source_distance(net, nodes, offsets, 400.0)
    assert np.array_equal(got, scipy_nearest(net.csr, nodes, offsets, 400.0))


def test_cover_equals_bincount_per_threshold_and_the_totals():
    rng = np.random.default_rng(5)
    n, leaves = 20_000, 37
    walk = np.where(rng.random(n) < 0.2, np.inf, rng.uniform(0, 1500, n))
    walk[:10] = 600.0  # exactly on a threshold: within
    population = rng.uniform(0, 9, n)
    leaf = rng.integers(0, leaves, n)
    thresholds = np.array([600.0, 900.0])
    totals, got = cover(walk, population, leaf, leaves, thresholds)
    for total, row, t in zip(totals, got, thresholds):
        assert np.array_equal(row, np.bincount(leaf, weights=np.where(walk <= t, population, 0.0), minlength=leaves))
        assert total == pytest.approx(population[walk <= t].sum(), rel=1e-15)
    # Without division codes: the totals alone.
    alone, none = cover(walk, population, np.empty(0, np.intp), 0, thresholds)
    assert np.array_equal(alone, totals) and none.shape == (2, 0)
    assert cover(walk[:0], population[:0], leaf[:0], 3, thresholds)[1].tolist() == [[0.0] * 3] * 2


def test_unit_xyz_within_an_ulp_or_two_of_numpy_everywhere():
    from quanmin.analytics.circle.geo import unit_xyz

    rng = np.random.default_rng(8)
    lon = np.concatenate([rng.uniform(-180, 180, 200_000), [-180, 180, 0, 90, -90, 1e-300, -0.0, 179.9999999999]])
    lat = np.concatenate([rng.uniform(-90, 90, 200_000), [-90, 90, 0, 45, -45, -1e-300, 0.0, 89.99999999999]])
    lam, phi = np.radians(lon), np.radians(lat)
    want = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    got = unit_xyz(lon, lat)
    assert np.abs(got - want).max() <= 5e-16
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, rtol=0, atol=1e-15)
    # Beyond the table (callers validate degrees, but snap() takes raw arrays): still right.
    far = unit_xyz(np.array([400.0, -720.5]), np.array([100.0, -95.0]))
    lam, phi = np.radians([400.0, -720.5]), np.radians([100.0, -95.0])
    assert np.allclose(far, np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)]))


def test_grouping_residents_by_place_changes_no_figure_and_no_array(monkeypatch):
    # Above GROUP_FROM points the analysis works on the residents grouped by place; the figures
    # and the per-resident arrays (in the caller's order) are those of the ungrouped run.
    from quanmin.analytics.circle import analyse, generate_facilities, generate_residents
    from quanmin.analytics.circle import analysis as module

    net = generate_grid_network(6_000, seed=3)
    res, fac = generate_residents(net, 9_000, seed=4), generate_facilities(net, 40, seed=5)
    grouped_arrays, plain_arrays = {}, {}
    grouped = analyse(net, fac, res, suggest_k=2, arrays=grouped_arrays)
    monkeypatch.setattr(module, "GROUP_FROM", 10**9)
    plain = analyse(net, fac, res, suggest_k=2, arrays=plain_arrays)
    assert grouped == plain
    assert grouped_arrays.keys() == plain_arrays.keys()
    for key, value in plain_arrays.items():
        if key == "covered":
            assert all(np.array_equal(grouped_arrays[key][m], v) for m, v in value.items())
        else:
            assert np.array_equal(grouped_arrays[key], value), key


def test_spatial_order_is_a_permutation_that_groups_by_square():
    from quanmin.analytics.circle.snap import SpatialOrder

    rng = np.random.default_rng(6)
    lon, lat = rng.uniform(113.0, 113.4, 50_000), rng.uniform(23.0, 23.3, 50_000)
    order = SpatialOrder(lon, lat)
    assert np.array_equal(np.sort(order.position), np.arange(lon.size))
    g_lon, g_lat = order.group(lon), order.group(lat)
    assert np.array_equal(order.restore(g_lon), lon)
    # Consecutive points lie close: the mean step is a small part of the extent.
    step = np.hypot(np.diff(g_lon), np.diff(g_lat)).mean()
    assert step < 0.02 * 0.4
    # One point, or all on one spot: no division by a zero extent.
    assert SpatialOrder(np.array([1.0]), np.array([2.0])).position.tolist() == [0]
    assert SpatialOrder(np.full(3, 5.0), np.full(3, 5.0)).position.tolist() == [0, 1, 2]


def test_numba_cache_goes_to_a_temporary_folder_where_the_package_is_read_only(monkeypatch):
    from quanmin.analytics.circle import kernels

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(kernels.os, "access", lambda path, mode: False)
    kernels._cache_dir()
    assert kernels.os.environ["NUMBA_CACHE_DIR"].startswith(kernels.tempfile.gettempdir())
    # Given by the operator, or a writable package folder: left alone.
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/srv/numba")
    kernels._cache_dir()
    assert kernels.os.environ["NUMBA_CACHE_DIR"] == "/srv/numba"
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setattr(kernels.os, "access", lambda path, mode: True)
    kernels._cache_dir()
    assert "NUMBA_CACHE_DIR" not in kernels.os.environ


def test_fractional_populations_give_one_figure_per_type_and_overall():
    # Populations spread over areas are fractional: a single type's figures and the overall
    # ones are the same sums, to the last bit.
    from quanmin.analytics.circle import Residents, analyse, generate_facilities, generate_residents

    net = generate_grid_network(6_000, seed=3)
    base = generate_residents(net, 9_000, seed=4)
    res = Residents(base.lon, base.lat, np.random.default_rng(2).uniform(0.1, 50.0, 9_000), base.region_code)
    fac = generate_facilities(net, 30, seed=5)
    fac.type = np.full(len(fac), "football", dtype=object)
    result = analyse(net, fac, res)
    assert result["by_type"]["football"]["minutes"] == result["minutes"]
    whole = result["minutes"]["15"]["covered_population"]
    assert not float(whole).is_integer()
    # The division roll-ups add the same people leaf by leaf: equal but for the last bits.
    city = sum(r["minutes"]["15"]["covered_population"] for r in result["divisions"] if r["level"] == "city")
    assert city == pytest.approx(whole, rel=1e-12)


def test_arrays_from_an_earlier_call_are_not_reordered_again():
    from quanmin.analytics.circle import analyse, generate_facilities, generate_residents

    net = generate_grid_network(6_000, seed=3)
    res, fac = generate_residents(net, 9_000, seed=4), generate_facilities(net, 40, seed=5)
    arrays: dict = {}
    analyse(net, fac, res, suggest_k=1, arrays=arrays)
    after = arrays["walk_m_after"].copy()
    analyse(net, fac, res, arrays=arrays)  # no suggestions this time: the old entry is left as it was
    assert np.array_equal(arrays["walk_m_after"], after)


def test_a_failure_reaches_the_caller_and_drops_the_passes_queued(monkeypatch):
    from quanmin.analytics.circle import analyse, generate_facilities, generate_residents
    from quanmin.analytics.circle import analysis as module

    net = generate_grid_network(2_000, seed=1)
    res, fac = generate_residents(net, 500, seed=2), generate_facilities(net, 50, seed=3)
    calls, started, shutting_down = [], threading.Event(), threading.Event()

    class WatchedPool(module._Pool):
        """The analysis's pool, telling when the analysis shuts it down: what is still queued is
        dropped (or not) by the first call, as the analysis asked, before the first pass may end."""

        def shutdown(self, wait=True, *, cancel_futures=False):
            super().shutdown(wait=False, cancel_futures=cancel_futures)
            shutting_down.set()
            super().shutdown(wait=wait, cancel_futures=cancel_futures)

    def slow_first_pass(*args):
        calls.append(1)
        if len(calls) == 1:
            started.set()
            # Still running when the failure is seen, the other passes queued behind it meanwhile.
            assert shutting_down.wait(WAIT_S)
        return nearest_source_distance(*args)

    def failing_index(codes):
        assert started.wait(WAIT_S)
        raise RuntimeError("index failed")

    monkeypatch.setattr(module, "_Pool", WatchedPool)
    monkeypatch.setattr(module, "nearest_source_distance", slow_first_pass)
    monkeypatch.setattr(module, "DivisionIndex", failing_index)
    with pytest.raises(RuntimeError, match="index failed"):
        analyse(net, fac, res)
    assert len(set(fac.type)) > 1 and len(calls) == 1  # the passes still queued never ran


def test_totals_of_fractional_populations_are_exact_whatever_the_order():
    # A million people spread as fractions: plain addition drifted by 1e-7 (a demo city showed
    # 5952128.000000234 people); the compensated totals match math.fsum to an ulp in any order.
    import math

    from quanmin.analytics.circle.kernels import sum_in_order

    rng = np.random.default_rng(12)
    population = rng.uniform(0, 400, 1_000_000) / 3.0
    walk = rng.uniform(0, 1200, population.size)
    exact = math.fsum(population)
    assert abs(sum_in_order(population) - exact) <= np.spacing(exact)
    within = math.fsum(population[walk <= 600.0])
    no_leaf = np.empty(0, np.intp)
    forward = cover(walk, population, no_leaf, 0, np.array([600.0]))[0][0]
    backward = cover(walk[::-1].copy(), population[::-1].copy(), no_leaf, 0, np.array([600.0]))[0][0]
    assert abs(forward - within) <= np.spacing(within) and abs(backward - within) <= np.spacing(within)
