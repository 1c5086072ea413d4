"""Demo schools and their term returns for the demo city (youth sports in schools, G05/G15).

Each county registers 7 to 12 schools: two or three senior secondary schools of the county seat,
two or three township junior secondary schools, three to five primary schools and a nine-year
school (实验学校) whose grounds are not in the facilities register. Each is linked to the school
grounds the facilities demo made, so whether its grounds are open to the public is what that
register says (about one school in ten is not open yet). Each county's plan names two or three of
its schools for opening their grounds: those not yet open and one that has opened.

Every school reports the last two terms, the later one a little better: 50-75 minutes of activity
a day in school, 35-70 out of school (fewer the older the students), 55-85 % with two or more
sports skills, myopia found in about a third of primary pupils and four in five senior students,
most of them given an exercise intervention. Only a school's totals, never a child's.

Made through the youth services (save_school, save_return) by the county's staff member where the
demo has one, else by the platform administrator: 80 schools and 160 returns for the whole
city in under a second. It runs before the plans, whose targets read its indicators.
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts.models import Membership, Role, User
from quanmin.facilities.models import OpeningRule, Site
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.youth import services
from quanmin.youth.models import School, Term

# stage: (students, minutes in school, minutes out of school, two-skills share, myopia found share)
PROFILE = {
    "primary": ((400, 1600), (60, 75), (50, 70), (0.55, 0.75), (0.28, 0.40)),
    "junior": ((900, 2200), (55, 70), (42, 60), (0.65, 0.85), (0.55, 0.70)),
    "senior": ((1800, 3600), (50, 62), (35, 50), (0.70, 0.85), (0.75, 0.85)),
    "combined": ((1200, 2400), (55, 70), (45, 62), (0.60, 0.80), (0.45, 0.55)),
}
NOTES = ("", "", "", "大课间活动时间延长至30分钟", "新增篮球、跳绳社团", "体育课按课标开足开齐",
         "部分学生因雨雪天气室外活动减少", "与社区共建课后体育服务")


def last_terms(today: datetime.date) -> list[tuple[int, int]]:
    """The two latest terms that have started by `today`, (school year, term), older first."""
    if today >= datetime.date(today.year, 9, 1):
        return [(today.year - 1, Term.SPRING), (today.year, Term.AUTUMN)]
    if today >= datetime.date(today.year, 2, 1):
        return [(today.year - 1, Term.AUTUMN), (today.year - 1, Term.SPRING)]
    return [(today.year - 2, Term.SPRING), (today.year - 1, Term.AUTUMN)]


def _stage(site_name: str) -> str:
    if "小学" in site_name:
        return "primary"
    return "senior" if "第" in site_name else "junior"


def _candidates(county: Region, rng: random.Random) -> list[dict]:
    """The county's schools to register: the facilities demo's school grounds where it made them."""
    sites = list(Site.objects.filter(region__code__within=codes.prefix(county.code), owner_kind=Site.OwnerKind.SCHOOL)
                 .order_by("pk").values_list("pk", "name", "region_id"))
    opened = set(OpeningRule.objects.filter(site_id__in=[s[0] for s in sites], kind=OpeningRule.Kind.SCHOOL,
                                            site__status=Site.Status.OPEN).values_list("site_id", flat=True))
    by_stage = {"primary": [], "junior": [], "senior": []}
    for pk, name, region_code in sites:
        by_stage[_stage(name)].append({"site": pk, "name": name, "region": region_code, "open": pk in opened})
    chosen = (by_stage["senior"][:rng.randint(2, 3)] + rng.sample(by_stage["junior"], min(len(by_stage["junior"]),
                                                                                          rng.randint(2, 3)))
              + rng.sample(by_stage["primary"], min(len(by_stage["primary"]), rng.randint(3, 5))))
    closed = [s for stage in by_stage.values() for s in stage if not s["open"]]
    if closed and all(s["open"] for s in chosen):  # one school the plan still waits for
        chosen.append(rng.choice(closed))
    unique = {}
    for s in chosen:  # a school's name once in its division
        unique.setdefault((s["region"], s["name"]), s)
    chosen = list(unique.values())
    for s in chosen:
        s["stage"] = _stage(s["name"])
    seat = next((s["region"] for s in chosen if s["stage"] == "senior"), county.code)
    chosen.append({"site": None, "name": f"{county.name}实验学校", "region": seat, "open": False, "stage": "combined"})
    if not sites:  # no facilities demo: the register alone, no grounds linked
        chosen += [{"site": None, "name": f"{county.name}第{'一二'[n]}中学", "region": county.code, "open": False,
                    "stage": "senior"} for n in range(2)]
        chosen += [{"site": None, "name": f"{county.name}实验小学", "region": county.code, "open": False,
                    "stage": "primary"}]
    named = [s for s in chosen if s["site"] and not s["open"]][:2]
    named += rng.sample([s for s in chosen if s["open"]], min(1, sum(1 for s in chosen if s["open"])))
    for s in chosen:
        s["named"] = any(s is n for n in named)
    return chosen


def _school(rng: random.Random, stage: str) -> dict:
    """What a school is like, term after term: its usual minutes, skills share and myopia rate."""
    _size, inside, outside, skills, myopia = PROFILE[stage]
    return {"in": rng.randint(inside[0], inside[1] - 3), "out": rng.randint(outside[0], outside[1] - 4),
            "skills": rng.uniform(skills[0], skills[1] - 0.04), "myopia": myopia}


def _figures(rng: random.Random, usual: dict, students: int, better: int) -> dict:
    """One term's totals for a school of `students`; `better` (0 or 1) lifts the later term a little."""
    minutes_in = usual["in"] + better * rng.randint(1, 3)
    minutes_out = usual["out"] + better * rng.randint(1, 4)
    both = max(0.05, min(0.9, 0.5 + 0.03 * (min(minutes_in, minutes_out) - 55) + rng.gauss(0, 0.03)))
    two_plus = usual["skills"] + better * rng.uniform(0.01, 0.04)
    assessed = rng.uniform(max(two_plus, 0.88), 1.0)
    out = {"students": students, "minutes_in_school": minutes_in, "minutes_out_of_school": minutes_out,
           "students_meeting_both": round(students * both), "skills_assessed": round(students * assessed),
           "skills_two_plus": round(students * two_plus), "note": rng.choice(NOTES)}
    for problem, screened, found in (("myopia", (0.95, 1.0), usual["myopia"]), ("obesity", (0.92, 1.0), (0.08, 0.15)),
                                     ("scoliosis", (0.60, 0.95), (0.02, 0.05))):
        n_screened = round(students * rng.uniform(*screened))
        n_found = round(n_screened * rng.uniform(*found))
        share = rng.uniform(0.6, 0.85) + 0.05 * better
        out |= {f"{problem}_screened": n_screened, f"{problem}_found": n_found,
                f"{problem}_intervened": round(n_found * share)}
    return out


def load(city: Region, rng: random.Random) -> None:
    if School.objects.filter(region__code__within=city.prefix).exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if admin is None or not counties:
        return
    staff = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF, region__in=counties)
             .select_related("user").order_by("pk")}
    terms = last_terms(timezone.localdate())
    for county in counties:
        actor = staff.get(county.code, admin)
        for s in _candidates(county, rng):
            students = rng.randint(*PROFILE[s["stage"]][0])
            school = services.save_school(actor, {"region": s["region"], "name": s["name"], "stage": s["stage"],
                                                  "students": students, "site": s["site"],
                                                  "named_for_opening": s["named"]})
            usual = _school(rng, s["stage"])
            for n, (year, term) in enumerate(terms):
                count = students if n == len(terms) - 1 else round(students * rng.uniform(0.97, 1.03))
                services.save_return(actor, school, {"school_year": year, "term": int(term),
                                                     **_figures(rng, usual, count, n)})
