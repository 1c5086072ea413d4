"""The fitness-circle page in words: the run's stage, the suggestions' guarantee, facility types by
their labels, and where a suggested site is (the nearest community and road), never a code or a
bare coordinate."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.facilities import geo, selectors, types
from quanmin.facilities.models import Site
from quanmin.regions import streets

STAGES = {
    "inputs": gettext_lazy("Reading facilities, residents and streets"),
    "prepare": gettext_lazy("Preparing the walking network"),
    "snap_facilities": gettext_lazy("Placing the sports grounds on the streets"),
    "passes": gettext_lazy("Walking out from every sports ground"),
    "coverage": gettext_lazy("Counting the residents within reach"),
    "suggest_cover_sets": gettext_lazy("Choosing where to build"),
    "suggest_choose": gettext_lazy("Choosing where to build"),
    "suggest_after": gettext_lazy("Counting the residents the new sites reach"),
    "done": gettext_lazy("Done"),
}
NEAR_M = 3000  # a suggested site farther than this from every site is described by its position only
ROAD_M = 300  # a loaded street this near names the road
NUMBER = re.compile(r"\d+号$")


def stage_label(stage: str) -> str:
    return str(STAGES.get(stage, STAGES["inputs"]))


def guarantee_label(suggestions: dict) -> str:
    if suggestions.get("method") == "exact":
        if str(suggestions.get("guarantee", "")).startswith("optimal"):
            return _("The best possible choice for this number of sites (solved exactly as an integer program).")
        return _("Solved as an integer program that hit its time limit: the best choice found, perhaps not the best possible.")
    return _("Chosen one by one, each adding the most residents: at least 63% (1 − 1/e) of what the best possible "
             "choice of the same number of sites would add (Nemhauser, Wolsey and Fisher, 1978).")


def type_label(code: str) -> str:
    found = types.TYPES.get(code)
    return found.label if found else _("Other type")


def _road(lat: float, lon: float, site: Site | None) -> str:
    """The nearest loaded street's name, else the road of the nearest site's address."""
    d_lat, d_lon = ROAD_M / 110_540, ROAD_M / 90_000
    best, best_d = "", None
    for name, _kind, line in streets.in_box(lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon, limit=500):
        if not name:
            continue
        d = min(geo.haversine_m(lat, lon, p[1], p[0]) for p in line)
        if best_d is None or d < best_d:
            best, best_d = name, d
    if best:
        return best
    return NUMBER.sub("", site.address) if site and site.address and site.address != site.name else ""


def place(lat: float, lon: float) -> dict:
    """Where a point is, in words: its nearest site's community, the road, and that site."""
    hits = selectors.nearby(Site.objects.select_related("region"), lat, lon, NEAR_M, limit=1)
    site, metres = hits[0] if hits else (None, None)
    return {"community": site.region.name if site else "", "road": _road(lat, lon, site),
            "near": site.name if site else "", "metres": round(metres, -1) if metres is not None else None}
