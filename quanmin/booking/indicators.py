"""Booking's indicators (see quanmin.core.indicators), for many divisions at once.

What `as_of` means here: whether a site is open and whether it has an active bookable unit is
kept as it stands now, not as it stood on a date, so the share is today's whatever `as_of` says.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, percent
from quanmin.regions import subtrees

from . import figures


@indicator("bookable_online_share", dated=False, unit="percent", levels=("city", "county", "township", "community"),
           label=_("Public venues bookable online"),
           description=_("Share of the venues open to the public (an existing site with a free, low-fee or paid "
                         "ground) that have at least one active bookable unit."))
def bookable_online_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """One query (booking.figures.site_rows) over the smallest subtree holding every code."""
    rows = figures.site_rows(subtrees.covering_prefix(codes))
    found = subtrees.sum_up(rows, codes, lambda code: figures.BookingFigures(code, "", ""), figures._add_sites)
    return {code: percent(f.bookable_sites, f.public_sites) for code, f in found.items()}
