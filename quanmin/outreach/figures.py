"""The outreach figures of a division and of each division right below it (the staff figures page
and the API): lectures held this year (and a county's check of the ≥4 norm), their audience, the
"five into" activities and the townships they reached, the units with workplace exercise. A fixed
number of queries whatever the number of divisions."""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Count, Sum

from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .indicators import (
    LECTURE_NORM,
    channel_rows,
    course_rows,
    lecture_rows,
    townships_reached,
    workplace_rows,
    year_so_far,
)
from .models import ArticleStatus, Course, CourseCompletion, Lecture, LectureStatus, SkillActivity


@dataclass
class Row:
    region: str
    region_name: str
    lectures_held: int = 0
    lecture_norm_met: bool | None = None
    audience: int = 0
    activities: int = 0
    activity_participants: int = 0
    townships: int = 0
    townships_reached: int = 0
    workplaces: int = 0
    workplace_staff: int = 0
    workplace_participants: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def rollup(top: Region | None, as_of: datetime.date) -> list[Row]:
    if top is None:
        return []
    regions = [top, *Region.objects.filter(parent=top).order_by("code")]
    wanted = [r.code for r in regions]
    out = {r.code: Row(r.code, r.name) for r in regions}
    for code, n in subtrees.summed(lecture_rows(wanted, as_of), wanted).items():
        out[code].lectures_held = n
    first, end = year_so_far(as_of)
    audience = (Lecture.objects.filter(region__code__within=subtrees.covering_prefix(wanted), starts_at__gte=first,
                                       starts_at__lt=end).exclude(status=LectureStatus.CANCELLED)
                .values_list("region_id").annotate(n=Sum("audience")).order_by())
    for code, n in subtrees.summed(audience, wanted).items():
        out[code].audience = n
    activities = (SkillActivity.objects.filter(region__code__within=subtrees.covering_prefix(wanted),
                                               held_on__gte=as_of.replace(month=1, day=1), held_on__lte=as_of)
                  .values_list("region_id").annotate(n=Count("pk"), people=Sum("participants")).order_by())
    for code, mine in subtrees.roll_up(activities, wanted).items():
        out[code].activities = sum(r[1] for r in mine)
        out[code].activity_participants = sum(r[2] or 0 for r in mine)
    for code, mine in subtrees.roll_up(townships_reached(wanted, as_of).items(), wanted).items():
        out[code].townships = len(mine)
        out[code].townships_reached = sum(1 for _c, yes in mine if yes)
    for code, mine in subtrees.roll_up(workplace_rows(wanted), wanted).items():
        out[code].workplaces = sum(r[1] for r in mine)
        out[code].workplace_staff = sum(r[2] or 0 for r in mine)
        out[code].workplace_participants = sum(r[3] or 0 for r in mine)
    for code, row in out.items():
        if codes.level(code) == "county":
            row.lecture_norm_met = row.lectures_held >= LECTURE_NORM
    return list(out.values())


@dataclass
class OnlineRow:
    region: str
    region_name: str
    channels: int = 0
    new_channels: int = 0
    courses_published: int = 0
    scene_courses: int = 0
    family_courses: int = 0
    live_courses: int = 0
    completions: int = 0
    views: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def online_rollup(top: Region | None, as_of: datetime.date) -> list[OnlineRow]:
    """The online services of a division and of each right below it, in the year of `as_of` up to
    it: channels in service and opened, courses published (scene-based, for families, live), "done"
    marks residents made; page views are those of the published courses so far (a counter, no years)."""
    if top is None:
        return []
    regions = [top, *Region.objects.filter(parent=top).order_by("code")]
    wanted = [r.code for r in regions]
    out = {r.code: OnlineRow(r.code, r.name) for r in regions}
    for code, mine in subtrees.roll_up(channel_rows(wanted, as_of.year), wanted).items():
        out[code].channels = sum(r[1] for r in mine)
        out[code].new_channels = sum(r[2] for r in mine)
    for code, mine in subtrees.roll_up(course_rows(wanted, as_of), wanted).items():
        for n, name in enumerate(("courses_published", "scene_courses", "family_courses", "live_courses"), start=1):
            setattr(out[code], name, sum(r[n] for r in mine))
    first, end = year_so_far(as_of)
    prefix = subtrees.covering_prefix(wanted)
    done = (CourseCompletion.objects.filter(course__region__code__within=prefix, created_at__gte=first,
                                            created_at__lt=end)
            .values_list("course__region_id").annotate(n=Count("pk")).order_by())
    for code, n in subtrees.summed(done, wanted).items():
        out[code].completions = n
    views = (Course.objects.filter(region__code__within=prefix, status=ArticleStatus.PUBLISHED)
             .values_list("region_id").annotate(n=Sum("views")).order_by())
    for code, n in subtrees.summed(views, wanted).items():
        out[code].views = n
    return list(out.values())
