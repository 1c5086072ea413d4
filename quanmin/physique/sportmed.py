"""Sport–medicine integration (体医融合 / 体卫融合): every write of its registers and of a referral.

- Sites (运动健康促进中心, 社区运动健康促进站, 国民体质监测与健身指导服务站, 体医康复中心): division
  staff with a writing role register them in their area.
- Practitioners (运动处方师): a real-name register like the instructors' (one person, one record by
  the ID number's keyed hash; ID number and phone encrypted; a full read only through `reveal`,
  audited).
- The prescription library: templates loaded from standards/chronic/templates.json (a published
  guideline, its source and licence beside it) and the bureau's own templates, marked as such.
- Referrals: a health check-up or clinic refers a resident with a condition to a site (entered by
  the staff of the site's area, or by a clinic's system through the API); the site accepts or
  declines, then assigns a practitioner and gives a prescription from a template. Each decision is
  taken under a row lock: a second decision on the same referral answers 409.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.idnumber import InvalidIdNumber
from quanmin.accounts.idnumber import parse as parse_id
from quanmin.accounts.models import User
from quanmin.accounts.phones import InvalidPhone, parse_phone
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import PhysiqueError
from .models import Condition, HealthSite, Practitioner, PrescriptionTemplate, Referral

LIBRARY = Path(__file__).parent / "standards" / "chronic" / "templates.json"


def _text(value, limit: int) -> str:
    return str(value if value is not None else "").strip()[:limit]


def _in_scope(by, region_code: str) -> None:
    if not scoping.can_write_region(by, region_code):
        raise PhysiqueError("region_out_of_scope", _("This division is outside your area."), "region_code", status=403)


def region_for(by, raw: str) -> Region:
    """The division a code names, inside the writer's area (422 for a bad code, 403 outside)."""
    try:
        code = codes.normalise(str(raw or "").strip())
    except ValueError:
        raise PhysiqueError("region_unknown", _("Not a division code."), "region_code", status=422) from None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise PhysiqueError("region_unknown", _("Unknown division code: %(code)s.") % {"code": code}, "region_code",
                            status=422)
    _in_scope(by, region.code)
    return region


# --- sites ---------------------------------------------------------------------------------------

SITE_FIELDS = ("name", "kind", "institution", "address", "phone", "pilot", "active")


def _site_values(data: dict) -> dict:
    values = {"name": _text(data.get("name"), 120), "kind": data.get("kind") or "",
              "institution": _text(data.get("institution"), 120), "address": _text(data.get("address"), 200),
              "phone": _text(data.get("phone"), 30), "pilot": _text(data.get("pilot"), 120),
              "active": bool(data.get("active", True))}
    if not values["name"]:
        raise PhysiqueError("name_required", _("Give the site a name."), "name", status=422)
    if values["kind"] not in HealthSite.Kind.values:
        raise PhysiqueError("kind_unknown", _("Choose the kind of site."), "kind", status=422)
    return values


def save_site(data: dict, *, region: Region, by, site: HealthSite | None = None, request=None) -> HealthSite:
    """Register a site, or change one (under a lock); the name is unique within its division."""
    _in_scope(by, region.code)
    values = _site_values(data)
    try:
        with transaction.atomic():
            if site is None:
                site = HealthSite.objects.create(region=region, created_by=_user(by), **values)
                created = True
            else:
                site = HealthSite.objects.select_for_update().get(pk=site.pk)
                _in_scope(by, site.region_id)
                for key, value in values.items():
                    setattr(site, key, value)
                site.region = region
                site.save()
                created = False
    except IntegrityError:
        raise PhysiqueError("site_name_taken", _("This division already has a site of that name."), "name",
                            status=409) from None
    audit.record("create" if created else "update", request=request, actor=_user(by), obj=site)
    return site


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


# --- practitioners -------------------------------------------------------------------------------

