"""The export to the national fitness information service platform (国家全民健身信息服务平台): per
division and period, the venues with free or low-fee opening and their visitor counts, the fitness
equipment, and the games and events.

The platform's data-interface specification (全民健身信息服务平台数据接口规范) could not be found in
public text on 2026-12-06 (searched: the stored pages, documentation and code corpora for the title,
for 全民健身信息服务平台 数据接口 and for venue / free-opening field names; what was found is a
2023-12-08 report that the platform went live on 2023-06-02 and gathers public venues, grounds,
equipment, events, the free / low-fee opening subsidy applications and those venues' visitor counts).
So the format is ours, documented field by field in data/national_fields.csv, which also holds a
column for the specification's own field name: filling that column is the whole mapping
(`export(..., names="national")` then writes those names).
"""

import csv
import datetime
import re
from collections import defaultdict
from pathlib import Path

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.booking.models import Booking, VisitCount, WeeklyTemplate
from quanmin.core.errors import ServiceError
from quanmin.events.models import Competition, Games
from quanmin.facilities import equipment_types
from quanmin.facilities.models import Equipment, Facility, OpeningRule, Site
from quanmin.regions import codes
from quanmin.regions.models import Region

FIELDS = Path(__file__).parent / "data" / "national_fields.csv"
FORMAT_VERSION = "quanmin-national-1"
_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]|Q[1-4]))?$")


def fields() -> list[dict]:
    with open(FIELDS, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def parse_period(text: str) -> tuple[datetime.date, datetime.date]:
    """"2026" (a year), "2026-03" (a month) or "2026-Q1" (a quarter): its first and last day."""
    m = _PERIOD.match((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise ServiceError("period_invalid", _("Give the period as a year (2026), a month (2026-03) or a quarter "
                                               "(2026-Q1)."), "period")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if part.startswith("Q"):
        q = int(part[1])
        first = datetime.date(year, 3 * q - 2, 1)
        last_month = 3 * q
    else:
        first = datetime.date(year, int(part), 1)
        last_month = int(part)
    nxt = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def _span(first, last):
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz),
            timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min), tz))


def _benefit_hours(rules) -> float:
    return round(sum((datetime.datetime.combine(datetime.date.min, r.closes)
                      - datetime.datetime.combine(datetime.date.min, r.opens)).total_seconds() / 3600
                     for r in rules if r.weekday < 7), 2)


def venues(prefix: str, start, end) -> list[dict]:
    """Sites of the subtree with free or low-fee opening (benefit hours in the register, or benefit
    booking times), with their weekly benefit hours and visitors in the period: booked people checked
    in, plus people counted at the gate or by a counter."""
    in_tree = Q(region__code__within=prefix)
    with_rules = set(OpeningRule.objects.filter(kind=OpeningRule.Kind.BENEFIT, site__region__code__within=prefix)
                     .values_list("site_id", flat=True))
    with_slots = set(WeeklyTemplate.objects.filter(benefit=True, unit__site__region__code__within=prefix)
                     .values_list("unit__site_id", flat=True))
    ids = with_rules | with_slots
    sites = list(Site.objects.filter(in_tree, pk__in=ids).order_by("region_id", "pk"))
    rules = defaultdict(list)
    for r in OpeningRule.objects.filter(site__in=sites, kind=OpeningRule.Kind.BENEFIT):
        rules[r.site_id].append(r)
    grounds = dict(Facility.objects.filter(site__in=sites).values("site_id").annotate(n=Count("pk"))
                   .values_list("site_id", "n"))
    area = dict(Facility.objects.filter(site__in=sites).values("site_id").annotate(a=Sum("area_m2"))
                .values_list("site_id", "a"))
    booked = defaultdict(int)
    for site_id, places, companions in (Booking.objects.filter(slot__unit__site__in=sites, checked_in_at__gte=start,
                                                               checked_in_at__lt=end)
                                        .values_list("slot__unit__site_id", "places", "companions").iterator()):
        booked[site_id] += max(places, 1 + len(companions or []))
    counted = dict(VisitCount.objects.filter(site__in=sites, hour_start__gte=start, hour_start__lt=end)
                   .values("site_id").annotate(n=Sum("count_in")).values_list("site_id", "n"))
    names = dict(Region.objects.filter(code__in={s.region_id for s in sites}).values_list("code", "name"))
    out = []
    for s in sites:
        out.append({"venue_id": s.pk, "venue_name": s.name, "division_code": s.region_id,
                    "division_name": names.get(s.region_id, ""), "address": s.address, "longitude": round(s.lon, 6),
                    "latitude": round(s.lat, 6), "status": s.status, "owner_kind": s.owner_kind,
                    "grounds": grounds.get(s.pk, 0), "area_m2": float(area.get(s.pk) or 0),
                    "benefit_hours_per_week": _benefit_hours(rules.get(s.pk, [])),
                    "benefit_booking": s.pk in with_slots,
                    "visitors_booked": booked.get(s.pk, 0), "visitors_counted": counted.get(s.pk) or 0,
                    "visitors": booked.get(s.pk, 0) + (counted.get(s.pk) or 0)})
    return out


