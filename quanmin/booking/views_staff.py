"""Staff pages of booking: the venues in one's care, bookable units, their rules and weekly times.

Views parse, check permission (operators their sites, division staff their divisions, supervisors
read), call services or schedule, render. Anything outside one's scope answers 404.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import OpeningRule, Site

from . import permissions, selectors, services_console
from .forms_staff import AddTemplateForm, BlockBookingForm, EditUnitForm, NewUnitForm, RangeForm, TemplateForm
from .models import BookableUnit, WeeklyTemplate

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


def get_site(request, site_id: int, write: bool = False) -> Site:
    return permissions.get_or_404(request.user, Site.objects.select_related("region"), write, pk=site_id)


def get_unit(request, unit_id: int, write: bool = False) -> BookableUnit:
    return permissions.get_or_404(request.user, BookableUnit.objects.select_related("site", "facility"), write,
                                  pk=unit_id)


def week_grid(templates) -> dict:
    """Weekly times as a table: a row per time of day, a column per day (Monday … Sunday, holidays)."""
    templates = list(templates)
    times = sorted({(t.start, t.end) for t in templates})
    cells = {(t.start, t.end, t.weekday): t for t in templates}
    return {"days": [label for _day, label in OpeningRule.WEEKDAYS],
            "rows": [{"start": a, "end": b, "cells": [cells.get((a, b, d)) for d, _label in OpeningRule.WEEKDAYS]}
                     for a, b in times],
            "count": len(templates)}


def _form_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@reader
def home(request):
    q = request.GET.get("q", "").strip()
    sites = selectors.sites_in_care(request.user)
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(address__icontains=q))
    else:
        sites = sites.filter(bookable_units__isnull=False).distinct()
    page = Paginator(sites.order_by("region_id", "name"), 30).get_page(request.GET.get("page"))
    return render(request, "booking/staff/home.html", {
        "page": page, "q": q, "can_write": permissions.can_write(request.user),
        "division_staff": permissions.scoping.is_division_staff(request.user),
    })


@reader
def site_detail(request, site_id):
    site = get_site(request, site_id)
    units = site.bookable_units.select_related("facility").annotate(n_templates=Count("templates"))
    return render(request, "booking/staff/site.html", {
        "site": site, "units": units, "can_write": permissions.can_write_site(request.user, site), "today": timezone.localdate(),
    })


@writer
def unit_new(request, site_id):
    site = get_site(request, site_id, write=True)
    form = NewUnitForm(request.POST or None, site=site, initial={"payment_provider": "on_site"})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "facility"}
        try:
            unit = services_console.add_unit(form.cleaned_data["facility"], data, staff=request.user, request=request)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Bookable unit created: now add its weekly times."))
            return redirect("booking:staff_unit", unit_id=unit.pk)
    return render(request, "booking/staff/unit_new.html", {"site": site, "form": form},
                  status=400 if form.errors else 200)


@reader
def unit_detail(request, unit_id):
    unit = get_unit(request, unit_id)
    can_write = permissions.can_write_site(request.user, unit.site)
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = EditUnitForm(request.POST, instance=BookableUnit.objects.get(pk=unit.pk))
        if form.is_valid():
            try:
                services_console.update_unit(unit, form.cleaned_data, staff=request.user, request=request)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("booking:staff_unit", unit_id=unit.pk)
    else:
        form = EditUnitForm(instance=unit)
    now = timezone.localtime()
    return render(request, "booking/staff/unit.html", {
        "unit": unit, "site": unit.site, "form": form, "can_write": can_write,
        "week": week_grid(unit.templates.all()),
        "template_form": AddTemplateForm(initial={"capacity": 1, "price": 0, "weekdays": list(range(7))}),
        "range_form": RangeForm(initial={"start": now.replace(minute=0, second=0, microsecond=0),
                                         "end": now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=2)}),
        "blocked": unit.slots.filter(blocked=True, end__gt=timezone.now()).order_by("start")[:50],
        "upcoming": unit.slots.filter(start__gte=timezone.now()).count(),
    }, status=400 if form.errors else 200)


@writer
@require_POST
def template_add(request, unit_id):
    unit = get_unit(request, unit_id, write=True)
    form = AddTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the days, times, places and price."))
        return redirect("booking:staff_unit", unit_id=unit.pk)
    data, created = form.cleaned_data, 0
    for weekday in data["weekdays"]:
        try:
            _template, result = services_console.save_template(unit, {**data, "weekday": weekday}, staff=request.user,
                                                               request=request)
        except ServiceError as exc:
            messages.error(request, f"{dict(OpeningRule.WEEKDAYS)[weekday]}: {exc.message}")
        else:
            created += result["created"]
    messages.success(request, _("Times added: %(created)s slots made.") % {"created": created})
    return redirect("booking:staff_unit", unit_id=unit.pk)


def _template_of(unit, template_id) -> WeeklyTemplate:
    template = unit.templates.filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template


@writer
def template_edit(request, unit_id, template_id):
    unit = get_unit(request, unit_id, write=True)
    template = _template_of(unit, template_id)
    form = TemplateForm(request.POST or None, initial={
        "weekday": template.weekday, "start": template.start, "end": template.end, "capacity": template.capacity,
        "price": template.price, "benefit": template.benefit})
    if request.method == "POST" and form.is_valid():
        try:
            _t, result = services_console.save_template(unit, form.cleaned_data, template=template, staff=request.user,
                                                        request=request)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Time changed: %(created)s slots made, %(removed)s free slots removed; "
                                        "booked slots are kept as they were.") % result)
            return redirect("booking:staff_unit", unit_id=unit.pk)
    return render(request, "booking/staff/template_form.html", {"unit": unit, "site": unit.site, "form": form,
                                                                 "template": template},
                  status=400 if form.errors else 200)


@writer
@require_POST
def template_delete(request, unit_id, template_id):
    unit = get_unit(request, unit_id, write=True)
    result = services_console.remove_template(_template_of(unit, template_id), staff=request.user, request=request)
    messages.success(request, _("Time removed: %(removed)s free slots removed; booked slots are kept.") % result)
    return redirect("booking:staff_unit", unit_id=unit.pk)


@writer
@require_POST
def block_time(request, unit_id):
    unit = get_unit(request, unit_id, write=True)
    form = RangeForm(request.POST)
    unblock = request.POST.get("action") == "unblock"
    if not form.is_valid():
        messages.error(request, _("Give the start and the end."))
        return redirect("booking:staff_unit", unit_id=unit.pk)
    data = form.cleaned_data
    try:
        if unblock:
            n = services_console.unblock_unit_time(unit, data["start"], data["end"], staff=request.user, request=request)
            messages.success(request, _("%(n)s slots open again.") % {"n": n})
        else:
            result = services_console.block_unit_time(unit, data["start"], data["end"], data["reason"], staff=request.user,
                                                      request=request)
            messages.success(request, _("%(blocked)s slots blocked.") % result)
            if result["kept"]:
                messages.warning(request, _("%(kept)s slots in that time have bookings and stay open: cancel them "
                                            "from the day grid if the venue cannot take them.") % result)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("booking:staff_unit", unit_id=unit.pk)


@writer
@require_POST
def generate(request, unit_id):
    unit = get_unit(request, unit_id, write=True)
    result = services_console.generate_unit_slots(unit, staff=request.user, request=request)
    messages.success(request, _("%(created)s slots made, %(removed)s free slots removed.") % result)
    return redirect("booking:staff_unit", unit_id=unit.pk)


@writer
def block_booking(request, unit_id):
    unit = get_unit(request, unit_id, write=True)
    starts = sorted({t.start for t in unit.templates.all()})
    form = BlockBookingForm(request.POST or None, starts=starts)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = services_console.block_book_term(request.user, unit, weekday=d["weekday"], start=d["start"],
                                       first_day=d["first_day"], last_day=d["last_day"], label=d["label"])
        except ServiceError as exc:
            if exc.code == "not_found":
                form.add_error(None, _("No slots of this unit at that day and time in the term: generate slots first "
                                       "or choose another time."))
            elif exc.code == "slot_full":
                form.add_error(None, _("At least one of these times is already booked: nothing was booked."))
            else:
                _form_error(form, exc)
        else:
            messages.success(request, _("%(n)s times booked for %(label)s.") % {"n": len(made), "label": d["label"]})
            return redirect("booking:staff_unit", unit_id=unit.pk)
    return render(request, "booking/staff/block_booking.html", {"unit": unit, "site": unit.site, "form": form},
                  status=400 if form.errors else 200)
