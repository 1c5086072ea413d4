"""Reads that several callers share: the finder's filters and the nearby search."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from quanmin.regions import codes

from . import geo, opening, types
from .models import Facility, OpeningRule, Site

FREE_ACCESS = [Facility.Access.FREE, Facility.Access.LOW_FEE]


@dataclass
class Filters:
    types: list[str] = field(default_factory=list)  # facility type codes
    group: str = ""  # a type group: ball, football, water, trail ...
    open_at: datetime.datetime | None = None  # "open now"
    free_or_low_fee: bool = False
    accessible: bool = False
    region: str = ""  # division code: the subtree
    q: str = ""  # name or address contains
    include_unbuilt: bool = False  # staff lists show planned sites and those under construction

    def type_codes(self) -> list[str]:
        codes = [t for t in self.types if t in types.TYPES]
        if self.group:
            codes += [t.code for t in types.TYPES.values() if t.group == self.group]
        return codes


def _region_prefix(code: str) -> str:

    return codes.prefix(codes.normalise(code))


def filter_sites(qs: QuerySet[Site], f: Filters) -> QuerySet[Site]:
    if not f.include_unbuilt:
        qs = qs.exclude(status__in=[Site.Status.PLANNED, Site.Status.BUILDING])
    facility_q = Q(site_id=OuterRef("pk"))
    wanted = f.type_codes()
    if wanted:
        facility_q &= Q(type__in=wanted)
    if f.free_or_low_fee:
        benefit = Exists(OpeningRule.objects.filter(site_id=OuterRef("site_id"), kind=OpeningRule.Kind.BENEFIT))
        facility_q &= Q(access__in=FREE_ACCESS) | Q(benefit)
    if wanted or f.free_or_low_fee:
        qs = qs.filter(Exists(Facility.objects.filter(facility_q)))
    if f.accessible:
        qs = qs.filter(Q(accessible_entrance=True) | Q(accessible_toilet=True) | Q(accessible_parking=True))
    if f.region:
        qs = qs.filter(region__code__within=_region_prefix(f.region))
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(address__contains=f.q))
    if f.open_at:
        qs = opening.open_sites(qs, f.open_at)
    return qs


def filter_facilities(qs: QuerySet[Facility], f: Filters) -> QuerySet[Facility]:
    wanted = f.type_codes()
    if wanted:
        qs = qs.filter(type__in=wanted)
    if f.free_or_low_fee:
        benefit = Exists(OpeningRule.objects.filter(site_id=OuterRef("site_id"), kind=OpeningRule.Kind.BENEFIT))
        qs = qs.filter(Q(access__in=FREE_ACCESS) | Q(benefit))
    if f.accessible:
        qs = qs.filter(Q(site__accessible_entrance=True) | Q(site__accessible_toilet=True)
                       | Q(site__accessible_parking=True))
    if f.region:
        qs = qs.filter(region__code__within=_region_prefix(f.region))
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(site__name__contains=f.q))
    if f.open_at:
        qs = qs.filter(open=True).filter(opening.open_at_q(f.open_at, site_ref="site_id"))
    return qs


def nearby(qs: QuerySet, lat: float, lon: float, radius_m: float, limit: int | None = None) -> list[tuple]:
    """(object, metres) within radius, nearest first. The bounding box uses the (lat, lon) index;
    the exact great-circle distance is computed for what the box lets through."""
    min_lat, max_lat, min_lon, max_lon = geo.bbox(lat, lon, radius_m)
    candidates = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
    hits = []
    for obj in candidates.iterator(chunk_size=2000):
        d = geo.haversine_m(lat, lon, obj.lat, obj.lon)
        if d <= radius_m:
            hits.append((obj, d))
    hits.sort(key=lambda pair: (pair[1], pair[0].pk))
    return hits[:limit] if limit else hits
