"""Demo instructors' associations (B09, T0-24): the city's social sports instructors' association and
one in every county but the last, so that the gap page and the plan's T0-24 show a county still to
found one. Each enrols about half of the active instructors of its division (the city's: its core
instructors of every county), enrolled by the county's (or the city's) sports bureau over the past
three years.

Its own random stream (seeded by the city), so that adding it changes no other step's draws;
written in bulk with core.bulk, member counts kept as the services keep them.
"""

import datetime
import random

from django.db.models import Count, Q
from django.utils import timezone

from quanmin.core import bulk
from quanmin.organizations import credit
from quanmin.organizations.models import InstructorMember, Organization
from quanmin.people.models import Instructor
from quanmin.regions import codes
from quanmin.regions.models import Region

Org = Organization
SERIAL = 990_000  # credit-code serials of their own, far from the organisations step's
COUNTY_SHARE = 0.5


def _association(region: Region, serial: int, rng: random.Random) -> Org:
    founded = datetime.date(rng.randint(2019, 2023), rng.randint(1, 12), rng.randint(1, 28))
    return Org(name=f"{region.name}社会体育指导员协会", kind=Org.Kind.GROUP_ASSOCIATION, status=Org.Status.REGISTERED,
               review=Org.Review.APPROVED, credit_code=credit.make("1", codes.prefix_at(region.code, "county"), serial),
               region_id=region.code, founded_on=founded, instructor_association=True, decoupled=True,
               governance=True, independent=rng.random() < 0.7, party_branch=True,
               officers=[{"post": "会长", "name": rng.choice("王李张刘陈杨赵") + rng.choice(["建华", "秀兰", "国强", "丽娟"])},
                         {"post": "秘书长", "name": rng.choice("黄周吴徐孙马") + rng.choice(["志刚", "海燕", "晓东"])}],
               join_policy=Org.JoinPolicy.APPROVAL,
               description="由本级注册的社会体育指导员自愿组成，承担指导员培训、技能展示和志愿服务组织工作。")


def load(city: Region, rng: random.Random | None = None) -> dict:
    """The city's association and all counties' but the last (by code); does nothing when any exists."""
    if Org.objects.filter(region__code__within=city.prefix, instructor_association=True).exists():
        return {"associations": 0, "members": 0, "without": []}
    rng = random.Random(f"instructor-associations-{city.code}")
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    founded = [city, *counties[:-1]] if len(counties) > 1 else [city]
    orgs = [_association(region, SERIAL + n, rng) for n, region in enumerate(founded)]
    bulk.insert_rows(orgs, ids=True)
    active = Instructor.objects.filter(status=Instructor.Status.ACTIVE, kind=Instructor.Kind.INSTRUCTOR)
    today = timezone.localdate()
    rows = []
    for org in orgs:
        mine = active.filter(region__code__within=codes.prefix(org.region_id))
        if org.region_id == city.code:
            mine = mine.filter(Q(core=True) | ~Q(grade="third"))
        for pk in mine.order_by("id").values_list("pk", flat=True):
            if org.region_id == city.code or rng.random() < COUNTY_SHARE:
                rows.append({"organization_id": org.pk, "instructor_id": pk, "status": InstructorMember.Status.ACTIVE,
                             "joined_on": today - datetime.timedelta(days=rng.randint(10, 3 * 365)),
                             "created_at": timezone.now()})
    bulk.insert_values(InstructorMember, rows)
    for org in Org.objects.filter(pk__in=[o.pk for o in orgs]).annotate(n=Count("instructor_members")):
        Org.objects.filter(pk=org.pk).update(member_count=org.n)
    return {"associations": len(orgs), "members": len(rows), "without": [c.name for c in counties[len(founded) - 1:]]}
