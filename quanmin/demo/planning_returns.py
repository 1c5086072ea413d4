"""The demo city's county returns (统计监测, seed 004): last year's round, closed, every county's
return accepted (茌平区's after it was returned once for its evidence); and this year's round, open
and past its due day: 东昌府区 accepted, 茌平区 awaiting review, 冠县 returned with a comment, the
others still being filled in and so overdue. Each county's staff fill in their own return (the two
counties of the demo's account list, 李明 and 王芳, and one member of staff for each other county,
not listed)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Membership, Role, User
from quanmin.demo import accounts as accounts_demo
from quanmin.planning.models import ReturnRound
from quanmin.planning.services import returns
from quanmin.regions.models import Region

INDICATORS = ["instructors_per_1000", "community_instructor_share", "area_per_resident", "grounds",
              "participants_per_10000", "organizations_total"]
MANUAL = [{"name": "全民健身工作经费投入（万元）", "unit": "count", "kind": "decimal"},
          {"name": "本年度组织全民健身活动场次", "unit": "count", "kind": "integer"},
          {"name": "已建立全民健身统计监测制度", "unit": "count", "kind": "yes_no"}]
SITUATIONS = [
    "全民健身场地设施总量持续增加，但老城区可用于建设健身设施的土地紧张，部分社区健身场地面积不达标。",
    "社会体育指导员数量达到要求，但农村地区指导员年龄偏大，实际开展指导服务的比例不高。",
    "基层全民健身赛事活动开展较好，经费主要依靠财政投入，社会力量参与不足。",
]
STAFF_PHONES = "1380000050"  # + a digit for the counties without a listed member of staff


def _staff(city) -> dict[str, User]:
    """A county staff member for every county: the listed ones, and one made for each other county."""
    counties = list(Region.objects.filter(parent=city).order_by("code"))
    found = {m.region_id: m.user for m in Membership.objects.filter(role=Role.COUNTY_STAFF,
                                                                     region__in=counties).select_related("user")}
    for n, county in enumerate(counties):
        if county.code not in found:
            user = accounts_demo.account(f"{STAFF_PHONES}{n}", f"{county.name}体育工作人员", region=county)
            accounts.grant_membership(user, Role.COUNTY_STAFF, county)
            found[county.code] = user
    return found


def _fill(ret, user, rng, *, submit: bool, items):
    figures = {}
    for item in items:
        if item.indicator:
            continue
        figures[str(item.pk)] = {"decimal": str(rng.randrange(80, 900)), "integer": str(rng.randrange(20, 160)),
                                 "yes_no": rng.choice(("1", "1", "0"))}[item.kind]
    # Computed figures the registers have none for (a county without the data) are entered too.
    for f in ret.figures.select_related("item"):
        if f.item.indicator and f.computed is None:
            figures[str(f.item_id)] = str(rng.randrange(1, 50))
    returns.save(user, ret, figures=figures, situation=rng.choice(SITUATIONS))
    returns.attach(user, ret, ContentFile(b"%PDF-1.4 demo return", name="统计监测报表.pdf"))
    if submit:
        returns.submit(user, ret)


def load(city, rng):
    if ReturnRound.objects.filter(division_code=city.code).exists():
        return
    reviewer = User.objects.filter(is_superuser=True).first()
    if reviewer is None:
        return
    staff = _staff(city)
    today = timezone.localdate()
    last = today.year - 1
    closed = returns.open_round(
        reviewer, division_code=city.code, title=f"{last}年度全民健身公共服务统计监测",
        period_start=datetime.date(last, 1, 1), period_end=datetime.date(last, 12, 31),
        due_on=datetime.date(today.year, 1, 20), indicator_keys=INDICATORS, manual=MANUAL,
        today=datetime.date(today.year, 1, 5))
    items = list(closed.items.all())
    for ret in closed.returns.order_by("division_code"):
        _fill(ret, staff[ret.division_code], rng, submit=True, items=items)
        if ret.division_name == "茌平区":
            returns.decide(reviewer, ret, decision="returned", comment="请补充全民健身活动场次的佐证材料。")
            returns.submit(staff[ret.division_code], ret)
        returns.decide(reviewer, ret, decision="accepted", comment="数据完整，同意。")
    returns.close(reviewer, closed)

    opened = today - datetime.timedelta(days=20)
    current = returns.open_round(
        reviewer, division_code=city.code, title=f"{opened.year}年全民健身公共服务统计监测（前三季度）",
        period_start=datetime.date(opened.year, 1, 1), period_end=min(datetime.date(opened.year, 9, 30), opened),
        due_on=today - datetime.timedelta(days=3), indicator_keys=INDICATORS, manual=MANUAL, today=opened)
    items = list(current.items.all())
    for ret in current.returns.order_by("division_code"):
        user = staff[ret.division_code]
        if ret.division_name in ("东昌府区", "茌平区", "冠县"):
            _fill(ret, user, rng, submit=True, items=items)
            if ret.division_name == "东昌府区":
                returns.decide(reviewer, ret, decision="accepted", comment="同意。")
            elif ret.division_name == "冠县":
                returns.decide(reviewer, ret, decision="returned",
                               comment="经费投入数据与财政部门口径不一致，请核实后重新报送。")
        elif ret.division_name == "阳谷县":
            _fill(ret, user, rng, submit=False, items=items)
