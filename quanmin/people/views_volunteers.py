"""Volunteer service pages (B07). Residents (phone-sized): activities open to sign up, one activity
with its sign-up, and my volunteer hours. Staff: activities with their sign-ups and the hours
served, the register of volunteer brands and alliances, and the volunteers' hours per person (with
the backbone team flag and Excel out). Views parse, check the role, call the services and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError

from . import io_volunteers, permissions, selectors, services, volunteering
from .forms import AddVolunteerForm, BrandForm, ServedForm, VolunteerActivityForm
from .models import Instructor, VolunteerActivity, VolunteerBrand, VolunteerSignup

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


def _add_error(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _page(request, qs, size=50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- residents


def activities(request):
    qs = volunteering.open_activities()
    brand = request.GET.get("brand", "")
    if brand.isdigit():
        qs = qs.filter(brand_id=int(brand))
    return render(request, "people/volunteering/list.html", {
        "page": _page(request, qs, 20), "brands": VolunteerBrand.objects.filter(active=True).order_by("name"),
        "brand": brand})


def activity(request, pk: int):
    found = VolunteerActivity.objects.select_related("brand", "site", "region").filter(pk=pk, cancelled=False).first()
    if found is None:
        raise Http404
    mine = None
    if request.user.is_authenticated:
        mine = found.signups.filter(volunteer__user=request.user).first()
    return render(request, "people/volunteering/activity.html", {
        "a": found, "mine": mine, "taken": found.signups.filter(status__in=volunteering.TAKEN).count(),
        "open": found.starts_at > timezone.now()})


@login_required
@require_POST
def sign_up(request, pk: int):
    found = VolunteerActivity.objects.filter(pk=pk, cancelled=False).first()
    if found is None:
        raise Http404
    try:
        volunteering.sign_up(found, request.user, request=request)
        messages.success(request, _("You are signed up. Thank you for volunteering."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("people:volunteering_activity", pk=pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    signup = VolunteerSignup.objects.select_related("volunteer", "activity").filter(
        pk=pk, volunteer__user=request.user).first()
    if signup is None:
        raise Http404
    try:
        volunteering.withdraw(signup, request.user, request=request)
        messages.success(request, _("You have withdrawn."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect("people:volunteering_mine")


@login_required
def mine(request):
    person = permissions.own_instructor(request.user)
    return render(request, "people/volunteering/mine.html", {
        "i": person, "hours": selectors.volunteer_hours_of(person),
        "signups": (person.volunteer_signups.select_related("activity", "log").order_by("-activity__starts_at")[:50]
                    if person else []),
        "now": timezone.now()})


# ---------------------------------------------------------------- staff


@reader
def staff_activities(request):
    form = VolunteerActivityForm(request.POST or None)
    can_write = permissions.can_write(request.user)
    if request.method == "POST" and can_write and form.is_valid():
        try:
            made = volunteering.create_activity(form.cleaned_data, by=request.user, request=request)
            return redirect("people:volunteering_staff_activity", pk=made.pk)
        except ServiceError as exc:
            _add_error(form, exc)
    elif request.method == "POST" and not can_write:
        return redirect("people:volunteering_staff")
    qs = scoping.scoped(request.user, VolunteerActivity.objects.select_related("region", "brand")).order_by(
        "-starts_at", "id")
    return render(request, "people/volunteering/staff_list.html", {
        "page": _page(request, qs), "form": form, "can_write": can_write}, status=400 if form.errors else 200)


@reader
def staff_activity(request, pk: int):
    found = scoping.get_scoped_or_404(request.user, VolunteerActivity.objects.select_related("region", "brand", "site"),
                                      pk=pk)
    may_write = scoping.can_write_region(request.user, found.region_id)
    form = AddVolunteerForm(request.POST or None)
    if request.method == "POST" and may_write:
        if request.POST.get("cancel") == "1":
            try:
                volunteering.cancel_activity(found, by=request.user, request=request)
                messages.success(request, _("Saved."))
                return redirect("people:volunteering_staff_activity", pk=pk)
            except ServiceError as exc:
                messages.error(request, str(exc.message))
        elif form.is_valid():
            person = scoping.scoped(request.user, Instructor.objects.all()).filter(
                pk=form.cleaned_data["volunteer"]).first()
            if person is None:
                form.add_error("volunteer", _("Nobody with this system ID in your area."))
            else:
                try:
                    volunteering.add_volunteer(found, person, by=request.user, request=request)
                    messages.success(request, _("Saved."))
                    return redirect("people:volunteering_staff_activity", pk=pk)
                except ServiceError as exc:
                    _add_error(form, exc)
    return render(request, "people/volunteering/staff_activity.html", {
        "a": found, "may_write": may_write, "form": form, "served_form": ServedForm(),
        "signups": found.signups.select_related("volunteer", "volunteer__region", "log").order_by("created_at", "id"),
        "started": found.starts_at <= timezone.now()}, status=400 if form.errors else 200)


@writer
@require_POST
def staff_served(request, pk: int):
    signup = VolunteerSignup.objects.select_related("activity", "volunteer").filter(pk=pk).first()
    if signup is None or not scoping.can_write_region(request.user, signup.activity.region_id):
        raise Http404
    form = ServedForm(request.POST)
    if form.is_valid():
        try:
            volunteering.record_service(signup, served=form.cleaned_data["served"], hours=form.cleaned_data["hours"],
                                        by=request.user, request=request)
            messages.success(request, _("Saved."))
        except ServiceError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Some fields are not valid."))
    return redirect("people:volunteering_staff_activity", pk=signup.activity_id)


@reader
def staff_signups_xlsx(request, pk: int):
    found = scoping.get_scoped_or_404(request.user, VolunteerActivity.objects.all(), pk=pk)
    audit.record("export", request=request, obj=found, detail={"what": "people.volunteer_signup"})
    return io_volunteers.signups_response(found)


@reader
def staff_brands(request):
    form = BrandForm(request.POST or None)
    can_write = permissions.can_write(request.user)
    if request.method == "POST":
        if not can_write:
            return redirect("people:volunteering_brands")
        if form.is_valid():
            try:
                volunteering.save_brand(form.cleaned_data, by=request.user, request=request)
                messages.success(request, _("Saved."))
                return redirect("people:volunteering_brands")
            except ServiceError as exc:
                _add_error(form, exc)
    qs = (scoping.scoped(request.user, VolunteerBrand.objects.select_related("region"))
          .annotate(n_activities=Count("activities")).order_by("region_id", "name", "id"))
    return render(request, "people/volunteering/brands.html", {
        "page": _page(request, qs), "form": form, "can_write": can_write}, status=400 if form.errors else 200)


@reader
def staff_brands_xlsx(request):
    qs = scoping.scoped(request.user, VolunteerBrand.objects.select_related("region"))
    audit.record("export", request=request, detail={"what": "people.volunteer_brand", "count": qs.count()})
    return io_volunteers.brands_response(qs)


def _year(request) -> int:
    text = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(text) if text.isdigit() and this - 20 <= int(text) <= this else this


@reader
def staff_hours(request):
    year = _year(request)
    rows = selectors.volunteer_hours_by_person(request.user, year)
    return render(request, "people/volunteering/hours.html", {
        "page": _page(request, rows), "year": year, "can_write": permissions.can_write(request.user)})


@reader
def staff_hours_xlsx(request):
    year = _year(request)
    rows = selectors.volunteer_hours_by_person(request.user, year)
    audit.record("export", request=request, detail={"what": "people.volunteer_hours", "year": year})
    return io_volunteers.hours_response(rows, year)


@writer
@require_POST
def staff_core(request, pk: int):
    """Take a volunteer into the backbone team (骨干), or out of it."""
    person = scoping.get_scoped_or_404(request.user, Instructor.objects.all(), write=True, pk=pk)
    try:
        services.update(person, {"core": request.POST.get("core") == "1"}, by=request.user, request=request)
        messages.success(request, _("Saved."))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"{reverse('people:volunteering_hours')}?year={_year(request)}")
