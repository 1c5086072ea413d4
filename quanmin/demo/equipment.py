"""The demo city's equipment register (健身器材台账), for the upkeep simulation (maintenance.py).

Three to seven machines on every fitness path (全民健身路径) of an open site, eight to twelve in
parks; smart bikes, ellipticals and kiosks where the ground is smart; outdoor table-tennis tables at
about half the community squares. One maker per path, models, serial and register numbers; installed
the year the ground was built, most older paths renewed once since, so that about a quarter of the
pieces are past their design life (8 years, GB 19272). The ~20,000 pieces are written with
bulk_create after the register's own checks (equipment_services.clean, equipment_services.place): a service call each
would take minutes.
"""

from __future__ import annotations

import datetime

from quanmin.core import bulk
from quanmin.facilities import equipment_services
from quanmin.facilities.models import Equipment, Facility, Site
from quanmin.regions import codes

from .upkeep import Piece, Simulation, aware, weighted

KINDS = [("air_walker", 10), ("waist_twister", 9), ("tai_chi_wheel", 6), ("shoulder_wheel", 6),
         ("back_massager", 5), ("leg_press", 5), ("chest_press", 4), ("pull_down", 4), ("rider", 5),
         ("stepper", 4), ("bicycle", 4), ("swing_seat", 3), ("pendulum", 3), ("horizontal_bar", 4),
         ("parallel_bars", 4), ("stretcher", 4), ("sit_up_board", 4), ("leg_stretch", 5), ("balance_beam", 2),
         ("ladder", 3), ("elliptical", 5)]
MAKERS = [("山东泰健体育器材有限公司", "TJ"), ("宁津县康乐健身器材厂", "KL"), ("德州鲁健体育用品有限公司", "LJ"),
          ("河北奥康体育设施有限公司", "AK"), ("聊城华宇健身器材有限公司", "HY"), ("江苏金陵全民健身器材有限公司", "JL")]
SMART_MAKERS = [("山东智体科技有限公司", "ZT"), ("青岛云动智能健身设备有限公司", "YD")]


def install_date(sim: Simulation, year: int) -> datetime.date:
    """A day of `year` (not in the last six weeks) on which a piece was installed."""
    last = sim.today - datetime.timedelta(days=45)
    year = min(year, last.year)
    first = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), last)
    return first + datetime.timedelta(days=sim.rng.randint(0, max((end - first).days, 0)))


