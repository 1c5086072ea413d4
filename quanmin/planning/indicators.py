"""The plans' own register as indicators (see quanmin.core.indicators): the joint meetings held,
the counties with a plan of their own, and the evaluations carried out: targets about how a plan is
run (联席会议, 实施措施, 评估) are measured by what the planning register records, and so are the
counties holding a title the city awards (体育现代化县, 全民健身运动模范县: G16).

Each is one grouped query over the plans of the smallest subtree holding every code asked for,
rows handed to the divisions above them (regions.subtrees). `as_of` picks the calendar year
counted (meetings held and evaluations of that year), and the plans issued by then.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator
from quanmin.regions import codes, subtrees

from .models import Evaluation, JointMeeting, Plan, TitleApplication

LEVELS = ("city", "county", "township")


def _summed(rows, wanted: list[str]) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(rows, wanted).items()}


@indicator("joint_meetings", unit="count", levels=LEVELS, label=_("Joint meetings held this year"),
           description=_("Joint meetings of the plans' member departments (全民健身联席会议) held in the year by the "
                         "division and the divisions in it."))
def joint_meetings(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = list(JointMeeting.objects.filter(plan__division_code__within=subtrees.covering_prefix(wanted),
                                            held_on__year=as_of.year, held_on__lte=as_of)
                .values_list("plan__division_code").annotate(n=Count("pk")).order_by())
    return _summed(rows, wanted)


@indicator("counties_with_plan", unit="count", levels=("city", "county"), label=_("Counties with a plan of their own"),
           description=_("Counties (districts) of the division with a plan of their own in the register (their "
                         "implementation measures), issued or starting by the date."))
def counties_with_plan(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    issued = Q(issued_on__lte=as_of) | Q(issued_on__isnull=True, starts_on__lte=as_of)
    held = set(Plan.objects.filter(issued, division_code__within=subtrees.covering_prefix(wanted))
               .values_list("division_code", flat=True))
    return _summed([(code, 1) for code in held if codes.level(code) == "county"], wanted)


@indicator("evaluations_held", unit="count", levels=LEVELS, label=_("Plan evaluations this year"),
           description=_("Evaluations (annual, mid-term or final) of the plans of the division and the divisions in "
                         "it, for the year."))
def evaluations_held(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = list(Evaluation.objects.filter(plan__division_code__within=subtrees.covering_prefix(wanted),
                                          year=as_of.year)
                .values_list("plan__division_code").annotate(n=Count("pk")).order_by())
    return _summed(rows, wanted)


def _holders(title: str, wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    held = (TitleApplication.objects.filter(title=title, status=TitleApplication.Status.AWARDED, awarded_on__lte=as_of,
                                            division_code__within=subtrees.covering_prefix(wanted))
            .values_list("division_code", flat=True).distinct())
    return _summed([(code, 1) for code in held], wanted)


@indicator("sports_modern_counties", unit="count", levels=("city", "county"),
           label=_("Sports-modernisation counties"),
           description=_("Counties (districts) of the division awarded the title 体育现代化县（市、区） by the date."))
def sports_modern_counties(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _holders("sports_modern_county", wanted, as_of)


@indicator("fitness_model_counties", unit="count", levels=("city", "county"),
           label=_("National-fitness model counties"),
           description=_("Counties (districts) of the division awarded the title 全民健身运动模范县（市、区） by the date."))
def fitness_model_counties(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _holders("fitness_model_county", wanted, as_of)
