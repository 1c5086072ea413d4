"""The node grid's nearest-point search against SciPy's KD-tree, on awkward point sets.

The grid projects the points on a plane only to bound its search; the answer must be the
nearest point by chord on the unit sphere, whatever the projection does to far-away points.
"""

import numpy as np
import pytest
from scipy.spatial import cKDTree

from quanmin.analytics.circle.geo import unit_xyz
from quanmin.analytics.circle.network import NodeGrid


def check(node_lon, node_lat, q_lon, q_lat):
    nodes = unit_xyz(np.asarray(node_lon, float), np.asarray(node_lat, float))
    queries = unit_xyz(np.asarray(q_lon, float), np.asarray(q_lat, float))
    index, chord = NodeGrid(nodes).query(queries)
    want, _ = cKDTree(nodes).query(queries, k=1)
    # Same chord as the KD-tree's nearest, and the node named is at that chord.
    assert np.allclose(chord, want, rtol=1e-12, atol=1e-15)
    assert np.allclose(np.linalg.norm(nodes[index] - queries, axis=1), want, rtol=1e-12, atol=1e-15)
    return index, chord


def test_a_city_and_queries_inside_and_around_it():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(113.0, 113.5, 20_000), rng.uniform(23.0, 23.4, 20_000)
    q_lon, q_lat = rng.uniform(112.8, 113.7, 30_000), rng.uniform(22.8, 23.6, 30_000)  # some outside
    check(lon, lat, q_lon, q_lat)


def test_clustered_nodes_and_far_queries():
    # A dense old town, a sparse suburb, and queries hundreds of kilometres away on every side.
    rng = np.random.default_rng(1)
    lon = np.concatenate([rng.normal(116.4, 0.005, 5_000), rng.uniform(116.0, 117.0, 500)])
    lat = np.concatenate([rng.normal(39.9, 0.005, 5_000), rng.uniform(39.5, 40.5, 500)])
    q_lon = np.array([116.4, 110.0, 125.0, 116.4, 116.4, -63.6, 116.41])
    q_lat = np.array([39.9, 39.9, 39.9, 30.0, 50.0, -39.9, 39.91])  # the sixth is the antipode
    check(lon, lat, q_lon, q_lat)


@pytest.mark.parametrize("spread", [1.0, 60.0, 179.0])
def test_points_over_a_continent_or_the_whole_globe(spread):
    rng = np.random.default_rng(2)
    lon = rng.uniform(-spread, spread, 4_000)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 4_000))) * min(1.0, spread / 90.0)
    q_lon, q_lat = rng.uniform(-180, 180, 4_000), np.degrees(np.arcsin(rng.uniform(-1, 1, 4_000)))
    check(lon, lat, q_lon, q_lat)


def test_a_single_street_one_point_and_repeated_points():
    check(np.linspace(113.0, 113.1, 200), np.full(200, 23.0), [113.05, 113.2, 112.9], [23.001, 23.0, 23.5])
    index, chord = check([10.0], [50.0], [10.0, 11.0, -170.0], [50.0, 50.0, -50.0])
    assert index.tolist() == [0, 0, 0] and chord[0] == 0.0
    index, _ = check([5.0] * 4 + [6.0], [5.0] * 4 + [6.0], [5.0, 6.0], [5.0, 6.0])
    assert index[0] in (0, 1, 2, 3) and index[1] == 4


def test_poles():
    lon = np.array([0.0, 90.0, 180.0, -90.0, 45.0])
    lat = np.array([89.9, 89.9, 89.9, 89.9, 90.0])
    check(lon, lat, [0.0, 135.0, 0.0], [90.0, 89.95, -90.0])


def test_far_queries_are_compared_with_every_point():
    # A resident geocoded to 0, 0 beside a city, the antipode, 700 km off: beyond twice the
    # nodes' spread the grid compares them with every node, and still answers exactly.
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(113.0, 113.5, 20_000), rng.uniform(23.0, 23.4, 20_000)
    grid = NodeGrid(unit_xyz(lon, lat))
    spread = np.sqrt(grid.far_chord2 / 4.0)
    far = unit_xyz(np.array([0.0, -66.8, 120.0]), np.array([0.0, -23.2, 23.2]))
    near = unit_xyz(np.array([113.2, 113.6]), np.array([23.2, 23.5]))
    assert (np.linalg.norm(far - grid.e3, axis=1) > 2 * spread).all()
    assert (np.linalg.norm(near - grid.e3, axis=1) < 2 * spread).all()
    check(lon, lat, [0.0, -66.8, 120.0, 113.2, 113.6], [0.0, -23.2, 23.2, 23.2, 23.5])
