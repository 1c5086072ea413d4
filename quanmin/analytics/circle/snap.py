"""Join points to their nearest network node by great-circle distance."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

import numpy as np

from .geo import as_lonlat, chord_to_m, unit_xyz
from .network import WalkNetwork

GROUP_FROM = 4096  # below this, grouping the points costs more than it saves


@dataclass(frozen=True)
class Snapped:
    """Nearest node of each point and the great-circle distance to it in metres."""

    node: np.ndarray
    distance_m: np.ndarray


class SpatialOrder:
    """Points grouped by place: 64 x 64 squares over their extent, along a Z-order curve.

    Work on points that lie near each other then touches the same nodes, which stay in the
    cache: snapping a million residents in this order is 3x faster than at random, and so is
    folding in each pass's node distances. ``group`` moves an array into this order and
    ``restore`` back; both read or write in order on one side (``kernels.spatial_order``).
    """

    BITS = 6

    def __init__(self, lon: np.ndarray, lat: np.ndarray):
        from .kernels import spatial_order  # lazy: Numba loads with the first analysis

        self.position = spatial_order(lon, lat, self.BITS)

    def group(self, values: np.ndarray) -> np.ndarray:
        out = np.empty_like(values)
        out[self.position] = values
        return out

    def restore(self, values: np.ndarray) -> np.ndarray:
        return values[self.position]


class SnapQuery:
    """Points made ready for the node grid: on the unit sphere, grouped by place
    (``SpatialOrder``) unless the caller has grouped them (``grouped=True``) or they are few.

    Preparing needs no grid, so it can run while the grid is being built. ``start`` answers the
    points on threads of their own while the caller goes on (the analysis runs its Dijkstra
    passes meanwhile); ``result`` waits for them.
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray, grouped: bool = False):
        self.size = int(lon.size)
        self.order = SpatialOrder(lon, lat) if self.size >= GROUP_FROM and not grouped else None
        if self.order is None:
            self.xyz = unit_xyz(lon, lat)
        else:
            self.xyz = unit_xyz(self.order.group(lon), self.order.group(lat))
        self._chord = np.empty(self.size, dtype=np.float64)
        self._node = np.empty(self.size, dtype=np.int64)
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []
        self.seconds = 0.0  # the longest part's query time
        self._result: Snapped | None = None

    def _part(self, network: WalkNetwork, part: slice) -> None:
        t = time.perf_counter()
        try:
            self._node[part], self._chord[part] = network.grid.query(self.xyz[part])
        except BaseException as exc:  # result() raises it on the caller's thread
            self._errors.append(exc)
        self.seconds = max(self.seconds, time.perf_counter() - t)

    def start(self, network: WalkNetwork, threads: int) -> None:
        """Answer the points on ``threads`` threads of their own, one slice each in one call.

        The grid's queries release the GIL, so the slices run side by side with the caller's
        work (the analysis's passes and folds); the OS shares the cores among them.
        """
        _ = network.grid  # built here, not raced for by the threads
        bounds = np.linspace(0, self.size, max(1, threads) + 1).astype(int)
        for lo, hi in itertools.pairwise(bounds.tolist()):
            if hi > lo:
                thread = threading.Thread(target=self._part, args=(network, slice(lo, hi)),
                                          name="fitness-circle-snap", daemon=True)
                thread.start()
                self._threads.append(thread)

    def result(self) -> Snapped:
        """Nearest nodes in the callers' order (after ``start``'s threads, or ``run``)."""
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]
        if self._result is not None:
            return self._result
        node, chord = self._node, self._chord
        if self.order is not None:  # back to the callers' order
            node, chord = self.order.restore(node), self.order.restore(chord)
        self._result = Snapped(node, chord_to_m(chord))
        return self._result

    def run(self, network: WalkNetwork) -> Snapped:
        """All points now, on this thread."""
        if self.size:
            self._part(network, slice(0, self.size))
        return self.result()


def snap(network: WalkNetwork, lon: np.ndarray, lat: np.ndarray) -> Snapped:
    """Nearest node (index into the network) and great-circle distance in metres, per point.

    Nodes and points are unit vectors in 3D: the chord between two unit vectors grows
    monotonically with the angle between them, so the nearest node by chord is the nearest by
    great circle, exactly, with no distortion at any latitude (the grid's plane only bounds how
    far a query looks). A point far from every node still snaps (its distance says how far);
    nothing is dropped. Coordinates are checked first (``geo.as_lonlat``): the compiled loops
    do not check what they read.
    """
    return SnapQuery(*as_lonlat(lon, lat)).run(network)