def _person(data: dict, *, need_id: bool) -> dict:
    out = {"real_name": _text(data.get("real_name"), 50)}
    if not out["real_name"]:
        raise PhysiqueError("name_required", _("Enter the real name (at most 50 characters)."), "real_name", status=422)
    raw_id = _text(data.get("id_number"), 40)
    if raw_id or need_id:
        try:
            parsed = parse_id(raw_id)
        except InvalidIdNumber as exc:
            raise PhysiqueError(exc.code, exc.message, "id_number", status=422) from None
        out.update(id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date)
    phone = _text(data.get("phone"), 30)
    if phone:
        try:
            out["phone"] = parse_phone(phone)
        except InvalidPhone as exc:
            raise PhysiqueError(exc.code, exc.message, "phone", status=422) from None
    return out


def _practitioner_values(data: dict, by) -> dict:
    profession = data.get("profession") or Practitioner.Profession.DOCTOR
    if profession not in Practitioner.Profession.values:
        raise PhysiqueError("profession_unknown", _("Choose the profession."), "profession", status=422)
    status = data.get("status") or Practitioner.Status.ACTIVE
    if status not in Practitioner.Status.values:
        raise PhysiqueError("status_unknown", _("Choose active, lapsed or revoked."), "status", status=422)
    trained_on = data.get("trained_on")
    if trained_on and trained_on > timezone.localdate():
        raise PhysiqueError("date_in_future", _("The date is in the future."), "trained_on", status=422)
    site = data.get("site")
    if site is not None and not scoping.can_write_region(by, site.region_id):
        raise PhysiqueError("site_unknown", _("No such site in your divisions."), "site", status=422)
    return {"profession": profession, "status": status, "trained_on": trained_on, "site": site,
            "certificate_no": _text(data.get("certificate_no"), 40)}


def register_practitioner(data: dict, *, region: Region, by, request=None) -> Practitioner:
    """A new practitioner: one person, one record (409 when the ID number is registered already)."""
    _in_scope(by, region.code)
    person = _person(data, need_id=True)
    values = _practitioner_values(data, by)
    id_hash = crypto.lookup_hash(person["id_number"])
    try:
        with transaction.atomic():
            if Practitioner.objects.filter(id_number_hash=id_hash).exists():
                raise IntegrityError
            practitioner = Practitioner.objects.create(
                real_name=person["real_name"], id_number_hash=id_hash, id_number_enc=crypto.encrypt(person["id_number"]),
                phone_hash=crypto.lookup_hash(person.get("phone", "")), phone_enc=crypto.encrypt(person.get("phone", "")),
                sex=person["sex"], birth_date=person["birth_date"], region=region, created_by=_user(by), **values)
    except IntegrityError:
        raise PhysiqueError("id_number_taken", _("This person is already registered: one person, one record."),
                            "id_number", status=409) from None
    audit.record("create", request=request, actor=_user(by), obj=practitioner)
    return practitioner


def update_practitioner(practitioner: Practitioner, data: dict, *, region: Region, by, request=None) -> Practitioner:
    """Change a practitioner's record under a lock; the ID number stays unless a new one is given."""
    _in_scope(by, region.code)
    person = _person(data, need_id=False)
    values = _practitioner_values(data, by)
    try:
        with transaction.atomic():
            locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
            _in_scope(by, locked.region_id)
            locked.real_name, locked.region = person["real_name"], region
            if person.get("id_number"):
                locked.id_number_hash = crypto.lookup_hash(person["id_number"])
                locked.id_number_enc = crypto.encrypt(person["id_number"])
                locked.sex, locked.birth_date = person["sex"], person["birth_date"]
            if "phone" in person:
                locked.phone_hash, locked.phone_enc = crypto.lookup_hash(person["phone"]), crypto.encrypt(person["phone"])
            for key, value in values.items():
                setattr(locked, key, value)
            locked.save()
    except IntegrityError:
        raise PhysiqueError("id_number_taken", _("This person is already registered: one person, one record."),
                            "id_number", status=409) from None
    audit.record("update", request=request, actor=_user(by), obj=locked)
    return locked


