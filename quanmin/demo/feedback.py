"""The demo city's report settings and residents' reports (投诉举报), for the upkeep simulation
(maintenance.py).

Report settings: the city's 12345 hotline, and each county's own number and deadlines. Reports in
every county: broken machines by their QR tag, grounds, litter, lights, opening hours; answered,
escalated when late, sent for repair, not accepted, resolved, rated. Reporters are anonymous (a
phone number) except two reports by the demo resident. Each report draws from its own random
stream and its times hang on today's date, so that the same seed gives the same reports; every step
goes through the feedback services at its time (`now=`).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from quanmin.accounts.models import User
from quanmin.facilities import equipment_types
from quanmin.feedback import routing
from quanmin.feedback import services as feedback
from quanmin.maintenance import services as maintenance
from quanmin.maintenance.models import WorkOrder
from quanmin.regions import codes

from .upkeep import RESIDENT_PHONE, OrderPlan, ReportPlan, S, Simulation, aware, hours, image, weighted
from .work_orders import apply, lifecycle

REPORTS = 110  # at most, over the half year: about one a year for every 150 pieces
UNANSWERED = 100000  # the numbers of the reports still waiting for an answer
RESIDENT = 200000  # and of the demo resident's two
CATEGORY_WEIGHTS = [("equipment", 50), ("facility", 12), ("hygiene", 10), ("lighting", 10), ("opening", 8),
                    ("service", 4), ("other", 6)]
EQUIPMENT_PROBLEMS = ["螺丝松了，晃得厉害", "转不动了，卡住了", "踏板断了一边，老人踩上去差点摔倒", "座椅裂开了，容易夹手",
                      "锈得很厉害，一摸掉渣", "有根管子开焊了，很危险", "转起来咯吱咯吱响", "扶手松动，扶着不安全"]
SMART_PROBLEMS = ["屏幕不亮了，扫码也没反应", "显示屏碎了", "电线露在外面，下雨天怕漏电"]
# Problems that could hurt someone: reported as a safety hazard (shorter deadlines, urgent repair).
HAZARD_PROBLEMS = {"踏板断了一边，老人踩上去差点摔倒", "有根管子开焊了，很危险", "扶手松动，扶着不安全",
                   "电线露在外面，下雨天怕漏电"}
SITE_PROBLEMS = {
    "facility": ["篮球场地面开裂，打球容易崴脚", "健身广场地砖松动翘起，晚上容易绊倒", "塑胶地面破损起皮", "乒乓球台台面开裂"],
    "hygiene": ["健身区垃圾桶满了好几天没人清理", "器材周围有很多碎玻璃，孩子在这里玩很危险", "器材上贴满了小广告"],
    "lighting": ["晚上广场的路灯不亮，锻炼的人看不清", "灯光篮球场晚上不开灯", "步道照明坏了好几盏"],
    "opening": ["说是周末对外开放，周六早上去大门锁着", "公示的免费开放时段，去了说要收费", "早上八点半还没开门"],
    "service": ["工作人员态度不好", "预约了场地，到现场说被占用了"],
    "other": ["希望在健身点增加遮阳棚和座椅", "建议增加儿童活动设施", "健身路径附近缺少饮水点"],
}
ANSWERS = {
    "hazard": "已第一时间设置警示并停用该器材，维修单位已修复，经检查可安全使用。",
    "equipment": "工作人员已到现场紧固处理，器材恢复正常使用。感谢您的监督！",
    "facility": "已对破损地面进行修补，现已恢复使用。感谢您的监督！",
    "hygiene": "已通知社区保洁人员清理，并增加了清运频次。",
    "lighting": "已更换损坏灯具，照明恢复正常。",
    "opening": "已核实并督促管理单位按公示时间开放，如再遇到请拨打热线投诉举报。",
    "service": "已对相关工作人员进行批评教育，并加强服务培训。",
    "other": "您的建议已记录，将在明年健身设施更新计划中统筹考虑。",
}
FIRST_ANSWERS = ["您好，您投诉举报的问题已收到，已安排工作人员到现场核实，处理结果会及时告知您。",
                 "您好，已收到您的投诉举报，已转维修单位处理，修复后会通知您。",
                 "已受理，我们会尽快安排处理。"]
REJECTIONS = {
    "duplicate": "经核实，该器材已在维修中（巡检已发现并派单），属重复投诉举报，修复后即恢复使用。",
    "fine": "经现场核实，器材运转正常，未发现所述问题。如仍有问题，请拍照后再次投诉举报。",
    "private": "该场所为小区物业自建设施，不属于公共体育设施，已告知物业处理。",
    "notice": "经核实，该时段场馆因承办赛事临时闭馆，已提前公示，请关注场馆公告。",
}
RATING_COMMENTS = {5: ["修得很快，点赞！", "处理及时，服务很好", "效率很高，谢谢", ""], 4: ["已经修好了", "处理了，就是慢了点", ""],
                   3: ["等了好几天才处理", ""], 2: ["回复太慢", "修了没多久又坏了"], 1: ["问题没解决", "一直没人来修"]}


def save_settings(sim: Simulation) -> None:
    """The city's 12345 hotline, and each county's own number and deadlines."""
    rng = sim.rng
    feedback.save_settings(sim.city, actor=sim.city_staff, hotline="12345", response_working_days=1,
                           resolution_working_days=5)
    for county in sim.counties:
        feedback.save_settings(county, actor=sim.city_staff, hotline=f"0635-8{rng.randint(0, 999999):06d}",
                               response_working_days=rng.choice((1, 1, 2)),
                               resolution_working_days=rng.choice((5, 5, 7)))


def report_times(sim: Simulation) -> list[tuple]:
    """When residents report, each report with its own random stream: times hang on today's date,
    not on the moment the demo runs, so that the same seed gives the same reports."""
    rng, first, midnight = sim.rng, aware(sim.start, 7), sim.midnight
    span = (midnight - first).total_seconds()
    times = []
    count = max(30, min(REPORTS, len(sim.pieces) // 150))
    for k in range(count):
        t = first + datetime.timedelta(seconds=rng.uniform(0, span))
        if not 7 <= timezone.localtime(t).hour < 21:
            t += hours(rng.randint(9, 12))
        if t >= midnight:
            t = midnight - hours(rng.uniform(3, 8))
        times.append((t, 1, k, rng.getrandbits(64), None))
    # A few not answered yet: three from the last day or so, one forgotten for two weeks.
    for k, (lo, hi) in enumerate(((3, 30), (3, 30), (3, 30), (290, 320))):
        times.append((midnight - hours(rng.uniform(lo, hi)), 1, UNANSWERED + k, rng.getrandbits(64), None))
    times.append((midnight - datetime.timedelta(days=40, hours=-10), 1, RESIDENT, rng.getrandbits(64), None))
    times.append((midnight - datetime.timedelta(days=2, hours=-9), 1, RESIDENT + 1, rng.getrandbits(64), None))
    return times


def report(sim: Simulation, t: datetime.datetime, rng: random.Random, resident: User | None = None,
           forced: str | None = None, unanswered: bool = False, reject: bool = False,
           path: str | None = None) -> ReportPlan | None:
    """One report received at `t`, and what happened to it (`reject`: it is not accepted; `path`: the
    way it goes, answered in time)."""
    prefixes = {c.code: codes.prefix_at(c.code, "county") for c in sim.counties}
    weights = [(prefixes[c.code], len(sim.by_county.get(prefixes[c.code], [])) * (1.5 if c in sim.pilots else 1))
               for c in sim.counties]
    county = (codes.prefix_at(resident.home_region_id, "county") if resident is not None and resident.home_region_id
              else weighted(rng, weights))
    category = forced or weighted(rng, CATEGORY_WEIGHTS)
    phone = f"139{20000000 + len(sim.reports):08d}"
    if resident is not None:
        phone = RESIDENT_PHONE
    rp = ReportPlan(t0=t, category=category, county=county, description="", phone=phone, reporter=resident)
    if category == "equipment":
        pool = sim.by_county.get(county, [])
        duplicate = rng.random() < 0.1 and resident is None
        piece = None
        for _ in range(60 if pool else 0):
            p = rng.choice(pool)
            if p.keep or (p.removed_at is not None and p.removed_at <= t):
                continue
            if p.is_busy(t) == duplicate:
                piece = p
                break
            if _ == 29:  # no piece under repair to report twice: an ordinary report
                duplicate = False
        if piece is None:
            return None
        rp.piece = piece
        info = equipment_types.TYPES[piece.eq.kind]
        problem = rng.choice(SMART_PROBLEMS if info.group == "smart" else EQUIPMENT_PROBLEMS)
        rp.description = f"{info.name_zh}{problem}"
        if problem in HAZARD_PROBLEMS:
            rp.category = "hazard"
        if path:
            rp.path = path
        elif duplicate:
            rp.path, rp.reject_reason = "reject", REJECTIONS["duplicate"]
        else:
            roll = rng.random()
            rp.path = "reject" if reject else ("work_order" if roll < 0.8 else "respond")
            if rp.path == "reject":
                rp.reject_reason = REJECTIONS["fine"]
    else:
        sites = sim.sites_by_county.get((county, category == "opening"), []) or sim.sites_by_county.get(
            (county, False), [])
        if not sites:
            return None
        rp.site = rng.choice(sites)
        rp.description = rng.choice(SITE_PROBLEMS[category])
        roll = rng.random()
        if reject:
            rp.path = "reject"
            rp.reject_reason = REJECTIONS["notice" if category in ("opening", "service") else "private"]
        elif category == "facility" and roll < 0.45:
            rp.path = "work_order"
    rp.photo = rng.random() < 0.05
    region_code = rp.piece.eq.region_id if rp.piece else rp.site.region_id
    rp.respond_by, rp.resolve_by = routing.deadlines(region_code, t, rp.category)
    late = rng.random() < 0.12 and path is None
    if path is not None:
        rp.t_resp = t + hours(rng.uniform(1, 4))
    elif late:
        rp.t_resp = rp.respond_by + hours(rng.uniform(2, 60))
    else:
        rp.t_resp = t + (rp.respond_by - t) * rng.uniform(0.05, 0.8)
    if rp.t_resp > sim.now or unanswered:
        rp.t_resp = None
        return rp
    if rp.path == "work_order":
        rp.respond_first = rng.random() < 0.5
        t_wo = rp.t_resp + (hours(rng.uniform(1, 4)) if rp.respond_first else datetime.timedelta())
        if t_wo > sim.now:
            rp.path = "respond"
            return rp
        severity = "high" if rng.random() < 0.3 else ("urgent" if rng.random() < 0.05 else "normal")
        if rp.category == "hazard":
            severity = "urgent"
        op = OrderPlan(source=WorkOrder.Source.REPORT, kind=WorkOrder.Kind.REPAIR, severity=severity, t0=t_wo,
                       piece=rp.piece, unit=sim.units.get(codes.ancestor_at(region_code, "county")),
                       resolution=ANSWERS["equipment"] if rp.piece else ANSWERS["facility"],
                       manager=sim.manager_for(region_code))
        lifecycle(sim, op, stuck=0.03, rng=rng)
        rp.order = op
        if op.final == S.VERIFIED:
            rp.t_res = op.t_verify
        if rp.piece is not None:
            rp.piece.busy, rp.piece.busy_until = op, (op.t_verify if op.final == S.VERIFIED else None)
    elif rp.path == "respond":
        late_res = rng.random() < 0.1
        rp.t_res = (rp.resolve_by + hours(rng.uniform(4, 96)) if late_res
                    else rp.t_resp + (max(rp.resolve_by - rp.t_resp, hours(2))) * rng.uniform(0.1, 0.9))
        if rp.t_res > sim.now:
            rp.t_res = None
    else:  # reject: at once
        rp.t_res = rp.t_resp
    if rp.t_res is not None:
        late = late or rp.t_res > rp.resolve_by
        if rng.random() < (0.4 if rp.path == "reject" else 0.7):
            t_rate = rp.t_res + hours(rng.uniform(1, 72))
            if t_rate < sim.now:
                rp.t_rate = t_rate
                if rp.path == "reject":
                    rp.rating = rng.choice((1, 2, 3, 3, 4))
                else:
                    rp.rating = rng.choice((2, 3, 3, 4, 4, 5) if late else (3, 4, 4, 5, 5, 5, 5, 5))
                rp.comment = rng.choice(RATING_COMMENTS[rp.rating])
    return rp


def settle(rp: ReportPlan) -> None:
    """The demo resident's older report: repaired within the week, checked, and rated five stars."""
    op = rp.order
    op.t_start, op.final = op.t0 + hours(20), S.VERIFIED
    op.t_done, op.t_verify = op.t_start + hours(3), op.t_start + hours(30)
    rp.t_res, rp.t_rate, rp.rating, rp.comment = op.t_verify, op.t_verify + hours(5), 5, RATING_COMMENTS[5][0]
    rp.piece.busy_until = op.t_verify


