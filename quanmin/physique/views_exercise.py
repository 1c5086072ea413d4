"""Pages of the National Physical Exercise Standard (国家体育锻炼标准): the staff's test sessions
(grades entered one by one or imported, exported), a resident's printable certificate, and the
public check of a certificate by its number (the QR code on the certificate leads there).

Who: staff pages are for division staff with a writing role, in scope (404 outside); a certificate's
printable page for its person only; the check is public and shows only what verifies the
certificate: the masked name, the grade, the year, the issuing division and whether it stands.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.booking.selectors import mask_name
from quanmin.core import excel, qr
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField

from . import exercise, permissions, selectors, services_exercise
from .models import ExerciseCertificate

writer = role_required(permissions.can_test)
signed_in = role_required(lambda user: True)


class SessionForm(forms.Form):
    region_code = forms.CharField(label=gettext_lazy("Division code"), max_length=12)
    held_on = DayField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    organiser = forms.CharField(label=gettext_lazy("Organiser"), max_length=120)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def level_choices():
    return [("", "—"), *[(code, exercise.LEVEL_LABELS[code]) for code in exercise.LEVELS]]


class GradeForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18)
    real_name = forms.CharField(label=gettext_lazy("Real name"), max_length=50, required=False,
                                help_text=gettext_lazy("Needed for a person tested here for the first time."))
    level = forms.ChoiceField(label=gettext_lazy("Grade given by the testing station"), choices=level_choices)
    items = forms.CharField(label=gettext_lazy("Item results (as the station printed them, optional)"),
                            max_length=services_exercise.MAX_ITEMS_CHARS, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(label=gettext_lazy("The person signed the health data notice"), required=False)
    guardian_name = forms.CharField(label=gettext_lazy("Guardian's name (children under 14)"), max_length=50,
                                    required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    apply = forms.BooleanField(label=gettext_lazy("Record the grades (otherwise only check the file)"),
                               required=False)


class AnnulForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


def level_label(code: str) -> str:
    return str(exercise.LEVEL_LABELS.get(code, "")) if code else ""


# --- staff -------------------------------------------------------------------------------------------

@writer
def sessions(request):
    tops = list(scoping.top_regions(request.user, write=True))
    form = SessionForm(request.POST or None, initial={"region_code": tops[0].code if tops else "",
                                                      "held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = selectors.writable_region(request.user, d["region_code"])
            session = services_exercise.create_session(region=region, held_on=d["held_on"], place=d["place"],
                                                       organiser=d["organiser"], note=d["note"], actor=request.user,
                                                       request=request)
        except ValueError:
            form.add_error("region_code", _("Not a division code."))
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Session added."))
            return redirect("physique:exercise_session", pk=session.pk)
    rows = list(selectors.exercise_sessions_for(request.user)[:200])
    return render(request, "physique/exercise/sessions.html", {
        "form": form, "sessions": rows, "edition": exercise.edition()}, status=400 if form.errors else 200)


def _session_context(request, s, **extra) -> dict:
    grades = list(s.grades.select_related("participant__user", "certificate").order_by("-id")[:500])
    if grades:  # names and grades of the people tested: a read of their health data, logged once
        audit.record("read_personal", request=request, obj=s, region_code=s.region_id,
                     detail={"fields": ["exercise_grades"], "purpose": "session grades",
                             "participants": sorted({g.participant_id for g in grades})})
    standing = [g for g in grades if g.annulled_at is None]
    counts = {code: sum(1 for g in standing if g.level == code) for code in exercise.LEVELS}
    return {"session": s, "edition": exercise.edition(s.edition),
            "grades": [{"g": g, "label": level_label(g.level), "cert": getattr(g, "certificate", None)} for g in grades],
            "counts": [(exercise.LEVEL_LABELS[c], counts[c]) for c in exercise.LEVELS], "standing": len(standing),
            "form": GradeForm(), "import_form": ImportForm(), "annul_form": AnnulForm(), **extra}


@writer
def session(request, pk):
    s = selectors.exercise_session_or_404(request.user, pk)
    return render(request, "physique/exercise/session.html", _session_context(request, s))


@writer
@require_POST
def grade(request, pk):
    s = selectors.exercise_session_or_404(request.user, pk)
    form = GradeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                person = services_exercise.person_for(s, id_number=d["id_number"], real_name=d["real_name"],
                                                      consent=d["consent"], guardian_name=d["guardian_name"],
                                                      actor=request.user, request=request)
                saved = services_exercise.record_grade(s, person, level=d["level"], items=d["items"],
                                                       actor=request.user, request=request)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            cert = getattr(saved, "certificate", None)
            messages.success(request, _("Saved: %(level)s.") % {"level": level_label(saved.level)}
                             + (" " + _("Certificate %(number)s issued.") % {"number": cert.number} if cert else ""))
            return redirect("physique:exercise_session", pk=s.pk)
    return render(request, "physique/exercise/session.html", _session_context(request, s, form=form), status=400)


@writer
def import_view(request, pk):
    s = selectors.exercise_session_or_404(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services_exercise.import_grades(
                s, form.cleaned_data["file"], visible_people=selectors.people_named_by(request.user),
                dry_run=not form.cleaned_data["apply"], actor=request.user, request=request)
        except ServiceError as exc:
            form.add_error("file", str(exc.message))
    return render(request, "physique/exercise/import.html", {"session": s, "form": form, "report": report,
                                                             "columns": services_exercise.COLUMNS},
                  status=400 if form.errors else 200)


@writer
def export(request, pk):
    s = selectors.exercise_session_or_404(request.user, pk)
    sheet = services_exercise.export_sheet(s, request=request)
    return excel.xlsx_response(f"exercise-standard-{s.held_on:%Y%m%d}-{s.pk}.xlsx", [sheet])


@writer
@require_POST
def annul(request, pk):
    g = selectors.exercise_grade_or_404(request.user, pk)
    form = AnnulForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for annulling the grade."))
    else:
        try:
            services_exercise.annul_grade(g, reason=form.cleaned_data["reason"], actor=request.user, request=request)
        except ServiceError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Grade annulled; its certificate, if any, is revoked."))
    return redirect("physique:exercise_session", pk=g.session_id)


# --- certificates ------------------------------------------------------------------------------------

def _certificate_context(request, cert: ExerciseCertificate, name: str) -> dict:
    grade = cert.grade
    ed = exercise.edition(grade.session.edition)
    url = request.build_absolute_uri(reverse("physique:certificate_check", args=[cert.number]))
    return {"cert": cert, "name": name, "level": ed.levels[grade.level], "level_label": level_label(grade.level),
            "edition": ed, "year": grade.session.held_on.year, "issuer": cert.region.name,
            "revoked": cert.revoked_at is not None, "qr": qr.qr_svg(url, label=cert.number), "check_url": url}


@signed_in
def certificate(request, number):
    """The person's own certificate, to print on A4 or show on the phone: their full name."""
    cert = selectors.own_certificate_or_404(request.user, number)
    selectors.log_read(request, cert.participant, "exercise standard certificate")
    return render(request, "physique/exercise/certificate.html",
                  _certificate_context(request, cert, cert.participant.display_name))


def certificate_check(request, number=""):
    """Anyone checks a certificate by its number: the QR code leads here; a number typed in too."""
    typed = "" if number else request.GET.get("number", "")
    if not (number or typed):
        return render(request, "physique/exercise/check.html", {"asked": False})
    cert = selectors.certificate_by_number(number or typed)
    if cert is None:
        return render(request, "physique/exercise/check.html", {"asked": True, "number": (number or typed)[:24]},
                      status=404)
    if typed:
        return redirect("physique:certificate_check", number=cert.number)
    return render(request, "physique/exercise/check.html", {
        "asked": True, **_certificate_context(request, cert, mask_name(cert.participant.display_name))})


def own_standard_context(participant) -> dict:
    """The exercise standard part of the resident's record page."""
    grades = selectors.own_exercise_grades(participant)
    return {"exercise_grades": [{"g": g, "label": level_label(g.level), "cert": getattr(g, "certificate", None),
                                 "year": g.session.held_on.year} for g in grades]}
