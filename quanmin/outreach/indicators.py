"""The outreach indicators (see quanmin.core.indicators), each over a division's subtree.

- lectures_held: fitness-and-health lectures held in the calendar year of `as_of`, up to that day:
  those not cancelled that started by the day's end (seed 002 「每年举办不少于4期全民健身和全民健康讲座」,
  target T2-10). Whether the audience was recorded does not matter: a lecture is held or cancelled.
- counties_meeting_lecture_norm: of the counties (districts) in the division, the share that held
  at least LECTURE_NORM (4) lectures in the year so far; a county asked for itself is 100 or 0.
- five_into_township_share: of the townships (streets) in the division, the share reached by at
  least one "five into" activity in the year so far (one in a township or in one of its
  communities; seed 000 「全民健身技能入户“五进”活动」).
- workplaces_with_exercise / workplace_exercise_share: the active units running workplace exercise
  and, of their staff, the share taking part (seed 001 「倡导工间健身操」). The register keeps no
  history: dated=False.

None when there is nothing to divide by. Two queries per call at most.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, local_span, percent
from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import (
    ArticleStatus,
    Channel,
    Course,
    CourseAudience,
    CourseKind,
    Lecture,
    LectureStatus,
    Scene,
    SkillActivity,
    Workplace,
)

LEVELS = ("city", "county", "township")
LECTURE_NORM = 4


def year_so_far(as_of: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January 00:00, the day after `as_of` 00:00) in the city's zone."""
    return local_span(as_of.replace(month=1, day=1), as_of)


def lecture_rows(wanted: list[str], as_of: datetime.date) -> list[tuple[str, int]]:
    """(division code, lectures held) of the year so far, one row per division holding any."""
    first, end = year_so_far(as_of)
    return list(Lecture.objects.filter(region__code__within=subtrees.covering_prefix(wanted), starts_at__gte=first,
                                       starts_at__lt=end).exclude(status=LectureStatus.CANCELLED)
                .values_list("region_id").annotate(n=Count("pk")).order_by())


def lectures_by_county(wanted: list[str], as_of: datetime.date) -> dict[str, int]:
    """{county code: lectures held in the year so far} for every county in the divisions asked for
    (those with none too), the county's own lectures and those of its townships and communities."""
    counties = {c: 0 for c in _units(wanted, "county")}
    for code, n in lecture_rows(wanted, as_of):
        if codes.level(code) not in ("province", "city"):
            county = codes.ancestor_at(code, "county")
            if county in counties:
                counties[county] += n
    return counties


def _units(wanted: list[str], level: str) -> list[str]:
    """The divisions at `level` in the subtrees asked for."""
    return list(Region.objects.filter(code__within=subtrees.covering_prefix(wanted), level=level)
                .values_list("code", flat=True))


def _shares(units: dict[str, bool], wanted: list[str]) -> dict[str, Decimal | None]:
    found = subtrees.roll_up(units.items(), wanted)
    return {code: percent(sum(1 for _c, yes in rows if yes), len(rows)) for code, rows in found.items()}


@indicator("lectures_held", unit="count", levels=LEVELS, label=_("Fitness and health lectures held this year"),
           description=_("Lectures on national fitness and health (全民健身和全民健康讲座) held in the year so far by "
                         "the division and the divisions in it: not cancelled, started by the day."))
def lectures_held(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(lecture_rows(wanted, as_of), wanted).items()}


@indicator("counties_meeting_lecture_norm", unit="percent", levels=("city", "county"),
           label=_("Counties holding at least four lectures this year"),
           description=_("Of the counties (districts) in the division, the share that held at least four fitness and "
                         "health lectures in the year so far (每年举办不少于4期)."))
