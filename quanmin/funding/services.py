"""Every write of the funding app: a division's sports-lottery fund for a year, and a funded
project with its planned and actual amounts per source and per budget line. Pages, API, the
import and the demo call these; each write is one transaction and is audited.

Amounts are yuan as Decimal with at most two decimals, never negative and below a trillion; a
lottery fund never spends on fitness more than it received (its share is at most 100 %).
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions
from .errors import FundingError
from .models import Amount, Line, LotteryFund, Project, Source

MAX_AMOUNT = Decimal("999999999999.99")
FIRST_YEAR, LAST_YEAR = 2000, 2100
CENT = Decimal("0.01")


def money(value, field: str = "amount", what=None) -> Decimal:
    """Yuan from a form, a JSON body or a cell: 12000, "12,000.50", "1.2万"; empty is 0."""
    what = what or _("The amount")
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float):
        value = repr(value)
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "").replace("元", "")
    scale = Decimal(1)
    if text.endswith("万"):
        text, scale = text[:-1].strip(), Decimal(10000)
    if not text:
        return Decimal("0.00")
    try:
        found = Decimal(text) * scale
    except InvalidOperation:
        found = None
    if found is None or not found.is_finite() or not re.fullmatch(r"[+-]?[0-9]*\.?[0-9]*", text):
        raise FundingError(f"{field}_invalid", _("%(what)s cannot be read: write yuan, as 12000 or 12000.50.")
                           % {"what": what}, field)
    if found < 0:
        raise FundingError("amount_negative", _("%(what)s cannot be negative.") % {"what": what}, field)
    if found != found.quantize(CENT):
        raise FundingError(f"{field}_invalid", _("%(what)s has more than two decimals (fen).") % {"what": what}, field)
    if found > MAX_AMOUNT:
        raise FundingError(f"{field}_invalid", _("%(what)s is too large.") % {"what": what}, field)
    return found.quantize(CENT)


def year(value, field: str = "year") -> int:
    try:
        found = int(str(value).strip())
    except (TypeError, ValueError):
        found = None
    if found is None or not FIRST_YEAR <= found <= LAST_YEAR:
        raise FundingError("year_invalid", _("Write the year as four digits, 2000 to 2100."), field)
    return found


def region(actor, value, field: str = "region") -> Region:
    """The division named by its 12-digit code, which the actor may record funding for."""
    if isinstance(value, Region):
        found = value
    else:
        text = str(value or "").strip()
        found = Region.objects.filter(code=text).first() if codes.is_code(text) else None
    if found is None:
        raise FundingError("region_unknown", _("Unknown division code."), field)
    if not permissions.can_write_region(actor, found.code):
        raise FundingError("region_out_of_scope", _("This division is outside your scope."), field, status=403)
    return found


def _text(data: dict, field: str, limit: int, required: bool = False) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        raise FundingError(f"{field}_required", _("This field is required."), field)
    if len(value) > limit:
        raise FundingError(f"{field}_too_long", _("Write at most %(limit)s characters.") % {"limit": limit}, field)
    return value


def share_checked(received: Decimal, fitness: Decimal) -> None:
    if fitness > received:
        raise FundingError("share_over_100", _("The amount spent on national fitness cannot exceed the fund received "
                                               "(the share would be more than the whole)."), "fitness")


# ---------------------------------------------------------------- the sports-lottery fund (F05)


def save_lottery_fund(actor, data: dict, request=None) -> LotteryFund:
    """Record (or correct) a division's lottery fund for a year: received, spent on fitness, note."""
    where = region(actor, data.get("region"))
    when = year(data.get("year"))
    received = money(data.get("received"), "received", _("The fund received"))
    fitness = money(data.get("fitness"), "fitness", _("The amount spent on national fitness"))
    share_checked(received, fitness)
    note = _text(data, "note", 300)
    with transaction.atomic():
        fund, created = LotteryFund.objects.select_for_update().get_or_create(
            region=where, year=when, defaults={"received": received, "fitness": fitness, "note": note})
        if not created:
            fund.received, fund.fitness, fund.note = received, fitness, note
            fund.save()
        audit.record("funding.lottery_save", request=request, actor=actor, obj=fund, region_code=where.code,
                     detail={"year": when, "received": str(received), "fitness": str(fitness)})
    return fund


