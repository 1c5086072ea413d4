"""Join points to their nearest network node by great-circle distance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geo import chord_to_m, morton_order, unit_xyz
from .network import WalkNetwork

_SORT_FROM = 4096  # below this, ordering the queries costs more than it saves


@dataclass(frozen=True)
class Snapped:
    """Nearest node of each point and the great-circle distance to it in metres."""

    node: np.ndarray
    distance_m: np.ndarray


class SnapQuery:
    """Points made ready for the node tree: on the unit sphere, in Z-order.

    Preparing needs no tree, so it can run while the tree is being built.
    """

    def __init__(self, lon: np.ndarray, lat: np.ndarray):
        self.size = int(lon.size)
        self.order = morton_order(lon, lat) if self.size >= _SORT_FROM else None
        if self.order is None:
            self.xyz = unit_xyz(lon, lat)
        else:
            self.xyz = unit_xyz(lon[self.order], lat[self.order])

    def run(self, network: WalkNetwork, workers: int = -1) -> Snapped:
        if self.size == 0:
            return Snapped(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
        chord, node = network.tree.query(self.xyz, k=1, workers=workers)
        node = node.astype(np.int64, copy=False)
        if self.order is not None:  # back to the callers' order
            node_out, chord_out = np.empty_like(node), np.empty_like(chord)
            node_out[self.order], chord_out[self.order] = node, chord
            node, chord = node_out, chord_out
        return Snapped(node, chord_to_m(chord))


def snap(network: WalkNetwork, lon: np.ndarray, lat: np.ndarray, workers: int = -1) -> Snapped:
    """Nearest node (index into the network) and great-circle distance in metres, per point.

    The tree holds the nodes as unit vectors in 3D: the chord between two unit vectors grows
    monotonically with the angle between them, so the nearest node by chord is the nearest by
    great circle, exactly, with no projection and no distortion at any latitude. A point far
    from every node still snaps (its distance says how far); nothing is dropped.
    """
    return SnapQuery(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)).run(network, workers)
