"""Physique pages: the calculator, sessions to book, a person's record, reports and prescriptions
for the person and the testing staff, the staff's stations, sessions, tablet entry and import, and
figures per division.

Who: the calculator and the sessions list are public; a record, report or prescription is for its
person and the testing staff (selectors: anything else is 404) and every read is logged; staff pages
are for division staff with a writing role, in scope; figures for division readers (supervisors too).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, idnumber, scoping
from quanmin.accounts import services as account_services
from quanmin.accounts.decorators import role_required
from quanmin.accounts.models import Consent
from quanmin.booking.models import ACTIVE_STATUSES, Booking
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import (
    batch,
    errors,
    figures,
    permissions,
    prescriptions,
    scoring,
    selectors,
    services,
    sportmed,
    tables,
    views_exercise,
)
from .forms import (
    BAND_LABELS,
    ITEM_LABELS,
    RATING_LABELS,
    CalculatorForm,
    ConsentForm,
    EntryForm,
    GroupForm,
    ImportForm,
    ParqForm,
    SessionForm,
    StationForm,
    measurements_from,
    standard_labels,
)
from .models import Condition, PrescriptionTemplate, TestResult, TestSession

signed_in = role_required(lambda user: True)
reader = role_required(permissions.can_read)
writer = role_required(permissions.can_test)


def _group_values(data) -> tuple[str, str | None, str | None, float | None]:
    form = GroupForm(data)
    form.is_valid()
    clean = getattr(form, "cleaned_data", {})
    age = clean.get("age")
    return (clean.get("standard") or "physique-2003", clean.get("sex") or None, clean.get("grade") or None,
            float(age) if age is not None else None)


def _form_field(exc_field: str | None, form) -> str | None:
    if not exc_field:
        return None
    name = f"m_{exc_field.split('.', 1)[1]}" if exc_field.startswith("measurements.") else exc_field
    return name if name in form.fields else None


def display_items(scores: list[dict], standard: str) -> list[dict]:
    """Item rows for a page: the label in the user's language, band and reason words."""
    rows = []
    for it in scores:
        rows.append({**it, "name": ITEM_LABELS.get(it["key"], it["label"]),
                     "band_label": BAND_LABELS.get(it.get("band") or "", it.get("band") or ""),
                     "weak": prescriptions.item_is_weak(standard, it)})
    return rows


def _rating_label(code: str | None) -> str:
    return str(RATING_LABELS.get(code or "", "")) if code else ""


# --- public ------------------------------------------------------------------------------------

def index(request):
    """The calculator: choose the standard and group, type the measurements, see each item's score."""
    data = request.GET if "standard" in request.GET else None
    standard, sex, grade, age = _group_values(data) if data else ("physique-2003", None, None, None)
    items = selectors.items_for(standard, sex, grade, age)
    form = CalculatorForm(data, items=items)
    result = None
    if data is not None and "score" in request.GET and form.is_valid():
        if items is None:
            form.add_error(None, _("Choose the sex and the grade (students) or age (physique standard)."))
        else:
            try:
                result = scoring.score(standard, sex, grade=grade, age=age,
                                       measurements=measurements_from(request.GET, items))
            except errors.ScoringError as exc:
                form.add_error(_form_field(exc.field, form), exc.message)
    group_fields = [form[n] for n in ("standard", "sex", "grade", "age")]
    item_fields = [f for f in form if f.name.startswith("m_")]
    return render(request, "physique/index.html", {
        "form": form, "group_fields": group_fields, "item_fields": item_fields, "result": result,
        "items": display_items([i.__dict__ for i in result.items], standard) if result else [],
        "rating_label": _rating_label(result.rating if result else None),
        "is_tester": permissions.can_test(request.user), "is_reader": permissions.can_read(request.user),
    })


def sessions(request):
    upcoming = list(selectors.upcoming_sessions()[:100])
    return render(request, "physique/sessions.html", {"sessions": upcoming})


