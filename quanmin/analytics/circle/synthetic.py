"""Generated residents, facilities and candidate sites around a generated street grid: made-up
points for the benchmark, the tests and compiling the kernels (`kernels.warm`). Not the demo city,
whose analysis reads the platform's own register and populations (`analytics/inputs.py`)."""

from __future__ import annotations

import numpy as np

from .geo import EARTH_RADIUS_M
from .network import WalkNetwork
from .points import Candidates, Facilities, Residents

# A few census facility types (体育场地), for the per-type figures.
TYPES = ("fitness_path", "basketball", "table_tennis", "football", "swimming_pool")
TYPE_WEIGHTS = (0.45, 0.25, 0.15, 0.1, 0.05)


def _near_nodes(network: WalkNetwork, n: int, spread_m: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered up to ``spread_m`` around random nodes (so they lie among the streets)."""
    nodes = rng.integers(0, network.n_nodes, n)
    lat0 = np.radians(float(np.mean(network.lat)))
    d_lat = np.degrees(rng.uniform(-spread_m, spread_m, n) / EARTH_RADIUS_M)
    d_lon = np.degrees(rng.uniform(-spread_m, spread_m, n) / (EARTH_RADIUS_M * np.cos(lat0)))
    return network.lon[nodes] + d_lon, network.lat[nodes] + d_lat


def made_up_region_codes(lon: np.ndarray, lat: np.ndarray, city: str = "4401") -> np.ndarray:
    """12-digit codes on a made-up hierarchy: counties, townships and communities as nested
    square cells (about 16 km, 4 km and 1 km) over the points' extent. Not real divisions."""
    x = (lon - lon.min()) / max(np.ptp(lon), 1e-12)
    y = (lat - lat.min()) / max(np.ptp(lat), 1e-12)
    span_km = max(np.ptp(lon) * 111.0 * np.cos(np.radians(lat.mean())), np.ptp(lat) * 111.0, 1.0)

    def cell(size_km):
        k = max(int(np.ceil(span_km / size_km)), 1)
        return np.minimum((x * k).astype(np.int64), k - 1), np.minimum((y * k).astype(np.int64), k - 1), k

    cx, cy, kc = cell(16.0)
    county = 1 + (cy * kc + cx) % 99  # 2 digits
    tx, ty, kt = cell(4.0)
    township = 1 + ((ty % 4) * 4 + tx % 4)  # 3 digits: 4x4 townships per county cell
    mx, my, km = cell(1.0)
    community = 1 + ((my % 4) * 4 + mx % 4)  # 3 digits: 4x4 communities per township cell
    return int(city) * 10**8 + county * 10**6 + township * 10**3 + community


def generate_residents(network: WalkNetwork, n: int, seed: int = 1, spread_m: float = 60.0) -> Residents:
    """``n`` resident points near the streets, population 1-400 each, with made-up region codes."""
    rng = np.random.default_rng(seed)
    lon, lat = _near_nodes(network, n, spread_m, rng)
    pop = rng.integers(1, 401, n).astype(np.float64)
    return Residents(lon, lat, pop, made_up_region_codes(lon, lat))


def generate_facilities(network: WalkNetwork, n: int, seed: int = 2, spread_m: float = 40.0) -> Facilities:
    """``n`` facility points near the streets, with a type drawn from TYPES."""
    rng = np.random.default_rng(seed)
    lon, lat = _near_nodes(network, n, spread_m, rng)
    types = rng.choice(np.array(TYPES, dtype=object), size=n, p=TYPE_WEIGHTS)
    return Facilities(lon, lat, types, np.arange(n))


def generate_candidates(network: WalkNetwork, n: int, seed: int = 3) -> Candidates:
    """``n`` candidate sites near the streets, ids "site-0", "site-1", ..."""
    rng = np.random.default_rng(seed)
    lon, lat = _near_nodes(network, n, 30.0, rng)
    return Candidates(lon, lat, np.array([f"site-{i}" for i in range(n)], dtype=object))
