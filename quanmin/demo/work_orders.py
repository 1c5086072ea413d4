"""The demo city's work orders, for the upkeep simulation (maintenance.py).

A defect found on a round opens one through the inspection service (the pieces' status follows);
residents' reports become orders (feedback.py); staff open orders for servicing, upgrades and
repairs of grounds (some unassigned, two cancelled) and for the replacement of pieces past their
design life. Every state, some overdue; each order is taken through its life by the services, every
step at its time (`now=`).
"""

from __future__ import annotations

import datetime
import random

from quanmin.accounts.models import User
from quanmin.facilities.models import Facility, Site
from quanmin.maintenance import checklists, services
from quanmin.maintenance.models import InspectionRound, WorkOrder
from quanmin.regions import codes
from quanmin.regions.models import Region

from .upkeep import OrderPlan, Piece, S, Simulation, hours, image, weighted

REPLACEMENTS = 10
# Defects: how often each checklist item is the one that fails, and what the inspector writes.
ITEM_WEIGHTS = {"structure": 2, "foundation": 2, "fasteners": 14, "edges": 5, "surface": 12, "sign": 6,
                "safety_area": 5, "bearings": 16, "pinch": 2, "pedals": 10, "stops": 4, "grip": 8, "height": 2,
                "boards": 8, "screen": 12, "power": 3, "network": 8}
NOTES = {"structure": ["立柱根部开焊", "横梁有裂纹"], "foundation": ["地脚螺栓外露，立柱晃动", "基础松动倾斜"],
         "fasteners": ["螺栓帽盖缺失两个", "连接螺栓松动"], "edges": ["管口堵头脱落，边缘锋利"],
         "surface": ["底部锈蚀严重", "油漆大面积剥落"], "sign": ["使用说明标牌褪色看不清"],
         "safety_area": ["周围堆放杂物", "地面砖块松动"], "bearings": ["转动时有异响", "转盘卡滞转不动"],
         "pinch": ["摆臂与立柱间隙过大，易夹手"], "pedals": ["一侧踏板断裂", "座椅开裂", "手柄缺失"],
         "stops": ["限位缓冲块脱落，摆幅过大"], "grip": ["握杆转动", "握杆松动"], "height": ["下方缓冲垫破损"],
         "boards": ["板面开裂", "支撑腿松动"], "screen": ["屏幕不亮", "感应失灵"], "power": ["电缆外皮破损"],
         "network": ["数据不上传"]}
RESOLUTIONS = {"structure": "开焊处补焊，除锈刷漆，复查牢固。", "foundation": "重新浇筑基础，紧固地脚螺栓。",
               "fasteners": "补齐螺栓帽盖，逐一紧固。", "edges": "更换管口堵头，打磨锐边。",
               "surface": "除锈后喷涂防锈漆。", "sign": "更换安全警示及使用说明标牌。",
               "safety_area": "清理安全区域，修补地面。", "bearings": "更换轴承，加注润滑脂。",
               "pinch": "调整间隙，加装防夹护罩。", "pedals": "更换损坏的踏板、手柄或座椅。",
               "stops": "更换限位缓冲块，调整摆幅。", "grip": "更换握杆并紧固，加装防滑套。",
               "height": "补铺缓冲地垫。", "boards": "更换板面，加固支撑。", "screen": "更换显示及感应模块，测试正常。",
               "power": "更换破损电缆，加装漏电保护器。", "network": "更换通信模块，数据上传恢复。"}
# Hours: (to start, from to), (the work, from to), by severity.
DURATIONS = {"urgent": ((0.5, 5), (1, 8)), "high": ((3, 40), (2, 24)), "normal": ((16, 110), (2, 40)),
             "low": ((40, 240), (2, 60))}



def lifecycle(sim: Simulation, op: OrderPlan, *, stuck: float = 0.04, slow: float = 0.15,
              rng: random.Random | None = None) -> None:
    """When the order was started, done and verified, and where it stands now."""
    rng, now = rng or sim.rng, sim.now
    (s0, s1), (w0, w1) = DURATIONS[op.severity]
    if op.t_cancel is not None:
        op.final = S.CANCELLED if op.t_cancel <= now else (S.ASSIGNED if op.unit else S.OPEN)
        if op.final != S.CANCELLED:
            op.t_cancel = None
        return
    if op.unit is None:
        op.final = S.OPEN
        return
    op.t_start = op.t0 + hours(rng.uniform(s0, s1) * (rng.uniform(2, 4) if rng.random() < slow else 1))
    op.t_done = None if rng.random() < stuck else op.t_start + hours(rng.uniform(w0, w1))
    op.t_verify = op.t_done + hours(rng.uniform(10, 100)) if op.t_done else None
    if op.t_start > now:
        op.final = S.ASSIGNED
    elif op.t_done is None or op.t_done > now:
        op.final = S.IN_PROGRESS
    elif op.t_verify > now:
        op.final = S.DONE
    else:
        op.final = S.VERIFIED
    if op.reassign is not None:  # (unit, delay): given to another unit before the work starts
        unit, delay = op.reassign
        when = op.t0 + min(delay, (op.t_start - op.t0) / 2)
        op.reassign = (unit, when) if when <= now else None


