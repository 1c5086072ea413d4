"""Demo equipment, inspections, repairs and residents' reports for the demo city.

What it makes (deterministic for a seed, dates relative to today; the accounts, facilities and
booking demos run first):

- the equipment register: three to seven machines on every fitness path (全民健身路径) of an open
  site, eight to twelve in parks; smart bikes, ellipticals and kiosks where the ground is smart;
  outdoor table-tennis tables at about half the community squares. One maker per path, models,
  serial and register numbers; installed the year the ground was built, most older paths renewed
  once since, so that about a quarter of the pieces are past their design life (8 years, GB 19272);
- report settings: the city's 12345 hotline, and each county's own number and deadlines;
- maintenance units: one per county, a city contractor for smart equipment, and one whose contract
  ended (inactive);
- inspection plans in the two districts where the platform started (东昌府区, 茌平区): a periodic
  round of every township (monthly in 东昌府区, every two months in 茌平区), a daily round of the
  district's sports park and river trails, the demo community's weekly round, and three special
  inspections (smart equipment's power, after the rains, one coming up). Six months of rounds,
  walked as inspectors do, site by site on a few mornings: most done, some missed or left half
  done, the current ones in progress, today's daily round still to walk;
- work orders: a defect found on a round opens one through the inspection service (the pieces'
  status follows); residents' reports become orders; staff orders for servicing, upgrades and
  repairs of grounds (some unassigned, two cancelled); replacement of pieces past their design life.
  Every state, some overdue; pieces break more often once past their design life;
- residents' reports in every county: broken machines by their QR tag, grounds, litter, lights,
  opening hours; answered, escalated when late, sent for repair, not accepted, resolved, rated.
  Reporters are anonymous (a phone number) except two reports by the demo resident;
- accounts (demo password): three equipment inspectors and the staff of two maintenance units
  (phones 13800000020-24, see describe()), and a staff member for each other county's unit.

Everything goes through the services (equipment register checks, maintenance units and orders,
inspection plans, rounds and checks, feedback), which keep the pieces' status and write the
history and audit entries. What the services cannot do is done here, and only that:
- every step is taken at its time through the services' `now=` (replacement orders are opened one
  piece at a time, each on its own day);
- the register's pieces (~20,000) and the checks that found nothing (~25,000) are written with
  bulk_create after the services' own checks (equipment_services.clean, equipment_services.place): a service call each
  would take minutes. A round's status and times follow from its checks as record_check sets them;
- a piece already reported broken (its order still open) is recorded as a defect without a second
  order, as an inspector would.
The counties that do not inspect on the platform yet entered their registers with a few pieces
already broken (equipment_services.set_status, with the reason).

Times hang on today's date rather than on the moment the demo runs, and each report draws from its

This module runs the story (load) and the half year's events (simulate); the parts live beside it:
the register in equipment.py, plans and rounds in inspections.py, orders in work_orders.py, report
settings and reports in feedback.py, and what the simulation keeps in upkeep.py.
"""

from __future__ import annotations

import random

from quanmin.accounts.crypto import lookup_hash
from quanmin.accounts.models import Role, User
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment, Site
from quanmin.feedback import routing
from quanmin.maintenance import services, units
from quanmin.maintenance.models import Check, MaintenanceUnit, WorkOrder
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import accounts as accounts_demo
from . import equipment, feedback, inspections, work_orders
from .facilities import short
from .upkeep import RESIDENT_PHONE, Seen, Simulation, person_name

# Monthly chance that a piece breaks: young, and past its design life (smart pieces twice as often).
HAZARD_YOUNG, HAZARD_OLD = 0.0045, 0.013
STAFF = [  # phone, name, what
    ("13800000020", "孟庆华", "inspector"),  # 东昌府区: half the townships, the park's daily round, specials
    ("13800000021", "贾春生", "inspector"),  # 东昌府区: the other townships
    ("13800000022", "范立新", "inspector"),  # 茌平区
    ("13800000023", "邢建军", "unit"),  # 东昌府区's maintenance unit
    ("13800000024", "侯晓燕", "unit"),  # the city's smart-equipment contractor
]
# Staff of the other counties' units (not listed): 13800000101 and on, a block no other demo account
# uses (40 + n clashed with the venue operator, the departments' staff and the third-party evaluator,
# who then signed in as a unit's worker under another name).
UNIT_STAFF_PHONE = "138000001{:02d}"


