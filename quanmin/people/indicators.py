"""The instructor register's figures as indicators (see quanmin.core.indicators and figures.py):
density per 1,000 and per 10,000 residents (B02), communities with an instructor assigned, with a
stable one, and where one lives (B03), instructors serving disabled people (B13), the
guidance rate (B05), people trained this year (B04), stations (B08), volunteer hours (B07) and core
instructors (B06), and communities with full- or part-time sports staff (organisations' C13: the
staff are this register's administrators and dual-post appointments). A whole city tree in two to three queries each.

What `as_of` means: the guidance rate and the volunteer hours count the 365 days ending on it,
"trained" the calendar year holding it; the register itself (who is active, which stations) is as
it stands when computed, as the facilities register's indicators are.
"""

import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator, percent
from quanmin.regions import subtrees

from .figures import assigned, counts, fitness_stations, serving_disabled, sports_staff
from .models import Instructor, Supplier, Training

EVERY_LEVEL = ("city", "county", "township", "community")


@indicator("instructors_per_1000", unit="per_1000_residents", levels=EVERY_LEVEL,
           label=_("Instructors per 1,000 residents"),
           description=_("Active social sports instructors living in the division per 1,000 resident population."))
def instructors_per_1000(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: c.per_1000 for code, c in counts(codes, as_of).items()}


@indicator("instructors_per_10000", unit="per_10000_residents", levels=EVERY_LEVEL,
           label=_("Instructors per 10,000 residents"),
           description=_("Active social sports instructors living in the division per 10,000 resident population."))
def instructors_per_10000(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: c.per_10000 for code, c in counts(codes, as_of).items()}


@indicator("instructors", unit="count", levels=EVERY_LEVEL, label=_("Active instructors"),
           description=_("Active social sports instructors living in the division."))
def instructors(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.active) for code, c in counts(codes, as_of).items()}


FOUR_TEAMS = (Instructor.Kind.INSTRUCTOR, Instructor.Kind.VOLUNTEER, Instructor.Kind.SCIENTIFIC,
              Instructor.Kind.ADMINISTRATOR)


@indicator("four_teams_present", unit="count", levels=EVERY_LEVEL, label=_("Of the four teams, those present"),
           description=_("How many of the four teams (四支队伍: social sports instructors, fitness volunteers, "
                         "scientific-fitness instructors, grassroots culture-and-sports administrators) have at least "
                         "one active member living in the division, 0 to 4, as the register stands."), dated=False)
def four_teams_present(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = (Instructor.objects.filter(region__code__within=subtrees.covering_prefix(codes),
                                      status=Instructor.Status.ACTIVE, kind__in=FOUR_TEAMS)
            .values_list("region_id", "kind").distinct().order_by())
    return _kinds(rows, codes)


@indicator("supplier_kinds", unit="count", levels=EVERY_LEVEL, label=_("Kinds of supplier in the directory"),
           description=_("How many of the five kinds of the scientific-fitness supplier directory (experts, PE "
                         "teachers, social sports instructors, sports organisations, fitness companies) have at least "
                         "one listed supplier in the division, 0 to 5, as the directory stands."), dated=False)
def supplier_kinds(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = (Supplier.objects.filter(region__code__within=subtrees.covering_prefix(codes), active=True)
            .values_list("region_id", "kind").distinct().order_by())
    return _kinds(rows, codes)


def _kinds(rows, codes: list[str]) -> dict[str, Decimal | None]:
    """{code: how many distinct kinds the (division, kind) rows of its subtree hold}."""
    return {code: decimal(len({kind for _code, kind in mine})) for code, mine in subtrees.roll_up(rows, codes).items()}


@indicator("community_instructor_share", unit="percent", levels=("city", "county", "township"),
           label=_("Communities where an instructor lives"),
           description=_("Share of communities and villages where at least one active instructor lives (their "
                         "home division), whether or not one is assigned there."))
def community_instructor_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: c.coverage for code, c in counts(codes, as_of).items()}


@indicator("community_instructor_assigned_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Communities with an instructor assigned"),
           description=_("Share of communities and villages with an instructor assigned on the day (配备): an "
                         "instructor post in force there, or a station there with an active instructor on duty "
                         "(for one community: 100 or 0)."))