def defect(sim: Simulation, r: InspectionRound, piece: Piece, t: datetime.datetime) -> OrderPlan:
    rng = sim.rng
    allowed = [i.code for i in checklists.for_kind(piece.eq.kind)]
    pairs = [(code, ITEM_WEIGHTS.get(code, 1)) for code in allowed]
    items = [weighted(rng, pairs)]
    if rng.random() < 0.2:
        second = weighted(rng, pairs)
        if second not in items:
            items.append(second)
    items = [c for c in allowed if c in items]
    note = rng.choice(NOTES[items[0]]) if rng.random() < 0.6 and items[0] in NOTES else ""
    op = OrderPlan(source=WorkOrder.Source.INSPECTION, kind=WorkOrder.Kind.REPAIR,
                   severity=checklists.worst_severity(items) or "normal", t0=t, piece=piece, items=items, note=note,
                   round=r, unit=sim.units.get(codes.ancestor_at(piece.eq.region_id, "county")),
                   resolution="".join(RESOLUTIONS[c] for c in items if c in RESOLUTIONS),
                   manager=sim.manager_for(piece.eq.region_id))
    if piece.eq.smart and sim.smart_unit is not None:
        op.reassign = (sim.smart_unit, hours(rng.uniform(1, 6)))
    lifecycle(sim, op)
    return op


def occupy(piece: Piece, op: OrderPlan) -> None:
    piece.busy = op
    piece.busy_until = op.t_verify if op.final == S.VERIFIED else None


def apply(sim: Simulation, op: OrderPlan) -> None:
    """Take a created order through its life with the services, each step at its time."""
    order = op.order
    manager = op.manager or sim.city_staff
    if op.reassign is not None and op.final != S.CANCELLED:
        unit, when = op.reassign
        order = services.assign(order, unit, actor=manager, now=when)
    worker = sim.workers.get(order.unit_id)
    if op.photos:
        photo(sim, order, "before", op.t0 + hours(1), worker or manager)
    if op.final == S.CANCELLED:
        order = services.cancel(order, actor=manager, reason=op.cancel_reason, now=op.t_cancel)
    else:
        if op.final in (S.IN_PROGRESS, S.DONE, S.VERIFIED):
            order = services.start(order, actor=worker, now=op.t_start)
        if op.final in (S.DONE, S.VERIFIED):
            if op.photos:
                last = op.t_verify if op.final == S.VERIFIED else op.t_done
                photo(sim, order, "after", last - hours(1), worker or manager)
            order = services.complete(order, actor=worker, resolution=op.resolution or "已修复。", now=op.t_done)
        if op.final == S.VERIFIED:
            # A replaced piece's successor is installed that day; the reports behind it are resolved then.
            order = services.verify(order, actor=manager, now=op.t_verify)
    op.order = order


def photo(sim: Simulation, order: WorkOrder, stage: str, at: datetime.datetime, actor: User) -> None:
    """A photo of the work, uploaded at `at`."""
    services.add_photo(order, image(sim.rng, stage), stage, actor=actor, now=at)


