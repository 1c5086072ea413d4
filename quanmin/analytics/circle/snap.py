"""Join points to their nearest network node by great-circle distance."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .geo import chord_to_m, morton_order, unit_xyz
from .network import WalkNetwork

_SORT_FROM = 4096  # below this, ordering the queries costs more than it saves
_CHUNK = 1 << 15  # the smallest share of the work between threads


@dataclass(frozen=True)
class Snapped:
    """Nearest node of each point and the great-circle distance to it in metres."""

    node: np.ndarray
    distance_m: np.ndarray


class SnapQuery:
    """Points made ready for the node tree: on the unit sphere, in Z-order.

    Preparing needs no tree, so it can run while the tree is being built. The queries go in
    chunks that any number of threads may take in turn (``work``): a thread that is done with
    its own part helps with what is left. Each chunk is half of what is left: a thread needs
    the GIL between chunks, which another thread's Dijkstra may hold for a whole pass, so the
    first chunks are long, and the last are short so that both threads finish together.
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray):
        self.size = int(lon.size)
        self.order = morton_order(lon, lat) if self.size >= _SORT_FROM else None
        if self.order is None:
            self.xyz = unit_xyz(lon, lat)
        else:
            self.xyz = unit_xyz(lon[self.order], lat[self.order])
        self._cursor, self._left = 0, self.size
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._error: BaseException | None = None
        self._chord = np.empty(self.size, dtype=np.float64)
        self._node = np.empty(self.size, dtype=np.int64)
        if self.size == 0:
            self._done.set()

    def work(self, network: WalkNetwork, one_thread: bool = False) -> None:
        """Answer chunks until none is left. ``one_thread`` keeps the tree's OpenMP queries
        to this thread (for a thread that shares the cores with other work)."""
        try:
            with threadpool_limits(1, user_api="openmp") if one_thread else nullcontext():
                while (part := self._take()) is not None:
                    self._chord[part], self._node[part] = network.tree.query(self.xyz[part], k=1)
                    with self._lock:
                        self._left -= part.stop - part.start
                        if self._left == 0:
                            self._done.set()
        except BaseException as exc:  # the waiting side raises it
            self._error = exc
            self._done.set()
            raise

    def _take(self) -> slice | None:
        with self._lock:
            start = self._cursor
            if start >= self.size:
                return None
            self._cursor = min(self.size, start + max(_CHUNK, (self.size - start + 1) // 2))
            return slice(start, self._cursor)

    def done(self) -> bool:
        return self._done.is_set()

    def result(self) -> Snapped:
        """Nearest nodes in the callers' order, once every chunk is answered."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        node, chord = self._node, self._chord
        if self.order is not None:  # back to the callers' order
            node_out, chord_out = np.empty_like(node), np.empty_like(chord)
            node_out[self.order], chord_out[self.order] = node, chord
            node, chord = node_out, chord_out
        return Snapped(node, chord_to_m(chord))

    def run(self, network: WalkNetwork) -> Snapped:
        self.work(network)
        return self.result()


def snap(network: WalkNetwork, lon: np.ndarray, lat: np.ndarray) -> Snapped:
    """Nearest node (index into the network) and great-circle distance in metres, per point.

    The tree holds the nodes as unit vectors in 3D: the chord between two unit vectors grows
    monotonically with the angle between them, so the nearest node by chord is the nearest by
    great circle, exactly, with no projection and no distortion at any latitude. A point far
    from every node still snaps (its distance says how far); nothing is dropped.
    """
    return SnapQuery(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)).run(network)