def community_instructor_assigned_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(have, of) for code, (have, _stable, of) in assigned(codes, as_of).items()}


@indicator("community_stable_instructor_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Communities with a stable instructor"),
           description=_("Share of communities and villages with a relatively stable instructor (相对稳定) on the day: "
                         "an instructor post there held for at least 12 months (for one community: 100 or 0)."))
def community_stable_instructor_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: percent(stable, of) for code, (_have, stable, of) in assigned(codes, as_of).items()}


@indicator("instructors_serving_disabled", unit="count", levels=EVERY_LEVEL,
           label=_("Instructors serving disabled people"),
           description=_("Active instructors living in the division who serve disabled people (为残疾人服务)."))
def instructors_serving_disabled(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, (n, _trained) in serving_disabled(codes, as_of).items()}


@indicator("guidance_rate", unit="percent", levels=EVERY_LEVEL, label=_("Guidance rate"),
           description=_("Active instructors with at least one confirmed service in the 365 days up to the date, "
                         "divided by the active instructors (指导率)."))
def guidance_rate(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: c.guidance_rate for code, c in counts(codes, as_of).items()}


@indicator("instructors_trained", unit="count", levels=EVERY_LEVEL, label=_("Instructors trained this year"),
           description=_("People living in the division who passed a training course that ended in the year."))
def instructors_trained(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.trained) for code, c in counts(codes, as_of, trained=True).items()}


@indicator("guidance_stations", unit="count", levels=EVERY_LEVEL, label=_("Guidance stations"),
           description=_("Active guidance stations and fitness points in the division."))
def guidance_stations(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.stations) for code, c in counts(codes, as_of, stations=True).items()}


@indicator("fitness_stations", unit="count", levels=EVERY_LEVEL, label=_("Fitness stations (one register)"),
           description=_("Fitness stations and points (健身站（点）) in the division, each counted once: active "
                         "guidance stations and fitness points of the instructor register, and the fitness teams "
                         "and stations of the organisations' register that no such station is linked to."))
def fitness_stations_indicator(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(n) for code, n in fitness_stations(codes).items()}


@indicator("volunteer_hours", unit="hours", levels=EVERY_LEVEL, label=_("Volunteer service hours"),
           description=_("Hours of confirmed volunteer services that took place in the division in the 365 days up "
                         "to the date."))
def volunteer_hours(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: c.hours for code, c in counts(codes, as_of, hours=True).items()}


@indicator("core_instructors", unit="count", levels=EVERY_LEVEL, label=_("Core instructors"),
           description=_("Active instructors of the core team (骨干) living in the division."))
def core_instructors(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return {code: decimal(c.core) for code, c in counts(codes, as_of).items()}


@indicator("community_sports_staff_share", unit="percent", levels=EVERY_LEVEL,
           label=_("Communities with sports staff"),
           description=_("Share of communities and villages with full- or part-time sports staff on the day: an "
                         "appointed grassroots sports committee member or instructor post, or a grassroots "
                         "culture-and-sports administrator living there (for one community: 100 or 0)."))
def community_sports_staff_share(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    found = sports_staff(codes, as_of)
    return {code: percent(have, of) for code, (have, of) in found.items()}


@indicator("special_training_classes", unit="count", levels=EVERY_LEVEL,
           label=_("Special training classes this year"),
           description=_("Special training classes for social sports instructors (专项培训班) held in the division "
                         "and starting in the year."))
def special_training_classes(codes: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    rows = list(Training.objects.filter(kind=Training.Kind.SPECIAL, region__code__within=subtrees.covering_prefix(codes),
                                        starts_on__year=as_of.year, starts_on__lte=as_of)
                .values_list("region_id").annotate(n=Count("pk")).order_by())
    return {code: decimal(n) for code, n in subtrees.summed(rows, codes).items()}
