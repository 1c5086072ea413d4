"""Reads of work orders and pieces due for replacement that pages, the API, the
export and the figures share. Every list starts from the user's scope: division staff (and
supervisors) see their divisions' orders, a maintenance unit's staff the orders assigned to it."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField as BoolField
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment
from quanmin.regions import codes

from .errors import FilterError
from .models import CLOSED_STATUSES, HOLDING_STATUSES, OPEN_STATUSES, WorkOrder

LIST_RELATED = ("equipment", "facility", "site", "region", "unit")


def work_orders_for(user, write: bool = False) -> QuerySet[WorkOrder]:
    """The work orders this user may see (write: change, for division staff)."""
    return scoping.scoped(user, WorkOrder.objects.select_related(*LIST_RELATED), write)


def get_work_order_or_404(user, order_id) -> WorkOrder:
    return scoping.get_scoped_or_404(user, WorkOrder.objects.select_related(*LIST_RELATED, "created_by"),
                                     pk=order_id)




def overdue_q(now: datetime.datetime | None = None) -> Q:
    """Open and past the deadline."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())


def late_q(now: datetime.datetime | None = None) -> Q:
    """Overdue, or done (and perhaps verified) after the deadline."""
    return overdue_q(now) | Q(done_at__isnull=False, done_at__gt=F("due_at"))


def with_overdue(qs: QuerySet[WorkOrder], now: datetime.datetime | None = None) -> QuerySet[WorkOrder]:
    return qs.annotate(is_overdue=Case(When(overdue_q(now), then=Value(True)), default=Value(False),
                                       output_field=BoolField()))


@dataclass
class Filters:
    status: str = ""  # a status, or "open" (open, assigned, in progress) or "closed"
    kind: str = ""
    severity: str = ""
    source: str = ""
    overdue: bool = False
    unit: int | None = None
    region: str = ""  # a division code (2-12 digits): its subtree
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    q: str = ""  # order number or equipment tag

    @classmethod
    def parse(cls, data) -> "Filters":
        """From a query string (a QueryDict or dict of strings): unknown values are refused with a
        clear message, never a 500."""

        def get(key):
            value = data.get(key)
            # NUL bytes can't reach PostgreSQL text parameters; nobody types them.
            return (value or "").replace("\x00", "").strip() if isinstance(value, str) or value is None else value

        f = cls()
        status = get("status")
        if status and status not in [*WorkOrder.Status.values, "open", "closed"]:
            raise FilterError("status_invalid", _("Choose one of the listed values."), "status")
        f.status = status
        for key, choices in (("kind", WorkOrder.Kind), ("severity", WorkOrder.Severity),
                             ("source", WorkOrder.Source)):
            value = get(key)
            if value and value not in choices.values:
                raise FilterError(f"{key}_invalid", _("Choose one of the listed values."), key)
            setattr(f, key, value)
        f.overdue = str(get("overdue")).lower() in ("1", "true", "on", "yes")
        unit = get("unit")
        if unit not in ("", None):
            try:
                f.unit = int(unit)
            except (TypeError, ValueError):
                raise FilterError("unit_invalid", _("Choose one of the listed values."), "unit") from None
            if not 0 < f.unit < 2**63:
                raise FilterError("unit_invalid", _("Choose one of the listed values."), "unit")
        region = get("region")
        if region:
            try:
                codes.normalise(region)
            except ValueError:
                raise FilterError("region_invalid", _("Enter a division code of 2, 4, 6, 9 or 12 digits."),
                                  "region") from None
            f.region = region
        for key in ("created_from", "created_to"):
            value = get(key)
            if value:
                if isinstance(value, datetime.date):
                    setattr(f, key, value)
                    continue
                try:
                    setattr(f, key, datetime.date.fromisoformat(value))
                except ValueError:
                    raise FilterError("date_invalid", _("Use a date like 2026-05-01."), key) from None
        f.q = (get("q") or "")[:40]
        return f


def _day_start(day: datetime.date) -> datetime.datetime:
    # Far dates (0001-01-01, 9999-12-31) overflow once moved to UTC; nothing lies that far anyway.
    day = min(max(day, datetime.date(1900, 1, 1)), datetime.date(9000, 1, 1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_work_orders(qs: QuerySet[WorkOrder], f: Filters, now: datetime.datetime | None = None,
                       with_status: bool = True) -> QuerySet[WorkOrder]:
    """Apply the filters; with_status=False leaves the status out (for the counts per status)."""
    if with_status and f.status:
        if f.status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif f.status == "closed":
            qs = qs.filter(status__in=CLOSED_STATUSES)
        else:
            qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.overdue:
        qs = qs.filter(overdue_q(now))
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.region:
        qs = qs.filter(region__code__within=codes.prefix(codes.normalise(f.region)))
    if f.created_from:
        qs = qs.filter(created_at__gte=_day_start(f.created_from))
    if f.created_to:
        try:
            end = _day_start(f.created_to + datetime.timedelta(days=1))
        except OverflowError:
            end = None
        if end is not None:
            qs = qs.filter(created_at__lt=end)
    if f.q:
        qs = qs.filter(Q(number__iexact=f.q) | Q(equipment__tag__iexact=f.q))
    return qs


def counts_by_status(qs: QuerySet[WorkOrder], now: datetime.datetime | None = None) -> dict:
    """{status: n, ..., "open": n, "overdue": n, "total": n} in one query."""
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in WorkOrder.Status.values}
    aggregates["overdue"] = Count("pk", filter=overdue_q(now))
    aggregates["total"] = Count("pk")
    counts = qs.order_by().aggregate(**aggregates)
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    return counts


def list_for(user, f: Filters, now: datetime.datetime | None = None) -> QuerySet[WorkOrder]:
    """The list pages and the API show: scoped, filtered, overdue annotated, most urgent first."""
    qs = filter_work_orders(work_orders_for(user), f, now)
    return with_overdue(qs, now).order_by("-is_overdue", "due_at", "-id") if f.status == "open" or f.overdue \
        else with_overdue(qs, now).order_by("-created_at", "-id")






# --- pieces past their design life ------------------------------------------------------------------------

def due_for_replacement(user=None, today: datetime.date | None = None,
                        queryset: QuerySet[Equipment] | None = None) -> QuerySet[Equipment]:
    """Pieces not removed whose design life has run out by `today`, in the user's scope, each with
    `open_replace` (it already has an open replacement order). Which pieces are due is the
    register's rule (facilities.equipment_services.due_for_replacement)."""
    if queryset is None:
        queryset = Equipment.objects.all()
    if user is not None:
        queryset = scoping.scoped(user, queryset)
    qs = equipment_services.due_for_replacement(queryset, today=today)
    open_replace = WorkOrder.objects.filter(equipment=OuterRef("pk"), kind=WorkOrder.Kind.REPLACE,
                                            status__in=HOLDING_STATUSES)
    return qs.annotate(open_replace=Exists(open_replace)).select_related("facility", "site", "region").order_by(
        "install_date", "id")
