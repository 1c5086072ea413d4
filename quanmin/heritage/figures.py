"""The indicators of a division and of each division right below it, for the figures page and the API."""

import datetime

from quanmin.core.indicators import compute_many
from quanmin.regions.selectors import with_children

KEYS = ("tourism_routes", "tourism_bases_national", "tourism_bases_provincial", "tourism_bases_city",
        "heritage_items")


def rollup(top, as_of: datetime.date) -> list[tuple]:
    """(division, [value of each of KEYS]): the division first, then each one right below it."""
    divisions = with_children(top)
    found = compute_many(KEYS, [r.code for r in divisions], as_of)
    return [(r, [found[key][r.code] for key in KEYS]) for r in divisions]
