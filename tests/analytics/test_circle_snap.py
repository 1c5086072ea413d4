"""Snapping to the nearest node by great circle, and its edge cases."""

from __future__ import annotations

import numpy as np

from quanmin.analytics.circle import Facilities, Residents, analyse, build_network, snap, threshold_m
from quanmin.analytics.circle.geo import haversine_m

from .circle_helpers import line_network, lonlat, network_xy


def test_snap_is_the_great_circle_nearest_even_far_north():
    # At 70 N a degree of longitude is a third of a degree of latitude: a lon/lat Euclidean
    # nearest-neighbour would pick wrongly; the unit-sphere grid must not.
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(20, 22, 3000), rng.uniform(69.5, 70.5, 3000)
    net = build_network(np.arange(3000), lon, lat, [0], [1], [1.0])
    qlon, qlat = rng.uniform(20, 22, 5000), rng.uniform(69.5, 70.5, 5000)  # >= 4096: sorted path
    got = snap(net, qlon, qlat)
    for i in range(0, 5000, 97):
        d = haversine_m(qlon[i], qlat[i], lon, lat)
        assert np.isclose(got.distance_m[i], d.min(), rtol=1e-9, atol=1e-6)
        assert np.isclose(d[got.node[i]], d.min(), rtol=1e-9, atol=1e-6)
    naive = np.argmin((lon[None, :50] - qlon[:200, None]) ** 2 + (lat[None, :50] - qlat[:200, None]) ** 2, axis=1)
    assert naive.size  # (the naive rule is only here to document the pitfall)


def test_point_far_from_any_node_snaps_but_is_not_covered():
    net = line_network(11)  # 1 km of street
    fac = Facilities(*lonlat([0.0], [0.0]))
    far_lon, far_lat = lonlat([500.0, 500.0], [30.0, 50_000.0])  # 30 m and 50 km off the street
    res = Residents(far_lon, far_lat, [10, 20])
    result = analyse(net, fac, res, minutes=(15,))
    s = snap(net, far_lon, far_lat)
    assert np.allclose(s.distance_m, [30.0, 50_000.0], rtol=1e-3)
    assert result["minutes"]["15"]["covered_population"] == 10
    assert result["snap"]["residents_beyond_reach"] == 1
    assert result["snap"]["population_beyond_reach"] == 20


def test_facility_on_a_disconnected_piece_serves_only_that_piece():
    # Main street 0-1-2-3 along y=0; an island street 4-5 along y=60 (across a river, say).
    xy = [(0, 0), (100, 0), (200, 0), (300, 0), (0, 60), (100, 60)]
    net = network_xy(xy, [(0, 1), (1, 2), (2, 3), (4, 5)])
    fac = Facilities(*lonlat([100.0], [65.0]))  # snaps to island node 5
    res = Residents(*lonlat([100.0, 0.0, 300.0], [-5.0, 62.0, 0.0]), [1, 2, 4])
    arrays: dict = {}
    result = analyse(net, fac, res, minutes=(10,), arrays=arrays)
    # Resident 0 is 70 m from the facility in a straight line but on the main street.
    assert np.isinf(arrays["walk_m"][0])
    assert np.isclose(arrays["walk_m"][1], 2 + 100 + 5, atol=0.05)
    assert np.isinf(arrays["walk_m"][2])
    assert result["minutes"]["10"]["covered_population"] == 2


def test_facility_exactly_on_a_node_and_twins_on_one_node():
    net = line_network(5)
    lon, lat = lonlat([200.0, 200.0, 203.0], [0.0, 0.0, 4.0])  # two on node 2, one 5 m off
    fac = Facilities(lon, lat)
    res = Residents(*lonlat([0.0, 400.0], [0.0, 0.0]), [1, 1])
    arrays: dict = {}
    analyse(net, fac, res, minutes=(5,), arrays=arrays)
    assert np.allclose(arrays["walk_m"], [200.0, 200.0], atol=0.01)  # zero offset is an edge


