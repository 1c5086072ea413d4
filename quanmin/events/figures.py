"""The events' figures for a division and its parts in a year (the indicators), the communities
that have not held games yet, events per association and per target group, the person-times by
sex and age band: for the figures page,
its Excel and the API."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _

from quanmin.accounts import scoping
from quanmin.core import indicators as registry
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import indicators
from .models import Competition, TargetGroup

KEYS = ("mass_events", "brand_events", "target_group_events", "association_events", "participants_per_10000",
        "person_times", "communities_with_games", "townships_with_three_activities", "games_meeting_level_rule")


def figures(user, code: str, year: int) -> dict:
    region = Region.objects.filter(code=code).first() if code else scoping.top_regions(user).first()
    if region is None or not scoping.can_read_region(user, region.code):
        raise Http404
    parts = list(Region.objects.filter(parent=region).order_by("code"))
    wanted = [region.code, *[p.code for p in parts]]
    as_of = datetime.date(year, 12, 31)
    found = {}
    for key in KEYS:
        ind = registry.get(key)
        found[key] = ind.compute(wanted, as_of) if region.level in ind.levels else {}
    rows = [{"region": r, "values": [found[k].get(r.code) for k in KEYS]} for r in [region, *parts]]
    county = region.code if region.level == "county" else None
    groups = dict(TargetGroup.choices)
    times = indicators.person_times_by(codes.prefix(region.code), year)
    sexes = {**dict(Competition.Sex.choices), "?": _("Not recorded")}
    return {
        "region": region, "year": year, "rows": rows,
        "labels": [registry.get(k).label for k in KEYS], "units": [registry.get(k).unit_label for k in KEYS],
        "missing": indicators.communities_without_games(county, year)[:500] if county else [],
        "overdue": indicators.games_overdue(codes.prefix(region.code), year) if region.level == "city" else [],
        "townships": indicators.townships_below(codes.prefix(region.code), year)[:300]
        if region.level in ("city", "county") else [],
        "associations": indicators.per_association(codes.prefix(region.code), year),
        "person_times": times["total"], "times": times,
        "by_sex": [(sexes.get(s, s), n) for s, n in sorted(times["by_sex"].items())],
        "by_age": [(_("Not recorded") if band == "?" else band, n) for band, n in times["by_age"].items()],
        "groups": [(groups.get(g, g), n) for g, n in indicators.by_target_group(codes.prefix(region.code), year).items()],
        "chart": {"names": [r.name for r in parts],
                  "labels": {"events": str(registry.get("mass_events").label),
                             "communities": str(registry.get("communities_with_games").label)},
                  "communities": [float(found["communities_with_games"].get(p.code) or 0) for p in parts],
                  "events": [float(found["mass_events"].get(p.code) or 0) for p in parts]},
    }
