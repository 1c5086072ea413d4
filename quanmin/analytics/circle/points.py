"""Point sets the analysis works on: facilities, residents and candidate sites.

Plain NumPy arrays, so callers (the register, GeoJSON files, generated demo data) fill them
without going through any ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geo import as_lonlat

REGION_CODE_DIGITS = 12


def _optional(values, n: int, name: str):
    if values is None:
        return None
    arr = np.asarray(values).reshape(-1)
    if arr.size != n:
        raise ValueError(f"{name} has {arr.size} values for {n} points")
    return arr


@dataclass(eq=False)
class Facilities:
    """Sports grounds: one point each, with an optional ``type`` (e.g. "basketball") and id."""

    lon: np.ndarray
    lat: np.ndarray
    type: np.ndarray | None = None
    id: np.ndarray | None = None

    def __post_init__(self):
        self.lon, self.lat = as_lonlat(self.lon, self.lat)
        n = self.lon.size
        self.type = _optional(self.type, n, "type")
        if self.type is not None:
            self.type = self.type.astype(object)
        self.id = _optional(self.id, n, "id")

    def __len__(self) -> int:
        return int(self.lon.size)

    def subset(self, mask: np.ndarray) -> Facilities:
        return Facilities(
            self.lon[mask],
            self.lat[mask],
            None if self.type is None else self.type[mask],
            None if self.id is None else self.id[mask],
        )


@dataclass(eq=False)
class Candidates:
    """Sites where a facility could be built (non-sports land catalogue, or a grid)."""

    lon: np.ndarray
    lat: np.ndarray
    id: np.ndarray | None = None

    def __post_init__(self):
        self.lon, self.lat = as_lonlat(self.lon, self.lat)
        self.id = _optional(self.id, self.lon.size, "id")

    def __len__(self) -> int:
        return int(self.lon.size)


@dataclass(eq=False)
class Residents:
    """Resident points, each with a population and the 12-digit region_code it lies in."""

    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray
    region_code: np.ndarray | None = None

    def __post_init__(self):
        self.lon, self.lat = as_lonlat(self.lon, self.lat)
        n = self.lon.size
        pop = np.asarray(self.population, dtype=np.float64).reshape(-1)
        if pop.size != n:
            raise ValueError(f"population has {pop.size} values for {n} points")
        if n and not (np.isfinite(pop).all() and pop.min() >= 0.0):
            raise ValueError("population must be finite and non-negative")
        self.population = pop
        if self.region_code is not None:
            self.region_code = parse_region_codes(self.region_code, n)

    def grouped(self, order) -> Residents:
        """The same residents moved into ``order`` (a ``snap.SpatialOrder``), not checked
        again."""
        out = object.__new__(Residents)
        out.lon, out.lat, out.population = order.group(self.lon), order.group(self.lat), order.group(self.population)
        out.region_code = None if self.region_code is None else order.group(self.region_code)
        return out

    def __len__(self) -> int:
        return int(self.lon.size)


def parse_region_codes(codes, n: int | None = None) -> np.ndarray:
    """12-digit statistics codes (str or int) as int64; a prefix of k digits is an ancestor."""
    arr = np.asarray(codes).reshape(-1)
    if n is not None and arr.size != n:
        raise ValueError(f"region_code has {arr.size} values for {n} points")
    if arr.dtype.kind in "iu":
        out = arr.astype(np.int64)
    else:
        text = arr.astype(str)
        lengths = np.char.str_len(text)
        digits = np.char.isdigit(text)
        bad = np.flatnonzero((lengths != REGION_CODE_DIGITS) | ~digits)
        if bad.size:
            raise ValueError(f"region_code must be 12 digits; point {int(bad[0])} has {text[bad[0]]!r}")
        out = text.astype(np.int64)
    if out.size and (out.min() < 10**11 or out.max() >= 10**12):
        raise ValueError("region_code must be 12 digits (a province prefix of 11-82)")
    return out


def format_region_code(code: int) -> str:
    return f"{int(code):012d}"