def counties_meeting_lecture_norm(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    counts = lectures_by_county(wanted, as_of)
    return _shares({c: n >= LECTURE_NORM for c, n in counts.items()}, wanted)


def townships_reached(wanted: list[str], as_of: datetime.date) -> dict[str, bool]:
    """{township code: reached by a "five into" activity in the year so far} for every township asked."""
    townships = {t: False for t in _units(wanted, "township")}
    held = (SkillActivity.objects.filter(region__code__within=subtrees.covering_prefix(wanted),
                                         held_on__gte=as_of.replace(month=1, day=1), held_on__lte=as_of)
            .values_list("region_id", flat=True).distinct())
    for code in held:
        if codes.level(code) in ("township", "community"):
            township = codes.ancestor_at(code, "township")
            if township in townships:
                townships[township] = True
    return townships


@indicator("five_into_township_share", unit="percent", levels=LEVELS,
           label=_("Townships reached by \"five into\" activities this year"),
           description=_("Of the townships (streets) in the division, the share where at least one \"five into\" "
                         "fitness-skills activity (进机关、进社区、进镇村、进学校、进企业) was held in the year so far, "
                         "in the township or one of its communities."))
def five_into_township_share(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _shares(townships_reached(wanted, as_of), wanted)


def workplace_rows(wanted: list[str]) -> list[tuple[str, int, int, int]]:
    return list(Workplace.objects.filter(region__code__within=subtrees.covering_prefix(wanted), active=True)
                .values_list("region_id").annotate(n=Count("pk"), staff=Sum("headcount"), doing=Sum("participants"))
                .order_by())


@indicator("workplaces_with_exercise", unit="count", levels=LEVELS, dated=False,
           label=_("Units running workplace exercise"),
           description=_("Units (offices, enterprises, institutions) of the division registered as running workplace "
                         "exercise (工间健身操)."))
def workplaces_with_exercise(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(workplace_rows(wanted), wanted).items()}


@indicator("workplace_exercise_share", unit="percent", levels=LEVELS, dated=False,
           label=_("Staff taking part in workplace exercise"),
           description=_("Of the staff of the units registered as running workplace exercise, the share taking part."))
def workplace_exercise_share(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = subtrees.roll_up(workplace_rows(wanted), wanted)
    return {code: percent(sum(r[3] for r in mine), sum(r[2] for r in mine)) for code, mine in rows.items()}


# ---------------------------------------------------------------- online fitness services (F11)
#
# Seed 003 task row 8 「拓展全民健身服务线上供给渠道」 (每年): the channels in service and the new ones
# of each year. The plan gives no figure for the row, so no target binds to these: planning shows
# them beside the task. A channel's years are kept, so both are dated by the year of `as_of`.


def channel_rows(wanted: list[str], year: int) -> list[tuple[str, int, int]]:
    """(division code, channels in service in `year`, of them opened in `year`), one row per division."""
    return list(Channel.objects.filter(Q(closed_year__isnull=True) | Q(closed_year__gt=year),
                                       region__code__within=subtrees.covering_prefix(wanted), opened_year__lte=year)
                .values_list("region_id").annotate(n=Count("pk"), new=Count("pk", filter=Q(opened_year=year)))
                .order_by())


@indicator("online_channels", unit="count", levels=LEVELS, label=_("Online service channels in service"),
           description=_("Online channels through which the division and the divisions in it serve residents "
                         "(the platform, WeChat official accounts, mini-programs, video accounts, apps, live-stream "
                         "rooms…) in service in the year: opened by then and not closed (拓展全民健身服务线上供给渠道)."))
def online_channels(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(channel_rows(wanted, as_of.year), wanted).items()}


@indicator("new_online_channels", unit="count", levels=LEVELS, label=_("Online service channels opened this year"),
           description=_("Online service channels the division and the divisions in it opened in the year of the "
                         "date (拓展全民健身服务线上供给渠道, every year)."))
def new_online_channels(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = channel_rows(wanted, as_of.year)
    return {code: decimal(n) for code, n in subtrees.summed(rows, wanted, column=2).items()}


def course_rows(wanted: list[str], as_of: datetime.date):
    """(division code, courses published in the year so far, of them scene-based, for families, live),
    of the courses published now."""
    first, end = year_so_far(as_of)
    return list(Course.objects.filter(region__code__within=subtrees.covering_prefix(wanted),
                                      status=ArticleStatus.PUBLISHED, published_at__gte=first, published_at__lt=end)
                .values_list("region_id")
                .annotate(n=Count("pk"), scene=Count("pk", filter=~Q(scene=Scene.ANY)),
                          family=Count("pk", filter=Q(audience=CourseAudience.FAMILY)),
                          live=Count("pk", filter=Q(kind=CourseKind.LIVE)))
                .order_by())


@indicator("online_courses_published", unit="count", levels=LEVELS, label=_("Online fitness courses published this year"),
           description=_("Online fitness courses (cloud fitness 云健身: videos and live classes, scene-based and "
                         "parent-child among them) published in the year so far by the division and the divisions in "
                         "it, and still published."))
def online_courses_published(wanted: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in subtrees.summed(course_rows(wanted, as_of), wanted).items()}
