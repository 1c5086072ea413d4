"""The demo city's inspection plans and rounds, for the upkeep simulation (maintenance.py).

Plans in the two districts where the platform started (东昌府区, 茌平区): a periodic round of every
township (monthly in 东昌府区, every two months in 茌平区), a daily round of the district's sports
park and river trails, the demo community's weekly round, and three special inspections (smart
equipment's power, after the rains, one coming up). Six months of rounds, walked as inspectors do,
site by site on a few mornings: most done, some missed or left half done, the current ones in
progress, today's daily round still to walk.

Plans and their rounds are made by the inspection service, and every new defect is recorded
through it (which opens its work order). The checks that found nothing (~25,000), and those of
pieces already under repair, are written in bulk; a round's status and times follow from its
checks as record_check sets them.
"""

from __future__ import annotations

import datetime
import math

from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role, User
from quanmin.core import bulk
from quanmin.facilities.models import Facility, Site
from quanmin.maintenance import inspections
from quanmin.maintenance.models import Check, InspectionKind, InspectionPlan, InspectionRound, WorkOrder
from quanmin.regions import codes
from quanmin.regions.models import Region

from .facilities import short
from .upkeep import Piece, S, Simulation, aware, image


def bind_inspector(sim: Simulation, user: User, township: Region) -> None:
    site = (Site.objects.filter(region__code__within=township.prefix, status=Site.Status.OPEN,
                                owner_kind=Site.OwnerKind.GOVERNMENT).order_by("id").first()
            or Site.objects.filter(region__code__within=township.prefix).order_by("id").first())
    if site is not None:
        accounts.grant_membership(user, Role.INSPECTOR, site.region, target=site)


def plans(sim: Simulation, people: dict) -> list[tuple[InspectionPlan, dict]]:
    """(plan, how reliably it is walked) for the pilot districts."""
    rng, today = sim.rng, sim.today
    main, neighbour = sim.pilots[0], sim.pilots[1] if len(sim.pilots) > 1 else None
    a, b, c = people["13800000020"], people["13800000021"], people["13800000022"]
    out = []

    def plan(actor, data, starts: datetime.date, reliability: dict, facilities=None):
        data = {**data, "starts_on": starts}
        if facilities is not None:
            data["facilities"] = facilities
        p = inspections.create_plan(actor=actor, data=data, today=today)
        inspections.generate_rounds(p, today=today, since=starts)
        # Made a few days before its first round.
        InspectionPlan.objects.filter(pk=p.pk).update(created_at=aware(starts - datetime.timedelta(days=5), 10))
        out.append((p, reliability))
        return p

    townships = list(Region.objects.filter(parent=main).order_by("code"))
    monthly = {"done": 0.92, "partial": 0.03}
    walker = {}
    for n, township in enumerate(townships):
        inspector = sim.staff.get(township.code)
        if inspector is None:
            inspector = a if n % 2 else b
            bind_inspector(sim, inspector, township)
        walker[township.code] = inspector
        plan(sim.manager_for(main.code), {
            "name": f"{short(township.name)}健身器材月度检查", "kind": InspectionKind.PERIODIC, "region": township,
            "inspector": inspector, "every_days": 30, "days_to_complete": 10},
            cycle_start(sim, 30, 3 + 7 * n + rng.randint(0, 2)), monthly)
    parks = list(Facility.objects.filter(region__code__within=main.prefix, type="fitness_path",
                                         site__owner_kind=Site.OwnerKind.GOVERNMENT, site__status=Site.Status.OPEN)
                 .filter(site__name__regex=r"(体育公园|健身步道)").order_by("id"))
    if parks:
        plan(sim.manager_for(main.code), {
            "name": f"{main.name}体育公园及健身步道日常巡查", "kind": InspectionKind.DAILY, "region": main,
            "inspector": a, "every_days": 1, "days_to_complete": 1},
            today - datetime.timedelta(days=120), {"done": 0.9, "partial": 0.02, "sunday": 0.65}, parks)
    community = Region.objects.filter(code__in=list(sim.staff), level=Region.Level.COMMUNITY,
                                      code__within=main.prefix).order_by("code").first()
    if community is not None:
        keeper = sim.staff[community.code]
        plan(keeper, {"name": f"{short(community.name)}健身器材每周巡查", "kind": InspectionKind.DAILY,
                      "region": community, "inspector": keeper, "every_days": 7, "days_to_complete": 2},
             sim.start + datetime.timedelta(days=3), {"done": 0.95, "partial": 0.0})
    smart = list(Facility.objects.filter(region__code__within=main.prefix, equipment__smart=True)
                 .distinct().order_by("id")[:500])
    if smart:
        day = today - datetime.timedelta(days=75)
        plan(sim.manager_for(main.code), {
            "name": "智能健身器材用电安全专项检查", "kind": InspectionKind.SPECIAL, "region": main, "inspector": a,
            "every_days": 1, "days_to_complete": 10, "ends_on": day, "focus": "供电线缆破损、漏电隐患，显示屏与感应装置"},
            day, {"done": 1.0, "partial": 0.0}, smart)
    if len(townships) > 1:
        day = today - datetime.timedelta(days=40)
        plan(sim.manager_for(main.code), {
            "name": f"{short(townships[1].name)}雨季过后专项检查", "kind": InspectionKind.SPECIAL,
            "region": townships[1], "inspector": walker[townships[1].code], "every_days": 1,
            "days_to_complete": 7, "ends_on": day, "focus": "暴雨后基础松动、锈蚀，安全区域积水"},
            day, {"done": 1.0, "partial": 0.0})
    if parks:
        day = today + datetime.timedelta(days=3)
        plan(sim.manager_for(main.code), {
            "name": "节假日前健身器材安全专项检查", "kind": InspectionKind.SPECIAL, "region": main, "inspector": a,
            "every_days": 1, "days_to_complete": 3, "ends_on": day, "focus": "主体结构、紧固件与安全区域"},
            day, {"done": 1.0, "partial": 0.0}, parks)
    if neighbour is not None:
        for township in Region.objects.filter(parent=neighbour).order_by("code"):
            inspector = sim.staff.get(township.code)
            if inspector is None:
                inspector = c
                bind_inspector(sim, c, township)
            plan(sim.manager_for(neighbour.code), {
                "name": f"{short(township.name)}健身器材定期检查", "kind": InspectionKind.PERIODIC, "region": township,
                "inspector": inspector, "every_days": 60, "days_to_complete": 15},
                cycle_start(sim, 60, rng.randint(0, 59)), {"done": 0.85, "partial": 0.05})
    return out