def staff_orders(sim: Simulation) -> list[OrderPlan]:
    """Servicing, upgrades and repairs of grounds that staff open themselves."""
    rng, main = sim.rng, sim.pilots[0]
    manager = sim.manager_for(main.code)
    unit = sim.units[main.code]
    out = []
    paths = list(Facility.objects.filter(region__code__within=main.prefix, type="fitness_path",
                                         equipment__isnull=False).distinct().order_by("id"))
    for f in rng.sample(paths, min(6, len(paths))):
        t = sim.midnight - datetime.timedelta(days=rng.randint(5, 150), hours=rng.randint(0, 8))
        out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.SERVICE, "low", t, facility=f, unit=unit,
                             description=f"{f.site.name}健身路径季度保养：全面紧固螺栓，转动部件加注润滑脂，锈蚀处补漆",
                             resolution="已完成紧固、润滑和补漆。", manager=manager))
    main_county = codes.prefix_at(main.code, "county")
    kiosks = [p for p in sim.pieces if p.eq.kind == "smart_kiosk" and p.county == main_county]
    for p in kiosks[:3]:
        t = sim.midnight - datetime.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
        out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.UPGRADE, "low", t, piece=p,
                             unit=sim.smart_unit, description="智能健身驿站终端系统升级：增加体质监测数据上传",
                             resolution="终端系统已升级，数据上传测试正常。", manager=manager))
    grounds = list(Facility.objects.filter(region__code__within=main.prefix,
                                           type__in=("basketball", "table_tennis", "fitness_square"),
                                           site__status=Site.Status.OPEN).select_related("site").order_by("id"))
    texts = [("篮球架篮网缺失，需更换", "normal"), ("健身广场地面塌陷约1平方米，已设置警示", "high"),
             ("乒乓球台网架缺失", "low"), ("篮球场围网破损", "normal")]
    for k, (text, severity) in enumerate(texts):
        f = rng.choice(grounds)
        days = (1, 3, 12, 20)[k]  # two fresh, two waiting past their deadline
        out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.REPAIR, severity,
                             sim.midnight - datetime.timedelta(days=days, hours=rng.randint(0, 6)), facility=f,
                             description=f"{f.site.name}{text}", manager=sim.staff.get(
                                 codes.ancestor_at(f.region_id, "township")) or manager))
    for text, reason in (("乒乓球台台面开裂，需更换", "物业已自行更换，无需派单。"),
                         ("灯光球场照明故障", "属供电公司维护范围，已移交供电公司。")):
        f = rng.choice(grounds)
        t = sim.midnight - datetime.timedelta(days=rng.randint(20, 90))
        out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.REPAIR, "normal", t, facility=f, unit=unit,
                             description=f"{f.site.name}{text}", t_cancel=t + hours(rng.uniform(4, 48)),
                             cancel_reason=reason, manager=manager))
    for op in out:
        lifecycle(sim, op)
    return out


def replacement_plans(sim: Simulation) -> list[tuple[Piece, OrderPlan]]:
    """Pieces long past their design life in the staffed township, opened for replacement recently."""
    rng, main = sim.rng, sim.pilots[0]
    township = Region.objects.filter(parent=main).order_by("code").first()
    old = sorted((p for p in sim.by_county.get(codes.prefix_at(main.code, "county"), [])
                  if township and codes.in_subtree(p.eq.region_id, township.prefix) and p.past_life(sim.now)
                  and not p.eq.smart), key=lambda p: (p.eq.install_date, p.eq.pk))[:REPLACEMENTS]
    finals = [S.VERIFIED, S.VERIFIED, S.VERIFIED, S.DONE, S.DONE, S.IN_PROGRESS, S.IN_PROGRESS, S.ASSIGNED,
              S.ASSIGNED, S.CANCELLED]
    out = []
    for k, p in enumerate(old):
        p.keep = True
        final = finals[k % len(finals)]
        t0 = sim.midnight - datetime.timedelta(days=rng.randint(25, 45), hours=rng.randint(0, 6))
        op = OrderPlan(WorkOrder.Source.DESIGN_LIFE, WorkOrder.Kind.REPLACE, "low", t0, piece=p,
                       unit=sim.units[main.code], resolution="已拆除旧器材，安装同型号新器材。",
                       manager=sim.manager_for(main.code))
        op.final = final
        op.t_start = t0 + datetime.timedelta(days=rng.randint(3, 8))
        op.t_done = op.t_start + datetime.timedelta(days=rng.randint(1, 3))
        op.t_verify = op.t_done + datetime.timedelta(days=rng.randint(1, 3))
        if final == S.CANCELLED:
            op.t_cancel, op.cancel_reason = t0 + datetime.timedelta(days=2), "资金未到位，纳入明年更新计划。"
        if final == S.VERIFIED:
            p.removed_at = op.t_verify
        out.append((p, op))
    return out


def write_replacements(sim: Simulation, plans: list[tuple[Piece, OrderPlan]]) -> None:
    if not plans:
        return
    for p, op in sorted(plans, key=lambda plan: plan[0].eq.pk):
        # One at a time: a clerk works down the list of pieces past their design life over weeks.
        created = services.open_replacement_orders([p.eq], actor=plans[0][1].manager, unit=plans[0][1].unit,
                                                   severity="low", now=op.t0)["created"]
        if created:
            op.order = created[0]
            apply(sim, op)


