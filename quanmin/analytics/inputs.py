"""The platform's own data as the analysis's inputs (when no files are given).

- Facilities: the register's open facilities in the division, with their types.
- Residents: each community's resident population spread over a few points around where its
  sites are (or its township's, when it has none): we hold no building footprints, so this is a
  sketch at community level, said as such on the page.
- Network: the streets loaded with `manage.py load_streets F.osm.pbf|F.geojson` (stored, and drawn
  on the offline map) that cross the division's sites' extent; when none are loaded (the demo city)
  a walking grid (80–150 m blocks) is generated around each township's centre, big enough to hold
  its sites. `fitness_circle --network F.osm.pbf` reads an extract for one run without storing it.
"""

import hashlib
import math
from collections import defaultdict

import numpy as np
from django.db.models import Count, Max, Min, Sum

from quanmin.facilities.models import Facility, Site
from quanmin.regions import codes, streets
from quanmin.regions.models import Region, StreetSegment

from .circle import Candidates, Facilities, Residents, WalkNetwork, generate_grid_network, network_from_lines
from .circle.network import build_network
from .models import CandidateSite

POINTS_PER_COMMUNITY = 6
SPREAD_M = 350.0


def _prefix(region: Region) -> str:
    return codes.prefix(region.code)


def data_version(region: Region) -> str:
    """Changes whenever facilities, sites, populations or candidate sites under the division do."""
    p = _prefix(region)
    parts = [
        Facility.objects.filter(region__code__within=p).aggregate(n=Count("id"), t=Max("updated_at")),
        Site.objects.filter(region__code__within=p).aggregate(n=Count("id"), t=Max("updated_at")),
        Region.objects.filter(code__within=p).aggregate(s=Sum("population"), n=Count("code")),
        CandidateSite.objects.filter(region__code__within=p).aggregate(n=Count("id"), t=Max("updated_at")),
        StreetSegment.objects.aggregate(n=Count("id"), m=Max("id")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def facilities(region: Region) -> Facilities:
    rows = list(Facility.objects.filter(region__code__within=_prefix(region), open=True)
                .values_list("lon", "lat", "type", "id"))
    if not rows:
        return Facilities(np.empty(0), np.empty(0), np.empty(0, dtype=object), np.empty(0))
    lon, lat, typ, ids = zip(*rows, strict=True)
    return Facilities(np.array(lon), np.array(lat), np.array(typ, dtype=object), np.array(ids))


def _centres(region: Region) -> tuple[dict, dict]:
    """Mean site position per community and per township under the division."""
    by_comm, by_town = defaultdict(list), defaultdict(list)
    for lon, lat, code in Site.objects.filter(region__code__within=_prefix(region)).values_list("lon", "lat", "region_id"):
        by_comm[code].append((lon, lat))
        by_town[codes.prefix_at(code, "township")].append((lon, lat))

    def mean(points):
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))

    return {k: mean(v) for k, v in by_comm.items()}, {k: mean(v) for k, v in by_town.items()}


def residents(region: Region, seed: int = 1) -> Residents:
    rng = np.random.default_rng(seed)
    comm_centre, town_centre = _centres(region)
    lon, lat, pop, code = [], [], [], []
    for c_code, population in Region.objects.filter(code__within=_prefix(region), level="community").values_list("code", "population"):
        centre = comm_centre.get(c_code) or town_centre.get(codes.prefix_at(c_code, "township"))
        if centre is None or not population:
            continue
        k = POINTS_PER_COMMUNITY
        dx = rng.normal(0, SPREAD_M, k) / (111_320 * math.cos(math.radians(centre[1])))
        dy = rng.normal(0, SPREAD_M, k) / 110_540
        lon += list(centre[0] + dx)
        lat += list(centre[1] + dy)
        pop += [population / k] * k
        code += [c_code] * k
    return Residents(np.array(lon), np.array(lat), np.array(pop), np.array(code) if code else None)


def candidates(region: Region) -> Candidates | None:
    rows = list(CandidateSite.objects.filter(region__code__within=_prefix(region), status=CandidateSite.Status.AVAILABLE)
                .values_list("lon", "lat", "id"))
    if not rows:
        return None
    lon, lat, ids = zip(*rows, strict=True)
    return Candidates(np.array(lon), np.array(lat), np.array(ids))


STREET_MARGIN_M = 2000.0  # streets this far beyond the outermost sites still carry walks


def stored_network(region: Region) -> WalkNetwork | None:
    """The loaded streets around the division's sites, or None when none are loaded there."""
    box = Site.objects.filter(region__code__within=_prefix(region)).aggregate(
        a=Min("lat"), b=Max("lat"), c=Min("lon"), d=Max("lon"))
    if box["a"] is None:
        return None
    dlat = STREET_MARGIN_M / 110_540
    dlon = STREET_MARGIN_M / (111_320 * math.cos(math.radians((box["a"] + box["b"]) / 2)))
    lines = [line for _name, _kind, line in streets.in_box(box["a"] - dlat, box["b"] + dlat, box["c"] - dlon, box["d"] + dlon)
             .iterator(chunk_size=5000)]
    return network_from_lines(lines) if lines else None


def network(region: Region, seed: int = 1) -> WalkNetwork:
    """The loaded streets, else a generated street grid around each township's centre (see the
    module's note)."""
    stored = stored_network(region)
    if stored is not None:
        return stored
    _comm, town_centre = _centres(region)
    parts = []
    offset = 0
    node_id, lon, lat, u, v, length = [], [], [], [], [], []
    for i, (code, (cx, cy)) in enumerate(sorted(town_centre.items())):
        grid = generate_grid_network(1600, center_lon=cx, center_lat=cy, seed=seed + i)
        n = grid.n_nodes
        node_id.append(np.arange(offset, offset + n))
        lon.append(grid.lon)
        lat.append(grid.lat)
        u.append(grid.u + offset)
        v.append(grid.v + offset)
        length.append(grid.length_m)
        offset += n
        parts.append(code)
    if not parts:
        return build_network(np.empty(0, dtype=np.int64), np.empty(0), np.empty(0), np.empty(0, dtype=np.int64),
                             np.empty(0, dtype=np.int64), np.empty(0))
    return build_network(np.concatenate(node_id), np.concatenate(lon), np.concatenate(lat), np.concatenate(u),
                         np.concatenate(v), np.concatenate(length))
