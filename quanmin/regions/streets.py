"""The streets of the walking network: loaded whole from a file, read by the box of a map view.

One network at a time: loading replaces what was there (a newer OpenStreetMap extract is the
whole city again). Lines are WGS-84 [[lon, lat], …].
"""

import math
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import RegionError
from .models import StreetSegment

BATCH = 2000
MAX_POINTS = 5000  # one line; a longer one is a data error (OSM ways have at most 2,000 nodes)


def _valid(line) -> list[list[float]] | None:
    try:
        points = [[float(p[0]), float(p[1])] for p in line]
    except (TypeError, ValueError, IndexError):
        return None
    if not 2 <= len(points) <= MAX_POINTS:
        return None
    for lon, lat in points:
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            return None
    return points


@transaction.atomic
def replace_streets(lines: Iterable[tuple[str, str, list]]) -> int:
    """Replace the stored network by `lines` ((name, kind, [[lon, lat], …]) each); all or nothing:
    the first bad line (fewer than two points, not numbers, off the globe) refuses the whole load
    naming its position, and the old network stays."""
    StreetSegment.objects.all().delete()
    batch, n = [], 0
    for i, (name, kind, line) in enumerate(lines, start=1):
        points = _valid(line)
        if points is None:
            raise RegionError("street_invalid", _("Line %(n)s is not a street: it needs 2 to %(max)s points of "
                                                  "longitude and latitude.") % {"n": i, "max": MAX_POINTS})
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        batch.append(StreetSegment(name=(name or "")[:120], kind=(kind or "")[:40], line=points,
                                   min_lon=min(lons), max_lon=max(lons), min_lat=min(lats), max_lat=max(lats)))
        n += 1
        if len(batch) >= BATCH:
            StreetSegment.objects.bulk_create(batch)
            batch = []
    StreetSegment.objects.bulk_create(batch)
    return n


def any_loaded() -> bool:
    return StreetSegment.objects.exists()


def in_box(min_lat: float, max_lat: float, min_lon: float, max_lon: float, limit: int | None = None):
    """The streets that cross the box (their own boxes overlap it)."""
    qs = (StreetSegment.objects.filter(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat,
                                       max_lat__gte=min_lat)
          .order_by("pk").values_list("name", "kind", "line"))
    return qs[:limit] if limit else qs