def reveal_practitioner(practitioner: Practitioner, *, by, purpose: str, request=None) -> dict:
    """The full ID number and phone, for staff with a writing role in the division; the read is audited."""
    _in_scope(by, practitioner.region_id)
    purpose = (purpose or "").strip()
    if not purpose:
        raise PhysiqueError("purpose_required", _("Say why you need the full numbers."), "purpose", status=422)
    audit.record("read_personal", request=request, actor=_user(by), obj=practitioner,
                 detail={"fields": ["id_number", "phone"], "purpose": purpose[:200]})
    return {"id_number": practitioner.id_number, "phone": practitioner.phone}


# --- the prescription library --------------------------------------------------------------------

def library() -> dict:
    return json.loads(LIBRARY.read_text(encoding="utf-8"))


def load_templates() -> int:
    """Load (or refresh) the published templates from the data file; returns how many. Idempotent."""
    data = library()
    by_key = {t["key"]: t for t in data["templates"]}

    def follow(value, field):
        if isinstance(value, str) and value.startswith("same_as:"):
            return by_key[value.split(":", 1)[1]]["zh"][field]
        return value

    with transaction.atomic():
        for t in data["templates"]:
            PrescriptionTemplate.objects.update_or_create(key=t["key"], defaults={
                "condition": t["condition"], "title": t["zh"]["title"], "parts": follow(t["zh"]["parts"], "parts"),
                "precautions": follow(t["zh"]["precautions"], "precautions"), "source": t["source"][:300],
                "licence": t["licence"][:120], "origin": PrescriptionTemplate.Origin.PUBLISHED})
    return len(data["templates"])


def add_bureau_template(data: dict, *, by, request=None) -> PrescriptionTemplate:
    """A template in the bureau's own words (city staff), marked as such wherever it is read."""
    if not scoping.is_city_staff(by):
        raise PhysiqueError("city_only", _("Only the city's staff edit the prescription library."), status=403)
    title = _text(data.get("title"), 120)
    condition = data.get("condition") or ""
    if not title:
        raise PhysiqueError("title_required", _("Give the template a title."), "title", status=422)
    if condition not in Condition.values:
        raise PhysiqueError("condition_unknown", _("Choose the condition."), "condition", status=422)
    parts = [{"label": _text(p.get("label"), 60), "frequency": _text(p.get("frequency"), 120),
              "intensity": _text(p.get("intensity"), 200), "time": _text(p.get("time"), 200),
              "type": _text(p.get("type"), 200)} for p in (data.get("parts") or []) if _text(p.get("label"), 60)]
    if not parts:
        raise PhysiqueError("parts_required", _("Describe at least one part of the prescription."), "parts", status=422)
    n = PrescriptionTemplate.objects.filter(origin=PrescriptionTemplate.Origin.BUREAU).count() + 1
    template = PrescriptionTemplate.objects.create(
        key=f"bureau-{n}-{timezone.now():%Y%m%d%H%M%S}"[:40], condition=condition, title=title, parts=parts,
        precautions=_text(data.get("precautions"), 2000), origin=PrescriptionTemplate.Origin.BUREAU,
        source=_("The sports bureau's own text"), created_by=_user(by))
    audit.record("create", request=request, actor=_user(by), obj=template)
    return template


# --- referrals -----------------------------------------------------------------------------------

def refer(site: HealthSite, data: dict, *, by, request=None) -> Referral:
    """A health check-up or clinic refers a resident with a condition to a site."""
    _in_scope(by, site.region_id)
    if not site.active:
        raise PhysiqueError("site_inactive", _("This site takes no referrals now."), "site", status=409)
    person = _person(data, need_id=True)
    source = data.get("source") or ""
    if source not in Referral.Source.values:
        raise PhysiqueError("source_unknown", _("Say whether a health check-up or a clinic refers."), "source",
                            status=422)
    referrer = _text(data.get("referrer"), 120)
    if not referrer:
        raise PhysiqueError("referrer_required", _("Name the referring unit."), "referrer", status=422)
    condition = data.get("condition") or ""
    if condition not in Condition.values:
        raise PhysiqueError("condition_unknown", _("Choose the condition."), "condition", status=422)
    id_hash = crypto.lookup_hash(person["id_number"])
    referral = Referral(site=site, region_id=site.region_id, real_name=person["real_name"], id_number_hash=id_hash,
                        id_number_enc=crypto.encrypt(person["id_number"]), source=source, referrer=referrer,
                        user=User.objects.filter(id_number_hash=id_hash).first(), created_by=_user(by))
    referral.condition = condition
    referral.note = _text(data.get("note"), 500)
    referral.save()
    audit.record("refer", request=request, actor=_user(by), obj=referral)
    return referral