def install(sim: Simulation) -> None:
    """The register's pieces, written in bulk, each followed in the simulation as a Piece."""
    rng, today = sim.rng, sim.today
    used = set(Equipment.objects.values_list("tag", flat=True))
    models_: dict = {}
    numbers: dict[str, int] = {}
    rows: list[Equipment] = []
    facilities = (Facility.objects.filter(region__code__within=sim.city.prefix, site__status=Site.Status.OPEN,
                                          type__in=("fitness_path", "smart_station", "table_tennis"))
                  .select_related("site", "region").order_by("id"))

    def tag() -> str:
        while True:
            value = "".join(rng.choice(equipment_services.TAG_ALPHABET) for _ in range(equipment_services.TAG_LENGTH))
            if value not in used:
                used.add(value)
                return value

    def add(f: Facility, kind: str, maker: tuple, installed: datetime.date) -> None:
        info = equipment_services.check_kind(kind)
        if (maker, kind) not in models_:
            abbr = "".join(w[0] for w in kind.split("_")).upper()
            models_[(maker, kind)] = f"{maker[1]}-{abbr}{rng.randint(101, 899)}"
        county = codes.prefix_at(f.region_id, "county")
        numbers[county] = numbers.get(county, 0) + 1
        data = equipment_services.clean({"install_date": installed, "design_life_years": info.design_life_years,
                               "maker": maker[0], "model": models_[(maker, kind)],
                               "serial": f"{maker[1]}{installed:%y%m}{rng.randint(0, 99999):05d}", "smart": False})
        piece = Equipment(kind=info.code, tag=tag(), external_id=f"{county}-{numbers[county]:06d}", **data)
        piece.smart = info.group == "smart"
        equipment_services.place(piece, f)
        rows.append(piece)

    for f in facilities:
        site = f.site
        built = f.year_built or rng.randint(2010, 2020)
        if built <= today.year - 9 and rng.random() < 0.6:  # renewed once since
            built = rng.randint(built + 8, min(built + 11, today.year))
        maker = rng.choice(MAKERS)
        if f.type == "table_tennis":
            if site.owner_kind != Site.OwnerKind.COMMUNITY or f.indoor or rng.random() < 0.5:
                continue
            for _ in range(rng.choice((1, 1, 2))):
                add(f, "table_tennis", maker, install_date(sim, built))
            continue
        if f.type == "smart_station":
            smart = rng.choice(SMART_MAKERS)
            installed = install_date(sim, max(built, 2019))
            add(f, "smart_kiosk", smart, installed)
            for _ in range(rng.randint(2, 3)):
                add(f, rng.choice(("smart_bike", "smart_elliptical")), smart, installed)
            continue
        if "体育公园" in site.name:
            n = rng.randint(8, 12)
        elif site.owner_kind == Site.OwnerKind.COMMUNITY:
            n = rng.randint(4, 7) if "社区" in f.region.name else rng.randint(3, 5)
        else:
            n = rng.randint(3, 6)
        kinds: list[str] = []
        while len(kinds) < n:
            kind = weighted(rng, KINDS)
            if kind not in kinds:
                kinds.append(kind)
        installed = install_date(sim, built)
        for kind in kinds:
            when = installed
            if rng.random() < 0.1 and installed.year + 3 < today.year:  # one machine replaced on its own
                when = install_date(sim, rng.randint(installed.year + 3, today.year))
            add(f, kind, maker, when)
        if f.smart:
            smart = rng.choice(SMART_MAKERS)
            installed = install_date(sim, max(built, 2019))
            for _ in range(rng.choice((1, 2))):
                add(f, rng.choice(("smart_bike", "smart_elliptical")), smart, installed)
            if rng.random() < 0.5:
                add(f, "smart_kiosk", smart, installed)
    # The register was entered when the platform started, half a year ago.
    entered = aware(sim.start - datetime.timedelta(days=20), 10)
    for eq in rows:
        eq.created_at = eq.updated_at = entered
    bulk.insert_rows(rows)
    ids = dict(Equipment.objects.filter(region__code__within=sim.city.prefix).values_list("tag", "pk"))
    for eq in rows:
        eq.pk = ids[eq.tag]
    for eq in rows:
        piece = Piece(eq, codes.prefix_at(eq.region_id, "county"),
                      last=aware(sim.start, 8) - datetime.timedelta(days=rng.randint(0, 30)))
        sim.pieces.append(piece)
        sim.by_county.setdefault(piece.county, []).append(piece)


def known_broken(sim: Simulation) -> list[tuple[Piece, str, str]]:
    """Pieces the counties' own registers listed as broken when they were entered (the counties that
    do not inspect on the platform yet): (piece, status, reason), set through the register."""
    rng, out = sim.rng, []
    reasons = {Equipment.Status.DEFECTIVE: ["转动部件损坏，待维修", "螺栓缺失，待维修", "座椅破损，待维修"],
               Equipment.Status.OUT_OF_SERVICE: ["主体锈蚀断裂，已停用待更换", "基础松动，已围挡停用"]}
    pilots = {codes.prefix_at(c.code, "county") for c in sim.pilots}
    for piece in sim.pieces:
        if piece.county in pilots:
            continue
        if rng.random() < (0.012 if piece.past_life(sim.now) else 0.004):
            status = Equipment.Status.OUT_OF_SERVICE if rng.random() < 0.25 else Equipment.Status.DEFECTIVE
            piece.keep = True
            out.append((piece, status, rng.choice(reasons[status])))
    return out
