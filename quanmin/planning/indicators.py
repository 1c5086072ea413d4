"""The plans' own register as indicators (see quanmin.core.indicators): the joint meetings held,
the counties with a plan of their own, and the evaluations carried out: targets about how a plan is
run (联席会议, 实施措施, 评估) are measured by what the planning register records, and so are the
counties holding a title the city awards (体育现代化县, 全民健身运动模范县: G16), and the experience
exchange (E05: typical cases recommended, on-site meetings held). And the platform's own
reach over the communities (Jiaxing's "社区运动家" coverage, F09), measured by what residents, instructors
and games did on it.

Each is one grouped query over the plans of the smallest subtree holding every code asked for,
rows handed to the divisions above them (regions.subtrees). `as_of` picks the calendar year
counted (meetings held and evaluations of that year), and the plans issued by then.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from quanmin.booking.models import Booking
from quanmin.core.indicators import decimal, indicator, local_span, percent, share_meeting, year_ending
from quanmin.events.models import Competition, Games
from quanmin.people.models import DutyLog
from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import (
    CountyReturn,
    Evaluation,
    ExperienceCase,
    Inclusion,
    JointMeeting,
    Plan,
    SiteMeeting,
    TitleApplication,
)

LEVELS = ("city", "county", "township")


def _summed(rows, wanted: list[str]) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(rows, wanted).items()}


def _counted(rows, column: str, wanted: list[str]) -> dict[str, Decimal | None]:
    """The rows counted per division `column` names, added up the divisions asked for (one grouped query)."""
    return _summed(list(rows.values_list(column).annotate(n=Count("pk")).order_by()), wanted)


@indicator("joint_meetings", unit="count", levels=LEVELS, label=_("Joint meetings held this year"),
           description=_("Joint meetings of the plans' member departments (全民健身联席会议) held in the year by the "
                         "division and the divisions in it."))
def joint_meetings(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _counted(JointMeeting.objects.filter(plan__division_code__within=subtrees.covering_prefix(wanted),
                                                held_on__year=as_of.year, held_on__lte=as_of),
                    "plan__division_code", wanted)


@indicator("counties_with_plan", unit="count", levels=("city", "county"), label=_("Counties with a plan of their own"),
           description=_("Counties (districts) of the division with a plan of their own in the register (their "
                         "implementation measures), issued or starting by the date."))
def counties_with_plan(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    issued = Q(issued_on__lte=as_of) | Q(issued_on__isnull=True, starts_on__lte=as_of)
    held = set(Plan.objects.filter(issued, division_code__within=subtrees.covering_prefix(wanted))
               .values_list("division_code", flat=True))
    return _summed([(code, 1) for code in held if codes.level(code) == "county"], wanted)


@indicator("counties_reporting_share", unit="percent", levels=("city", "county"),
           label=_("Counties reporting their returns"),
           description=_("Share of the counties (districts) in the division that submitted a return (统计监测: their "
                         "figures and situation, awaiting review or accepted) in the 365 days up to the date."))
def counties_reporting_share(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    prefix = subtrees.covering_prefix(wanted)
    start, end = local_span(*year_ending(as_of))
    reported = set(CountyReturn.objects.filter(division_code__within=prefix, submitted_at__gte=start,
                                               submitted_at__lt=end,
                                               status__in=(CountyReturn.Status.SUBMITTED, CountyReturn.Status.ACCEPTED))
                   .values_list("division_code", flat=True).distinct().order_by())
    return share_meeting(subtrees.roll_up(subtrees.divisions_at(prefix, "county"), wanted, key=str),
                         reported.__contains__)


@indicator("evaluations_held", unit="count", levels=LEVELS, label=_("Plan evaluations this year"),
           description=_("Evaluations (annual, mid-term or final) of the plans of the division and the divisions in "
                         "it, for the year."))
def evaluations_held(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _counted(Evaluation.objects.filter(plan__division_code__within=subtrees.covering_prefix(wanted),
                                              year=as_of.year), "plan__division_code", wanted)


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


@indicator("typical_cases", unit="count", levels=("city", "county"), label=_("Typical cases recommended this year"),
           description=_("Experience cases of the division's counties that the city recommended as typical cases "
                         "(可复制可推广的经验与典型) in the year, by the date."))
def typical_cases(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _counted(ExperienceCase.objects.filter(status=ExperienceCase.Status.RECOMMENDED,
                                                  division_code__within=subtrees.covering_prefix(wanted),
                                                  recommended_on__year=as_of.year, recommended_on__lte=as_of),
                    "division_code", wanted)


@indicator("site_meetings", unit="count", levels=("city", "county"), label=_("On-site meetings this year"),
           description=_("On-site meetings (现场会) held in the year: for a city, those it held; for a county, those "
                         "held there."))
def site_meetings(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _counted(SiteMeeting.objects.filter(host_code__within=subtrees.covering_prefix(wanted),
                                               held_on__year=as_of.year, held_on__lte=as_of), "host_code", wanted)


@indicator("platform_community_coverage", unit="percent", levels=LEVELS,
           label=_("Communities the platform reaches"),
           description=_("Share of communities and villages where, in the 365 days up to the date, residents booked a "
                         "venue or a group's session online and came or kept the booking, an instructor's service was "
                         "confirmed, or a competition of a published games was held at a venue (社区运动家覆盖率)."))
def platform_community_coverage(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """Four queries: the communities of the subtree, then the communities each kind of use reached."""
    prefix = subtrees.covering_prefix(wanted)
    start, end = local_span(*year_ending(as_of))
    communities = list(Region.objects.filter(level="community", code__within=prefix).values_list("code", flat=True))
    booked = Booking.objects.filter(
        channel=Booking.Channel.ONLINE, status__in=(Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN),
        slot__start__gte=start, slot__start__lt=end, slot__unit__region__code__within=prefix,
    ).values_list("slot__unit__region_id", flat=True)
    guided = DutyLog.objects.filter(status=DutyLog.Status.CONFIRMED, started_at__gte=start, started_at__lt=end,
                                    region__code__within=prefix).values_list("region_id", flat=True)
    held = Competition.objects.filter(games__status=Games.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=end,
                                      site__region__code__within=prefix).values_list("site__region_id", flat=True)
    reached = {code for rows in (booked, guided, held) for code in rows.distinct()}
    counted = subtrees.roll_up(communities, wanted, key=str)
    covered = subtrees.roll_up([code for code in communities if code in reached], wanted, key=str)
    return {code: percent(len(covered[code]), len(counted[code])) for code in wanted}


@indicator("four_inclusions_share", unit="percent", levels=("city", "county"),
           label=_("Divisions with all four inclusions"),
           description=_("Share of the division's child divisions (a city's counties, a county's townships) whose "
                         "government included national fitness, in the year, in all four: its agenda of important "
                         "matters, the annual budget and medium/long-term budget planning, the government work "
                         "report and performance assessment target management (四纳入), each confirmed by the "
                         "level above (a year's records are confirmed once it is over: the date picks the year)."))
def four_inclusions_share(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    """Two queries: the children of the divisions asked for, then the children with four confirmed."""
    children = list(Region.objects.filter(parent_id__in=wanted).values_list("code", "parent_id"))
    complete = set(Inclusion.objects.filter(
        division_code__within=subtrees.covering_prefix(wanted), year=as_of.year, included=True,
        status=Inclusion.Status.CONFIRMED)
        .values_list("division_code").annotate(n=Count("pk")).filter(n=len(Inclusion.Kind)).order_by()
        .values_list("division_code", flat=True))
    counted = {code: [0, 0] for code in wanted}
    for child, parent in children:
        counted[parent][0] += 1
        counted[parent][1] += child in complete
    return {code: percent(met, total) for code, (total, met) in counted.items()}
