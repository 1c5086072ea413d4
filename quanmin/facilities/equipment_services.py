"""Every write to the equipment register (健身器材台账): pages, API, imports, maintenance and the demo
call these."""

import calendar
import datetime
import re
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit

from . import equipment_types
from .errors import EquipmentError
from .models import Equipment, Facility

# Characters that cannot be misread on a weathered tag: no 0/O, 1/I/L.
TAG_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TAG_LENGTH = 8
TAG_RE = re.compile(r"^[A-Z0-9]{4,16}$")
# What a resident's phone opens when it scans a tag: the report page of the feedback app.
PUBLIC_REPORT_PATH = "/r/e/{tag}/"

# The fields pages, the API and imports may set; status has its own service (set_status).
FIELDS = ["facility", "kind", "maker", "model", "serial", "install_date", "design_life_years", "smart",
          "external_id", "note"]
TEXT_FIELDS = {name: Equipment._meta.get_field(name).max_length
               for name in ("maker", "model", "serial", "external_id", "note")}
MIN_LIFE, MAX_LIFE = 1, 50


def new_tag() -> str:
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


def normalise_tag(value) -> str:
    """A tag as typed or scanned: case and spaces do not matter."""
    return re.sub(r"\s+", "", str(value or "")).upper()


def public_report_path(tag: str) -> str:
    return PUBLIC_REPORT_PATH.format(tag=tag)


# ---------------------------------------------------------------- checks (one rule, every caller)


def check_kind(kind: str) -> equipment_types.EquipmentType:
    """A type by code, or (imports) by its Chinese or English name."""
    value = str(kind or "").strip()
    info = equipment_types.TYPES.get(value) or equipment_types.BY_NAME.get(value) \
        or equipment_types.BY_NAME.get(value.lower())
    if info is None:
        raise EquipmentError("equipment_type_unknown", _("Unknown equipment type."), "kind")
    return info


