"""The venue side of booking under /api/v1/booking/staff: units and weekly times, the day grid,
walk-ins, venue cancellations, check-in, block bookings, hourly visitor counts, the eligibility check
and the plan figures.

Operators reach their own sites, division staff their divisions, supervisors read; anything outside
one's scope answers 404. Every write goes through services (or schedule).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.core.api import ArrayPaging, DayBound, ErrorOut
from quanmin.facilities.models import Facility, Site
from quanmin.regions.models import Region

from . import figures, permissions, selectors, services, services_console
from .errors import fail, invalid
from .models import BookableUnit, Booking, Certificate, Slot, WeeklyTemplate
from .schemas_staff import (
    BlockBookingIn,
    BlockResult,
    BookingDivisionFiguresOut,
    BookingFiguresOut,
    BookingReasonIn,
    CertificateVerifyIn,
    CodeIn,
    DayOut,
    RangeIn,
    Rules,
    StaffBookingOut,
    StaffCertificateOut,
    StaffSiteOut,
    StaffUnitIn,
    StaffUnitOut,
    TemplateIn,
    TemplateOut,
    TemplateResult,
    VisitCountIn,
    VisitRow,
    WalkInIn,
)
from .selectors import code_from, day_grid, walk_in_places

router = Router(tags=["booking staff"])


def _read(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _write(request):
    if not permissions.can_write(request.user):
        raise PermissionDenied


def _site(request, site_id: int, write=False) -> Site:
    (_write if write else _read)(request)
    return permissions.get_or_404(request.user, Site.objects.all(), write, pk=site_id)


def _unit(request, unit_id: int, write=False) -> BookableUnit:
    (_write if write else _read)(request)
    return permissions.get_or_404(request.user, BookableUnit.objects.select_related("site"), write, pk=unit_id)


def _day(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise invalid(_("Use a date like 2026-05-01."), "date") from None


# --- units and weekly times --------------------------------------------------------------------------

@router.get("/sites", response=list[StaffSiteOut], summary="Sites in my care, with their bookable units")
@paginate(ArrayPaging)
def list_sites(request, include_empty: bool = False):
    _read(request)
    qs = selectors.sites_in_care(request.user)
    if not include_empty:
        qs = qs.filter(units__gt=0)
    return list(qs.order_by("region_id", "name")[:500])


@router.get("/sites/{site_id}/units", response=list[StaffUnitOut], summary="A site's bookable units")
@paginate(ArrayPaging)
def list_units(request, site_id: int):
    return list(_site(request, site_id).bookable_units.all())


@router.post("/sites/{site_id}/units", response={201: StaffUnitOut}, summary="Make a facility of the site bookable")
def create_unit(request, site_id: int, payload: StaffUnitIn):
    site = _site(request, site_id, write=True)
    facility = Facility.objects.filter(site=site, pk=payload.facility_id).first()
    if facility is None:
        raise Http404
    data = payload.dict(exclude={"facility_id"}, exclude_none=True)
    return Status(201, services_console.add_unit(facility, data, staff=request.user, request=request))


@router.patch("/units/{unit_id}", response=StaffUnitOut, summary="Change a unit's rules")
def update_unit(request, unit_id: int, payload: Rules):
    unit = _unit(request, unit_id, write=True)
    return services_console.update_unit(unit, payload.dict(exclude_none=True), staff=request.user, request=request)


@router.get("/units/{unit_id}/templates", response=list[TemplateOut], summary="A unit's weekly times")
@paginate(ArrayPaging)
def list_templates(request, unit_id: int):
    return list(_unit(request, unit_id).templates.all())


@router.post("/units/{unit_id}/templates", response={201: TemplateResult},
             summary="Add a weekly time; slots follow at once")
def add_template(request, unit_id: int, payload: TemplateIn):
    unit = _unit(request, unit_id, write=True)
    template, result = services_console.save_template(unit, payload.dict(), staff=request.user, request=request)
    return Status(201, {"template": template, **result})


def _template(unit, template_id: int) -> WeeklyTemplate:
    template = unit.templates.filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template


@router.put("/units/{unit_id}/templates/{template_id}", response=TemplateResult,
            summary="Change a weekly time; booked slots are kept")
def change_template(request, unit_id: int, template_id: int, payload: TemplateIn):
    unit = _unit(request, unit_id, write=True)
    template, result = services_console.save_template(unit, payload.dict(), template=_template(unit, template_id),
                                                      staff=request.user, request=request)
    return {"template": template, **result}


@router.delete("/units/{unit_id}/templates/{template_id}", response=TemplateResult,
               summary="Remove a weekly time; booked slots are kept")
def remove_template(request, unit_id: int, template_id: int):
    unit = _unit(request, unit_id, write=True)
    return services_console.remove_template(_template(unit, template_id), staff=request.user, request=request)


@router.post("/units/{unit_id}/generate", response=TemplateResult, summary="Make slots for the booking window now")
def generate(request, unit_id: int):
    unit = _unit(request, unit_id, write=True)
    return services_console.generate_unit_slots(unit, staff=request.user, request=request)


@router.post("/units/{unit_id}/block", response=BlockResult, summary="Block the free slots of a time range")
def block(request, unit_id: int, payload: RangeIn):
    unit = _unit(request, unit_id, write=True)
    return services_console.block_unit_time(unit, payload.start, payload.end, payload.reason, staff=request.user,
                                            request=request)


@router.post("/units/{unit_id}/block-bookings", response={201: list[StaffBookingOut]},
             summary="Book the same weekly time for a club or school for a term (all or nothing)")
def block_booking(request, unit_id: int, payload: BlockBookingIn):
    unit = _unit(request, unit_id, write=True)
    made = services_console.block_book_term(request.user, unit, weekday=payload.weekday, start=payload.start,
                                            first_day=payload.first_day, last_day=payload.last_day, label=payload.label)
    return Status(201, list(Booking.objects.filter(pk__in=[b.pk for b in made])
                            .select_related("slot__unit", "user").order_by("slot__start")))


# --- the console -------------------------------------------------------------------------------------

@router.get("/sites/{site_id}/day", response=DayOut, summary="The day grid: units × times with holds, bookings, "
            "blocks and arrivals (names masked)")
def day(request, site_id: int, date: str | None = None):
    grid = day_grid(_site(request, site_id), _day(date))
    rows = [{"unit_id": row.unit.pk, "unit": row.unit.name, "cells": [
        {"slot_id": c.slot.pk, "start": c.slot.start, "end": c.slot.end, "capacity": c.slot.capacity,
         "taken": c.slot.taken, "held": c.held, "booked": c.booked, "arrived": c.arrived, "blocked": c.slot.blocked,
         "block_reason": c.slot.block_reason, "benefit": c.slot.benefit, "price": c.slot.price, "state": c.state,
         "bookings": c.bookings} for c in row.cells if c]} for row in grid.rows]
    return {"date": grid.day, "rows": rows, "counts": grid.counts}


@router.post("/slots/{slot_id}/walk-in", response={201: StaffBookingOut}, summary="A walk-in: booked and arrived at once")
def walk_in(request, slot_id: int, payload: WalkInIn):
    _write(request)
    slot = permissions.get_or_404(request.user, Slot.objects.all(), write=True, pk=slot_id)
    booking = services_console.walk_in(request.user, slot.pk, places=walk_in_places(slot, payload.places), name=payload.name,
                                       people=payload.places)
    return Status(201, Booking.objects.select_related("slot__unit").get(pk=booking.pk))


@router.post("/bookings/{booking_id}/cancel", response=StaffBookingOut,
             summary="Cancel a booking for the venue, with the reason told to the person (refunded in full)")
def cancel(request, booking_id: int, payload: BookingReasonIn):
    _write(request)
    booking = permissions.get_or_404(request.user, Booking.objects.all(), write=True, pk=booking_id)
    services.cancel(booking, by=request.user, by_venue=True, reason=payload.reason)
    return Booking.objects.select_related("slot__unit", "user").get(pk=booking.pk)


@router.post("/check-in", response={200: StaffBookingOut, 404: ErrorOut}, summary="Check in a booking of one's own venues by its code")
def check_in(request, payload: CodeIn):
    _write(request)
    code = code_from(payload.code)
    if not permissions.scoped(request.user, Booking.objects.all(), write=True).filter(code=code).exists():
        raise fail("not_found")
    booking = services.check_in(code, staff=request.user)
    return Booking.objects.select_related("slot__unit", "user").get(pk=booking.pk)


@router.get("/sites/{site_id}/visits", response=list[VisitRow], by_alias=True,
            summary="Visitors in and out per hour of a day (the national platform's shape)")
@paginate(ArrayPaging)
def visits(request, site_id: int, date: str | None = None):
    site = _site(request, site_id)
    the_day = _day(date)
    return [{"venue_id": site.pk, "venue": site.name, "region_code": site.region_id, "date": the_day, **row}
            for row in figures.hourly_visits(site, the_day)]


@router.put("/sites/{site_id}/visits", response=VisitCountIn, summary="The gate's count of people without a booking "
            "for one hour (replaces an earlier count of that hour)")
def set_visits(request, site_id: int, payload: VisitCountIn):
    site = _site(request, site_id, write=True)
    row = services_console.record_visit_count(site, payload.hour_start, count_in=payload.count_in, count_out=payload.count_out,
                                              staff=request.user, request=request)
    return {"hour_start": row.hour_start, "count_in": row.count_in, "count_out": row.count_out}


# --- eligibility certificates -----------------------------------------------------------------------

def _checker(request):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied


@router.get("/certificates", response=list[StaffCertificateOut], summary="Certificates waiting for a check in my divisions")
@paginate(ArrayPaging)
def certificates(request, status: str = "pending"):
    _checker(request)
    qs = scoping.scoped(request.user, Certificate.objects.select_related("user"), write=True).filter(status=status)
    return list(qs.order_by("created_at", "id")[:200])


def _certificate(request, cert_id: int) -> Certificate:
    _checker(request)
    return scoping.get_scoped_or_404(request.user, Certificate.objects.select_related("user"), write=True, pk=cert_id)


@router.post("/certificates/{cert_id}/verify", response=StaffCertificateOut, summary="Verify a certificate until a date")
def verify(request, cert_id: int, payload: CertificateVerifyIn):
    return services_console.verify_certificate(_certificate(request, cert_id), staff=request.user,
                                               valid_until=payload.valid_until, request=request)


@router.post("/certificates/{cert_id}/reject", response=StaffCertificateOut, summary="Reject a certificate with a reason")
def reject(request, cert_id: int, payload: BookingReasonIn):
    return services_console.reject_certificate(_certificate(request, cert_id), staff=request.user, reason=payload.reason,
                                               request=request)


# --- figures --------------------------------------------------------------------------------------------

@router.get("/figures/{code}", response=BookingDivisionFiguresOut, summary="Booking figures of a division and its children")
def division_figures(request, code: str, date_from: DayBound | None = None, date_to: DayBound | None = None):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    region = Region.objects.filter(code=code).first()
    if region is None or not scoping.can_read_region(request.user, region.code):
        raise Http404
    default_first, default_last = figures.default_period()
    first, last = date_from or default_first, date_to or default_last
    if last < first or (last - first).days > 731:
        raise invalid(_("The period is at most two years, the end after the start."), "date_to")
    result = figures.division_figures(region, first, last)
    return {**_figures_dict(result.figures), "first_day": first, "last_day": last,
            "children": [_figures_dict(c) for c in result.children]}


def _figures_dict(f) -> dict:
    names = [n for n in BookingFiguresOut.model_fields if n != "groups"]
    return {**{n: getattr(f, n) for n in names}, "groups": f.groups()}