def cycle_start(sim: Simulation, every: int, phase: int) -> datetime.date:
    """The first date of a plan whose rounds fall every `every` days from the start of the history,
    the last of them `phase` days before today (spread over the plans, so that at any date some
    rounds are under way)."""
    return sim.start + datetime.timedelta(days=((sim.today - sim.start).days - phase) % every)


def walk_days(sim: Simulation, r: InspectionRound, days_to_complete: int, n_sites: int) -> list[datetime.date]:
    """The days an inspector walks a round: weekdays of its window up to today (today only after 09:30)."""
    window = [r.scheduled_for + datetime.timedelta(days=k) for k in range(days_to_complete)]
    late_enough = timezone.localtime(sim.now).time() >= datetime.time(9, 30)
    window = [d for d in window if d < sim.today or (d == sim.today and late_enough)]
    if not window:
        return []
    weekdays = [d for d in window if d.weekday() < 5] or window
    wanted = min(len(weekdays), max(1, math.ceil(n_sites / sim.rng.randint(8, 14))))
    return sorted(sim.rng.sample(weekdays, wanted))


def round_events(sim: Simulation, plans) -> list[tuple]:
    """Check events (time, round, piece) of every round dated today or earlier."""
    rng, today = sim.rng, sim.today
    events = []
    for plan, reliability in plans:
        prefix = codes.prefix(plan.region_id)
        facility_ids = set(plan.facilities.values_list("pk", flat=True))
        scope = [p for p in sim.by_county.get(codes.prefix_at(plan.region_id, "county"), [])
                 if codes.in_subtree(p.eq.region_id, prefix)
                 and (not facility_ids or p.eq.facility_id in facility_ids)]
        for r in plan.rounds.filter(scheduled_for__lte=today).order_by("scheduled_for"):
            day0 = aware(r.scheduled_for, 0)
            pieces = [p for p in scope if p.removed_at is None or p.removed_at > day0]
            sim.expected[r.pk] = len(pieces)
            sites: dict[int, list[Piece]] = {}
            for p in sorted(pieces, key=lambda p: (p.eq.site_id, p.eq.facility_id, p.eq.pk)):
                sites.setdefault(p.eq.site_id, []).append(p)
            groups = list(sites.values())
            if r.due_on < today:
                roll = rng.random()
                done = reliability["done"] * (reliability.get("sunday", 1) if r.scheduled_for.weekday() == 6 else 1)
                if roll < done:
                    share = 1.0
                elif roll < done + reliability["partial"]:
                    share = rng.uniform(0.3, 0.8)
                else:
                    share = 0.0
            elif plan.kind == InspectionKind.DAILY and plan.every_days == 1:
                share = 0.0  # today's daily round: left for whoever signs in as the inspector
            else:
                elapsed = ((today - r.scheduled_for).days + 1) / plan.days_to_complete
                share = min(1.0, elapsed * rng.uniform(0.6, 1.3))
            groups = groups[:round(len(groups) * share)] if share < 1 else groups
            if not groups:
                continue
            days = walk_days(sim, r, plan.days_to_complete, len(groups))
            if not days:
                continue
            per_day = math.ceil(len(groups) / len(days))
            for k, day in enumerate(days):
                t = aware(day, 8, 20) + datetime.timedelta(minutes=rng.randint(0, 50))
                for group in groups[k * per_day:(k + 1) * per_day]:
                    t += datetime.timedelta(minutes=rng.randint(4, 18))
                    if datetime.time(11, 40) <= timezone.localtime(t).time() < datetime.time(14, 0):
                        t = aware(day, 14, 30) + datetime.timedelta(minutes=rng.randint(0, 20))
                    for p in group:
                        t += datetime.timedelta(seconds=rng.randint(60, 200))
                        if t < sim.now - datetime.timedelta(minutes=5):
                            events.append((t, 0, len(events), r, p))
    return events


