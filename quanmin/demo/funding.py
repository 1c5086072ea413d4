"""Demo funding for the demo city: three years of the sports-lottery public-welfare fund per
county and for the city itself, the share spent on national fitness rising a few points a year as
the plan asks (about 55 % to 65 %), and three to five funded projects per county and year (a
fitness path renewed, a multi-use court built, the county games, an instructors' course, a smart
trail), paid for by central support, city and county matching, department funds, the lottery fund
and a growing part of company donations, residents' own funds and sponsorship. This year's projects
are partly paid so far. Made through the services, as staff would enter them.
"""

import random
from decimal import Decimal

from django.utils import timezone

from quanmin.accounts.models import User
from quanmin.facilities.models import Site
from quanmin.funding import services
from quanmin.regions import codes
from quanmin.regions.models import Region

# (title pattern, what it builds, budget line, typical cost in yuan, names a site)
PROJECTS = (
    ("{town}全民健身路径更新", "更新室外健身器材 12 件，铺设安全地垫", "equipment", 160_000, True),
    ("{town}多功能运动场建设", "新建笼式多功能运动场 1 片（篮球、足球、排球）", "grounds", 620_000, True),
    ("{county}第{n}届全民健身运动会", "10 个比赛项目、约 3000 人参赛的县级综合运动会", "events", 280_000, False),
    ("{county}社会体育指导员培训班", "二级社会体育指导员培训 2 期，每期 80 人", "training", 60_000, False),
    ("{town}智慧健身步道", "3 公里智慧步道：人脸识别计时、运动数据屏", "smart", 450_000, True),
)
# Public sources' usual split; the social part (donations, own funds, sponsorship) grows each year.
PUBLIC = (("central", 0.30), ("matching", 0.38), ("department", 0.12), ("lottery", 0.20))
SOCIAL = (("donation", 0.5), ("own_funds", 0.3), ("sponsorship", 0.2))


def _yuan(value: float) -> Decimal:
    return Decimal(int(round(value / 100.0)) * 100)


def _split(total: Decimal, parts, rng) -> dict[str, Decimal]:
    weights = [(key, share * rng.uniform(0.8, 1.2)) for key, share in parts]
    whole = sum(w for _k, w in weights)
    out, left = {}, total
    for key, w in weights[:-1]:
        out[key] = min(left, _yuan(float(total) * w / whole))
        left -= out[key]
    out[weights[-1][0]] = left
    return out


def _project(actor, county, year, index, rng, towns, sites, age):
    pattern, builds, line, cost, with_site = PROJECTS[index]
    town = rng.choice(towns) if towns else county
    planned = _yuan(cost * rng.uniform(0.8, 1.3))
    social_share = 0.06 + 0.04 * (2 - age) + rng.uniform(-0.02, 0.03)  # about 6 %, 10 %, 14 %
    social = _yuan(float(planned) * social_share)
    plan = {**_split(planned - social, PUBLIC, rng), **_split(social, SOCIAL, rng)}
    paid = rng.uniform(0.9, 1.02) if age else rng.uniform(0.3, 0.7)  # this year's are under way
    amounts = [{"kind": "source", "item": k, "planned": v, "actual": min(v * 2, _yuan(float(v) * paid))}
               for k, v in plan.items() if v]
    spent = sum(a["actual"] for a in amounts)
    lines = {line: (planned, spent)}
    if line in ("grounds", "smart"):  # building also buys equipment
        part = _yuan(float(planned) * 0.25)
        lines = {line: (planned - part, spent - _yuan(float(spent) * 0.25)), "equipment": (part, _yuan(float(spent) * 0.25))}
    amounts += [{"kind": "line", "item": k, "planned": p, "actual": a} for k, (p, a) in lines.items()]
    site = rng.choice(sites) if with_site and sites else None
    services.save_project(actor, {
        "region": county.code, "year": year, "builds": builds, "site": site.pk if site else None,
        "title": pattern.format(town=town.name, county=county.name, n=year - 2010), "amounts": amounts})


def load(city: Region, rng: random.Random) -> None:
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if not counties or actor is None:
        return
    this_year = timezone.localdate().year
    for age, year in ((2, this_year - 2), (1, this_year - 1), (0, this_year)):
        share = 0.55 + 0.05 * (2 - age)
        for division in [city, *counties]:
            received = _yuan((18_000_000 if division == city else rng.uniform(3_000_000, 9_000_000)) * (1 + 0.04 * (2 - age)))
            fitness = min(received, _yuan(float(received) * (share + rng.uniform(-0.03, 0.03))))
            services.save_lottery_fund(actor, {"region": division.code, "year": year, "received": received,
                                               "fitness": fitness, "note": "" if age else "截至本月留存"})
        for county in counties:
            towns = list(Region.objects.filter(parent=county).order_by("code")[:12])
            sites = list(Site.objects.filter(region__code__within=codes.prefix(county.code)).order_by("pk")[:40])
            for index in sorted(rng.sample(range(len(PROJECTS)), rng.randint(3, 5))):
                _project(actor, county, year, index, rng, towns, sites, age)