def make_units(sim: Simulation) -> None:
    """One unit per county, the city's smart-equipment contractor, and one whose contract ended."""
    rng = sim.rng
    suffixes = ["体育设施工程有限公司", "健身器材维修服务部", "市政设施维护有限公司", "体育工程有限公司"]
    for n, county in enumerate(sim.counties):
        name = (f"{county.name}全民健身器材维护站" if n == 0
                else f"{short(county.name)[:2]}{rng.choice(('鲁康', '恒信', '宏达', '利民', '安泰'))}{suffixes[n % 4]}")
        sim.units[county.code] = units.create_unit(
            actor=sim.city_staff, region=county, name=name, contact=person_name(rng),
            phone=f"0635-8{rng.randint(0, 999999):06d}")
    sim.smart_unit = units.create_unit(actor=sim.city_staff, region=sim.city, name="聊城智体健身设施运维有限公司",
                                           contact=person_name(rng), phone=f"0635-8{rng.randint(0, 999999):06d}")
    ended = units.create_unit(actor=sim.city_staff, region=sim.counties[0], name="聊城宏远体育器材维修部",
                                 contact=person_name(rng), phone=f"0635-8{rng.randint(0, 999999):06d}")
    units.deactivate_unit(ended, actor=sim.city_staff)


def make_accounts(sim: Simulation) -> dict:
    """Inspectors bound to a site in each township they cover; unit staff made now, given the role at the
    end (the historical orders notify nobody)."""
    people = {}
    for k, (phone, name, _what) in enumerate(STAFF):
        people[phone] = accounts_demo.account(
            phone, name, accounts_demo.make_id_number(sim.counties[0].code, f"1978{k + 3:02d}1{k}", 60 + k, k % 2 == 0),
            sim.counties[0])
    sim.workers[sim.units[sim.counties[0].code].pk] = people["13800000023"]
    sim.workers[sim.smart_unit.pk] = people["13800000024"]
    for n, county in enumerate(sim.counties[1:], start=1):
        phone = UNIT_STAFF_PHONE.format(n)
        sim.workers[sim.units[county.code].pk] = accounts_demo.account(
            phone, person_name(sim.rng), accounts_demo.make_id_number(county.code, f"1982{n:02d}15", 70 + n, True),
            county)
    return people


def simulate(sim: Simulation, plans) -> None:
    """The half year in time order, every round's checks and every report: what breaks, and what
    happens to it."""
    rng = sim.rng
    for site in (Site.objects.filter(region__code__within=sim.city.prefix, status=Site.Status.OPEN,
                                     owner_kind__in=[Site.OwnerKind.COMMUNITY, Site.OwnerKind.GOVERNMENT,
                                                     Site.OwnerKind.SCHOOL]).order_by("id")):
        opening = site.owner_kind != Site.OwnerKind.COMMUNITY
        sim.sites_by_county.setdefault((codes.prefix_at(site.region_id, "county"), opening), []).append(site)
        if not opening:
            continue
        sim.sites_by_county.setdefault((codes.prefix_at(site.region_id, "county"), False), []).append(site)
    events = inspections.round_events(sim, plans) + feedback.report_times(sim)
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    resident = User.objects.filter(phone_hash=lookup_hash(RESIDENT_PHONE), home_region__isnull=False).first()
    for t, what, seq, r, piece in events:
        if what == 1 and seq >= feedback.RESIDENT:
            # The demo resident's two reports: one repaired and rated, one being repaired now.
            rp = feedback.report(sim, t, random.Random(r), resident=resident, forced="equipment", path="work_order") \
                if resident is not None else None
            if rp is not None and rp.order is not None:
                feedback.settle(rp) if seq == feedback.RESIDENT else feedback.unsettle(sim, rp)
                sim.reports.append(rp)
                sim.orders.append(rp.order)
            continue
        if what == 1:
            rp = feedback.report(sim, t, random.Random(r), unanswered=seq >= feedback.UNANSWERED, reject=seq % 12 == 5)
            if rp is not None:
                sim.reports.append(rp)
                if rp.order is not None:
                    sim.orders.append(rp.order)
            continue
        sim.walked.setdefault(r.pk, []).append((piece, t))
        if piece.is_busy(t):
            op = piece.busy
            sim.checks.append(Seen(r, piece, t, Check.Result.DEFECT, list(op.items), "", op))
            continue
        if piece.busy is not None:  # repaired since
            piece.last, piece.busy, piece.busy_until = max(piece.last, piece.busy_until), None, None
        monthly = HAZARD_OLD if piece.past_life(t) else HAZARD_YOUNG
        if piece.eq.smart:
            monthly *= 2
        chance = 1 - (1 - monthly) ** (max((t - piece.last).total_seconds(), 0) / (30 * 86400))
        if not piece.keep and rng.random() < chance:
            op = work_orders.defect(sim, r, piece, t)
            sim.orders.append(op)
            work_orders.occupy(piece, op)
            sim.checks.append(Seen(r, piece, t, Check.Result.DEFECT, op.items, op.note, op, by_service=True))
        else:
            piece.last = t
            sim.checks.append(Seen(r, piece, t, Check.Result.OK, []))


