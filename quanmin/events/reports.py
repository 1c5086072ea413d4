"""The staff's reports of a division in a year for four requirements, each with its indicator:
A15 employee events and the yearly league of 60 days or more, A19 joint departmental events with
their co-organising departments, A22 youth competitions by school stage and level and those whose
entrants come from more than one county, A24 the sports promoted in the year with the events and
entries held in them. For the reports page, its Excel and the API; a fixed number of queries."""

import datetime
import re

from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.core import indicators as registry
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import indicators
from .models import Competition, Entry, Games, PromotedSport, Sport

KEYS = ("employee_leagues", "joint_events", "youth_competitions", "promoted_sports")
LIST_LIMIT = 500
PROMOTED = (1, 2)  # A24: 1-2 sports a year
SEPARATORS = re.compile(r"[、，,;；/\s]+")


def departments(co_organizers: str) -> list[str]:
    """The co-organising departments as written, one by one ("市教育局、市总工会" → two)."""
    return [d for d in SEPARATORS.split(co_organizers or "") if d]


def region_for(user, code: str) -> Region:
    region = Region.objects.filter(code=code).first() if code else scoping.top_regions(user).first()
    if region is None or not scoping.can_read_region(user, region.code):
        raise Http404
    return region


def report(user, code: str, year: int) -> dict:
    region = region_for(user, code)
    prefix = codes.prefix(region.code)
    as_of = datetime.date(year, 12, 31)
    figures = {key: registry.get(key).compute([region.code], as_of).get(region.code) for key in KEYS}
    names = dict(Region.objects.filter(code__within=prefix).values_list("code", "name"))

    def where(code_: str) -> str:
        return names.get(code_, "")

    workers = [{"games": pk, "name": name, "division": where(r), "first_day": first, "last_day": last, "days": days,
                "league": days >= indicators.LEAGUE_DAYS}
               for r, pk, name, first, last, days in indicators.workers_rows(prefix, year)[:LIST_LIMIT]]
    joint = [{"games": g["pk"], "name": g["name"], "division": where(g["region_id"]), "first_day": g["first_day"],
              "departments": departments(g["co_organizers"])}
             for g in indicators._games(prefix, year).exclude(co_organizers="").order_by("first_day", "pk")
             .values("pk", "name", "region_id", "first_day", "co_organizers")[:LIST_LIMIT]]
    return {"region": region, "year": year, "figures": figures,
            "labels": {k: registry.get(k).label for k in KEYS}, "workers": workers,
            "workers_met": figures["employee_leagues"] is not None and figures["employee_leagues"] >= 1,
            "joint": joint, "joint_met": bool(joint), **_youth(prefix, year, where), **_promoted(prefix, year, where)}


def _youth(prefix: str, year: int, where) -> dict:
    found = Competition.objects.filter(indicators.youth_q(), games__in=indicators._games(prefix, year))
    stages = dict(Competition.Stage.choices)
    grid: dict[str, dict[str, int]] = {}
    for stage, level, n in found.values_list("stage", "games__level").annotate(n=Count("pk")).order_by():
        grid.setdefault(stage, {}).setdefault(level, 0)
        grid[stage][level] += n
    levels = ["city", "county", "township", "community"]
    level_labels = dict(Games._meta.get_field("level").choices)
    order = [s for s, _label in Competition.Stage.choices if s in grid]
    rows = [{"stage": str(stages[s]) if s else str(_("Events for young people")), "counts": [grid[s].get(lv, 0)
                                                                                            for lv in levels],
             "total": sum(grid[s].values())} for s in order]
    # Across regions: entrants of two counties or more (their home counties, from the entries).
    spread = dict(Entry.objects.filter(competition__in=found, status=Entry.Status.CONFIRMED)
                  .annotate(county=Substr("region_code", 1, 6)).values("competition_id")
                  .annotate(n=Count("county", distinct=True)).filter(n__gte=2).values_list("competition_id", "n")
                  .order_by())
    across = [{"competition": c.pk, "name": c.name, "games": c.games.name, "division": where(c.games.region_id),
               "stage": c.get_stage_display() if c.stage else "", "counties": spread[c.pk]}
              for c in found.filter(pk__in=list(spread)[:LIST_LIMIT]).select_related("games").order_by("starts_at", "pk")]
    return {"youth_levels": [str(level_labels[lv]) for lv in levels], "youth_rows": rows, "youth_across": across}


def _promoted(prefix: str, year: int, where) -> dict:
    rows = list(PromotedSport.objects.filter(region__code__within=prefix, year=year).order_by("region_id", "sport")
                [:LIST_LIMIT])
    sports = {p.sport for p in rows}
    held = dict(Competition.objects.filter(games__in=indicators._games(prefix, year), sport__in=sports)
                .values_list("sport").annotate(n=Count("games", distinct=True)).order_by())
    entries = dict(Entry.objects.filter(games__in=indicators._games(prefix, year), competition__sport__in=sports,
                                        status=Entry.Status.CONFIRMED)
                   .values_list("competition__sport").annotate(n=Count("pk")).order_by())
    labels = dict(Sport.choices)
    per_division: dict[str, int] = {}
    for p in rows:
        per_division[p.region_id] = per_division.get(p.region_id, 0) + 1
    return {"promoted": [{"id": p.pk, "division": where(p.region_id), "region": p.region_id, "sport": p.sport,
                          "sport_label": str(labels.get(p.sport, "")), "note": p.note, "events": held.get(p.sport, 0),
                          "entries": entries.get(p.sport, 0),
                          "in_range": PROMOTED[0] <= per_division[p.region_id] <= PROMOTED[1]} for p in rows]}
