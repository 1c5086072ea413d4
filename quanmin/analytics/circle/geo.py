"""Great-circle geometry on a spherical Earth, vectorised with NumPy."""

from __future__ import annotations

import numpy as np

# Mean Earth radius (IUGG R1); pyrosm computes OSM edge lengths with the same radius, so snap
# distances and edge lengths are in the same metres.
EARTH_RADIUS_M = 6_371_008.8


def as_lonlat(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Validate coordinates as float64 arrays of equal length, WGS84 degrees."""
    lon = np.ascontiguousarray(lon, dtype=np.float64).reshape(-1)
    lat = np.ascontiguousarray(lat, dtype=np.float64).reshape(-1)
    if lon.shape != lat.shape:
        raise ValueError(f"lon and lat differ in length: {lon.size} != {lat.size}")
    if lon.size and not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise ValueError("coordinates must be finite numbers")
    if lon.size and (np.abs(lat).max() > 90.0 or np.abs(lon).max() > 180.0):
        raise ValueError("coordinates must be lon in [-180, 180] and lat in [-90, 90] degrees")
    return lon, lat


def unit_xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3): nearest by chord is nearest by great circle.

    The sines and cosines come from ``kernels._sin_cos``, within 1e-15 of NumPy's and 5x faster.
    """
    from .kernels import COS_TABLE, SIN_TABLE  # lazy: Numba loads with the first analysis
    from .kernels import unit_xyz as compiled  # lazy: Numba loads with the first analysis

    lon = np.ascontiguousarray(lon, dtype=np.float64)
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    return compiled(lon, lat, SIN_TABLE, COS_TABLE)


def chord_to_m(chord: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres for a chord length on the unit sphere."""
    half = np.clip(np.asarray(chord, dtype=np.float64) * 0.5, 0.0, 1.0)
    return 2.0 * EARTH_RADIUS_M * np.arcsin(half)


def m_to_chord(metres: float) -> float:
    """Chord on the unit sphere spanning ``metres`` of great circle (inverse of chord_to_m)."""
    angle = min(float(metres) / EARTH_RADIUS_M, np.pi)
    return float(2.0 * np.sin(angle * 0.5))


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between paired points."""
    lam1, phi1, lam2, phi2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((phi2 - phi1) * 0.5) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) * 0.5) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
