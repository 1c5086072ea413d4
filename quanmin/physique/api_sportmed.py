"""Sport–medicine API under /api/v1/physique/sport-medicine (体医融合).

- Sites and the prescription library: public (where to go, what a template says and where it is from).
- Practitioners and referrals: division staff with a writing role, in scope (else 404); lists show ID
  numbers and phones masked and every list read of people is logged.
- Decisions on a referral (accept, decline, prescribe): under a row lock; a second one answers 409.
- A resident's own referrals and prescriptions: signed in (/me/referrals).
Every list is paged (`limit`, `offset`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import audit, scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ArrayPaging, Day, ErrorOut
from quanmin.core.errors import ServiceError
from quanmin.regions import codes

from . import permissions, sportmed
from .models import Condition, HealthSite, Practitioner, PrescriptionTemplate, Referral

router = Router(tags=["physique"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _writer(request) -> None:
    if not permissions.can_test(request.user):
        raise PermissionDenied


def _within(qs, region: str, field: str = "region__code__within"):
    if not region:
        return qs
    try:
        return qs.filter(**{field: codes.prefix(codes.normalise(region))})
    except ValueError:
        raise ServiceError("invalid", _("Not a division code."), "region", status=422) from None


# --- sites ---------------------------------------------------------------------------------------

class HealthSiteOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    institution: str
    address: str
    phone: str
    pilot: str
    active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class HealthSiteIn(Schema):
    name: str = Field(..., max_length=120)
    kind: str = Field(..., description="`hospital_centre`, `community_station`, `monitoring_station` or `rehab_centre`")
    region_code: str
    institution: str = ""
    address: str = ""
    phone: str = ""
    pilot: str = Field("", description="The sport–medicine pilot project (体医融合示范试点项目) it carries, if any")


@router.get("/sites", auth=PUBLIC, response={200: list[HealthSiteOut], **ERRORS},
            summary="Sport–medicine sites (体卫融合机构) that are open")
@paginate(ArrayPaging)
def sites(request, region: str = "", kind: str = ""):
    qs = _within(HealthSite.objects.filter(active=True).select_related("region"), region)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("region_id", "name", "id")


@router.post("/sites", response={201: HealthSiteOut, **ERRORS}, summary="Register a sport–medicine site (staff)")
def create_site(request, payload: HealthSiteIn):
    _writer(request)
    region = sportmed.region_for(request.user, payload.region_code)
    return Status(201, sportmed.save_site(payload.dict(), region=region, by=request.user, request=request))


# --- practitioners -------------------------------------------------------------------------------

class PractitionerOut(Schema):
    id: int
    real_name: str
    id_number_masked: str
    phone_masked: str
    region_code: str
    region_name: str
    site_id: int | None
    site_name: str
    profession: str
    profession_label: str
    certificate_no: str
    trained_on: datetime.date | None
    status: str
    status_label: str

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_site_name(obj) -> str:
        return obj.site.name if obj.site_id else ""

    @staticmethod
    def resolve_profession_label(obj) -> str:
        return str(obj.get_profession_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class PractitionerIn(Schema):
    real_name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=18)
    phone: str = ""
    region_code: str
    site_id: int | None = None
    profession: str = Field("doctor", description="`doctor`, `rehab`, `nurse`, `fitness` or `other`")
    certificate_no: str = ""
    trained_on: Day | None = None


def _site(request, site_id: int | None):
    if site_id is None:
        return None
    return scoping.get_scoped_or_404(request.user, HealthSite.objects.all(), write=True, pk=site_id)


@router.get("/practitioners", response={200: list[PractitionerOut], **ERRORS},
            summary="Exercise-prescription practitioners in my divisions (numbers masked; the read is logged)")
@paginate(ArrayPaging)
def practitioners(request, region: str = "", status: str = ""):
    _writer(request)
    qs = _within(scoping.scoped(request.user, Practitioner.objects.select_related("region", "site"), write=True), region)
    if status:
        qs = qs.filter(status=status)
    return _logged(request, "practitioners", qs.order_by("region_id", "real_name", "id"))


class _LoggedRows:
    """A queryset whose page, once sliced, is logged as a list read of personal data."""

    def __init__(self, request, what: str, qs):
        self.request, self.what, self.qs = request, what, qs

    def __getitem__(self, page: slice):
        rows = list(self.qs[page])
        audit.list_personal(self.request, self.what, [r.pk for r in rows])
        return rows


def _logged(request, what: str, qs):
    return _LoggedRows(request, what, qs)


@router.post("/practitioners", response={201: PractitionerOut, **ERRORS},
             summary="Register an exercise-prescription practitioner (staff; one person, one record)")
def create_practitioner(request, payload: PractitionerIn):
    _writer(request)
    region = sportmed.region_for(request.user, payload.region_code)
    data = {**payload.dict(), "site": _site(request, payload.site_id)}
    return Status(201, sportmed.register_practitioner(data, region=region, by=request.user, request=request))


# --- the prescription library --------------------------------------------------------------------

class PartOut(Schema):
    label: str
    frequency: str = ""
    intensity: str = ""
    time: str = ""
    type: str = ""


class PrescriptionTemplateOut(Schema):
    id: int
    key: str
    condition: str
    condition_label: str
    title: str
    parts: list[PartOut]
    precautions: str
    origin: str
    origin_label: str
    source: str
    licence: str

    @staticmethod
    def resolve_condition_label(obj) -> str:
        return str(obj.get_condition_display())

    @staticmethod
    def resolve_origin_label(obj) -> str:
        return str(obj.get_origin_display())


@router.get("/templates", auth=PUBLIC, response={200: list[PrescriptionTemplateOut], **ERRORS},
            summary="The chronic-disease exercise prescription library, each template with its source")
@paginate(ArrayPaging)
def templates(request, condition: str = ""):
    qs = PrescriptionTemplate.objects.filter(active=True)
    if condition:
        qs = qs.filter(condition=condition)
    return qs.order_by("condition", "key")


# --- referrals -----------------------------------------------------------------------------------

class PrescriptionOut(Schema):
    title: str = ""
    parts: list[PartOut] = []
    precautions: str = ""
    advice: str = ""
    origin: str = ""
    source: str = ""
    licence: str = ""


class ReferralOut(Schema):
    id: int
    site: HealthSiteOut
    real_name: str
    id_number_masked: str
    source: str
    source_label: str
    referrer: str
    condition: str
    condition_label: str
    note: str
    status: str
    status_label: str
    practitioner_name: str
    prescription: PrescriptionOut | None
    referred_at: datetime.datetime
    accepted_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    decline_reason: str

    @staticmethod
    def resolve_source_label(obj) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_condition_label(obj) -> str:
        return str(dict(Condition.choices).get(obj.condition, ""))

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_practitioner_name(obj) -> str:
        return obj.practitioner.real_name if obj.practitioner_id else ""

    @staticmethod
    def resolve_prescription(obj):
        return obj.prescription or None


class ReferralIn(Schema):
    site_id: int
    real_name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=18)
    source: str = Field(..., description="`checkup` (health check-up) or `clinic`")
    referrer: str = Field(..., max_length=120, description="The referring unit")
    condition: str = Field(..., description="`hypertension`, `type2_diabetes`, `obesity` or `other`")
    note: str = Field("", max_length=500)


class DeclineIn(Schema):
    reason: str = Field(..., max_length=200)


class PrescribeIn(Schema):
    practitioner_id: int
    template_id: int
    advice: str = Field("", max_length=1000)


def _referrals(request):
    return scoping.scoped(request.user, Referral.objects.select_related("site__region", "practitioner"), write=True)


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS},
            summary="Referrals to the sites of my divisions (the read is logged)")
@paginate(ArrayPaging)
def referrals(request, status: str = "", site_id: int | None = None):
    _writer(request)
    qs = _referrals(request)
    if status:
        qs = qs.filter(status=status)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    return _logged(request, "referrals", qs.order_by("-referred_at", "-id"))


@router.post("/referrals", response={201: ReferralOut, **ERRORS},
             summary="Refer a resident from a health check-up or a clinic to a site (staff, a clinic's system)")
def create_referral(request, payload: ReferralIn):
    _writer(request)
    site = _site(request, payload.site_id)
    return Status(201, sportmed.refer(site, payload.dict(), by=request.user, request=request))


def _referral(request, referral_id: int) -> Referral:
    return scoping.get_scoped_or_404(request.user, _referrals(request), write=True, pk=referral_id)


@router.post("/referrals/{referral_id}/accept", response={200: ReferralOut, **ERRORS},
             summary="The site accepts a referral (409 when it was decided already)")
def accept_referral(request, referral_id: int):
    _writer(request)
    return sportmed.accept(_referral(request, referral_id), by=request.user, request=request)


@router.post("/referrals/{referral_id}/decline", response={200: ReferralOut, **ERRORS},
             summary="The site declines a referral, with a reason (409 when it was decided already)")
def decline_referral(request, referral_id: int, payload: DeclineIn):
    _writer(request)
    return sportmed.decline(_referral(request, referral_id), by=request.user, reason=payload.reason, request=request)


@router.post("/referrals/{referral_id}/prescribe", response={200: ReferralOut, **ERRORS},
             summary="Assign a practitioner of the site and give a prescription from a template")
def prescribe_referral(request, referral_id: int, payload: PrescribeIn):
    _writer(request)
    referral = _referral(request, referral_id)
    practitioner = scoping.get_scoped_or_404(request.user, Practitioner.objects.all(), write=True,
                                             pk=payload.practitioner_id)
    template = PrescriptionTemplate.objects.filter(pk=payload.template_id, active=True).first()
    if template is None:
        raise ServiceError("template_unknown", _("Choose a template of the library."), "template_id", status=422)
    return sportmed.prescribe(referral, practitioner=practitioner, template=template, advice=payload.advice,
                              by=request.user, request=request)


@router.get("/me/referrals", response={200: list[ReferralOut], **ERRORS},
            summary="My referrals to sport–medicine sites and the prescriptions given")
@paginate(ArrayPaging)
def my_referrals(request):
    rows = list(sportmed.own_referrals(request.user).select_related("site__region")[:200])
    if rows:
        audit.read_personal(request, request.user, ["referral"], "own referrals")
    return rows

