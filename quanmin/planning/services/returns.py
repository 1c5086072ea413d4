"""County returns (统计监测, seed 004): open a round, fill and submit a return, review it, warn the
overdue, close the round.

A round's items are indicators of the registry (computed by the platform for every county at once,
as of the period's end, and written into each return when the round opens) and figures each county
enters (each of a kind: a whole number, a number, a share from 0 to 100, yes or no). A county's
staff fill their own return only: the figures the platform could not compute, the situations and
problems (情况和问题), evidence files; they submit it; the round's owners (staff of the division that
opened it) accept it, or return it with a comment, and a returned return is changed and submitted
again. An accepted return, a submitted one awaiting review and every return of a closed round are
not changed. Every write checks everything first and writes in one transaction: a bad figure or a
wrong person leaves nothing written.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import DIVISION_ROLES, Membership
from quanmin.core import indicators
from quanmin.core.notify import notify
from quanmin.regions import codes
from quanmin.regions.models import Region

from .. import permissions
from ..errors import PlanningError
from ..models import CountyReturn, ReturnAttachment, ReturnEntry, ReturnFigure, ReturnItem, ReturnRound
from . import evidence as evidence_rules

MAX_ITEMS = 60
MAX_TITLE = 200
MAX_TEXT = 8000
MAX_ATTACHMENTS = 10
FIGURE_LIMIT = Decimal("1e12")
PLACES = Decimal("0.0001")
EDITABLE = (CountyReturn.Status.DRAFT, CountyReturn.Status.RETURNED)
YES = {"1", "yes", "y", "true", "是", "有"}
NO = {"0", "no", "n", "false", "否", "无"}


def child_level(division_code: str) -> str | None:
    """The level of the divisions that report to a round of `division_code` (a city's: county)."""
    return codes.child_level(codes.level(division_code)) if codes.is_code(division_code) else None


def indicator_choices(division_code: str) -> list[indicators.Indicator]:
    """The registry's indicators that compute a figure for the divisions reporting to the division."""
    level = child_level(division_code)
    return [found for found in indicators.registry().values() if level in found.levels]


def _reporters(division_code: str) -> list[tuple[str, str]]:
    return list(Region.objects.filter(parent_id=division_code).order_by("code").values_list("code", "name"))


def _owner(user, rnd: ReturnRound) -> None:
    if not permissions.can_manage_round(user, rnd):
        raise PlanningError("round_not_yours", _("Only the round's owners do that."), status=403)


def _open(rnd: ReturnRound) -> None:
    if rnd.status == ReturnRound.Status.CLOSED:
        raise PlanningError("round_closed", _("This round is closed: its returns are not changed any more."),
                            status=409)


def _title(value: str) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise PlanningError("round_title_missing", _("Give the round a title."), "title")
    if len(title) > MAX_TITLE:
        raise PlanningError("round_title_too_long", _("The title is too long."), "title")
    return title


def _items(division_code: str, keys, manual) -> list[ReturnItem]:
    """The round's items, checked: indicators of the reporting level first, then entered figures."""
    choices = {found.key: found for found in indicator_choices(division_code)}
    keys = list(dict.fromkeys(k for k in (keys or []) if k))
    unknown = [k for k in keys if k not in choices]
    if unknown:
        raise PlanningError("return_indicator_unknown",
                            _("An indicator does not compute figures for the divisions that report."), "indicators",
                            detail={"keys": unknown})
    items = [ReturnItem(indicator=k, name=str(choices[k].label)[:120], unit=choices[k].unit,
                        kind=ReturnItem.Kind.DECIMAL) for k in keys]
    for line in manual or []:
        name = " ".join(str(line.get("name") or "").split())
        unit = line.get("unit") or "count"
        kind = line.get("kind") or ReturnItem.Kind.DECIMAL
        if not name or len(name) > 120:
            raise PlanningError("return_item_name", _("Name each figure to enter, in at most 120 characters."), "items")
        if unit not in indicators.UNITS:
            raise PlanningError("return_item_unit", _("Not a unit of the platform."), "items")
        if kind not in ReturnItem.Kind.values:
            raise PlanningError("return_item_kind", _("Not a kind of figure."), "items")
        items.append(ReturnItem(name=name, unit=unit, kind=kind))
    if not items:
        raise PlanningError("return_items_missing", _("Pick at least one indicator or figure to report."), "indicators")
    if len(items) > MAX_ITEMS:
        raise PlanningError("return_items_too_many", _("At most %(count)s figures in one round.") % {"count": MAX_ITEMS},
                            "indicators")
    for order, item in enumerate(items, start=1):
        item.order = order
    return items


def _stored(value) -> Decimal | None:
    """A computed value as the figure's column keeps it (4 decimals), None beyond its range."""
    if value is None:
        return None
    value = Decimal(value)
    if not value.is_finite() or abs(value) >= FIGURE_LIMIT:
        return None
    return value.quantize(PLACES)


def _computed(items, division_codes: list[str], as_of: date) -> dict[tuple[int, str], Decimal | None]:
    """{(item order, code): value} of the indicator items, each indicator computing every code at once."""
    keys = [item.indicator for item in items if item.indicator]
    found = indicators.compute_many(keys, division_codes, as_of) if keys and division_codes else {}
    return {(item.order, code): _stored(found[item.indicator].get(code))
            for item in items if item.indicator for code in division_codes}


@transaction.atomic
def open_round(user, *, division_code: str, title: str, period_start: date, period_end: date, due_on: date,
               indicator_keys=(), manual=(), today: date | None = None, request=None) -> ReturnRound:
    """A round of `division_code` for the period, due on `due_on`: a return for each of the
    division's children, with every indicator figure computed as of the period's end (today, if
    the period has not ended)."""
    today = today or timezone.localdate()
    division_code = (division_code or "").strip()
    region = Region.objects.filter(code=division_code).first() if codes.is_code(division_code) else None
    if region is None:
        raise PlanningError("round_division", _("Not a division."), "division_code")
    if not scoping.can_write_region(user, division_code):
        raise PlanningError("round_not_yours", _("Only staff of the division open its rounds."), status=403)
    title = _title(title)
    if period_start is None or period_end is None or period_end < period_start:
        raise PlanningError("round_period", _("The period ends on or after the day it starts."), "period_end")
    if period_start > today:
        raise PlanningError("round_period_future", _("The period has not started yet."), "period_start")
    if due_on is None or due_on < today:
        raise PlanningError("round_due", _("The returns are due today or later."), "due_on")
    reporters = _reporters(division_code)
    if not reporters:
        raise PlanningError("round_no_divisions", _("The division has no divisions under it to report."),
                            "division_code")
    items = _items(division_code, indicator_keys, manual)
    as_of = min(period_end, today)
    computed = _computed(items, [code for code, _name in reporters], as_of)
    rnd = ReturnRound.objects.create(division_code=division_code, division_name=region.name, title=title,
                                     period_start=period_start, period_end=period_end, due_on=due_on,
                                     computed_as_of=as_of, created_by=user)
    for item in items:
        item.round = rnd
    ReturnItem.objects.bulk_create(items)
    items = list(rnd.items.order_by("order"))
    CountyReturn.objects.bulk_create([CountyReturn(round=rnd, division_code=code, division_name=name)
                                      for code, name in reporters])
    returns = list(rnd.returns.order_by("division_code"))
    ReturnFigure.objects.bulk_create([ReturnFigure(ret=ret, item=item, computed=computed.get((item.order, ret.division_code)))
                                      for ret in returns for item in items])
    audit.record("create", request=request, actor=user, obj=rnd, region_code=division_code,
                 detail={"returns": len(returns), "items": len(items)})
    return rnd


def figure_value(item: ReturnItem, raw) -> Decimal | None:
    """A figure a county typed, as its item's kind takes it; None when left empty."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        return None
    name = {"item": item.name}
    if item.kind == ReturnItem.Kind.YES_NO:
        if text.lower() in YES:
            return Decimal(1)
        if text.lower() in NO:
            return Decimal(0)
        raise PlanningError("return_figure_type", _("“%(item)s” takes yes (1) or no (0).") % name, f"figure_{item.pk}")
    if item.kind == ReturnItem.Kind.PERCENT:
        text = text.rstrip("%％").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise PlanningError("return_figure_type", _("“%(item)s” takes a number.") % name, f"figure_{item.pk}")
    if value < 0 or value >= FIGURE_LIMIT:
        raise PlanningError("return_figure_range", _("“%(item)s” takes a number of 0 or more.") % name,
                            f"figure_{item.pk}")
    if item.kind == ReturnItem.Kind.INTEGER and value != value.to_integral_value():
        raise PlanningError("return_figure_type", _("“%(item)s” takes a whole number.") % name, f"figure_{item.pk}")
    if item.kind == ReturnItem.Kind.PERCENT and value > 100:
        raise PlanningError("return_figure_range", _("“%(item)s” takes a share from 0 to 100.") % name,
                            f"figure_{item.pk}")
    if value != value.quantize(PLACES):
        raise PlanningError("return_figure_type", _("“%(item)s” takes at most 4 decimals.") % name, f"figure_{item.pk}")
    return value


def _locked(ret: CountyReturn) -> CountyReturn:
    return CountyReturn.objects.select_for_update().select_related("round").get(pk=ret.pk)


def _fillable(user, ret: CountyReturn) -> None:
    """The user may change the return now: its county's staff, the round open, the return a draft or returned."""
    if not permissions.can_fill_return(user, ret):
        raise PlanningError("return_not_yours", _("Only the county's own staff fill in its return."), status=403)
    _open(ret.round)
    if ret.status == CountyReturn.Status.ACCEPTED:
        raise PlanningError("return_accepted", _("This return was accepted: it is not changed any more."), status=409)
    if ret.status == CountyReturn.Status.SUBMITTED:
        raise PlanningError("return_submitted",
                            _("This return awaits review: it can be changed again if the city returns it."), status=409)


def _text(value, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise PlanningError("return_text_too_long", _("The text is too long."), field)
    return text


def _apply(ret: CountyReturn, figures: dict | None, situation: str | None) -> None:
    """Check every figure given ({item id: text}), then write them and the situation text."""
    changes = {}
    if figures:
        by_id = {f.item_id: f for f in ret.figures.select_related("item")}
        for key, raw in figures.items():
            try:
                found = by_id.get(int(key))
            except (TypeError, ValueError):
                found = None
            if found is None:
                raise PlanningError("return_item_unknown", _("Not a figure of this return."), "figures")
            value = figure_value(found.item, raw)
            if found.computed is not None:
                if value is not None and value != found.computed:
                    raise PlanningError("return_figure_computed",
                                        _("“%(item)s” is computed by the platform; it is not entered.")
                                        % {"item": found.item.name}, f"figure_{found.item_id}")
                continue
            if value != found.entered:
                found.entered = value
                changes[found.pk] = found
    if situation is not None:
        ret.situation = _text(situation, "situation")
    if changes:
        ReturnFigure.objects.bulk_update(list(changes.values()), ["entered"])
    ret.save(update_fields=["situation", "updated_at"])


@transaction.atomic
def save(user, ret: CountyReturn, *, figures: dict | None = None, situation: str | None = None,
         request=None) -> CountyReturn:
    """Keep what the county filled in so far (the return stays with the county)."""
    ret = _locked(ret)
    _fillable(user, ret)
    _apply(ret, figures, situation)
    audit.record("update", request=request, actor=user, obj=ret, region_code=ret.division_code)
    return ret


def _refresh(ret: CountyReturn, today: date) -> None:
    """A round opened before its period ended computed its figures as of that day: at submission
    they are computed again as of the period's end (or today, if sooner)."""
    rnd = ret.round
    as_of = min(rnd.period_end, today)
    if rnd.computed_as_of >= as_of:
        return
    figures = list(ret.figures.select_related("item").filter(item__indicator__gt=""))
    found = indicators.compute_many({f.item.indicator for f in figures}, [ret.division_code], as_of)
    for f in figures:
        f.computed = _stored(found[f.item.indicator].get(ret.division_code))
    ReturnFigure.objects.bulk_update(figures, ["computed"])


@transaction.atomic
def submit(user, ret: CountyReturn, *, figures: dict | None = None, situation: str | None = None,
           today: date | None = None, request=None) -> CountyReturn:
    """Send the return to the round's owners: every figure the platform does not compute is given,
    and the situations and problems are written."""
    today = today or timezone.localdate()
    ret = _locked(ret)
    _fillable(user, ret)
    _apply(ret, figures, situation)
    _refresh(ret, today)
    missing = [f.item.name for f in ret.figures.select_related("item").order_by("item__order")
               if f.computed is None and f.entered is None]
    if missing:
        raise PlanningError("return_incomplete", _("Fill in every figure before submitting: %(items)s.")
                            % {"items": "、".join(missing)}, "figures", detail={"items": missing})
    if not ret.situation:
        raise PlanningError("return_situation_missing", _("Write the situations and problems before submitting."),
                            "situation")
    ret.status = CountyReturn.Status.SUBMITTED
    ret.submitted_at = timezone.now()
    ret.submitted_by = user
    ret.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    ReturnEntry.objects.create(ret=ret, kind=ReturnEntry.Kind.SUBMITTED, author=user)
    audit.record("set_status", request=request, actor=user, obj=ret, region_code=ret.division_code,
                 detail={"status": ret.status})
    return ret


def division_staff(division_code: str):
    """The staff whose division role is bound to exactly this division (its own staff)."""
    return [m.user for m in Membership.objects.filter(region_id=division_code, role__in=list(DIVISION_ROLES),
                                                       user__is_active=True).select_related("user")]


@transaction.atomic
def decide(user, ret: CountyReturn, *, decision: str, comment: str = "", request=None) -> CountyReturn:
    """The round's owners accept a submitted return, or return it with a comment for the county to act on."""
    ret = _locked(ret)
    _owner(user, ret.round)
    _open(ret.round)
    if decision not in (CountyReturn.Status.ACCEPTED, CountyReturn.Status.RETURNED):
        raise PlanningError("review_decision", _("Accept or return the report."), "decision")
    if ret.status != CountyReturn.Status.SUBMITTED:
        raise PlanningError("return_not_submitted", _("There is no submitted return to review."), status=409)
    comment = _text(comment, "comment")
    if decision == CountyReturn.Status.RETURNED and not comment:
        raise PlanningError("return_comment_missing", _("Say what the county should change."), "comment")
    ret.status = decision
    ret.decided_at = timezone.now()
    ret.decided_by = user
    ret.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    ReturnEntry.objects.create(ret=ret, kind=decision, text=comment, author=user)
    audit.record("set_status", request=request, actor=user, obj=ret, region_code=ret.division_code,
                 detail={"status": decision})
    subject = (_("Return accepted: %(round)s") if decision == CountyReturn.Status.ACCEPTED
               else _("Return sent back for changes: %(round)s")) % {"round": ret.round.title}
    for person in division_staff(ret.division_code):
        notify(person, subject, comment or subject)
    return ret


@transaction.atomic
def attach(user, ret: CountyReturn, upload, request=None) -> ReturnAttachment:
    ret = _locked(ret)
    _fillable(user, ret)
    upload = evidence_rules.check(upload, required=True)
    if ret.attachments.count() >= MAX_ATTACHMENTS:
        raise PlanningError("return_attachments_full", _("At most %(count)s files per return.")
                            % {"count": MAX_ATTACHMENTS}, "evidence", status=409)
    found = ReturnAttachment.objects.create(ret=ret, file=upload, name=(upload.name or "")[-120:], uploaded_by=user)
    audit.record("update", request=request, actor=user, obj=ret, region_code=ret.division_code,
                 detail={"attachment": found.name})
    return found


@transaction.atomic
def detach(user, attachment: ReturnAttachment, request=None) -> None:
    ret = _locked(attachment.ret)
    _fillable(user, ret)
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    audit.record("update", request=request, actor=user, obj=ret, region_code=ret.division_code,
                 detail={"attachment_removed": name})


@transaction.atomic
def close(user, rnd: ReturnRound, request=None) -> ReturnRound:
    """Close the round: its returns, whatever their state, are not changed any more."""
    rnd = ReturnRound.objects.select_for_update().get(pk=rnd.pk)
    _owner(user, rnd)
    _open(rnd)
    rnd.status = ReturnRound.Status.CLOSED
    rnd.closed_at = timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    audit.record("close", request=request, actor=user, obj=rnd, region_code=rnd.division_code)
    return rnd


def overdue(today: date):
    """Returns of open rounds past their due day that the county has not (re)submitted."""
    return (CountyReturn.objects.filter(round__status=ReturnRound.Status.OPEN, round__due_on__lt=today,
                                        status__in=EDITABLE).select_related("round"))


def overdue_for(user, today: date | None = None):
    """The overdue returns in the user's divisions (a county's own; every county's for the city)."""
    today = today or timezone.localdate()
    return scoping.scoped(user, overdue(today), write=True).order_by("round__due_on", "division_code")


def warn_overdue(today: date) -> int:
    """Tell each overdue return's county staff, once, that it is overdue (planning_tick); how many were warned."""
    found = list(overdue(today).filter(Q(warned_on__isnull=True)))
    for ret in found:
        for person in division_staff(ret.division_code):
            notify(person, _("Return overdue: %(round)s") % {"round": ret.round.title},
                   _("The return of %(division)s was due on %(due)s.")
                   % {"division": ret.division_name, "due": ret.round.due_on.isoformat()})
    CountyReturn.objects.filter(pk__in=[r.pk for r in found]).update(warned_on=today)
    return len(found)