def load(city: Region, rng: random.Random) -> dict:
    """Fill the demo city with equipment, units, inspections, work orders and reports; does nothing twice."""
    if Equipment.objects.filter(region__code__within=city.prefix).exists():
        return {"pieces": 0}
    sim = Simulation(city, rng)
    if not sim.counties or sim.city_staff is None:
        return {"pieces": 0}
    feedback.save_settings(sim)
    make_units(sim)
    people = make_accounts(sim)
    equipment.install(sim)
    plans = inspections.plans(sim, people)
    sim.inspectors = {u.pk: u for u in User.objects.filter(
        pk__in={plan.inspector_id for plan, _rel in plans})}
    replacements = work_orders.replacement_plans(sim)
    for piece, status, reason in equipment.known_broken(sim):
        equipment_services.set_status(piece.eq, status, reason=f"建账时登记：{reason}", actor=sim.city_staff)
    simulate(sim, plans)
    inspections.write_defects(sim)
    for rp in sorted(sim.reports, key=lambda rp: rp.t0):
        feedback.write_report(sim, rp)
    for op in sorted((op for op in sim.orders if op.source == WorkOrder.Source.INSPECTION), key=lambda op: op.t0):
        work_orders.apply(sim, op)
    for op in work_orders.staff_orders(sim):
        op.order = services.create_work_order(actor=op.manager, description=op.description, kind=op.kind,
                                              severity=op.severity, source=op.source,
                                              equipment=op.piece.eq if op.piece else None, facility=op.facility,
                                              unit=op.unit, now=op.t0)
        work_orders.apply(sim, op)
        sim.orders.append(op)
    work_orders.write_replacements(sim, replacements)
    checks = inspections.write_checks(sim)
    inspections.finish_rounds(sim, plans)
    routing.escalate_overdue(sim.now)
    for unit_id, user in sim.workers.items():
        unit = MaintenanceUnit.objects.get(pk=unit_id)
        units.add_unit_staff(unit, user, actor=sim.city_staff)
    return {"pieces": Equipment.objects.filter(region__code__within=city.prefix).count(), "plans": len(plans),
            "checks": checks + sum(1 for c in sim.checks if c.by_service),
            "work_orders": WorkOrder.objects.filter(region__code__within=city.prefix).count(),
            "reports": len(sim.reports)}


def describe() -> list[tuple[str, str]]:
    """The inspectors and maintenance-unit staff made here, read without writing: (phone, description)."""
    out = []
    for phone, name, _what in STAFF:
        user = User.objects.filter(phone_hash=lookup_hash(phone)).first()
        if user is None:
            continue
        roles, seen = [], set()
        for m in user.memberships.select_related("region").order_by("id"):
            if m.role == Role.ORG_STAFF:
                label = f"{m.get_role_display()} · {m.target}"
            else:  # an inspector is bound to a site in each township: name the county once
                county = Region.objects.filter(code=codes.ancestor_at(m.region_id, "county")).first()
                label = f"{m.get_role_display()} · {county.name if county else m.region.name}"
            if label not in seen:
                seen.add(label)
                roles.append(label)
        out.append((phone, f"{name}: " + "; ".join(roles)))
    return out
