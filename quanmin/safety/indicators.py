"""The safety indicators (see quanmin.core.indicators), over a division's subtree (G14).

venue_safety_record_share: of the public venues (open sites of the government or a community), the
share whose safety responsibility record is complete on `as_of` (figures.py says what complete is).
hazards_rectified_on_time_share: of the safety hazards whose rectification deadline fell in the
year ending `as_of`, the share reported rectified by the deadline and confirmed by the staff.
None where there is nothing to count. One query per call.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo

from . import figures


@indicator("venue_safety_record_share", unit="percent", levels=("city", "county", "township"),
           label=_("Public venues with a complete safety responsibility record"),
           description=_("Of the open public venues, the share with the responsible unit and person and a safety "
                         "officer named, an emergency plan filed, a fire-safety check in the last year and "
                         "public-liability insurance in force."))
def venue_safety_record_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    found = memo(("safety.venues", tuple(codes_), as_of), lambda: figures.venue_totals(codes_, as_of))
    return {code: t.record_share for code, t in found.items()}


@indicator("hazards_rectified_on_time_share", unit="percent", levels=("city", "county", "township"),
           label=_("Venue safety hazards rectified by their deadline"),
           description=_("Of the hazards found at venues' safety checks whose deadline fell in the past year, the "
                         "share rectified by the deadline and confirmed by the sports staff."))
def hazards_rectified_on_time_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    found = memo(("safety.hazards", tuple(codes_), as_of), lambda: figures.hazard_totals(codes_, as_of))
    return {code: t.on_time_share for code, t in found.items()}