def _locked(referral: Referral, by) -> Referral:
    locked = Referral.objects.select_for_update().select_related("site").get(pk=referral.pk)
    _in_scope(by, locked.region_id)
    return locked


def _decided() -> PhysiqueError:
    return PhysiqueError("referral_decided", _("This referral has been decided already."), status=409)


def accept(referral: Referral, *, by, request=None) -> Referral:
    with transaction.atomic():
        locked = _locked(referral, by)
        if locked.status != Referral.Status.REFERRED:
            raise _decided()
        locked.status, locked.accepted_at, locked.decided_by = Referral.Status.ACCEPTED, timezone.now(), _user(by)
        locked.save(update_fields=["status", "accepted_at", "decided_by"])
    audit.record("accept_referral", request=request, actor=_user(by), obj=locked)
    return locked


def decline(referral: Referral, *, by, reason: str, request=None) -> Referral:
    reason = _text(reason, 200)
    if not reason:
        raise PhysiqueError("reason_required", _("Give a reason."), "reason", status=422)
    with transaction.atomic():
        locked = _locked(referral, by)
        if locked.status != Referral.Status.REFERRED:
            raise _decided()
        locked.status, locked.decline_reason, locked.decided_by = Referral.Status.DECLINED, reason, _user(by)
        locked.save(update_fields=["status", "decline_reason", "decided_by"])
    audit.record("decline_referral", request=request, actor=_user(by), obj=locked)
    return locked


def prescribe(referral: Referral, *, practitioner: Practitioner, template: PrescriptionTemplate, advice: str = "",
              by, request=None) -> Referral:
    """The accepted referral's prescription: the template's parts, the practitioner's advice, the source."""
    with transaction.atomic():
        locked = _locked(referral, by)
        if locked.status != Referral.Status.ACCEPTED:
            raise (_decided() if locked.status != Referral.Status.REFERRED else PhysiqueError(
                "referral_not_accepted", _("Accept the referral first."), status=409))
        if practitioner.status != Practitioner.Status.ACTIVE or practitioner.site_id != locked.site_id:
            raise PhysiqueError("practitioner_unavailable", _("Choose an active practitioner of this site."),
                                "practitioner", status=422)
        if not template.active:
            raise PhysiqueError("template_unknown", _("Choose a template of the library."), "template", status=422)
        locked.practitioner, locked.template = practitioner, template
        locked.prescription = {"title": template.title, "parts": template.parts, "precautions": template.precautions,
                               "origin": template.origin, "source": template.source, "licence": template.licence,
                               "advice": _text(advice, 1000)}
        locked.status, locked.completed_at, locked.decided_by = Referral.Status.PRESCRIBED, timezone.now(), _user(by)
        locked.save()
    audit.record("prescribe", request=request, actor=_user(by), obj=locked)
    return locked


def person_referrals(user) -> QuerySet[Referral]:
    """The person's referrals, whoever reads them (the person, their data export, its erasure): those
    linked to the account, which `refer` does when the account exists, and those made under the
    account's ID number before it existed, found by the number's keyed hash. Reading writes nothing:
    the account gets its ID number when it is made, in accounts, which calls no domain app."""
    mine = Q(user=user)
    if user.id_number_hash:
        mine |= Q(user__isnull=True, id_number_hash=user.id_number_hash)
    return Referral.objects.filter(mine)


def own_referrals(user) -> QuerySet[Referral]:
    """A resident's referrals for their own pages, newest first (a read: nothing is written)."""
    return person_referrals(user).select_related("site", "practitioner").order_by("-referred_at", "-id")
