"""Staff pages of sport–medicine integration (体医融合): the site and practitioner registers, the
referrals with their decisions, and the prescription library. Every write goes through sportmed.py;
reads are scoped to the writer's divisions (another county's rows answer 404)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.forms import DayField

from . import permissions, sportmed
from .models import Condition, HealthSite, Practitioner, PrescriptionTemplate, Referral

writer = role_required(permissions.can_test)


class SiteForm(forms.Form):
    region_code = forms.CharField(label=gettext_lazy("Division code"), max_length=12)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=HealthSite.Kind.choices)
    institution = forms.CharField(label=gettext_lazy("Medical institution"), max_length=120, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=30, required=False)
    pilot = forms.CharField(label=gettext_lazy("Pilot project"), max_length=120, required=False)


class PractitionerForm(forms.Form):
    region_code = forms.CharField(label=gettext_lazy("Division code"), max_length=12)
    real_name = forms.CharField(label=gettext_lazy("Real name"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=40)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=30, required=False)
    profession = forms.ChoiceField(label=gettext_lazy("Profession"), choices=Practitioner.Profession.choices)
    site = forms.ModelChoiceField(label=gettext_lazy("Sport–medicine site"), queryset=HealthSite.objects.none(),
                                  required=False)
    certificate_no = forms.CharField(label=gettext_lazy("Certificate number"), max_length=40, required=False)
    trained_on = DayField(label=gettext_lazy("Trained on"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = scoping.scoped(user, HealthSite.objects.filter(active=True), write=True)


def _fail(form, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _default_code(user) -> str:
    tops = list(scoping.top_regions(user, write=True))
    return tops[0].code if tops else ""


def _register_page(request, form, save, done: str, url: str, template: str, rows: dict):
    """A register's page: its list and a form that registers through `save(data, region)`."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data, sportmed.region_for(request.user, form.cleaned_data["region_code"]))
        except ServiceError as exc:
            _fail(form, exc)
        else:
            messages.success(request, done)
            return redirect(url)
    return render(request, template, {"form": form, **rows}, status=400 if form.errors else 200)


@writer
def sites(request):
    form = SiteForm(request.POST or None, initial={"region_code": _default_code(request.user)})
    rows = scoping.scoped(request.user, HealthSite.objects.select_related("region"), write=True)[:500]
    return _register_page(
        request, form, lambda data, region: sportmed.save_site(data, region=region, by=request.user, request=request),
        _("Site registered."), "physique:sportmed_sites", "physique/sportmed/sites.html", {"sites": rows})


@writer
def practitioners(request):
    form = PractitionerForm(request.POST or None, user=request.user,
                            initial={"region_code": _default_code(request.user)})
    rows = scoping.scoped(request.user, Practitioner.objects.select_related("region", "site"), write=True)[:500]
    return _register_page(
        request, form, lambda data, region: sportmed.register_practitioner(data, region=region, by=request.user,
                                                                           request=request),
        _("Practitioner registered."), "physique:sportmed_practitioners", "physique/sportmed/practitioners.html",
        {"practitioners": rows})


def library(request):
    templates = list(PrescriptionTemplate.objects.filter(active=True))
    return render(request, "physique/sportmed/library.html", {"templates": templates})


def _referral(request, pk) -> Referral:
    return scoping.get_scoped_or_404(request.user, Referral.objects.select_related("site"), write=True, pk=pk)


@writer
def referrals(request):
    return _referrals_page(request)


def _referrals_page(request, status=200):
    rows = list(scoping.scoped(request.user, Referral.objects.select_related("site", "practitioner"), write=True)[:200])
    if rows:  # names, ID numbers and conditions of the people referred: one logged read of the page
        audit.record("read_personal", request=request, actor=request.user, obj=rows[0],
                     detail={"fields": ["referral"], "purpose": "referrals page", "count": len(rows)})
    conditions = dict(Condition.choices)
    for r in rows:
        r.condition_label = conditions.get(r.condition, "")
        r.staff = [p for p in r.site.practitioners.all() if p.status == Practitioner.Status.ACTIVE]
    templates = list(PrescriptionTemplate.objects.filter(active=True))
    return render(request, "physique/sportmed/referrals.html", {"referrals": rows, "templates": templates},
                  status=status)


def _decide(request, pk, act):
    referral = _referral(request, pk)
    try:
        act(referral)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return _referrals_page(request, status=exc.status)
    messages.success(request, _("Referral updated."))
    return redirect("physique:sportmed_referrals")


@writer
@require_POST
def referral_accept(request, pk):
    return _decide(request, pk, lambda r: sportmed.accept(r, by=request.user, request=request))


@writer
@require_POST
def referral_decline(request, pk):
    return _decide(request, pk, lambda r: sportmed.decline(r, by=request.user, reason=request.POST.get("reason", ""),
                                                           request=request))


@writer
@require_POST
def referral_prescribe(request, pk):
    def act(referral):
        practitioner = scoping.scoped(request.user, Practitioner.objects.all(), write=True).filter(
            pk=_int(request.POST.get("practitioner"))).first()
        template = PrescriptionTemplate.objects.filter(active=True, pk=_int(request.POST.get("template"))).first()
        if practitioner is None or template is None:
            raise ServiceError("choice_missing", _("Choose a practitioner and a template."), status=422)
        sportmed.prescribe(referral, practitioner=practitioner, template=template,
                           advice=request.POST.get("advice", ""), by=request.user, request=request)
    return _decide(request, pk, act)


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
