"""Division tree: public reference data (residents pick their community when they register)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from quanmin.core.api import ArrayPaging, Paging

from . import codes, selectors
from .models import Region

# Mounted with the public auth by quanmin/api.py: regions may not import accounts, where auth lives.
router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    population: int | None
    population_estimated: bool
    area_km2: float | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent_id


@router.get("", response=list[RegionOut], summary="List divisions")
@paginate(Paging)
def list_regions(request, level: str | None = None, within: str | None = None, q: str | None = None):
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if within and within.isdigit():
        qs = qs.filter(code__within=codes.prefix(codes.pad(within)))
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("code")


@router.get("/{code}", response=RegionOut, summary="One division")
def get_region(request, code: str):
    return get_object_or_404(Region, code=code)


@router.get("/{code}/children", response=list[RegionOut], summary="Divisions directly under one")
@paginate(ArrayPaging)
def region_children(request, code: str):
    get_object_or_404(Region, code=code)
    return list(selectors.children(code))