def equipment(prefix: str, as_of: datetime.date) -> list[dict]:
    """Installed equipment of the subtree by type and status (as the register stands)."""
    rows = defaultdict(lambda: defaultdict(int))
    for kind, status, smart, n in (Equipment.objects.filter(region__code__within=prefix)
                                   .exclude(status=Equipment.Status.REMOVED)
                                   .values_list("kind", "status", "smart").annotate(n=Count("pk")).order_by()):
        rows[kind][status] += n
        rows[kind]["smart"] += n if smart else 0
    out = []
    for kind, by in sorted(rows.items()):
        info = equipment_types.TYPES.get(kind)
        out.append({"equipment_type": kind, "equipment_type_name": info.label if info else kind,
                    "in_service": by["in_service"], "defective": by["defective"],
                    "out_of_service": by["out_of_service"], "smart": by["smart"],
                    "total": by["in_service"] + by["defective"] + by["out_of_service"], "as_of": as_of.isoformat()})
    return out


def events(prefix: str, first: datetime.date, last: datetime.date) -> list[dict]:
    """Published games and events of the subtree held (begun) in the period, with entries."""
    games = list(Games.objects.filter(region__code__within=prefix, status=Games.Status.PUBLISHED,
                                      first_day__gte=first, first_day__lte=last).order_by("first_day", "pk"))
    stats = {g: (n, places, taken) for g, n, places, taken in Competition.objects.filter(games__in=games)
             .values("games_id").annotate(n=Count("pk"), p=Sum("capacity"), t=Sum("taken"))
             .values_list("games_id", "n", "p", "t")}
    names = dict(Region.objects.filter(code__in={g.region_id for g in games}).values_list("code", "name"))
    out = []
    for g in games:
        n, places, taken = stats.get(g.pk, (0, 0, 0))
        out.append({"event_id": g.pk, "event_name": g.name, "event_kind": g.kind, "level": g.level,
                    "division_code": g.region_id, "division_name": names.get(g.region_id, ""),
                    "first_day": g.first_day.isoformat(), "last_day": (g.last_day or g.first_day).isoformat(),
                    "mode": g.mode, "organizer": g.organizer, "competitions": n, "places": places or 0,
                    "entries": taken or 0})
    return out


def _renamed(rows: list[dict], section: str, names: str) -> list[dict]:
    if names != "national":
        return rows
    mapping = {f["field"]: f["national_field"] or f["field"] for f in fields() if f["section"] == section}
    return [{mapping.get(k, k): v for k, v in row.items()} for row in rows]


def export(region: Region, period: str, names: str = "ours") -> dict:
    """The whole export of one division (its subtree) and one period."""
    first, last = parse_period(period)
    start, end = _span(first, last)
    prefix = codes.prefix(region.code)
    venue_rows = venues(prefix, start, end)
    return {
        "format": FORMAT_VERSION, "division_code": region.code, "division_name": region.name, "period": period,
        "first_day": first.isoformat(), "last_day": last.isoformat(),
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "totals": {"benefit_venues": len(venue_rows), "visitors": sum(v["visitors"] for v in venue_rows)},
        "venues": _renamed(venue_rows, "venues", names),
        "equipment": _renamed(equipment(prefix, min(last, timezone.localdate())), "equipment", names),
        "events": _renamed(events(prefix, first, last), "events", names),
    }
