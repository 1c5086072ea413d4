"""GeoJSON in (facility and population points) and out (the covered/uncovered map layer).

Coordinates are WGS84 lon/lat as RFC 7946 requires; the OSM network is WGS84 too. Points from
Chinese web maps are GCJ-02 (offset by a few hundred metres) and must be converted first.
Every reader applies all features or none: the first bad feature raises CircleInputError with
its index and reason.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from quanmin.regions.codes import is_code

from .points import Candidates, Facilities, Residents, format_region_code
from .standard import minutes_key, threshold_m


class CircleInputError(ValueError):
    """A GeoJSON input is not usable; the message names the feature and the reason."""


def _load(source) -> dict:
    if isinstance(source, dict):
        return source
    try:
        return json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CircleInputError(f"cannot read GeoJSON {source}: {exc}") from exc


def _points(source, what: str):
    """Yield (index, lon, lat, properties, feature id) for each Point feature."""
    data = _load(source)
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise CircleInputError(f"{what}: expected a GeoJSON FeatureCollection")
    for i, feat in enumerate(data["features"]):
        geom = (feat or {}).get("geometry") or {}
        coords = geom.get("coordinates")
        if geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            raise CircleInputError(f"{what}: feature {i} is not a Point")
        lon, lat = coords[0], coords[1]
        if not all(isinstance(c, (int, float)) and math.isfinite(c) for c in (lon, lat)):
            raise CircleInputError(f"{what}: feature {i} has non-numeric coordinates")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CircleInputError(f"{what}: feature {i} lies outside lon/lat degrees")
        props = feat.get("properties") or {}
        yield i, float(lon), float(lat), props, feat.get("id", props.get("id"))


def read_facilities_geojson(source) -> Facilities:
    """Facility points; property ``type`` (optional, e.g. "basketball") and ``id``."""
    lon, lat, types, ids = [], [], [], []
    for _, x, y, props, fid in _points(source, "facilities"):
        lon.append(x)
        lat.append(y)
        t = props.get("type")
        types.append(None if t is None else str(t))
        ids.append(fid)
    return Facilities(np.array(lon), np.array(lat), np.array(types, dtype=object), np.array(ids, dtype=object))


def read_population_geojson(source) -> Residents:
    """Resident points; property ``population`` (required, >= 0), ``region_code`` (12 digits,
    required on all points or on none)."""
    lon, lat, pop, codes = [], [], [], []
    for i, x, y, props, _ in _points(source, "population"):
        p = props.get("population")
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not math.isfinite(p) or p < 0:
            raise CircleInputError(f"population: feature {i} needs a number population >= 0")
        code = props.get("region_code")
        if code is not None:
            code = str(code)
            if not is_code(code):
                raise CircleInputError(f"population: feature {i} region_code {code!r} is not 12 digits")
        lon.append(x)
        lat.append(y)
        pop.append(float(p))
        codes.append(code)
    has = [c is not None for c in codes]
    if any(has) and not all(has):
        raise CircleInputError(f"population: feature {has.index(False)} has no region_code while others have one")
    return Residents(np.array(lon), np.array(lat), np.array(pop), codes if all(has) and codes else None)


def read_candidates_geojson(source) -> Candidates:
    """Candidate sites (e.g. the non-sports land catalogue) as Point features with an ``id``."""
    lon, lat, ids = [], [], []
    for i, x, y, _, fid in _points(source, "candidates"):
        lon.append(x)
        lat.append(y)
        ids.append(fid if fid is not None else i)
    return Candidates(np.array(lon), np.array(lat), np.array(ids, dtype=object))


def coverage_layer(residents: Residents, walk_m: np.ndarray, minutes, speed_kmh: float) -> dict:
    """Residents as a GeoJSON FeatureCollection for the map: walking minutes to the nearest
    facility (null when beyond the largest threshold) and ``covered_<min>`` per threshold."""

    limits = {minutes_key(m): threshold_m(m, speed_kmh) for m in minutes}
    per_min = 1000.0 * float(speed_kmh) / 60.0
    features = []
    for i in range(len(residents)):
        d = float(walk_m[i])
        props = {
            "population": float(residents.population[i]),
            "walk_minutes": round(d / per_min, 2) if math.isfinite(d) else None,
        }
        if residents.region_code is not None:
            props["region_code"] = format_region_code(residents.region_code[i])
        for key, limit in limits.items():
            props[f"covered_{key}"] = bool(d <= limit)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(residents.lon[i]), float(residents.lat[i])]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def read_streets_geojson(source) -> list[tuple[str, str, list]]:
    """Streets of a walking network: LineString or MultiLineString features with optional ``name``
    and ``highway`` properties → [(name, kind, [[lon, lat], …])]; all or none, as the other readers."""
    data = _load(source)
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise CircleInputError("streets: expected a GeoJSON FeatureCollection")
    out = []
    for i, feat in enumerate(data["features"]):
        geom = (feat or {}).get("geometry") or {}
        props = (feat or {}).get("properties") or {}
        kind, coords = geom.get("type"), geom.get("coordinates")
        parts = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else None
        if not isinstance(parts, list) or not all(isinstance(p, list) and len(p) >= 2 for p in parts):
            raise CircleInputError(f"streets: feature {i} is not a LineString or MultiLineString")
        for part in parts:
            if not all(isinstance(c, list) and len(c) >= 2 and all(isinstance(v, (int, float)) and math.isfinite(v)
                                                                     for v in c[:2]) for c in part):
                raise CircleInputError(f"streets: feature {i} has non-numeric coordinates")
            out.append((str(props.get("name") or ""), str(props.get("highway") or ""), [[c[0], c[1]] for c in part]))
    return out
