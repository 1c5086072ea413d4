"""The funding indicators (see quanmin.core.indicators), over each division's subtree for the
calendar year of `as_of`:

- lottery_fund_fitness_share: of the sports-lottery public-welfare fund received, the share spent
  on national fitness (seed 001: “提高体育彩票公益金用于全民健身比例”);
- funding_social_share: of the projects' actual funding, the share from company donations,
  residents' own funds and sponsorship (seed 002: “企业捐助，群众自筹”; seed 000: “鼓励…捐赠和赞助”).

None when the division recorded no fund (or no project money) that year. Two queries per call.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo

from . import figures

LEVELS = ("city", "county")


def totals(codes_: list[str], year: int) -> dict:
    """The year's figures, read once for both indicators when a batch computes them together."""
    return memo(("funding.totals", tuple(codes_), year), lambda: figures.totals(codes_, year))


@indicator("lottery_fund_fitness_share", unit="percent", levels=LEVELS,
           label=_("Share of the sports-lottery fund spent on national fitness"),
           description=_("Of the sports-lottery public-welfare fund (体育彩票公益金) the division and those under it "
                         "received in the year, the share spent on national fitness (全民健身)."))
def lottery_fund_fitness_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: found.lottery_share for code, found in totals(codes_, as_of.year).items()}


@indicator("funding_social_share", unit="percent", levels=LEVELS,
           label=_("Social share of fitness project funding"),
           description=_("Of the money actually spent on the year's fitness projects, the share from company "
                         "donations, residents' own funds and sponsorship (企业捐助、群众自筹、社会赞助)."))
def funding_social_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: found.social_share for code, found in totals(codes_, as_of.year).items()}