def unsettle(sim: Simulation, rp: ReportPlan) -> None:
    """Her recent one: the unit is on it."""
    op = rp.order
    op.final, op.t_done, op.t_verify = S.IN_PROGRESS, None, None
    op.t_start = min(op.t_start, op.t0 + (sim.midnight - op.t0) / 2)
    rp.t_res = rp.t_rate = rp.rating = None
    rp.comment = ""
    rp.piece.busy_until = None


def write_report(sim: Simulation, rp: ReportPlan) -> None:
    """A planned report through the feedback services, each step at its time."""
    rng = sim.rng
    r = feedback.submit_report(category=rp.category, description=rp.description, phone=rp.phone,
                               equipment=rp.piece.eq if rp.piece else None, site=rp.site, reporter=rp.reporter,
                               now=rp.t0)
    if rp.photo:
        feedback.add_photo(r, image(rng, "report"), now=rp.t0)
    if rp.t_resp is None:
        return
    if rp.t_resp > rp.respond_by:
        routing.escalate(r, now=rp.respond_by + (rp.t_resp - rp.respond_by) / 2)
    r.refresh_from_db()
    actor = sim.staff.get(r.handler_region_id) or sim.manager_for(r.region_id)
    if rp.path == "reject":
        r = feedback.reject(r, actor=actor, reason=rp.reject_reason, now=rp.t_resp)
    else:
        if rp.path == "respond" or rp.respond_first:
            r = feedback.respond(r, actor=actor, text=rng.choice(FIRST_ANSWERS), now=rp.t_resp)
        if rp.path == "work_order":
            op = rp.order
            op.order = maintenance.open_for_report(r, actor=actor, severity=op.severity, unit=op.unit, now=op.t0)
        due = rp.resolve_by
        end = rp.t_res or sim.now
        if end > due and due < sim.now:
            routing.escalate(r, now=due + min(end - due, hours(12)) / 2)
        if rp.path == "work_order":
            apply(sim, rp.order)  # verified, the order resolves the report (at rp.t_res, its verification)
        elif rp.t_res is not None:
            r = feedback.resolve(r, actor=actor, answer=ANSWERS[rp.category], now=rp.t_res)
    if rp.t_rate is not None:
        r = feedback.rate(r, rating=rp.rating, comment=rp.comment, now=rp.t_rate)


