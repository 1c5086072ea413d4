"""Every write of the residential register: a project's figures and stage, and its acceptance.
Pages, API, the Excel import and the demo call these; each write is one transaction, audited.

A project only goes forward (being planned → plan approved → built → accepted) and is final once
accepted. Its norm check (norm.py) is computed from its figures on every write. Accepting a project
that falls short of the norm is refused unless a reason is given; the reason is kept on the project
and the audit entry records the shortfall beside it.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import cleaning
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import norm, permissions
from .errors import ResidentialError
from .models import STATUS_ORDER, ResidentialProject, Status

MAX_RESIDENTS = 1_000_000
MAX_HOUSEHOLDS = 500_000
MAX_AREA = Decimal("9999999.99")
CENT = Decimal("0.01")
MAX_REASON = 500
FIELDS = ("region", "name", "developer", "residents", "households", "indoor_area", "outdoor_area", "status",
          "approved_on", "completed_on", "note")


def _label(field: str) -> str:
    name = {"reason": "shortfall_reason"}.get(field, field)
    return capfirst(str(ResidentialProject._meta.get_field(name).verbose_name))


def _text(data: dict, field: str, limit: int, required: bool = False) -> str:
    return " ".join(cleaning.plain_text(data, field, limit, _label(field), required, error=ResidentialError).split())


def whole(value, field: str, maximum: int, required: bool = True) -> int | None:
    """A whole number from a form, a JSON body or a cell: 1200, "1,200", "１２００", "1200人"."""
    if not required and unicodedata.normalize("NFKC", str(value if value is not None else "")).strip() == "":
        return None
    return cleaning.whole_number(value, field, _label(field), maximum, error=ResidentialError)


def area(value, field: str) -> Decimal:
    """Square metres, two decimals at most: 1200, "1,200.5", "1200㎡", "1200平方米"; empty is 0."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float):
        value = repr(value)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().replace(",", "")
    for unit in ("平方米", "m2", "m²", "㎡"):
        text = text.removesuffix(unit).strip()
    if not text:
        return Decimal("0.00")
    try:
        found = Decimal(text) if re.fullmatch(r"[+-]?[0-9]{1,12}(\.[0-9]*)?", text) else None
    except InvalidOperation:
        found = None
    if found is None:
        raise ResidentialError(f"{field}_invalid", _("%(what)s cannot be read: write square metres, as 1200 or "
                                                     "1200.5.") % {"what": _label(field)}, field)
    if found < 0:
        raise ResidentialError(f"{field}_invalid", _("%(what)s cannot be negative.") % {"what": _label(field)}, field)
    if found != found.quantize(CENT) or found > MAX_AREA:
        raise ResidentialError(f"{field}_invalid", _("%(what)s is at most %(max)s m², to two decimals.")
                               % {"what": _label(field), "max": MAX_AREA}, field)
    return found.quantize(CENT)


def day(value, field: str, required: bool = False) -> datetime.date | None:
    """A date from a form, a JSON body or a cell (core.cleaning.day), from 1990 up to today: a
    project's dates record what happened."""
    return cleaning.day(value, field, _label(field), required, first=datetime.date(1990, 1, 1),
                        last=timezone.localdate(), error=ResidentialError)


def region(actor, value, field: str = "region") -> Region:
    """The division named by its code, below the city level, which the actor may write for."""
    raw = value.code if isinstance(value, Region) else str(value or "").strip()
    if codes.is_prefix(raw) and codes.level(codes.pad(raw)) == "city":
        raise ResidentialError("region_level", _("Place the project in its county, township or community."), field)
    return scoping.region_to_write(actor, value, field, error=ResidentialError)


def _region_once(actor, value, regions: dict | None) -> Region:
    if regions is None:
        return region(actor, value)
    key = str(value or "").strip()
    if key not in regions:
        regions[key] = region(actor, value)
    return regions[key]


def status(value, field: str = "status") -> str:
    text = str(value or "").strip()
    if not text:
        return Status.PLANNING
    if text not in Status.values:
        raise ResidentialError("status_unknown", _("Choose the project's stage (%(choices)s).")
                               % {"choices": "、".join(str(s.label) for s in Status)}, field)
    return text