def test_parallel_edges_keep_the_shortest():
    xy = [(0, 0), (100, 0)]
    net = network_xy(xy, [(0, 1), (0, 1), (1, 0)], lengths=[300.0, 120.0, 250.0])
    fac = Facilities(*lonlat([0.0], [0.0]))
    res = Residents(*lonlat([100.0], [0.0]), [5])
    arrays: dict = {}
    analyse(net, fac, res, minutes=(15,), arrays=arrays)
    assert np.isclose(arrays["walk_m"][0], 120.0)


def test_threshold_is_inclusive():
    net = line_network(2, spacing=threshold_m(10))  # exactly 600 m at the default speed
    fac = Facilities(*lonlat([0.0], [0.0]))
    res = Residents(*lonlat([threshold_m(10)], [0.0]), [3])
    result = analyse(net, fac, res, minutes=(10,))
    assert result["minutes"]["10"]["covered_population"] == 3


def test_zero_length_edge_between_twin_nodes_is_kept():
    # Two OSM nodes at one spot (a crossing drawn twice), joined by a 0 m edge.
    xy = [(0, 0), (100, 0), (100, 0), (200, 0)]
    net = network_xy(xy, [(0, 1), (1, 2), (2, 3)], lengths=[100.0, 0.0, 100.0])
    assert net.csr.nnz == 6
    fac = Facilities(*lonlat([0.0], [0.0]))
    res = Residents(*lonlat([200.0], [0.0]), [1])
    arrays: dict = {}
    analyse(net, fac, res, minutes=(5,), arrays=arrays)
    assert np.isclose(arrays["walk_m"][0], 200.0)


def test_snap_on_threads_of_its_own_equals_one_thread():
    # The analysis snaps the residents in slices on threads of their own while it runs its passes;
    # every point is answered once and the result is the same as on one thread.
    from quanmin.analytics.circle import generate_grid_network
    from quanmin.analytics.circle.snap import SnapQuery

    net = generate_grid_network(20_000, seed=4)
    rng = np.random.default_rng(5)
    n = 100_003  # slices of unequal length
    lon = rng.uniform(net.lon.min(), net.lon.max(), n)
    lat = rng.uniform(net.lat.min(), net.lat.max(), n)
    alone = SnapQuery(lon, lat).run(net)
    for threads in (1, 2, 3, 7):
        shared = SnapQuery(lon, lat)
        shared.start(net, threads=threads)
        got = shared.result()
        assert got is shared.result()  # answered once, then kept
        assert np.array_equal(got.node, alone.node) and np.array_equal(got.distance_m, alone.distance_m)
    # And both are the true nearest nodes, checked by brute force on a sample.
    for i in rng.choice(n, 40, replace=False):
        d = haversine_m(lon[i], lat[i], net.lon, net.lat)
        assert np.isclose(alone.distance_m[i], d.min(), rtol=1e-9, atol=1e-6)


def test_snap_error_on_its_threads_reaches_the_caller():
    from quanmin.analytics.circle.snap import SnapQuery

    net = line_network(5)
    query = SnapQuery(*lonlat([10.0, 20.0], [0.0, 0.0]))
    grid = net.grid

    class Broken:
        def query(self, *args, **kwargs):
            raise RuntimeError("grid failed")

    net.grid = Broken()  # the cached grid replaced by one that fails
    query.start(net, threads=2)
    try:
        query.result()
    except RuntimeError as exc:
        assert "grid failed" in str(exc)
    else:
        raise AssertionError("the error was swallowed")
    net.grid = grid
    assert SnapQuery(*lonlat([10.0], [0.0])).run(net).node.tolist() == [0]  # the real grid again


def test_snap_refuses_coordinates_its_compiled_loops_cannot_take():
    import pytest

    net = line_network(5)
    with pytest.raises(ValueError, match="differ in length"):
        snap(net, np.full(1000, 10.0), np.array([0.0]))
    with pytest.raises(ValueError, match="finite"):
        snap(net, np.array([10.0, np.nan]), np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match="finite"):
        snap(net, np.array([np.inf]), np.array([0.0]))
