"""Demo venue safety for the demo city (G14): safety responsibility records, checks and hazards.

Most open public venues (the government's and communities' sites) have a safety record: the
township's or community's committee as the responsible unit (the county's sports centre for county
venues), its head as the responsible person, a safety officer, an emergency plan filed, a fire
check within the year and public-liability insurance (人保财险, 太平洋财险 policies run a calendar
year). About one in four has no record yet, and of those with one about one in five has a gap (the
insurance lapsed at the new year, a fire check overdue, no safety officer named), so the register's
gaps list and the indicator show a share below 100 %. Written in bulk (thousands of venues).

Each county's staff checked a few of its venues, the government's first, over the past months (routine checks, a
special check before the summer swimming season and the national fitness day, an unannounced
visit), through the safety services: hazards as Liaocheng's checks find them (blocked exits,
extinguishers out of date, loose railings, wiring), most rectified and confirmed (a few late),
some still open and a few overdue; the city stadium's operator (13800000010) has one to report.
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import Membership, Role, User
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.safety import figures, services
from quanmin.safety.models import Hazard, SafetyCheck, VenueSafety

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("建国", "志强", "秀英", "海燕", "立新", "红梅", "建华", "文博", "明", "伟", "静", "磊", "洋", "军", "勇", "艳", "杰",
         "涛", "超", "霞", "平", "刚", "桂英", "玉兰", "德胜", "长青")
HAZARDS = (
    ("安全出口被杂物堵塞", "major"), ("疏散指示标志损坏不亮", "general"), ("灭火器超过检验有效期", "general"),
    ("消防栓箱内水带缺失", "general"), ("看台护栏松动", "major"), ("配电箱未上锁、线路裸露", "major"),
    ("场地照明灯具部分损坏", "general"), ("游泳池救生员配备不足", "major"), ("场地地面破损易绊倒", "general"),
    ("应急照明失效", "general"), ("安全警示标识缺失", "general"), ("私拉电线为电动车充电", "major"),
)
FIXES = ("已清理并划定禁放区", "已更换并登记台账", "已紧固焊接并复查", "已由电工整改并上锁", "已补配到位", "已维修完毕")
NOTES = ("例行检查", "汛期前专项检查", "全民健身日前专项检查", "夏季游泳场所专项检查", "节假日前安全检查")
CHECKS_PER_COUNTY = (4, 8)
BATCH = 2000


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _record(site: Site, rng: random.Random, today: datetime.date) -> VenueSafety:
    county_level = site.region.level == "county"
    unit = site.manager or (f"{site.region.name}体育发展中心" if county_level else f"{site.region.name}委员会")
    year_start = today.replace(month=1, day=1)
    record = VenueSafety(site=site, responsible_unit=unit[:120], responsible_person=_name(rng),
                         safety_officer=_name(rng), emergency_plan_on=today - datetime.timedelta(days=rng.randint(60, 900)),
                         fire_check_on=today - datetime.timedelta(days=rng.randint(5, 300)),
                         insured_until=year_start.replace(year=today.year + 1) - datetime.timedelta(days=1))
    if rng.random() < 0.2:
        gap = rng.choice(("insurance", "fire", "officer", "plan"))
        if gap == "insurance":
            record.insured_until = year_start - datetime.timedelta(days=1)
        elif gap == "fire":
            record.fire_check_on = today - datetime.timedelta(days=rng.randint(380, 700))
        elif gap == "officer":
            record.safety_officer = ""
        else:
            record.emergency_plan_on = None
    return record


def _checks(county: Region, actor, rng: random.Random, today: datetime.date, extra: Site | None) -> None:
    # The government's venues first (stadiums, fitness centres, parks), then communities' squares.
    sites = list(Site.objects.filter(figures.public_q(county.prefix)).select_related("region")
                 .order_by("owner_kind", "pk")[:60])
    chosen = rng.sample(sites, min(len(sites), rng.randint(*CHECKS_PER_COUNTY)))
    if extra is not None and extra not in chosen:
        chosen.append(extra)
    for site in chosen:
        checked_on = today - datetime.timedelta(days=3 if site == extra else rng.randint(3, 200))
        kind = "unannounced" if rng.random() < 0.15 else ("special" if rng.random() < 0.3 else "routine")
        found = rng.sample(HAZARDS, rng.choice((0, 1, 1, 2, 2, 3)) if site != extra else 1)
        check = services.record_check(actor, site, {"kind": kind, "checked_on": checked_on,
                                                    "note": rng.choice(NOTES) if kind == "special" else ""},
                                      [{"description": d, "level": level} for d, level in found])
        for hazard in check.hazards.all():
            if site == extra or (hazard.deadline >= today and rng.random() < 0.5):
                continue  # still to rectify (the stadium's is its operator's to report)
            if hazard.deadline < today and rng.random() < 0.12:
                continue  # overdue
            services.rectify(actor, hazard, {"rectify_note": rng.choice(FIXES)})
            late = rng.random() < 0.15
            span = (hazard.deadline - checked_on).days
            day = hazard.deadline + datetime.timedelta(days=rng.randint(1, 10)) if late else (
                checked_on + datetime.timedelta(days=rng.randint(1, max(1, span))))
            Hazard.objects.filter(pk=hazard.pk).update(rectified_on=min(day, today))
            if rng.random() < 0.9:
                services.confirm(actor, hazard, {"accepted": True})


def load(city: Region, rng: random.Random) -> None:
    if SafetyCheck.objects.filter(site__region__code__within=city.prefix).exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        return
    today = timezone.localdate()
    records = []
    for site in Site.objects.filter(figures.public_q(city.prefix), safety__isnull=True).select_related("region"):
        if rng.random() < 0.75 or site.region.level == "county":
            records.append(_record(site, rng, today))
    VenueSafety.objects.bulk_create(records, batch_size=BATCH)
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    staff = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF, region__in=counties)
             .select_related("user").order_by("pk")}
    operator = User.objects.filter(phone_hash=crypto.lookup_hash("13800000010")).first()
    membership = operator.memberships.filter(role=Role.OPERATOR).first() if operator else None
    stadium = membership.target if membership is not None else None
    for county in counties:
        extra = stadium if stadium is not None and codes.contains(county.code, stadium.region_id) else None
        _checks(county, staff.get(county.code, admin), rng, today, extra)