def project_values(actor, data: dict, regions: dict | None = None) -> dict:
    """A project's checked figures and stage (not its acceptance): what a form, the API, a row of
    the import and the demo give. The dates each stage needs are required, in order. `regions`
    keeps the divisions already looked up (an import's rows name the same few)."""
    stage = status(data.get("status"))
    if stage == Status.ACCEPTED:
        raise ResidentialError("accept_separately", _("Accept a built project with the acceptance form: the norm "
                                                      "is checked there."), "status", status=409)
    reached = STATUS_ORDER.index(stage)
    values = {
        "region": _region_once(actor, data.get("region"), regions), "name": _text(data, "name", 120, required=True),
        "developer": _text(data, "developer", 120),
        "residents": whole(data.get("residents"), "residents", MAX_RESIDENTS),
        "households": whole(data.get("households"), "households", MAX_HOUSEHOLDS, required=False),
        "indoor_area": area(data.get("indoor_area"), "indoor_area"),
        "outdoor_area": area(data.get("outdoor_area"), "outdoor_area"), "status": stage,
        "approved_on": day(data.get("approved_on"), "approved_on", required=reached >= 1),
        "completed_on": day(data.get("completed_on"), "completed_on", required=reached >= 2),
        "note": _text(data, "note", 300),
    }
    if values["residents"] < 1:
        raise ResidentialError("residents_invalid", _("A residential area has at least one planned resident: the "
                                                      "norm is per resident."), "residents")
    if values["completed_on"] and values["approved_on"] and values["completed_on"] < values["approved_on"]:
        raise ResidentialError("dates_order", _("A project is completed after its plan is approved."), "completed_on")
    if reached < 2 and values["completed_on"]:
        raise ResidentialError("completed_early", _("Only a built project has a completion date."), "completed_on")
    return values


def check_stage(old: str, new: str) -> None:
    """A project goes forward only, and an accepted one is final."""
    if old == Status.ACCEPTED:
        raise ResidentialError("project_accepted", _("This project was accepted: its record is final."),
                               status=409)
    if STATUS_ORDER.index(new) < STATUS_ORDER.index(old):
        raise ResidentialError("status_backwards", _("A project's stage only goes forward (from %(old)s it cannot "
                                                     "go back to %(new)s).")
                               % {"old": Status(old).label, "new": Status(new).label}, "status", status=409)


def write_project(values: dict, project: ResidentialProject | None) -> ResidentialProject:
    """The write itself (inside the caller's transaction, an existing project locked)."""
    values = {**values, "compliant": norm.check(values["residents"], values["indoor_area"],
                                                 values["outdoor_area"]).compliant}
    if project is None:
        return ResidentialProject.objects.create(**values)
    for key, value in values.items():
        setattr(project, key, value)
    project.save()
    return project


def save_project(actor, data: dict, project: ResidentialProject | None = None, request=None) -> ResidentialProject:
    """Register a project (or change one): every field checked first, then one transaction."""
    if not permissions.can_write(actor):
        raise PermissionDenied
    if project is not None and not permissions.can_write_region(actor, project.region_id):
        raise PermissionDenied
    values = project_values(actor, data)
    try:
        with transaction.atomic():
            if project is not None:
                project = ResidentialProject.objects.select_for_update().get(pk=project.pk)
                check_stage(project.status, values["status"])
            project = write_project(values, project)
            audit.record("residential.project_save", request=request, actor=actor, obj=project,
                         region_code=project.region_id,
                         detail={"name": project.name, "status": project.status, "compliant": project.compliant})
    except IntegrityError:
        raise ResidentialError("project_exists", _("The division already has a residential area of that name."),
                               "name", status=409) from None
    return project


def accept(actor, project: ResidentialProject, data: dict, request=None) -> ResidentialProject:
    """Accept (验收) a built project on a date. One that falls short of the norm is refused unless
    `reason` says why it is accepted all the same; the reason is kept and audited with the shortfall."""
    if not permissions.can_write_region(actor, project.region_id):
        raise PermissionDenied
    accepted_on = day(data.get("accepted_on"), "accepted_on", required=True)
    reason = _text(data, "reason", MAX_REASON)
    with transaction.atomic():
        project = ResidentialProject.objects.select_for_update().get(pk=project.pk)
        if project.status == Status.ACCEPTED:
            raise ResidentialError("project_accepted", _("This project was accepted: its record is final."),
                                   status=409)
        if project.status != Status.BUILT:
            raise ResidentialError("project_not_built", _("Only a built project is accepted."), "status", status=409)
        if project.completed_on and accepted_on < project.completed_on:
            raise ResidentialError("dates_order", _("A project is accepted after it is completed."), "accepted_on")
        found = project.norm_check
        if not found.compliant and not reason:
            raise ResidentialError(
                "norm_not_met", _("This project falls short of the norm: it needs %(indoor)s m² more indoor sports "
                                  "building area, or %(outdoor)s m² more outdoor sports land. Give the reason for "
                                  "accepting it all the same.")
                % {"indoor": found.indoor_short, "outdoor": found.outdoor_short}, "reason")
        project.status, project.accepted_on, project.accepted_by = Status.ACCEPTED, accepted_on, actor
        project.compliant = found.compliant
        project.shortfall_reason = "" if found.compliant else reason
        project.save()
        audit.record("residential.project_accept", request=request, actor=actor, obj=project,
                     region_code=project.region_id,
                     detail={"name": project.name, "compliant": found.compliant, "reason": project.shortfall_reason,
                             "indoor_short": str(found.indoor_short), "outdoor_short": str(found.outdoor_short)})
    return project
