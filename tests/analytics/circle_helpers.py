"""Small hand-made networks for the fitness-circle tests, laid out in metres."""

from __future__ import annotations

import numpy as np

from quanmin.analytics.circle import build_network
from quanmin.analytics.circle.geo import EARTH_RADIUS_M, haversine_m

LON0, LAT0 = 116.3975, 39.9087  # Tiananmen, an arbitrary origin


def lonlat(x_m, y_m):
    """Local metres east/north of the origin to lon/lat degrees."""
    x_m, y_m = np.asarray(x_m, dtype=float), np.asarray(y_m, dtype=float)
    lat = LAT0 + np.degrees(y_m / EARTH_RADIUS_M)
    lon = LON0 + np.degrees(x_m / (EARTH_RADIUS_M * np.cos(np.radians(LAT0))))
    return lon, lat


def network_xy(xy, edges, lengths=None):
    """Network from node positions in metres and (u, v) index pairs; lengths default to the
    great-circle distance between the ends."""
    xy = np.asarray(xy, dtype=float)
    lon, lat = lonlat(xy[:, 0], xy[:, 1])
    u = np.array([e[0] for e in edges])
    v = np.array([e[1] for e in edges])
    if lengths is None:
        lengths = haversine_m(lon[u], lat[u], lon[v], lat[v])
    return build_network(np.arange(len(xy)), lon, lat, u, v, lengths)


def line_network(n, spacing=100.0, y=0.0):
    """n nodes along a street running east, ``spacing`` metres apart."""
    xy = [(i * spacing, y) for i in range(n)]
    return network_xy(xy, [(i, i + 1) for i in range(n - 1)])
