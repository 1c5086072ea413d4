"""Every write of the youth app: the school register and each school's term return. Pages, API,
the Excel import and the demo call these; each write is one transaction, audited.

A return is written under a lock on its school's row, so two people saving the same school's term
at once are served one after the other (the second replaces the first's figures, as a correction
does); every count is checked against the one it is part of before anything is written, and the
database's constraints say the same. Only aggregate figures: see models.py.
"""

import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import cleaning
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions
from .errors import YouthError
from .models import MAX_MINUTES, PROBLEMS, School, Stage, Term, TermReturn, term_starts

MAX_STUDENTS = 50_000
FIRST_YEAR = 2000

# The return's counts (a message names the one that is wrong by its field's label).
COUNT_FIELDS = ("students", "students_meeting_both", "skills_assessed", "skills_two_plus",
                *[f"{p}_{k}" for p in PROBLEMS for k in ("screened", "found", "intervened")])
MINUTE_FIELDS = ("minutes_in_school", "minutes_out_of_school")


def _label(field: str) -> str:
    return str(TermReturn._meta.get_field(field).verbose_name)


def number(value, field: str, label: str, maximum: int) -> int:
    """A whole number from a form, a JSON body or a cell: 1200, "1,200", "１２００", "1200人"."""
    return cleaning.whole_number(value, field, label, maximum, error=YouthError)


def _text(data: dict, field: str, limit: int, label: str, required: bool = False) -> str:
    return cleaning.plain_text(data, field, limit, label, required, error=YouthError)


def region(actor, value, field: str = "region") -> Region:
    """The division named by its code, which the actor may write for."""
    return scoping.region_to_write(actor, value, field, error=YouthError)


def _site(value, where: Region) -> Site | None:
    if value in (None, ""):
        return None
    if isinstance(value, Site):
        found = value
    else:
        text = str(value).strip()
        found = Site.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 16 else None
    county = codes.ancestor_at(where.code, "county") if codes.level(where.code) != "city" else where.code
    if found is None or not codes.contains(county, found.region_id):
        raise YouthError("site_unknown", _("No site of that number in the school's county."), "site")
    if found.owner_kind != Site.OwnerKind.SCHOOL:
        raise YouthError("site_not_school", _("That site is not a school's: choose the school's own grounds."), "site")
    return found


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "是", "y")
    return bool(value)


def school_values(actor, data: dict) -> dict:
    """A school's checked fields: what a form, the API and the demo give."""
    where = region(actor, data.get("region"))
    stage = str(data.get("stage") or "").strip()
    if stage not in Stage.values:
        raise YouthError("stage_unknown", _("Choose the school's stage (%(choices)s).")
                         % {"choices": "、".join(str(s.label) for s in Stage)}, "stage")
    return {"region": where, "name": _text(data, "name", 120, _("The school's name"), required=True), "stage": stage,
            "students": number(data.get("students"), "students", _("Students enrolled"), MAX_STUDENTS),
            "site": _site(data.get("site"), where), "named_for_opening": _flag(data.get("named_for_opening")),
            "active": _flag(data.get("active", True))}


def save_school(actor, data: dict, school: School | None = None, request=None) -> School:
    """Register a school (or change one): every field checked first, then one transaction."""
    if not permissions.can_write(actor):
        raise PermissionDenied
    if school is not None and not permissions.can_write_region(actor, school.region_id):
        raise PermissionDenied
    values = school_values(actor, data)
    try:
        with transaction.atomic():
            if school is None:
                school = School.objects.create(**values)
            else:
                school = School.objects.select_for_update().get(pk=school.pk)
                for key, value in values.items():
                    setattr(school, key, value)
                school.save()
                TermReturn.objects.filter(school=school).exclude(region=school.region).update(region=school.region)
            audit.record("youth.school_save", request=request, actor=actor, obj=school, region_code=school.region_id,
                         detail={"name": school.name})
    except IntegrityError:
        raise YouthError("school_exists", _("The division already has a school of that name."), "name",
                         status=409) from None
    return school