def check_install_date(value: datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value is not None and not isinstance(value, datetime.date):
        raise EquipmentError("install_date_invalid", _("Write the install date as 2021-05-01."), "install_date")
    if value is not None and value > timezone.localdate():
        raise EquipmentError("install_date_future", _("The install date lies in the future."), "install_date")
    if value is not None and value.year < 1950:
        raise EquipmentError("install_date_invalid", _("Write the install date as 2021-05-01."), "install_date")
    return value


def check_design_life(value) -> int:
    try:
        life = int(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        raise EquipmentError("design_life_invalid", _("Design life must be between 1 and 50 years."),
                             "design_life_years") from None
    if not MIN_LIFE <= life <= MAX_LIFE:
        raise EquipmentError("design_life_invalid", _("Design life must be between 1 and 50 years."),
                             "design_life_years")
    return life


def check_status(status: str) -> str:
    if status not in Equipment.Status.values:
        raise EquipmentError("status_invalid", _("Choose one of the listed values."), "status")
    return status


def check_text(name: str, value) -> str:
    text = str(value if value is not None else "").strip()
    if "\x00" in text:  # PostgreSQL text columns cannot hold NUL; Django's forms refuse it the same way
        raise EquipmentError("text_invalid", _("Null characters are not allowed."), name)
    limit = TEXT_FIELDS[name]
    if len(text) > limit:
        raise EquipmentError("text_too_long", _("At most %(count)s characters.") % {"count": limit}, name)
    return text


def check_external_id(value, piece: Equipment | None = None) -> str:
    number = check_text("external_id", value)
    if number:
        others = Equipment.objects.filter(external_id=number)
        if piece is not None and piece.pk:
            others = others.exclude(pk=piece.pk)
        if others.exists():
            raise EquipmentError("external_id_taken", _("Another piece already has this register number."),
                                 "external_id", status=409)
    return number


def clean(data: dict, piece: Equipment | None = None) -> dict:
    """Check the given fields (a subset of FIELDS) and return them normalised. The first bad field
    raises EquipmentError naming it."""
    out = {}
    for name, value in data.items():
        if name == "facility":
            if not isinstance(value, Facility):
                raise EquipmentError("facility_invalid", _("Choose a facility."), "facility")
            out[name] = value
        elif name == "kind":
            out[name] = check_kind(value).code
        elif name == "install_date":
            out[name] = check_install_date(value or None)
        elif name == "design_life_years":
            out[name] = check_design_life(value)
        elif name == "smart":
            out[name] = bool(value)
        elif name == "external_id":
            out[name] = check_external_id(value, piece)
        elif name in TEXT_FIELDS:
            out[name] = check_text(name, value)
        elif name == "status":
            out[name] = check_status(value)
        else:
            raise EquipmentError("field_unknown", _("Unknown field %(field)s.") % {"field": name}, name)
    return out


def place(piece: Equipment, facility: Facility) -> None:
    """Put a piece on a facility: its division, site and position follow (copied for roll-ups)."""
    piece.facility = facility
    piece.region_id, piece.site_id, piece.lon, piece.lat = facility.region_id, facility.site_id, facility.lon, facility.lat


_place = place  # the name maintenance code may know


# ---------------------------------------------------------------- writes


@transaction.atomic
def create_equipment(*, facility: Facility, kind: str, actor=None, request=None, install_date=None,
                     design_life_years: int | None = None, maker: str = "", model: str = "", serial: str = "",
                     smart: bool = False, external_id: str = "", note: str = "",
                     status: str = Equipment.Status.IN_SERVICE) -> Equipment:
    info = check_kind(kind)
    check_status(status)
    life = design_life_years if design_life_years not in (None, "") else info.design_life_years
    data = clean({"facility": facility, "install_date": install_date, "design_life_years": life, "maker": maker,
                  "model": model, "serial": serial, "smart": smart, "external_id": external_id, "note": note})
    piece = Equipment(kind=info.code, status=status, tag=new_tag(), **{k: v for k, v in data.items() if k != "facility"})
    piece.smart = piece.smart or info.group == "smart"
    place(piece, facility)
    piece.save()
    audit.record("equipment.create", request=request, actor=actor, obj=piece)
    return piece


def _locked(piece: Equipment) -> Equipment:
    return Equipment.objects.select_for_update().select_related("facility").get(pk=piece.pk)


def _not_removed(piece: Equipment) -> None:
    if piece.status == Equipment.Status.REMOVED:
        raise EquipmentError("equipment_removed", _("This piece has been removed from the register."), "status",
                             status=409)


@transaction.atomic
def update_equipment(piece: Equipment, data: dict, *, actor=None, request=None) -> Equipment:
    """Change the given fields; a new facility moves the piece (division, site, position). Returns the
    piece as saved; nothing is written (or logged) when nothing changes."""
    piece = _locked(piece)
    _not_removed(piece)
    cleaned = clean({k: v for k, v in data.items() if k in FIELDS}, piece)
    changed = []
    for name, value in cleaned.items():
        current = piece.facility if name == "facility" else getattr(piece, name)
        if current != value:
            changed.append(name)
            if name == "facility":
                place(piece, value)
            else:
                setattr(piece, name, value)
    if changed:
        fields = [*changed, "updated_at"]
        if "facility" in changed:
            fields += ["region", "site", "lon", "lat"]
        piece.save(update_fields=fields)
        audit.record("equipment.update", request=request, actor=actor, obj=piece, detail={"fields": changed})
    return piece


@transaction.atomic
def set_status(piece: Equipment, status: str, *, reason: str = "", actor=None, request=None) -> Equipment:
    """A staff member's change of status (in service, defective, out of service, removed). Removed
    is final: a removed piece stays in the register for its history and gets no new status."""
    check_status(status)
    reason = str(reason or "").strip()
    if len(reason) > 200:
        raise EquipmentError("text_too_long", _("At most %(count)s characters.") % {"count": 200}, "reason")
    if status != Equipment.Status.IN_SERVICE and not reason:
        raise EquipmentError("reason_required", _("Give a reason."), "reason")
    piece = _locked(piece)
    _not_removed(piece)
    if piece.status == status:
        return piece
    before = piece.status
    piece.status = status
    piece.save(update_fields=["status", "updated_at"])
    audit.record("equipment.status", request=request, actor=actor, obj=piece,
                 detail={"from": before, "to": status, "reason": reason})
    return piece


@transaction.atomic
def replace_piece(old: Equipment, *, actor=None, on: datetime.date, request=None) -> Equipment:
    """A replaced piece is removed; its successor of the same type takes its place, with a new tag."""
    if old.status != Equipment.Status.REMOVED:
        old.status = Equipment.Status.REMOVED
        old.save(update_fields=["status", "updated_at"])
    return create_equipment(facility=old.facility, kind=old.kind, actor=actor, request=request, install_date=on,
                            note=_("Replaces %(tag)s") % {"tag": old.tag})


# ---------------------------------------------------------------- reads


def search_q(text: str) -> Q:
    """Tag, register number, maker, model or serial contains."""
    text = str(text or "").replace("\x00", "").strip()[:60]  # NUL cannot reach PostgreSQL parameters
    tag = normalise_tag(text)
    return (Q(tag__contains=tag) | Q(external_id__icontains=text) | Q(maker__icontains=text)
            | Q(model__icontains=text) | Q(serial__icontains=text))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The last install date whose design life of `years` has run out by `day` (as Equipment.replace_due,
    which moves 29 February to the 28th)."""
    year = day.year - years
    if day.month == 2 and day.day == 28 and calendar.isleap(year) and not calendar.isleap(day.year):
        return datetime.date(year, 2, 29)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February to a common year
        return datetime.date(year, 2, 28)


def past_design_life_q(today: datetime.date | None = None, lives: list[int] | None = None) -> Q:
    """install_date + design_life_years <= today as one filter every database runs: one term per
    design life in use (a handful: most outdoor equipment has 8 years, GB 19272)."""
    today = today or timezone.localdate()
    if lives is None:
        lives = sorted(set(Equipment.objects.order_by().values_list("design_life_years", flat=True).distinct()))
    q = Q(pk__in=[])
    for years in lives:
        if 0 < years < today.year:
            q |= Q(design_life_years=years, install_date__lte=_years_before(today, years))
    return q


def due_for_replacement(queryset=None, today: datetime.date | None = None):
    """Pieces still in the register (not removed) past their design life by `today`."""
    if queryset is None:
        queryset = Equipment.objects.all()
    return queryset.exclude(status=Equipment.Status.REMOVED).filter(past_design_life_q(today))
