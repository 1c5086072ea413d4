"""The walking network: nodes with lon/lat, undirected edges with length in metres.

Two sources: an OpenStreetMap extract read with pyrosm's walking network (not simplified), or a
jittered street grid generated for the demo city and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .geo import EARTH_RADIUS_M, as_lonlat, haversine_m, unit_xyz

if TYPE_CHECKING:  # SciPy is imported where it is used: its spatial package alone takes 0.2 s,
    import scipy.sparse as sp  # which every Django process would pay at start-up
    from scipy.spatial import cKDTree


class NetworkError(ValueError):
    """The network data cannot be used as given."""


@dataclass(eq=False)
class WalkNetwork:
    """Nodes 0..n-1 (``node_id`` keeps the source's ids) and undirected edges ``u``-``v``.

    Every edge is walkable both ways: one-way tags bind vehicles, not pedestrians.
    """

    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length_m: np.ndarray
    node_id: np.ndarray

    @property
    def n_nodes(self) -> int:
        return int(self.lon.size)

    @property
    def n_edges(self) -> int:
        return int(self.u.size)

    @cached_property
    def xyz(self) -> np.ndarray:
        """Node positions on the unit sphere, for the snapping grid."""
        return unit_xyz(self.lon, self.lat)

    @cached_property
    def grid(self) -> NodeGrid:
        """The nodes in a uniform grid, for snapping (see snap.py)."""
        if self.n_nodes == 0:
            raise NetworkError("the network has no nodes")
        return NodeGrid(self.xyz)

    @cached_property
    def ball_tree(self) -> cKDTree:
        """SciPy's KD-tree of the same points, for radius searches (suggest.py)."""
        if self.n_nodes == 0:
            raise NetworkError("the network has no nodes")
        from scipy.spatial import cKDTree  # lazy: 0.4 s to load (measured), see TYPE_CHECKING above

        return cKDTree(self.xyz, leafsize=16)

    @cached_property
    def csr(self) -> sp.csr_matrix:
        """Both directions of every edge as an n x n CSR matrix (``kernels.csr_from_edges``).

        Parallel edges stay as they are: a shortest-path pass relaxes each and so keeps the
        shortest, where summing duplicates (what SciPy's COO -> CSR does) would add their
        lengths. Five times faster than that conversion for a million nodes.
        """
        import scipy.sparse as sp  # lazy: 0.27 s to load (measured), see TYPE_CHECKING above

        from .kernels import csr_from_edges  # lazy: Numba loads with the first analysis

        n = self.n_nodes
        indptr, indices, data = csr_from_edges(self.u, self.v, np.asarray(self.length_m, dtype=np.float64), n)
        return sp.csr_matrix((data, indices, indptr), shape=(n, n), copy=False)

    @cached_property
    def shortest_edge_m(self) -> float:
        """The shortest edge of non-zero length (inf when there is none)."""
        positive = self.length_m[self.length_m > 0.0]
        return float(positive.min()) if positive.size else float("inf")

    @cached_property
    def ball_factor(self) -> float:
        """How far a network path of length d can reach by great circle: d * ball_factor.

        1.0 when no edge is shorter than the great circle between its ends, allowing 1 mm per
        edge for the millimetre rounding of OSM lengths (suggest.py adds 1 m of slack for it);
        larger when some are, and inf when an edge of length 0 joins distinct points.
        """
        if self.n_edges == 0:
            return 1.0
        chord = haversine_m(self.lon[self.u], self.lat[self.u], self.lon[self.v], self.lat[self.v])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(chord > 0.0, (self.length_m + 1e-3) / chord, np.inf)
        worst = float(ratio.min())
        if worst >= 1.0:
            return 1.0
        return float("inf") if worst <= 0.0 else 1.0 / worst

    def components(self) -> np.ndarray:
        """Connected-component label of every node."""
        from scipy.sparse.csgraph import connected_components  # lazy: SciPy, see TYPE_CHECKING above

        _, labels = connected_components(self.csr, directed=False)
        return labels


class NodeGrid:
    """Points on the unit sphere in a uniform grid of cells, for nearest-point queries.

    The grid lies in the plane tangent to the sphere at the points' centre, on which they are
    projected; about one point per cell. A query searches rings of cells around its own until
    the cells left cannot hold a nearer point by chord (``kernels.grid_nearest``), so the answer
    is exact whatever the projection does to far-away points. For a million nodes and a million
    queries, building and answering take about half the time of a KD-tree (pykdtree), whose
    branches a query has to descend and climb back.

    A query far beyond the points (more than twice their spread from their centre, such as a
    resident geocoded to 0, 0) would look through every cell, since the plane no longer bounds
    its chord well; those few are compared with every point in one plain sweep instead.
    """

    def __init__(self, xyz: np.ndarray):
        from .kernels import column_sums, grid_cells, max_chord2, project  # lazy: Numba loads with the first analysis

        n = xyz.shape[0]
        centre = column_sums(xyz)
        norm = float(np.linalg.norm(centre))
        e3 = centre / norm if norm > 1e-9 else np.array([0.0, 0.0, 1.0])
        helper = np.array([1.0, 0.0, 0.0]) if abs(e3[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        e1 = np.cross(helper, e3)
        e1 /= np.linalg.norm(e1)
        self.e1, self.e2, self.e3 = e1, np.cross(e3, e1), e3
        # A query farther than twice the points' spread from their centre is "far" (see above).
        self.far_chord2 = 4.0 * max_chord2(xyz, e3) + 1e-12
        px, py = project(xyz, self.e1, self.e2)
        self.x0, self.y0 = float(px.min()), float(py.min())
        width, height = float(px.max()) - self.x0, float(py.max()) - self.y0
        # About one point per cell (half or three per cell answer no faster); a thin set of
        # points (a single street) gets a row of cells.
        self.h = max(np.sqrt(width * height / n), max(width, height) / n, 1e-12)
        self.ncx = max(1, int(np.ceil(width / self.h)))
        self.ncy = max(1, int(np.ceil(height / self.h)))
        self.start, self.order = grid_cells(px, py, self.x0, self.y0, self.h, self.ncx, self.ncy)
        self.xyz = np.ascontiguousarray(xyz[self.order])  # in cell order: a cell's points side by side

    def query(self, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest point (its index in the points given) and the chord to it, per query."""
        from .kernels import grid_nearest  # lazy: Numba loads with the first analysis

        index = np.empty(xyz.shape[0], dtype=np.int64)
        chord = np.empty(xyz.shape[0], dtype=np.float64)
        args = (self.xyz, self.start, self.x0, self.y0, self.h, self.ncx, self.ncy, self.e3, self.far_chord2)
        grid_nearest(np.ascontiguousarray(xyz), self.e1, self.e2, *args, index, chord)
        return self.order[index], chord


def build_network(node_id, lon, lat, u_id, v_id, length_m) -> WalkNetwork:
    """Network from node ids with coordinates and edges given by node ids.

    Self-loops are dropped (they never shorten a path); an edge naming an unknown node, or with
    a negative or missing length, is an error.
    """
    lon, lat = as_lonlat(lon, lat)
    node_id = np.asarray(node_id).reshape(-1)
    if node_id.size != lon.size:
        raise NetworkError(f"{node_id.size} node ids for {lon.size} coordinates")
    order = np.argsort(node_id, kind="stable")
    sorted_ids = node_id[order]
    if sorted_ids.size > 1 and (sorted_ids[1:] == sorted_ids[:-1]).any():
        raise NetworkError("node ids are not unique")

    def to_index(ids, name):
        ids = np.asarray(ids).reshape(-1)
        pos = np.searchsorted(sorted_ids, ids)
        pos_c = np.minimum(pos, max(sorted_ids.size - 1, 0))
        if sorted_ids.size == 0 or (sorted_ids[pos_c] != ids).any():
            raise NetworkError(f"edge endpoint {name} names a node that is not in the node list")
        return order[pos_c]

    length = np.asarray(length_m, dtype=np.float64).reshape(-1)
    u = to_index(u_id, "u")
    v = to_index(v_id, "v")
    if not (u.size == v.size == length.size):
        raise NetworkError("u, v and length differ in length")
    if length.size and not (np.isfinite(length).all() and length.min() >= 0.0):
        raise NetworkError("edge lengths must be finite and non-negative metres")
    keep = u != v
    idx_dtype = np.int32 if lon.size < 2**31 else np.int64
    return WalkNetwork(
        lon=lon,
        lat=lat,
        u=u[keep].astype(idx_dtype),
        v=v[keep].astype(idx_dtype),
        length_m=length[keep],
        node_id=node_id,
    )


def read_osm_walking_network(path, bounding_box=None) -> WalkNetwork:
    """Walking network of an .osm.pbf extract through pyrosm, as the reader returns it.

    ``get_network("walking", nodes=True)`` gives one edge per segment of each way (not
    simplified), ``u``/``v`` as OSM node ids and ``length`` in metres (haversine on the mean
    Earth radius). ``bounding_box`` is passed to ``pyrosm.OSM`` ([minx, miny, maxx, maxy]).
    """
    try:
        import pyrosm
    except ImportError as exc:  # the reader is optional for the rest of the package
        raise NetworkError("reading .osm.pbf needs the 'pyrosm' package") from exc

    osm = pyrosm.OSM(str(path), bounding_box=bounding_box)
    result = osm.get_network(network_type="walking", nodes=True)
    if result is None:
        raise NetworkError(f"no walkable ways in {path}")
    nodes, edges = result
    return build_network(
        nodes["id"].to_numpy(),
        nodes["lon"].to_numpy(),
        nodes["lat"].to_numpy(),
        edges["u"].to_numpy(),
        edges["v"].to_numpy(),
        edges["length"].to_numpy(),
    )


def read_osm_streets(path, bounding_box=None) -> list[tuple[str, str, list]]:
    """The walkable ways of an .osm.pbf extract, whole (one line per way, not per segment), with their
    names and highway kinds: [(name, kind, [[lon, lat], …])] for storing (`manage.py load_streets`)."""
    try:
        import pyrosm
    except ImportError as exc:  # the reader is optional for the rest of the package
        raise NetworkError("reading .osm.pbf needs the 'pyrosm' package") from exc

    ways = pyrosm.OSM(str(path), bounding_box=bounding_box).get_network(network_type="walking")
    if ways is None or not len(ways):
        raise NetworkError(f"no walkable ways in {path}")
    out = []
    for name, kind, geom in zip(ways["name"], ways["highway"], ways.geometry, strict=True):
        lines = getattr(geom, "geoms", [geom])  # a MultiLineString's parts, or the LineString itself
        text = name if isinstance(name, str) else ""
        out += [(text, kind if isinstance(kind, str) else "", [list(c[:2]) for c in line.coords]) for line in lines]
    return out


def network_from_lines(lines) -> WalkNetwork:
    """A walking network from street lines ([[lon, lat], …] each): a node at every distinct point
    (lines that share a point, as OSM ways share their junction nodes, are joined there), an edge
    between each two consecutive points, its haversine length."""
    index: dict[tuple[float, float], int] = {}
    u, v = [], []
    for line in lines:
        ids = [index.setdefault((round(p[0], 7), round(p[1], 7)), len(index)) for p in line]
        u += ids[:-1]
        v += ids[1:]
    points = np.array(list(index), dtype=float).reshape(-1, 2)
    u_arr, v_arr = np.array(u, dtype=np.int64), np.array(v, dtype=np.int64)
    length = haversine_m(points[u_arr, 0], points[u_arr, 1], points[v_arr, 0], points[v_arr, 1]) if len(u) else np.empty(0)
    return build_network(np.arange(len(points), dtype=np.int64), points[:, 0], points[:, 1], u_arr, v_arr, length)


def generate_grid_network(
    n_nodes: int,
    center_lon: float = 113.2644,
    center_lat: float = 23.1291,
    block_m: tuple[float, float] = (80.0, 150.0),
    jitter_m: float = 10.0,
    removed_share: float = 0.02,
    seed: int = 0,
) -> WalkNetwork:
    """A jittered street grid of ``n_nodes`` nodes centred on ``center_lon``/``center_lat``.

    Street spacing is drawn per row and per column from ``block_m`` (80-150 m blocks, typical of
    Chinese urban cores), each node moves up to ``jitter_m``, and ``removed_share`` of the edges
    are dropped (dead ends, walls, rivers). Edge length is the great-circle distance between its
    ends, so straight-line distance never exceeds network distance. The default centre is
    Guangzhou's (an arbitrary demo city).
    """
    n_nodes = int(n_nodes)
    if n_nodes < 1:
        raise ValueError("n_nodes must be at least 1")
    rng = np.random.default_rng(seed)
    cols = int(np.ceil(np.sqrt(n_nodes)))
    rows = int(np.ceil(n_nodes / cols))
    lo, hi = block_m
    x = np.concatenate([[0.0], np.cumsum(rng.uniform(lo, hi, cols - 1))])
    y = np.concatenate([[0.0], np.cumsum(rng.uniform(lo, hi, rows - 1))])
    x -= x[-1] / 2.0
    y -= y[-1] / 2.0
    idx = np.arange(n_nodes)
    r, c = np.divmod(idx, cols)
    px = x[c] + rng.uniform(-jitter_m, jitter_m, n_nodes)
    py = y[r] + rng.uniform(-jitter_m, jitter_m, n_nodes)
    # Local metres to degrees (equirectangular about the centre): exact enough for a city.
    lat = center_lat + np.degrees(py / EARTH_RADIUS_M)
    lon = center_lon + np.degrees(px / (EARTH_RADIUS_M * np.cos(np.radians(center_lat))))

    right = idx[(c < cols - 1) & (idx + 1 < n_nodes)]
    down = idx[idx + cols < n_nodes]
    u = np.concatenate([right, down])
    v = np.concatenate([right + 1, down + cols])
    keep = rng.random(u.size) >= removed_share
    u, v = u[keep], v[keep]
    length = haversine_m(lon[u], lat[u], lon[v], lat[v])
    idx_dtype = np.int32 if n_nodes < 2**31 else np.int64
    return WalkNetwork(
        lon=lon,
        lat=lat,
        u=u.astype(idx_dtype),
        v=v.astype(idx_dtype),
        length_m=length,
        node_id=idx.astype(np.int64),
    )
