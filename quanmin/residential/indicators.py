"""The residential indicator (see quanmin.core.indicators), over a division's subtree.

residential_norm_share: of the new residential areas (plans approved from the norm's `new_since`
day up to `as_of`), the share whose figures meet the facility norm, 0.1 m² of indoor sports
building area or 0.3 m² of outdoor sports land per planned resident (seed 001
「室内人均建筑面积不低于0.1平方米」「室外人均用地不低于0.3平方米」; targets T1-09 and T1-10 restated as
this share, ≥ 100 %). None when no new residential area was approved. One query per call.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo

from . import figures


@indicator("residential_norm_share", unit="percent", levels=("city", "county", "township"),
           label=_("New residential areas meeting the fitness-facility norm"),
           description=_("Of the residential areas whose plans were approved since the norm took effect, the share "
                         "providing at least 0.1 m² of indoor sports building area or 0.3 m² of outdoor sports land "
                         "per planned resident."))
def residential_norm_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    found = memo(("residential.totals", tuple(codes_), as_of), lambda: figures.totals(codes_, as_of))
    return {code: t.share for code, t in found.items()}