def school_year(value, field: str = "school_year") -> int:
    """The school year by its first calendar year: 2025, "2025-2026", "2025–2026学年"."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().removesuffix("学年")
    first = text.replace("–", "-").split("-")[0].strip()
    last_allowed = timezone.localdate().year + 1
    if not (first.isascii() and first.isdigit() and len(first) == 4 and FIRST_YEAR <= int(first) <= last_allowed):
        raise YouthError("school_year_invalid", _("Write the school year by its first year, as 2025 for 2025–2026 "
                                                  "(%(first)s to %(last)s).") % {"first": FIRST_YEAR,
                                                                                 "last": last_allowed}, field)
    return int(first)


TERM_NAMES = {"1": Term.AUTUMN, "2": Term.SPRING, "秋": Term.AUTUMN, "秋季": Term.AUTUMN, "秋季学期": Term.AUTUMN,
              "第一学期": Term.AUTUMN, "上学期": Term.AUTUMN, "春": Term.SPRING, "春季": Term.SPRING,
              "春季学期": Term.SPRING, "第二学期": Term.SPRING, "下学期": Term.SPRING,
              "autumn": Term.AUTUMN, "spring": Term.SPRING}


def term(value, field: str = "term") -> int:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().lower()
    found = TERM_NAMES.get(text)
    if found is None:
        raise YouthError("term_invalid", _("Say which term: the autumn term (1) or the spring term (2)."), field)
    return int(found)


def return_values(data: dict) -> dict:
    """A return's checked figures (not its school or term): each count within the one it is part of."""
    out = {"students": number(data.get("students"), "students", _label("students"), MAX_STUDENTS)}
    for field in MINUTE_FIELDS:
        out[field] = number(data.get(field), field, _label(field), MAX_MINUTES)
    for field in COUNT_FIELDS[1:]:
        out[field] = number(data.get(field), field, _label(field), MAX_STUDENTS)
    parts = [("students_meeting_both", "students"), ("skills_assessed", "students"),
             ("skills_two_plus", "skills_assessed")]
    for p in PROBLEMS:
        parts += [(f"{p}_screened", "students"), (f"{p}_found", f"{p}_screened"), (f"{p}_intervened", f"{p}_found")]
    for part, whole in parts:
        if out[part] > out[whole]:
            raise YouthError("count_over_whole", _("%(part)s (%(n)s) cannot be more than %(whole)s (%(m)s).")
                             % {"part": capfirst(_label(part)), "n": out[part], "whole": _label(whole), "m": out[whole]}, part)
    out["note"] = _text(data, "note", 300, _label("note"))
    return out


def save_return(actor, school: School, data: dict, request=None) -> tuple[TermReturn, bool]:
    """Record (or correct) a school's return for a term: (the return, whether it is new)."""
    if not permissions.can_write_region(actor, school.region_id):
        raise PermissionDenied
    year, which = school_year(data.get("school_year")), term(data.get("term"))
    starts = term_starts(year, which)
    if starts > timezone.localdate():
        raise YouthError("term_not_started", _("That term has not started yet."), "term")
    values = return_values(data)
    with transaction.atomic():
        school = School.objects.select_for_update().get(pk=school.pk)
        if not school.active:
            raise YouthError("school_inactive", _("This school is no longer in the register."), "school", status=409)
        found, created = write_return(school, year, which, values, actor)
        audit.record("youth.return_save", request=request, actor=actor, obj=found, region_code=school.region_id,
                     detail={"school": school.name, "school_year": year, "term": which})
    return found, created


def write_return(school: School, year: int, which: int, values: dict, actor) -> tuple[TermReturn, bool]:
    """The write itself (inside the caller's transaction, the school locked)."""
    return TermReturn.objects.update_or_create(
        school=school, school_year=year, term=which,
        defaults={**values, "region": school.region, "starts_on": term_starts(year, which), "entered_by": actor})


def delete_return(actor, found: TermReturn, request=None) -> None:
    if not permissions.can_write_region(actor, found.region_id):
        raise PermissionDenied
    with transaction.atomic():
        audit.record("youth.return_delete", request=request, actor=actor, obj=found, region_code=found.region_id,
                     detail={"school": found.school.name, "school_year": found.school_year, "term": found.term})
        found.delete()
