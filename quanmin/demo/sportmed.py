"""Demo sport–medicine integration (体医融合) for the demo city: the prescription library, a few sites a
county, their exercise-prescription practitioners and ~20 referrals of demo residents in every state.

The three pilot projects the Liaocheng plan names (T0-27, 「打造慢性病人群运动推广与处方库建设（东昌府区）、
健身气功与康养结合（高新区）、体医康复中心（冠县）」) are carried by sites of those places when the
counties exist; 高新区 is a functional zone, not a division, so its site sits in 东昌府区, where the zone
lies. Everything goes through the services (sportmed.py), a few dozen rows: cheap.
"""

from __future__ import annotations

import random

from quanmin.accounts.models import User
from quanmin.physique import sportmed
from quanmin.physique.models import Condition, HealthSite, Practitioner, PrescriptionTemplate, Referral
from quanmin.regions import codes
from quanmin.regions.models import Region

from .accounts import make_id_number

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN = "伟芳娜英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红鹏飞建国志海燕春梅晓东文博"
PILOTS = {
    "东昌府区": ("聊城市人民医院运动健康促进中心", HealthSite.Kind.HOSPITAL_CENTRE, "聊城市人民医院",
             "慢性病人群运动推广与处方库建设"),
    "冠县": ("冠县体医康复中心", HealthSite.Kind.REHAB_CENTRE, "冠县人民医院", "体医康复中心"),
}
HIGH_TECH = ("高新区健身气功康养运动健康促进站", HealthSite.Kind.COMMUNITY_STATION, "高新区社区卫生服务中心",
             "健身气功与康养结合")
PROFESSIONS = [Practitioner.Profession.DOCTOR, Practitioner.Profession.REHAB, Practitioner.Profession.NURSE,
               Practitioner.Profession.FITNESS]
REFERRERS = {Referral.Source.CHECKUP: "{county}人民医院健康体检中心", Referral.Source.CLINIC: "{county}慢病门诊"}
DECLINE_REASONS = ["本站暂无该病种的运动处方师，请转至县级运动健康促进中心", "血压控制未达标，请先到门诊调整用药"]
ADVICE = ["从每周3次、每次20分钟开始，两周后逐步增加；运动前后各测一次血压。",
          "运动前后测血糖，随身携带糖块；避免空腹运动。",
          "以快走和游泳为主，每周至少150分钟；注意膝关节，避免跳跃。"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _sites(city: Region, by, rng: random.Random) -> list[HealthSite]:
    sites = []
    counties = list(Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("code"))
    for county in counties:
        township = Region.objects.filter(parent=county).order_by("code").first()
        rows = [(county, f"{county.name}国民体质监测与健身指导服务站", HealthSite.Kind.MONITORING_STATION,
                 f"{county.name}体育事业发展中心", "")]
        if county.name in PILOTS:
            name, kind, institution, pilot = PILOTS[county.name]
            rows.append((county, name, kind, institution, pilot))
        else:
            rows.append((county, f"{county.name}人民医院运动健康促进中心", HealthSite.Kind.HOSPITAL_CENTRE,
                         f"{county.name}人民医院", ""))
        if township:
            rows.append((township, f"{township.name}社区运动健康促进站", HealthSite.Kind.COMMUNITY_STATION,
                         f"{township.name}社区卫生服务中心", ""))
        if county.name == "东昌府区":
            name, kind, institution, pilot = HIGH_TECH
            rows.append((township or county, name, kind, institution, pilot))
        for region, name, kind, institution, pilot in rows:
            sites.append(sportmed.save_site({"name": name, "kind": kind, "institution": institution,
                                             "address": f"{region.name}", "phone": f"0635-{rng.randint(2000000, 8999999)}",
                                             "pilot": pilot}, region=region, by=by))
    return sites


def _practitioners(sites: list[HealthSite], by, rng: random.Random) -> dict[int, list[Practitioner]]:
    out: dict[int, list[Practitioner]] = {}
    n = 0
    for site in sites:
        many = 3 if site.kind in (HealthSite.Kind.HOSPITAL_CENTRE, HealthSite.Kind.REHAB_CENTRE) else rng.randint(1, 2)
        for _i in range(many):
            n += 1
            male = rng.random() < 0.5
            birth = f"{rng.randint(1965, 1996)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            data = {"real_name": _name(rng), "id_number": make_id_number(site.region_id, birth, 300 + n, male),
                    "phone": f"136{35000000 + n:08d}", "profession": PROFESSIONS[n % len(PROFESSIONS)],
                    "certificate_no": f"YDCF-2023-{n:04d}", "site": site}
            out.setdefault(site.pk, []).append(sportmed.register_practitioner(data, region=site.region, by=by))
    return out


def load(city: Region, rng: random.Random, *, referrals: int = 20) -> dict:
    """Templates, sites, practitioners and referrals; returns the counts."""
    templates = sportmed.load_templates()
    by = User.objects.filter(is_superuser=True).order_by("pk").first()
    sites = _sites(city, by, rng)
    staff = _practitioners(sites, by, rng)
    by_condition = {t.condition: t for t in PrescriptionTemplate.objects.filter(active=True).order_by("key")}
    conditions = [c for c in Condition.values if c in by_condition]
    residents = [u for u in User.objects.filter(is_staff=False, memberships__isnull=True, home_region__isnull=False)
                 .exclude(id_number_enc="").select_related("home_region").order_by("pk")[:200]]
    first = [u for u in residents if u.real_name == "赵丽"]
    chosen = first + rng.sample([u for u in residents if u not in first], min(referrals, len(residents)) - len(first))
    states = ["prescribed", "referred", "accepted", "prescribed", "declined", "referred", "prescribed", "accepted"]
    made = 0
    for i, user in enumerate(chosen):
        county = codes.prefix_at(user.home_region.code, "county")
        near = [s for s in sites if codes.in_subtree(s.region_id, county) and staff.get(s.pk)] or \
            [s for s in sites if staff.get(s.pk)]
        site = near[i % len(near)]
        source = rng.choice(list(Referral.Source.values))
        condition = conditions[i % len(conditions)]
        referral = sportmed.refer(site, {"real_name": user.real_name, "id_number": user.id_number, "source": source,
                                         "referrer": REFERRERS[source].format(county=site.region.name),
                                         "condition": condition, "note": "体检发现，建议运动干预"}, by=by)
        state = states[i % len(states)]
        if state == "declined":
            sportmed.decline(referral, by=by, reason=rng.choice(DECLINE_REASONS))
        elif state in ("accepted", "prescribed"):
            referral = sportmed.accept(referral, by=by)
            if state == "prescribed":
                sportmed.prescribe(referral, practitioner=staff[site.pk][0], template=by_condition[condition],
                                   advice=ADVICE[i % len(ADVICE)], by=by)
        made += 1
    return {"templates": templates, "sites": len(sites), "practitioners": sum(len(v) for v in staff.values()),
            "referrals": made}
