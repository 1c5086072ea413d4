"""The youth indicators (see quanmin.core.indicators), each over a division's subtree.

The first four read each school's latest term return in the 365 days up to `as_of` (figures.py):

- student_daily_pe_hours: the lesser of the students' average daily hours of physical activity in
  school and out of school (seeds 000/001/003 「保障学生每天校内、校外各1小时体育活动时间」: one hour
  each, so the target is met when the lesser of the two reaches 1);
- students_pe_both_hours_share: the share of students the schools count as having both hours;
- students_two_skills_share: the share of students who have mastered two or more sports skills
  (seed 001 「帮助青少年掌握2项以上运动技能」), over all students, so that a student not yet assessed
  does not count as having them;
- youth_intervention_share: of the students found with myopia, obesity or scoliosis, the share given
  an exercise intervention (seed 001 「近视、肥胖、脊柱侧弯等突出问题」).

The last two read the register as it stands (dated=False): school_grounds_open counts the active
schools whose grounds are open to the public, and school_grounds_open_share is their share of the
active schools (seed 002's three named schools, seed 001 「在课余时间和节假日向社会开放」).
None when nothing was reported (no students, no school). Two queries per call at most.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo

from . import figures

LEVELS = ("city", "county", "township")


def _returns(codes_: list[str], as_of: datetime.date) -> dict:
    return memo(("youth.returns", tuple(codes_), as_of), lambda: figures.returns_totals(codes_, as_of))


def _opening(codes_: list[str]) -> dict:
    return memo(("youth.opening", tuple(codes_)), lambda: figures.opening_totals(codes_))


def _each(found: dict, read) -> dict[str, Decimal | None]:
    return {code: read(totals) for code, totals in found.items()}


@indicator("student_daily_pe_hours", unit="hours", levels=LEVELS,
           label=_("Students' daily hours of physical activity (the lesser of in and out of school)"),
           description=_("From the schools' latest term returns: the students' average daily hours of physical "
                         "activity in school and out of school, weighted by students; the lesser of the two, so "
                         "that 1 means one hour in school and one out of school (校内、校外各1小时)."))
def student_daily_pe_hours(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_returns(codes_, as_of), lambda t: t.hours_lesser)


@indicator("students_pe_both_hours_share", unit="percent", levels=LEVELS,
           label=_("Students with one hour in and one hour out of school"),
           description=_("From the schools' latest term returns: the share of students who have one hour of "
                         "physical activity in school and one out of school every day."))
def students_pe_both_hours_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_returns(codes_, as_of), lambda t: t.both_share)


@indicator("students_two_skills_share", unit="percent", levels=LEVELS,
           label=_("Students who have mastered two or more sports skills"),
           description=_("From the schools' latest term returns: students assessed as having mastered two or more "
                         "sports skills, as a share of all their students (掌握2项以上运动技能)."))
def students_two_skills_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_returns(codes_, as_of), lambda t: t.skills_share)


@indicator("youth_intervention_share", unit="percent", levels=LEVELS,
           label=_("Students with myopia, obesity or scoliosis given an exercise intervention"),
           description=_("From the schools' latest term returns: of the students found with myopia, obesity or "
                         "scoliosis at screening, the share given an exercise intervention (体育干预)."))
def youth_intervention_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_returns(codes_, as_of), lambda t: t.intervened_share())


@indicator("school_grounds_open", unit="count", levels=LEVELS, dated=False,
           label=_("Schools whose grounds are open to the public"),
           description=_("Active schools of the register whose grounds, in the facilities register, are open and "
                         "have hours open to the public (学校体育场地开放)."))
def school_grounds_open(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_opening(codes_), lambda t: Decimal(t.grounds_open))


@indicator("school_grounds_open_share", unit="percent", levels=LEVELS, dated=False,
           label=_("Share of schools whose grounds are open to the public"),
           description=_("Of the active schools of the register, the share whose grounds are open and have hours "
                         "open to the public."))
def school_grounds_open_share(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _each(_opening(codes_), lambda t: t.open_share)