def write_defects(sim: Simulation) -> None:
    """Every new defect through the inspection service, which opens its work order; the few most
    recent in the main district with a photo, as inspectors take them."""
    found = sorted((c for c in sim.checks if c.by_service), key=lambda c: c.t)
    recent = [c for c in reversed(found) if c.piece.county == codes.prefix_at(sim.pilots[0].code, "county")
              and c.order.final in (S.IN_PROGRESS, S.DONE, S.VERIFIED)]
    for c in recent[:6]:
        c.order.photos = True
    for c in found:
        check = inspections.record_check(
            c.round, equipment=c.piece.eq, result=Check.Result.DEFECT, actor=sim.inspectors[c.round.inspector_id],
            failed_items=c.items, note=c.note, lon=c.piece.eq.lon + sim.rng.uniform(-2e-4, 2e-4),
            lat=c.piece.eq.lat + sim.rng.uniform(-2e-4, 2e-4), now=c.t,
            photo=image(sim.rng, "check") if c.order.photos else None)
        c.order.order = WorkOrder.objects.get(inspection_check=check)


def finish_rounds(sim: Simulation, plans) -> None:
    rounds = {r.pk: r for plan, _rel in plans for r in plan.rounds.filter(scheduled_for__lte=sim.today)}
    changed = []
    for pk, r in rounds.items():
        walked = sim.walked.get(pk, [])
        expected = sim.expected.get(pk)
        if expected is None:
            continue
        if walked:
            times = [t for _p, t in walked]
            r.started_at = min(times)
            if len(walked) >= expected:
                r.status, r.finished_at, r.pieces = InspectionRound.Status.DONE, max(times), len(walked)
            else:
                r.status, r.finished_at = InspectionRound.Status.IN_PROGRESS, None
        else:
            r.status, r.started_at, r.finished_at = InspectionRound.Status.SCHEDULED, None, None
        if r.due_on < sim.today:
            r.pieces = max(expected, len(walked))
        changed.append(r)
    InspectionRound.objects.bulk_update(changed, ["status", "started_at", "finished_at", "pieces"], batch_size=500)
    inspections.mark_missed(sim.today)


def write_checks(sim: Simulation) -> int:
    """The checks that found nothing new, and those of pieces already under repair, in bulk."""
    rows = []
    for c in sim.checks:
        if c.by_service:
            continue
        note = c.note
        if c.result == Check.Result.DEFECT and c.order is not None and c.order.order is not None:
            note = f"已报修（工单{c.order.order.number}），待维修"
        with_position = sim.rng.random() < 0.95
        eq = c.piece.eq
        rows.append(Check(round_id=c.round.pk, equipment_id=eq.pk, result=c.result, failed_items=c.items,
                          note=note, lon=eq.lon + sim.rng.uniform(-2e-4, 2e-4) if with_position else None,
                          lat=eq.lat + sim.rng.uniform(-2e-4, 2e-4) if with_position else None,
                          checked_at=c.t, checked_by_id=c.round.inspector_id))
    bulk.insert_rows(rows)
    return len(rows)


