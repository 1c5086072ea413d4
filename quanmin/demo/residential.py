"""Demo residential projects for the demo city (new residential areas' fitness facilities, G11).

Each county registers three to six residential projects in its townships, approved from 2021 on
(one still being planned, with no approval yet), named as Liaocheng's estates are (…花园, …府,
…学府, …新城), each by a local developer, of 1,200 to 9,000 planned residents (about 2.8 to a
household). Most provide the norm (0.1 m² indoor sports building area or 0.3 m² outdoor sports
land per resident) by one side or the other; about one in five falls short on both, and one of
those in the city was accepted all the same with a reason on record, so the figures page and the
indicator show a share below 100 %.

Made through the residential services (save_project, accept) by the county's staff member where
the demo has one, else by the platform administrator.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from quanmin.accounts.models import Membership, Role, User
from quanmin.regions.models import Region
from quanmin.residential import services
from quanmin.residential.models import ResidentialProject

NAMES = ("锦绣花园", "东昌府", "运河学府", "水城新苑", "金柱华府", "鲁西新城", "凤凰嘉园", "徒骇河畔", "天润名居", "泰和家园",
         "文轩学府", "香江华庭")
DEVELOPERS = ("聊城安居置业有限公司", "聊城市城投房地产开发有限公司", "山东鲁西置业有限公司", "聊城金柱房地产开发有限公司",
              "东昌府区城市建设投资有限公司", "聊城市水城置业有限公司")
REASONS = ("小区用地受限，已在相邻社区公园配建健身步道及多功能运动场", "项目早于配建要求立项，物业用房已改设健身室并纳入整改台账")
CENT = Decimal("0.01")


def _area(residents: int, per: float) -> str:
    return str((Decimal(residents) * Decimal(str(round(per, 3)))).quantize(CENT))


def _project(rng: random.Random, township: Region, n: int, today: datetime.date) -> dict:
    residents = rng.randrange(1200, 9000, 10)
    short = rng.random() < 0.2
    indoor = rng.uniform(0.04, 0.095) if short else rng.choice((rng.uniform(0.1, 0.16), rng.uniform(0.03, 0.09)))
    outdoor = rng.uniform(0.12, 0.29) if short or indoor >= 0.1 else rng.uniform(0.3, 0.45)
    stage = rng.choices(("planning", "approved", "built", "accepted"), (1, 3, 3, 4))[0]
    approved = datetime.date(rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28))
    completed = min(approved + datetime.timedelta(days=rng.randint(540, 900)), today - datetime.timedelta(days=60))
    if stage in ("built", "accepted") and completed <= approved:
        stage = "approved"
    return {"region": township.code, "name": f"{township.name.removesuffix('街道').removesuffix('镇')}{NAMES[n % len(NAMES)]}",
            "developer": rng.choice(DEVELOPERS), "residents": residents, "households": round(residents / 2.8),
            "indoor_area": _area(residents, indoor), "outdoor_area": _area(residents, outdoor),
            "status": "built" if stage == "accepted" else stage,
            "approved_on": "" if stage == "planning" else approved.isoformat(),
            "completed_on": completed.isoformat() if stage in ("built", "accepted") else "",
            "accept": stage == "accepted", "accepted_on": completed + datetime.timedelta(days=rng.randint(20, 50))}


def load(city: Region, rng: random.Random) -> None:
    if ResidentialProject.objects.filter(region__code__within=city.prefix).exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if admin is None or not counties:
        return
    staff = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF, region__in=counties)
             .select_related("user").order_by("pk")}
    today = timezone.localdate()
    reasons = list(REASONS)
    n = 0
    for county in counties:
        actor = staff.get(county.code, admin)
        townships = list(Region.objects.filter(parent=county, level="township").order_by("code")) or [county]
        for township in rng.sample(townships, min(len(townships), rng.randint(3, 6))):
            data = _project(rng, township, n, today)
            n += 1
            project = services.save_project(actor, data)
            if not data["accept"]:
                continue
            accepted_on = min(data["accepted_on"], today)
            if project.compliant:
                services.accept(actor, project, {"accepted_on": accepted_on})
            elif reasons:
                services.accept(actor, project, {"accepted_on": accepted_on, "reason": reasons.pop(0)})