@signed_in
@require_POST
def session_book(request, pk):
    session = TestSession.objects.select_related("station", "slot").filter(pk=pk).first()
    if session is None:
        raise Http404
    try:
        booking = services.book_session(request.user, session, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Booked. Your check-in code is %(code)s.") % {"code": booking.code})
    return redirect("physique:sessions")


# --- a person's record -------------------------------------------------------------------------

def _record_context(request, participant, viewer_is_person: bool) -> dict:
    results = list(selectors.results_of(participant, request.user)) if participant else []
    rows = [{"r": r, "rating_label": _rating_label(r.rating)} for r in reversed(results)]
    rx = []
    if participant:
        ids = [r.pk for r in results]
        rx = list(participant.prescriptions.filter(result_id__in=ids).order_by("-created_at")[:20])
    return {"participant": participant, "rows": rows, "prescriptions": rx, "person_view": viewer_is_person,
            "chart": selectors.chart_data(results, {k: str(v) for k, v in ITEM_LABELS.items()},
                                          standard_labels()),
            "chart_labels": {"total": _("Total"), "items": _("Item scores"), "date": _("Date")}}


@signed_in
def me(request):
    participant = selectors.own_participant(request.user)
    if participant:
        selectors.log_read(request, participant, "own record")
    context = _record_context(request, participant, True)
    context.update(views_exercise.own_standard_context(participant))
    referrals = list(sportmed.own_referrals(request.user)[:50])
    if referrals:
        audit.read_personal(request, request.user, ["referral"], "own referrals")
    for referral in referrals:
        origin = (referral.prescription or {}).get("origin")
        referral.condition_label = dict(Condition.choices).get(referral.condition, "")
        referral.origin_label = dict(PrescriptionTemplate.Origin.choices).get(origin, "")
    context.update({
        "referrals": referrals,
        "consent": account_services.has_consent(request.user, Consent.Kind.HEALTH),
        "consent_form": ConsentForm(),
        "bookings": Booking.objects.filter(user=request.user, status__in=ACTIVE_STATUSES,
                                           slot__physique_session__isnull=False, slot__start__gt=timezone.now())
                    .select_related("slot__physique_session__station").order_by("slot__start"),
    })
    return render(request, "physique/record.html", context)


@signed_in
@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to consent."))
        return redirect("physique:me")
    try:
        services.give_health_consent(request.user, guardian_name=form.cleaned_data["guardian_name"],
                                     guardian_relation=form.cleaned_data["guardian_relation"], request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you: your consent is recorded. You can withdraw it at any time."))
    return redirect("physique:me")


@writer
def participant(request, pk):
    person = selectors.participant_or_404(request.user, pk)
    selectors.log_read(request, person, "testing staff")
    return render(request, "physique/record.html", _record_context(request, person, False))


@signed_in
def report(request, pk):
    result = selectors.result_or_404(request.user, pk)
    selectors.log_read(request, result.participant, "report")
    previous = (selectors.results_of(result.participant, request.user)
                .filter(standard=result.standard, tested_at__lt=result.tested_at).order_by("-tested_at").first())
    before = {it["key"]: it.get("score") for it in previous.scores} if previous else {}
    items = display_items(result.scores, result.standard)
    for it in items:
        it["before"] = before.get(it["key"])
    comps, weak = prescriptions.component_scores(result.standard, result.scores)
    std = tables.load_standard(result.standard)
    return render(request, "physique/report.html", {
        "result": result, "person": result.participant, "items": items, "previous": previous,
        "rating_label": _rating_label(result.rating), "standard_title": std.title,
        "components": [{"label": prescriptions.COMPONENT_LABELS[c], "score": round(v * 100), "weak": c in weak}
                       for c, v in comps.items()],
        "is_person": result.participant.user_id == request.user.pk,
    })


@signed_in
def prescribe(request, pk):
    result = selectors.result_or_404(request.user, pk)
    form = ParqForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rx = services.make_prescription(result, form.answers(), by=request.user, request=request)
        return redirect("physique:prescription", pk=rx.pk)
    selectors.log_read(request, result.participant, "prescription screening")
    return render(request, "physique/prescribe.html", {"result": result, "form": form,
                                                       "source": prescriptions.PARQ_SOURCE},
                  status=400 if form.errors else 200)


@signed_in
def prescription(request, pk):
    rx = selectors.prescription_or_404(request.user, pk)
    selectors.log_read(request, rx.participant, "prescription")
    point = None
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            point = (lat, lon)
    except (KeyError, ValueError):
        pass
    point = point or prescriptions.point_for(rx.participant, rx.result)
    near = {n["component"]: n for n in prescriptions.nearby_places(rx.plan, *point)} if point else {}
    parts = [{"text": prescriptions.describe(p), "near": near.get(p["component"])} for p in rx.plan.get("parts", [])]
    return render(request, "physique/prescription.html", {
        "rx": rx, "parts": parts, "point": point,
        "weak": [prescriptions.COMPONENT_LABELS[c] for c in rx.weak_components],
        "questions": list(zip(prescriptions.PARQ_QUESTIONS, rx.parq_answers, strict=False)),
        "source": prescriptions.PARQ_SOURCE,
    })


# --- staff: stations, sessions, entry, import ---------------------------------------------------

@writer
def staff_index(request):
    stations = list(selectors.stations_for(request.user).order_by("region_id", "name")[:200])
    upcoming = list(scoping.scoped(request.user, selectors.upcoming_sessions(bookable=False), write=True)[:50])
    return render(request, "physique/staff/index.html", {"stations": stations, "sessions": upcoming})


@writer
def station_new(request):
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = selectors.writable_region(request.user, d["region_code"])
            site = None
            if d.get("site_id"):
                site = scoping.scoped(request.user, Site.objects.all(), write=True).filter(pk=d["site_id"]).first()
                if site is None:
                    raise ServiceError("site_unknown", _("No such site in your divisions."), "site_id")
            station = services.create_station(name=d["name"], region=region, site=site, address=d["address"],
                                              phone=d["phone"], level=d.get("level") or "", request=request)
        except ValueError:
            form.add_error("region_code", _("Not a division code."))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("physique:station", pk=station.pk)
    return render(request, "physique/staff/station_form.html", {"form": form}, status=400 if form.errors else 200)


@writer
def station(request, pk):
    st = selectors.station_or_404(request.user, pk)
    form = SessionForm(request.POST or None, initial={"standard": "physique-2003", "capacity": 30})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.create_session(st, starts_at=d["starts_at"], ends_at=d["ends_at"],
                                              capacity=d["capacity"], standard=d["standard"], note=d["note"],
                                              open_booking=d["open_booking"], request=request)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Session added."))
            return redirect("physique:session", pk=session.pk)
    recent = st.sessions.select_related("slot").order_by("-starts_at")[:50]
    return render(request, "physique/staff/station.html", {"station": st, "form": form, "sessions": recent},
                  status=400 if form.errors else 200)


@writer
def session(request, pk):
    s = selectors.session_or_404(request.user, pk)
    bookings = []
    if s.slot_id:
        bookings = s.slot.bookings.filter(status__in=ACTIVE_STATUSES).select_related("user").order_by("created_at")
    results = list(TestResult.objects.filter(session=s).select_related("participant__user").order_by("-tested_at")[:200])
    if results:  # totals and ratings of the people tested: a read of their health data, logged once
        audit.record("read_personal", request=request, obj=s, region_code=s.station.region_id,
                     detail={"fields": ["physique_results"], "purpose": "session results",
                             "participants": sorted({r.participant_id for r in results})})
    return render(request, "physique/staff/session.html", {
        "session": s, "bookings": bookings,
        "results": [{"r": r, "rating_label": _rating_label(r.rating)} for r in results],
    })


@writer
@require_POST
def session_open(request, pk):
    s = selectors.session_or_404(request.user, pk)
    try:
        services.open_for_booking(s, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Residents can now book places in this session."))
    return redirect("physique:session", pk=s.pk)


def _tested_at(session) -> datetime.datetime:
    now = timezone.now()
    if timezone.localtime(now).date() == timezone.localtime(session.starts_at).date():
        return now
    return session.starts_at


def _entry_group(data, session) -> tuple[str, str | None, str | None, float | None]:
    standard, sex, grade, age = _group_values(data)
    raw_id = (data.get("id_number") or "").strip() if data else ""
    if raw_id and (sex is None or age is None):
        try:
            parsed = idnumber.parse(raw_id)
        except ValueError:
            return standard, sex, grade, age
        sex = sex or parsed.sex
        if age is None:
            age = batch.test_age(parsed.birth_date, timezone.localtime(_tested_at(session)).date())
    return standard, sex, grade, age


@writer
def record(request, pk):
    """The tablet page: one person, one standard, the items of their group."""
    s = selectors.session_or_404(request.user, pk)
    data = request.POST if request.method == "POST" else None
    standard, sex, grade, age = _entry_group(data, s) if data else (s.standard or "physique-2003", None, None, None)
    items = selectors.items_for(standard, sex, grade, age)
    form = EntryForm(data, items=items, initial={"standard": standard})
    saved = None
    if data is not None and "_refresh" not in data and form.is_valid():
        d = form.cleaned_data
        if items is None:
            form.add_error(None, _("Choose the grade (students) or check the age: no table applies yet."))
        else:
            try:
                with transaction.atomic():
                    person = services.participant_by_id_number(d["id_number"], region=s.station.region,
                                                               real_name=d["real_name"], created_by=request.user)
                    if d["consent"] and not services.has_health_consent(person):
                        services.record_walk_in_consent(person, guardian_name=d["guardian_name"],
                                                        recorded_by=request.user, request=request)
                    saved = services.record_result(
                        s, person, standard=standard, grade=grade, age=float(d["age"]) if d["age"] is not None else None,
                        sex=d["sex"] or None, measurements=measurements_from(data, items), tested_at=_tested_at(s),
                        tester=request.user, request=request)
            except ServiceError as exc:
                form.add_error(_form_field(exc.field, form), str(exc.message))
            else:
                messages.success(request, _("Saved: total %(total)s, %(rating)s.") % {
                    "total": saved.total, "rating": _rating_label(saved.rating) or _("no rating")})
                return redirect(f"{request.path}?last={saved.pk}")
    last = None
    if request.GET.get("last", "").isdigit():
        last = TestResult.objects.filter(pk=int(request.GET["last"]), session=s).first()
    group_fields = [form[n] for n in ("standard", "grade", "sex", "age")]
    return render(request, "physique/staff/record.html", {
        "session": s, "form": form, "person_fields": [form[n] for n in ("id_number", "real_name", "consent",
                                                                       "guardian_name")],
        "group_fields": group_fields, "item_fields": [f for f in form if f.name.startswith("m_")],
        "no_items": data is not None and items is None, "last": last,
    }, status=400 if form.errors else 200)


@writer
def import_view(request, pk):
    s = selectors.session_or_404(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"standard": s.standard or "physique-2003"})
    report_ = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report_ = services.import_results(s, upload, upload.name, standard=form.cleaned_data["standard"],
                                              tester=request.user, request=request)
        except ServiceError as exc:
            form.add_error("file", str(exc.message))
    return render(request, "physique/staff/import.html", {"session": s, "form": form, "report": report_},
                  status=400 if form.errors else 200)


# --- figures -----------------------------------------------------------------------------------

@reader
def figures_index(request):
    tops = list(scoping.top_regions(request.user))
    if len(tops) == 1:
        return redirect("physique:figures_region", code=tops[0].code)
    return render(request, "physique/figures_index.html", {"regions": tops})


@reader
def figures_region(request, code):
    try:
        code = codes.normalise(code)
    except ValueError:
        raise Http404 from None
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    year = request.GET.get("year", "")
    fig = figures.division_figures(region, int(year) if year.isdigit() else None)
    data = fig.as_dict()
    chart = {
        "years": data["years"], "groups": data["by_group"], "children": data["children"],
        "labels": {"tests": _("Tests"), "people": _("People tested"), "pass": _("At pass or better (%)"),
                   "good": _("Students good or excellent (%)"), "male": _("Male"), "female": _("Female")},
        "targets": {t["indicator"]: t["value"] for t in data["targets"] if t["applies"]},
    }
    return render(request, "physique/figures.html", {
        "region": region, "fig": fig, "data": data, "chart": chart,
        "trail": [r for r in region.ancestors() if scoping.can_read_region(request.user, r.code)],
        "small": figures.SMALL_CELL,
    })