def delete_lottery_fund(actor, fund: LotteryFund, request=None) -> None:
    if not permissions.can_write_region(actor, fund.region_id):
        raise PermissionDenied
    with transaction.atomic():
        audit.record("funding.lottery_delete", request=request, actor=actor, obj=fund, region_code=fund.region_id,
                     detail={"year": fund.year})
        fund.delete()


# ---------------------------------------------------------------- projects and their amounts (F06)

KINDS = {Amount.Kind.SOURCE: Source, Amount.Kind.LINE: Line}


def amounts(data) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """{(kind, item): (planned, actual)} from a list of {"kind", "item", "planned", "actual"};
    items with nothing planned and nothing spent are left out."""
    out = {}
    for entry in data or []:
        kind = str(entry.get("kind") or "").strip()
        item = str(entry.get("item") or "").strip()
        if kind not in KINDS:
            raise FundingError("kind_unknown", _("Say whether the amount is a funding source or a budget line."), "kind")
        if item not in KINDS[kind].values:
            if kind == Amount.Kind.SOURCE:
                raise FundingError("source_unknown", _("“%(item)s” is not a funding source on the list (%(choices)s).")
                                   % {"item": item[:30], "choices": "、".join(str(s.label) for s in Source)}, "item")
            raise FundingError("line_unknown", _("“%(item)s” is not a budget line on the list (%(choices)s).")
                               % {"item": item[:30], "choices": "、".join(str(s.label) for s in Line)}, "item")
        label = KINDS[kind](item).label
        if (kind, item) in out:
            raise FundingError("item_twice", _("“%(item)s” appears twice.") % {"item": label}, "item")
        planned = money(entry.get("planned"), "planned", _("The planned amount of “%(item)s”") % {"item": label})
        actual = money(entry.get("actual"), "actual", _("The actual amount of “%(item)s”") % {"item": label})
        out[(kind, item)] = (planned, actual)
    return {key: value for key, value in out.items() if any(value)}


def _site(value, where: Region) -> Site | None:
    if value in (None, ""):
        return None
    found = Site.objects.filter(pk=value).first() if str(value).strip().isdigit() else None
    if found is None or not codes.contains(where.code, found.region_id):
        raise FundingError("site_unknown", _("No site of that number in the project's division."), "site")
    return found


def project_values(actor, data: dict) -> dict:
    """A project's checked fields (not its amounts): what a form, the API and an import row give."""
    where = region(actor, data.get("region"))
    return {"region": where, "year": year(data.get("year")), "title": _text(data, "title", 120, required=True),
            "builds": _text(data, "builds", 500), "site": _site(data.get("site"), where)}


def save_project(actor, data: dict, project: Project | None = None, request=None) -> Project:
    """Make a project (or change one) with its amounts: every field checked first, then one
    transaction writes the project and replaces its amounts."""
    if project is not None and not permissions.can_write_region(actor, project.region_id):
        raise PermissionDenied
    values = project_values(actor, data)
    planned = amounts(data.get("amounts"))
    try:
        with transaction.atomic():
            project = write_project(project, values, planned)
            audit.record("funding.project_save", request=request, actor=actor, obj=project,
                         region_code=project.region_id, detail={"year": project.year})
    except IntegrityError:
        raise FundingError("project_exists", _("The division already has a project of that title that year."),
                           "title", status=409) from None
    return project


def write_project(project: Project | None, values: dict, planned: dict) -> Project:
    """The write itself (inside the caller's transaction): the project's fields and all its amounts."""
    if project is None:
        project = Project.objects.create(**values)
    else:
        for key, value in values.items():
            setattr(project, key, value)
        project.save()
        project.amounts.all().delete()
    Amount.objects.bulk_create([Amount(project=project, kind=kind, item=item, planned=p, actual=a)
                                for (kind, item), (p, a) in planned.items()])
    return project


def delete_project(actor, project: Project, request=None) -> None:
    if not permissions.can_write_region(actor, project.region_id):
        raise PermissionDenied
    with transaction.atomic():
        audit.record("funding.project_delete", request=request, actor=actor, obj=project,
                     region_code=project.region_id, detail={"year": project.year, "title": project.title})
        project.delete()
