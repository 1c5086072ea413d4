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
  bulk_create after the services' own checks (register.clean, register.place): a service call each
  would take minutes. A round's status and times follow from its checks as record_check sets them;
- a piece already reported broken (its order still open) is recorded as a defect without a second
  order, as an inspector would.
The counties that do not inspect on the platform yet entered their registers with a few pieces
already broken (register.set_status, with the reason).

Times hang on today's date rather than on the moment the demo runs, and each report draws from its
own random stream, so that the same seed gives the same city on the same day.
"""

from __future__ import annotations

import datetime
import io
import math
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import demo as accounts_demo
from quanmin.accounts import services as accounts
from quanmin.accounts.crypto import lookup_hash
from quanmin.accounts.models import DIVISION_ROLES, Membership, Role, User
from quanmin.core import bulk
from quanmin.facilities import equipment as register
from quanmin.facilities import equipment_types
from quanmin.facilities.demo import short
from quanmin.facilities.models import Equipment, Facility, Site
from quanmin.feedback import routing
from quanmin.feedback import services as feedback
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import checklists, inspections, services, units
from .models import (
    Check,
    InspectionKind,
    InspectionPlan,
    InspectionRound,
    MaintenanceUnit,
    WorkOrder,
)

S = WorkOrder.Status
HISTORY_DAYS = 182
PILOTS = 2  # the first two counties (the city's districts) inspect on the platform
# Monthly chance that a piece breaks: young, and past its design life (smart pieces twice as often).
HAZARD_YOUNG, HAZARD_OLD = 0.0045, 0.013
REPORTS = 110  # at most, over the half year: about one a year for every 150 pieces
UNANSWERED = 100000  # the numbers of the reports still waiting for an answer
RESIDENT = 200000  # and of the demo resident's two
REPLACEMENTS = 10
STAFF = [  # phone, name, what
    ("13800000020", "孟庆华", "inspector"),  # 东昌府区: half the townships, the park's daily round, specials
    ("13800000021", "贾春生", "inspector"),  # 东昌府区: the other townships
    ("13800000022", "范立新", "inspector"),  # 茌平区
    ("13800000023", "邢建军", "unit"),  # 东昌府区's maintenance unit
    ("13800000024", "侯晓燕", "unit"),  # the city's smart-equipment contractor
]
UNIT_STAFF_PHONE = "138000000{:02d}"  # 40 + n: staff of the other counties' units (not listed)
RESIDENT_PHONE = "13900000001"

# Equipment ------------------------------------------------------------------------------------------
KINDS = [("air_walker", 10), ("waist_twister", 9), ("tai_chi_wheel", 6), ("shoulder_wheel", 6),
         ("back_massager", 5), ("leg_press", 5), ("chest_press", 4), ("pull_down", 4), ("rider", 5),
         ("stepper", 4), ("bicycle", 4), ("swing_seat", 3), ("pendulum", 3), ("horizontal_bar", 4),
         ("parallel_bars", 4), ("stretcher", 4), ("sit_up_board", 4), ("leg_stretch", 5), ("balance_beam", 2),
         ("ladder", 3), ("elliptical", 5)]
MAKERS = [("山东泰健体育器材有限公司", "TJ"), ("宁津县康乐健身器材厂", "KL"), ("德州鲁健体育用品有限公司", "LJ"),
          ("河北奥康体育设施有限公司", "AK"), ("聊城华宇健身器材有限公司", "HY"), ("江苏金陵全民健身器材有限公司", "JL")]
SMART_MAKERS = [("山东智体科技有限公司", "ZT"), ("青岛云动智能健身设备有限公司", "YD")]

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

# Reports --------------------------------------------------------------------------------------------
CATEGORY_WEIGHTS = [("equipment", 50), ("facility", 12), ("hygiene", 10), ("lighting", 10), ("opening", 8),
                    ("service", 4), ("other", 6)]
EQUIPMENT_PROBLEMS = ["螺丝松了，晃得厉害", "转不动了，卡住了", "踏板断了一边，老人踩上去差点摔倒", "座椅裂开了，容易夹手",
                      "锈得很厉害，一摸掉渣", "有根管子开焊了，很危险", "转起来咯吱咯吱响", "扶手松动，扶着不安全"]
SMART_PROBLEMS = ["屏幕不亮了，扫码也没反应", "显示屏碎了", "电线露在外面，下雨天怕漏电"]
SITE_PROBLEMS = {
    "facility": ["篮球场地面开裂，打球容易崴脚", "健身广场地砖松动翘起，晚上容易绊倒", "塑胶地面破损起皮", "乒乓球台台面开裂"],
    "hygiene": ["健身区垃圾桶满了好几天没人清理", "器材周围有很多碎玻璃，孩子在这里玩很危险", "器材上贴满了小广告"],
    "lighting": ["晚上广场的路灯不亮，锻炼的人看不清", "灯光篮球场晚上不开灯", "步道照明坏了好几盏"],
    "opening": ["说是周末对外开放，周六早上去大门锁着", "公示的免费开放时段，去了说要收费", "早上八点半还没开门"],
    "service": ["工作人员态度不好", "预约了场地，到现场说被占用了"],
    "other": ["希望在健身点增加遮阳棚和座椅", "建议增加儿童活动设施", "健身路径附近缺少饮水点"],
}
ANSWERS = {
    "equipment": "工作人员已到现场紧固处理，器材恢复正常使用。感谢您的反映！",
    "facility": "已对破损地面进行修补，现已恢复使用。感谢您的反映！",
    "hygiene": "已通知社区保洁人员清理，并增加了清运频次。",
    "lighting": "已更换损坏灯具，照明恢复正常。",
    "opening": "已核实并督促管理单位按公示时间开放，如再遇到请拨打热线反映。",
    "service": "已对相关工作人员进行批评教育，并加强服务培训。",
    "other": "您的建议已记录，将在明年健身设施更新计划中统筹考虑。",
}
FIRST_ANSWERS = ["您好，您反映的问题已收到，已安排工作人员到现场核实，处理结果会及时告知您。",
                 "您好，已收到您的反映，已转维修单位处理，修复后会通知您。",
                 "已受理，我们会尽快安排处理。"]
REJECTIONS = {
    "duplicate": "经核实，该器材已在维修中（巡检已发现并派单），属重复反映，修复后即恢复使用。",
    "fine": "经现场核实，器材运转正常，未发现所述问题。如仍有问题，请拍照后再次反映。",
    "private": "该场所为小区物业自建设施，不属于公共体育设施，已告知物业处理。",
    "notice": "经核实，该时段场馆因承办赛事临时闭馆，已提前公示，请关注场馆公告。",
}
RATING_COMMENTS = {5: ["修得很快，点赞！", "处理及时，服务很好", "效率很高，谢谢", ""], 4: ["已经修好了", "处理了，就是慢了点", ""],
                   3: ["等了好几天才处理", ""], 2: ["回复太慢", "修了没多久又坏了"], 1: ["问题没解决", "一直没人来修"]}


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _hours(h: float) -> datetime.timedelta:
    return datetime.timedelta(hours=h)


def _weighted(rng: random.Random, pairs):
    total = sum(w for _k, w in pairs)
    x = rng.uniform(0, total)
    for key, weight in pairs:
        x -= weight
        if x <= 0:
            return key
    return pairs[-1][0]


def _name(rng: random.Random) -> str:
    return rng.choice(accounts_demo.SURNAMES) + "".join(
        rng.choice(accounts_demo.GIVEN) for _ in range(rng.choice((1, 2))))


def _image(rng: random.Random, label: str) -> ContentFile:
    """A small JPEG standing in for a phone photo."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 360), (rng.randint(90, 140), rng.randint(110, 150), rng.randint(90, 120)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((150, 60, 330, 330), outline=(60, 60, 60), width=6)
    draw.line((150, 200, 330, 200), fill=(200, 90, 40), width=8)
    draw.text((16, 16), f"DEMO {label}", fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    return ContentFile(buf.getvalue(), name=f"{label}.jpg")


# --- what the simulation keeps ---------------------------------------------------------------------------

@dataclass
class Piece:
    eq: Equipment
    county: str
    last: datetime.datetime  # last known to be whole
    busy_until: datetime.datetime | None = None  # broken and reported: until the repair is verified
    busy: OrderPlan | None = None
    keep: bool = False  # chosen for replacement: breaks no further in the demo
    removed_at: datetime.datetime | None = None

    def is_busy(self, t) -> bool:
        return self.busy is not None and (self.busy_until is None or t < self.busy_until)

    def past_life(self, t) -> bool:
        due = self.eq.replace_due
        return due is not None and due <= timezone.localdate(t)


@dataclass
class OrderPlan:
    source: str
    kind: str
    severity: str
    t0: datetime.datetime
    description: str = ""
    piece: Piece | None = None
    facility: Facility | None = None
    unit: MaintenanceUnit | None = None
    reassign: tuple | None = None  # (unit, when)
    t_start: datetime.datetime | None = None
    t_done: datetime.datetime | None = None
    t_verify: datetime.datetime | None = None
    t_cancel: datetime.datetime | None = None
    cancel_reason: str = ""
    resolution: str = ""
    final: str = S.OPEN
    items: list = field(default_factory=list)
    note: str = ""
    round: InspectionRound | None = None
    photos: bool = False
    manager: User | None = None
    order: WorkOrder | None = None


@dataclass
class Seen:
    """One piece checked on a round, as the simulation decided it."""
    round: InspectionRound
    piece: Piece
    t: datetime.datetime
    result: str
    items: list
    note: str = ""
    order: OrderPlan | None = None
    by_service: bool = False  # a new defect: recorded through inspections.record_check


@dataclass
class ReportPlan:
    t0: datetime.datetime
    category: str
    county: str
    description: str
    phone: str
    piece: Piece | None = None
    site: Site | None = None
    reporter: User | None = None
    path: str = "respond"  # respond (and resolve), work_order, reject
    respond_first: bool = False
    reject_reason: str = ""
    t_resp: datetime.datetime | None = None
    t_res: datetime.datetime | None = None
    t_rate: datetime.datetime | None = None
    respond_by: datetime.datetime | None = None
    resolve_by: datetime.datetime | None = None
    rating: int | None = None
    comment: str = ""
    order: OrderPlan | None = None
    photo: bool = False


# --- the loader ----------------------------------------------------------------------------------------------

class Demo:
    def __init__(self, city: Region, rng: random.Random):
        self.city, self.rng = city, rng
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.start = self.today - datetime.timedelta(days=HISTORY_DAYS)
        # Times hang on today's date, not on the moment the demo runs: the same seed, the same city.
        self.midnight = _aware(self.today, 0)
        self.counties = list(Region.objects.filter(parent=city, level=Region.Level.COUNTY).order_by("code"))
        self.pilots = self.counties[:PILOTS]
        self.staff = {}  # division code -> first division staff user
        for m in (Membership.objects.filter(role__in=list(DIVISION_ROLES), region__code__within=city.prefix)
                  .select_related("user").order_by("id")):
            self.staff.setdefault(m.region_id, m.user)
        self.city_staff = self.staff.get(city.code) or User.objects.filter(is_superuser=True).order_by("pk").first()
        self.units: dict[str, MaintenanceUnit] = {}
        self.smart_unit: MaintenanceUnit | None = None
        self.workers: dict[int, User] = {}  # unit id -> its staff member
        self.pieces: list[Piece] = []
        self.by_county: dict[str, list[Piece]] = {}
        self.orders: list[OrderPlan] = []
        self.reports: list[ReportPlan] = []
        self.checks: list[Seen] = []
        self.walked: dict[int, list] = {}  # round id -> [(piece, t)]
        self.expected: dict[int, int] = {}  # round id -> pieces it had when walked
        self.inspectors: dict[int, User] = {}
        self.sites_by_county: dict[tuple, list[Site]] = {}

    # -- people and settings --------------------------------------------------------------------------------
    def manager_for(self, region_code: str) -> User:
        """The division staff who manage orders and answer reports there: the county's, else the city's."""
        return self.staff.get(codes.ancestor_at(region_code, "county")) or self.city_staff

    def settings(self) -> None:
        rng = self.rng
        feedback.save_settings(self.city, actor=self.city_staff, hotline="12345", response_working_days=1,
                               resolution_working_days=5)
        for county in self.counties:
            feedback.save_settings(county, actor=self.city_staff, hotline=f"0635-8{rng.randint(0, 999999):06d}",
                                   response_working_days=rng.choice((1, 1, 2)),
                                   resolution_working_days=rng.choice((5, 5, 7)))

    def make_units(self) -> None:
        rng = self.rng
        suffixes = ["体育设施工程有限公司", "健身器材维修服务部", "市政设施维护有限公司", "体育工程有限公司"]
        for n, county in enumerate(self.counties):
            name = (f"{county.name}全民健身器材维护站" if n == 0
                    else f"{short(county.name)[:2]}{rng.choice(('鲁康', '恒信', '宏达', '利民', '安泰'))}{suffixes[n % 4]}")
            self.units[county.code] = units.create_unit(
                actor=self.city_staff, region=county, name=name, contact=_name(rng),
                phone=f"0635-8{rng.randint(0, 999999):06d}")
        self.smart_unit = units.create_unit(actor=self.city_staff, region=self.city, name="聊城智体健身设施运维有限公司",
                                               contact=_name(rng), phone=f"0635-8{rng.randint(0, 999999):06d}")
        ended = units.create_unit(actor=self.city_staff, region=self.counties[0], name="聊城宏远体育器材维修部",
                                     contact=_name(rng), phone=f"0635-8{rng.randint(0, 999999):06d}")
        units.deactivate_unit(ended, actor=self.city_staff)

    def make_accounts(self) -> dict:
        """Inspectors bound to a site in each township they cover; unit staff made now, given the role at the
        end (the historical orders notify nobody)."""
        people = {}
        for k, (phone, name, _what) in enumerate(STAFF):
            people[phone] = accounts_demo._account(
                phone, name, accounts_demo.make_id_number(self.counties[0].code, f"1978{k + 3:02d}1{k}", 60 + k, k % 2 == 0),
                self.counties[0])
        self.workers[self.units[self.counties[0].code].pk] = people["13800000023"]
        self.workers[self.smart_unit.pk] = people["13800000024"]
        for n, county in enumerate(self.counties[1:], start=1):
            phone = UNIT_STAFF_PHONE.format(40 + n)
            self.workers[self.units[county.code].pk] = accounts_demo._account(
                phone, _name(self.rng), accounts_demo.make_id_number(county.code, f"1982{n:02d}15", 70 + n, True),
                county)
        return people

    def bind_inspector(self, user: User, township: Region) -> None:
        site = (Site.objects.filter(region__code__within=township.prefix, status=Site.Status.OPEN,
                                    owner_kind=Site.OwnerKind.GOVERNMENT).order_by("id").first()
                or Site.objects.filter(region__code__within=township.prefix).order_by("id").first())
        if site is not None:
            accounts.grant_membership(user, Role.INSPECTOR, site.region, target=site)

    # -- the register ------------------------------------------------------------------------------------
    def install_date(self, year: int) -> datetime.date:
        last = self.today - datetime.timedelta(days=45)
        year = min(year, last.year)
        first = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), last)
        return first + datetime.timedelta(days=self.rng.randint(0, max((end - first).days, 0)))

    def equipment(self) -> None:
        rng, today = self.rng, self.today
        used = set(Equipment.objects.values_list("tag", flat=True))
        models_: dict = {}
        numbers: dict[str, int] = {}
        rows: list[Equipment] = []
        facilities = (Facility.objects.filter(region__code__within=self.city.prefix, site__status=Site.Status.OPEN,
                                              type__in=("fitness_path", "smart_station", "table_tennis"))
                      .select_related("site", "region").order_by("id"))

        def tag() -> str:
            while True:
                value = "".join(rng.choice(register.TAG_ALPHABET) for _ in range(register.TAG_LENGTH))
                if value not in used:
                    used.add(value)
                    return value

        def add(f: Facility, kind: str, maker: tuple, installed: datetime.date) -> None:
            info = register.check_kind(kind)
            if (maker, kind) not in models_:
                abbr = "".join(w[0] for w in kind.split("_")).upper()
                models_[(maker, kind)] = f"{maker[1]}-{abbr}{rng.randint(101, 899)}"
            county = codes.prefix_at(f.region_id, "county")
            numbers[county] = numbers.get(county, 0) + 1
            data = register.clean({"install_date": installed, "design_life_years": info.design_life_years,
                                   "maker": maker[0], "model": models_[(maker, kind)],
                                   "serial": f"{maker[1]}{installed:%y%m}{rng.randint(0, 99999):05d}", "smart": False})
            piece = Equipment(kind=info.code, tag=tag(), external_id=f"{county}-{numbers[county]:06d}", **data)
            piece.smart = info.group == "smart"
            register.place(piece, f)
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
                    add(f, "table_tennis", maker, self.install_date(built))
                continue
            if f.type == "smart_station":
                smart = rng.choice(SMART_MAKERS)
                installed = self.install_date(max(built, 2019))
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
                kind = _weighted(rng, KINDS)
                if kind not in kinds:
                    kinds.append(kind)
            installed = self.install_date(built)
            for kind in kinds:
                when = installed
                if rng.random() < 0.1 and installed.year + 3 < today.year:  # one machine replaced on its own
                    when = self.install_date(rng.randint(installed.year + 3, today.year))
                add(f, kind, maker, when)
            if f.smart:
                smart = rng.choice(SMART_MAKERS)
                installed = self.install_date(max(built, 2019))
                for _ in range(rng.choice((1, 2))):
                    add(f, rng.choice(("smart_bike", "smart_elliptical")), smart, installed)
                if rng.random() < 0.5:
                    add(f, "smart_kiosk", smart, installed)
        # The register was entered when the platform started, half a year ago.
        entered = _aware(self.start - datetime.timedelta(days=20), 10)
        for eq in rows:
            eq.created_at = eq.updated_at = entered
        bulk.insert_rows(rows)
        ids = dict(Equipment.objects.filter(region__code__within=self.city.prefix).values_list("tag", "pk"))
        for eq in rows:
            eq.pk = ids[eq.tag]
        for eq in rows:
            piece = Piece(eq, codes.prefix_at(eq.region_id, "county"),
                          last=_aware(self.start, 8) - datetime.timedelta(days=rng.randint(0, 30)))
            self.pieces.append(piece)
            self.by_county.setdefault(piece.county, []).append(piece)

    def known_broken(self) -> list[tuple[Piece, str, str]]:
        """Pieces the counties' own registers listed as broken when they were entered (the counties that
        do not inspect on the platform yet): (piece, status, reason), set through the register."""
        rng, out = self.rng, []
        reasons = {Equipment.Status.DEFECTIVE: ["转动部件损坏，待维修", "螺栓缺失，待维修", "座椅破损，待维修"],
                   Equipment.Status.OUT_OF_SERVICE: ["主体锈蚀断裂，已停用待更换", "基础松动，已围挡停用"]}
        pilots = {codes.prefix_at(c.code, "county") for c in self.pilots}
        for piece in self.pieces:
            if piece.county in pilots:
                continue
            if rng.random() < (0.012 if piece.past_life(self.now) else 0.004):
                status = Equipment.Status.OUT_OF_SERVICE if rng.random() < 0.25 else Equipment.Status.DEFECTIVE
                piece.keep = True
                out.append((piece, status, rng.choice(reasons[status])))
        return out

    # -- plans and rounds ------------------------------------------------------------------------------
    def plans(self, people: dict) -> list[tuple[InspectionPlan, dict]]:
        """(plan, how reliably it is walked) for the pilot districts."""
        rng, today = self.rng, self.today
        main, neighbour = self.pilots[0], self.pilots[1] if len(self.pilots) > 1 else None
        a, b, c = people["13800000020"], people["13800000021"], people["13800000022"]
        out = []

        def plan(actor, data, starts: datetime.date, reliability: dict, facilities=None):
            data = {**data, "starts_on": starts}
            if facilities is not None:
                data["facilities"] = facilities
            p = inspections.create_plan(actor=actor, data=data, today=today)
            inspections.generate_rounds(p, today=today, since=starts)
            # Made a few days before its first round.
            InspectionPlan.objects.filter(pk=p.pk).update(created_at=_aware(starts - datetime.timedelta(days=5), 10))
            out.append((p, reliability))
            return p

        townships = list(Region.objects.filter(parent=main).order_by("code"))
        monthly = {"done": 0.92, "partial": 0.03}
        walker = {}
        for n, township in enumerate(townships):
            inspector = self.staff.get(township.code)
            if inspector is None:
                inspector = a if n % 2 else b
                self.bind_inspector(inspector, township)
            walker[township.code] = inspector
            plan(self.manager_for(main.code), {
                "name": f"{short(township.name)}健身器材月度检查", "kind": InspectionKind.PERIODIC, "region": township,
                "inspector": inspector, "every_days": 30, "days_to_complete": 10},
                self.cycle_start(30, 3 + 7 * n + rng.randint(0, 2)), monthly)
        parks = list(Facility.objects.filter(region__code__within=main.prefix, type="fitness_path",
                                             site__owner_kind=Site.OwnerKind.GOVERNMENT, site__status=Site.Status.OPEN)
                     .filter(site__name__regex=r"(体育公园|健身步道)").order_by("id"))
        if parks:
            plan(self.manager_for(main.code), {
                "name": f"{main.name}体育公园及健身步道日常巡查", "kind": InspectionKind.DAILY, "region": main,
                "inspector": a, "every_days": 1, "days_to_complete": 1},
                today - datetime.timedelta(days=120), {"done": 0.9, "partial": 0.02, "sunday": 0.65}, parks)
        community = Region.objects.filter(code__in=list(self.staff), level=Region.Level.COMMUNITY,
                                          code__within=main.prefix).order_by("code").first()
        if community is not None:
            keeper = self.staff[community.code]
            plan(keeper, {"name": f"{short(community.name)}健身器材每周巡查", "kind": InspectionKind.DAILY,
                          "region": community, "inspector": keeper, "every_days": 7, "days_to_complete": 2},
                 self.start + datetime.timedelta(days=3), {"done": 0.95, "partial": 0.0})
        smart = list(Facility.objects.filter(region__code__within=main.prefix, equipment__smart=True)
                     .distinct().order_by("id")[:500])
        if smart:
            day = today - datetime.timedelta(days=75)
            plan(self.manager_for(main.code), {
                "name": "智能健身器材用电安全专项检查", "kind": InspectionKind.SPECIAL, "region": main, "inspector": a,
                "every_days": 1, "days_to_complete": 10, "ends_on": day, "focus": "供电线缆破损、漏电隐患，显示屏与感应装置"},
                day, {"done": 1.0, "partial": 0.0}, smart)
        if len(townships) > 1:
            day = today - datetime.timedelta(days=40)
            plan(self.manager_for(main.code), {
                "name": f"{short(townships[1].name)}雨季过后专项检查", "kind": InspectionKind.SPECIAL,
                "region": townships[1], "inspector": walker[townships[1].code], "every_days": 1,
                "days_to_complete": 7, "ends_on": day, "focus": "暴雨后基础松动、锈蚀，安全区域积水"},
                day, {"done": 1.0, "partial": 0.0})
        if parks:
            day = today + datetime.timedelta(days=3)
            plan(self.manager_for(main.code), {
                "name": "节假日前健身器材安全专项检查", "kind": InspectionKind.SPECIAL, "region": main, "inspector": a,
                "every_days": 1, "days_to_complete": 3, "ends_on": day, "focus": "主体结构、紧固件与安全区域"},
                day, {"done": 1.0, "partial": 0.0}, parks)
        if neighbour is not None:
            for township in Region.objects.filter(parent=neighbour).order_by("code"):
                inspector = self.staff.get(township.code)
                if inspector is None:
                    inspector = c
                    self.bind_inspector(c, township)
                plan(self.manager_for(neighbour.code), {
                    "name": f"{short(township.name)}健身器材定期检查", "kind": InspectionKind.PERIODIC, "region": township,
                    "inspector": inspector, "every_days": 60, "days_to_complete": 15},
                    self.cycle_start(60, rng.randint(0, 59)), {"done": 0.85, "partial": 0.05})
        return out

    def cycle_start(self, every: int, phase: int) -> datetime.date:
        """The first date of a plan whose rounds fall every `every` days from the start of the history,
        the last of them `phase` days before today (spread over the plans, so that at any date some
        rounds are under way)."""
        return self.start + datetime.timedelta(days=((self.today - self.start).days - phase) % every)

    def walk_days(self, r: InspectionRound, days_to_complete: int, n_sites: int) -> list[datetime.date]:
        """The days an inspector walks a round: weekdays of its window up to today (today only after 09:30)."""
        window = [r.scheduled_for + datetime.timedelta(days=k) for k in range(days_to_complete)]
        late_enough = timezone.localtime(self.now).time() >= datetime.time(9, 30)
        window = [d for d in window if d < self.today or (d == self.today and late_enough)]
        if not window:
            return []
        weekdays = [d for d in window if d.weekday() < 5] or window
        wanted = min(len(weekdays), max(1, math.ceil(n_sites / self.rng.randint(8, 14))))
        return sorted(self.rng.sample(weekdays, wanted))

    def round_events(self, plans) -> list[tuple]:
        """Check events (time, round, piece) of every round dated today or earlier."""
        rng, today = self.rng, self.today
        events = []
        for plan, reliability in plans:
            prefix = codes.prefix(plan.region_id)
            facility_ids = set(plan.facilities.values_list("pk", flat=True))
            scope = [p for p in self.by_county.get(codes.prefix_at(plan.region_id, "county"), [])
                     if codes.in_subtree(p.eq.region_id, prefix)
                     and (not facility_ids or p.eq.facility_id in facility_ids)]
            for r in plan.rounds.filter(scheduled_for__lte=today).order_by("scheduled_for"):
                day0 = _aware(r.scheduled_for, 0)
                pieces = [p for p in scope if p.removed_at is None or p.removed_at > day0]
                self.expected[r.pk] = len(pieces)
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
                days = self.walk_days(r, plan.days_to_complete, len(groups))
                if not days:
                    continue
                per_day = math.ceil(len(groups) / len(days))
                for k, day in enumerate(days):
                    t = _aware(day, 8, 20) + datetime.timedelta(minutes=rng.randint(0, 50))
                    for group in groups[k * per_day:(k + 1) * per_day]:
                        t += datetime.timedelta(minutes=rng.randint(4, 18))
                        if datetime.time(11, 40) <= timezone.localtime(t).time() < datetime.time(14, 0):
                            t = _aware(day, 14, 30) + datetime.timedelta(minutes=rng.randint(0, 20))
                        for p in group:
                            t += datetime.timedelta(seconds=rng.randint(60, 200))
                            if t < self.now - datetime.timedelta(minutes=5):
                                events.append((t, 0, len(events), r, p))
        return events

    # -- orders ---------------------------------------------------------------------------------------------
    def lifecycle(self, op: OrderPlan, *, stuck: float = 0.04, slow: float = 0.15,
                  rng: random.Random | None = None) -> None:
        """When the order was started, done and verified, and where it stands now."""
        rng, now = rng or self.rng, self.now
        (s0, s1), (w0, w1) = DURATIONS[op.severity]
        if op.t_cancel is not None:
            op.final = S.CANCELLED if op.t_cancel <= now else (S.ASSIGNED if op.unit else S.OPEN)
            if op.final != S.CANCELLED:
                op.t_cancel = None
            return
        if op.unit is None:
            op.final = S.OPEN
            return
        op.t_start = op.t0 + _hours(rng.uniform(s0, s1) * (rng.uniform(2, 4) if rng.random() < slow else 1))
        op.t_done = None if rng.random() < stuck else op.t_start + _hours(rng.uniform(w0, w1))
        op.t_verify = op.t_done + _hours(rng.uniform(10, 100)) if op.t_done else None
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

    def defect(self, r: InspectionRound, piece: Piece, t: datetime.datetime) -> OrderPlan:
        rng = self.rng
        allowed = [i.code for i in checklists.for_kind(piece.eq.kind)]
        pairs = [(code, ITEM_WEIGHTS.get(code, 1)) for code in allowed]
        items = [_weighted(rng, pairs)]
        if rng.random() < 0.2:
            second = _weighted(rng, pairs)
            if second not in items:
                items.append(second)
        items = [c for c in allowed if c in items]
        note = rng.choice(NOTES[items[0]]) if rng.random() < 0.6 and items[0] in NOTES else ""
        op = OrderPlan(source=WorkOrder.Source.INSPECTION, kind=WorkOrder.Kind.REPAIR,
                       severity=checklists.worst_severity(items) or "normal", t0=t, piece=piece, items=items, note=note,
                       round=r, unit=self.units.get(codes.ancestor_at(piece.eq.region_id, "county")),
                       resolution="".join(RESOLUTIONS[c] for c in items if c in RESOLUTIONS),
                       manager=self.manager_for(piece.eq.region_id))
        if piece.eq.smart and self.smart_unit is not None:
            op.reassign = (self.smart_unit, _hours(rng.uniform(1, 6)))
        self.lifecycle(op)
        return op

    def settle(self, rp: ReportPlan) -> None:
        """The demo resident's older report: repaired within the week, checked, and rated five stars."""
        op = rp.order
        op.t_start, op.final = op.t0 + _hours(20), S.VERIFIED
        op.t_done, op.t_verify = op.t_start + _hours(3), op.t_start + _hours(30)
        rp.t_res, rp.t_rate, rp.rating, rp.comment = op.t_verify, op.t_verify + _hours(5), 5, RATING_COMMENTS[5][0]
        rp.piece.busy_until = op.t_verify

    def unsettle(self, rp: ReportPlan) -> None:
        """Her recent one: the unit is on it."""
        op = rp.order
        op.final, op.t_done, op.t_verify = S.IN_PROGRESS, None, None
        op.t_start = min(op.t_start, op.t0 + (self.midnight - op.t0) / 2)
        rp.t_res = rp.t_rate = rp.rating = None
        rp.comment = ""
        rp.piece.busy_until = None

    def occupy(self, piece: Piece, op: OrderPlan) -> None:
        piece.busy = op
        piece.busy_until = op.t_verify if op.final == S.VERIFIED else None

    # -- reports --------------------------------------------------------------------------------------------
    def report_times(self) -> list[tuple]:
        """When residents report, each report with its own random stream: times hang on today's date,
        not on the moment the demo runs, so that the same seed gives the same reports."""
        rng, first, midnight = self.rng, _aware(self.start, 7), self.midnight
        span = (midnight - first).total_seconds()
        times = []
        count = max(30, min(REPORTS, len(self.pieces) // 150))
        for k in range(count):
            t = first + datetime.timedelta(seconds=rng.uniform(0, span))
            if not 7 <= timezone.localtime(t).hour < 21:
                t += _hours(rng.randint(9, 12))
            if t >= midnight:
                t = midnight - _hours(rng.uniform(3, 8))
            times.append((t, 1, k, rng.getrandbits(64), None))
        # A few not answered yet: three from the last day or so, one forgotten for two weeks.
        for k, (lo, hi) in enumerate(((3, 30), (3, 30), (3, 30), (290, 320))):
            times.append((midnight - _hours(rng.uniform(lo, hi)), 1, UNANSWERED + k, rng.getrandbits(64), None))
        times.append((midnight - datetime.timedelta(days=40, hours=-10), 1, RESIDENT, rng.getrandbits(64), None))
        times.append((midnight - datetime.timedelta(days=2, hours=-9), 1, RESIDENT + 1, rng.getrandbits(64), None))
        return times

    def report(self, t: datetime.datetime, rng: random.Random, resident: User | None = None,
               forced: str | None = None, unanswered: bool = False, reject: bool = False,
               path: str | None = None) -> ReportPlan | None:
        """One report received at `t`, and what happened to it (`reject`: it is not accepted; `path`: the
        way it goes, answered in time)."""
        prefixes = {c.code: codes.prefix_at(c.code, "county") for c in self.counties}
        weights = [(prefixes[c.code], len(self.by_county.get(prefixes[c.code], [])) * (1.5 if c in self.pilots else 1))
                   for c in self.counties]
        county = (codes.prefix_at(resident.home_region_id, "county") if resident is not None and resident.home_region_id
                  else _weighted(rng, weights))
        category = forced or _weighted(rng, CATEGORY_WEIGHTS)
        phone = f"139{20000000 + len(self.reports):08d}"
        if resident is not None:
            phone = RESIDENT_PHONE
        rp = ReportPlan(t0=t, category=category, county=county, description="", phone=phone, reporter=resident)
        if category == "equipment":
            pool = self.by_county.get(county, [])
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
            sites = self.sites_by_county.get((county, category == "opening"), []) or self.sites_by_county.get(
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
        rp.respond_by, rp.resolve_by = routing.deadlines(region_code, t)
        late = rng.random() < 0.12 and path is None
        if path is not None:
            rp.t_resp = t + _hours(rng.uniform(1, 4))
        elif late:
            rp.t_resp = rp.respond_by + _hours(rng.uniform(2, 60))
        else:
            rp.t_resp = t + (rp.respond_by - t) * rng.uniform(0.05, 0.8)
        if rp.t_resp > self.now or unanswered:
            rp.t_resp = None
            return rp
        if rp.path == "work_order":
            rp.respond_first = rng.random() < 0.5
            t_wo = rp.t_resp + (_hours(rng.uniform(1, 4)) if rp.respond_first else datetime.timedelta())
            if t_wo > self.now:
                rp.path = "respond"
                return rp
            severity = "high" if rng.random() < 0.3 else ("urgent" if rng.random() < 0.05 else "normal")
            op = OrderPlan(source=WorkOrder.Source.REPORT, kind=WorkOrder.Kind.REPAIR, severity=severity, t0=t_wo,
                           piece=rp.piece, unit=self.units.get(codes.ancestor_at(region_code, "county")),
                           resolution=ANSWERS["equipment"] if rp.piece else ANSWERS["facility"],
                           manager=self.manager_for(region_code))
            self.lifecycle(op, stuck=0.03, rng=rng)
            rp.order = op
            if op.final == S.VERIFIED:
                rp.t_res = op.t_verify
            if rp.piece is not None:
                rp.piece.busy, rp.piece.busy_until = op, (op.t_verify if op.final == S.VERIFIED else None)
        elif rp.path == "respond":
            late_res = rng.random() < 0.1
            rp.t_res = (rp.resolve_by + _hours(rng.uniform(4, 96)) if late_res
                        else rp.t_resp + (max(rp.resolve_by - rp.t_resp, _hours(2))) * rng.uniform(0.1, 0.9))
            if rp.t_res > self.now:
                rp.t_res = None
        else:  # reject: at once
            rp.t_res = rp.t_resp
        if rp.t_res is not None:
            late = late or rp.t_res > rp.resolve_by
            if rng.random() < (0.4 if rp.path == "reject" else 0.7):
                t_rate = rp.t_res + _hours(rng.uniform(1, 72))
                if t_rate < self.now:
                    rp.t_rate = t_rate
                    if rp.path == "reject":
                        rp.rating = rng.choice((1, 2, 3, 3, 4))
                    else:
                        rp.rating = rng.choice((2, 3, 3, 4, 4, 5) if late else (3, 4, 4, 5, 5, 5, 5, 5))
                    rp.comment = rng.choice(RATING_COMMENTS[rp.rating])
        return rp

    # -- simulation ---------------------------------------------------------------------------------------------
    def simulate(self, plans) -> None:
        rng = self.rng
        for site in (Site.objects.filter(region__code__within=self.city.prefix, status=Site.Status.OPEN,
                                         owner_kind__in=[Site.OwnerKind.COMMUNITY, Site.OwnerKind.GOVERNMENT,
                                                         Site.OwnerKind.SCHOOL]).order_by("id")):
            opening = site.owner_kind != Site.OwnerKind.COMMUNITY
            self.sites_by_county.setdefault((codes.prefix_at(site.region_id, "county"), opening), []).append(site)
            if not opening:
                continue
            self.sites_by_county.setdefault((codes.prefix_at(site.region_id, "county"), False), []).append(site)
        events = self.round_events(plans) + self.report_times()
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        resident = User.objects.filter(phone_hash=lookup_hash(RESIDENT_PHONE), home_region__isnull=False).first()
        for t, what, seq, r, piece in events:
            if what == 1 and seq >= RESIDENT:
                # The demo resident's two reports: one repaired and rated, one being repaired now.
                rp = self.report(t, random.Random(r), resident=resident, forced="equipment", path="work_order") \
                    if resident is not None else None
                if rp is not None and rp.order is not None:
                    self.settle(rp) if seq == RESIDENT else self.unsettle(rp)
                    self.reports.append(rp)
                    self.orders.append(rp.order)
                continue
            if what == 1:
                rp = self.report(t, random.Random(r), unanswered=seq >= UNANSWERED, reject=seq % 12 == 5)
                if rp is not None:
                    self.reports.append(rp)
                    if rp.order is not None:
                        self.orders.append(rp.order)
                continue
            self.walked.setdefault(r.pk, []).append((piece, t))
            if piece.is_busy(t):
                op = piece.busy
                self.checks.append(Seen(r, piece, t, Check.Result.DEFECT, list(op.items), "", op))
                continue
            if piece.busy is not None:  # repaired since
                piece.last, piece.busy, piece.busy_until = max(piece.last, piece.busy_until), None, None
            monthly = HAZARD_OLD if piece.past_life(t) else HAZARD_YOUNG
            if piece.eq.smart:
                monthly *= 2
            chance = 1 - (1 - monthly) ** (max((t - piece.last).total_seconds(), 0) / (30 * 86400))
            if not piece.keep and rng.random() < chance:
                op = self.defect(r, piece, t)
                self.orders.append(op)
                self.occupy(piece, op)
                self.checks.append(Seen(r, piece, t, Check.Result.DEFECT, op.items, op.note, op, by_service=True))
            else:
                piece.last = t
                self.checks.append(Seen(r, piece, t, Check.Result.OK, []))

    # -- writing -----------------------------------------------------------------------------------------------
    def apply(self, op: OrderPlan) -> None:
        """Take a created order through its life with the services, each step at its time."""
        order = op.order
        manager = op.manager or self.city_staff
        if op.reassign is not None and op.final != S.CANCELLED:
            unit, when = op.reassign
            order = services.assign(order, unit, actor=manager, now=when)
        worker = self.workers.get(order.unit_id)
        if op.photos:
            self.photo(order, "before", op.t0 + _hours(1), worker or manager)
        if op.final == S.CANCELLED:
            order = services.cancel(order, actor=manager, reason=op.cancel_reason, now=op.t_cancel)
        else:
            if op.final in (S.IN_PROGRESS, S.DONE, S.VERIFIED):
                order = services.start(order, actor=worker, now=op.t_start)
            if op.final in (S.DONE, S.VERIFIED):
                if op.photos:
                    last = op.t_verify if op.final == S.VERIFIED else op.t_done
                    self.photo(order, "after", last - _hours(1), worker or manager)
                order = services.complete(order, actor=worker, resolution=op.resolution or "已修复。", now=op.t_done)
            if op.final == S.VERIFIED:
                # A replaced piece's successor is installed that day; the reports behind it are resolved then.
                order = services.verify(order, actor=manager, now=op.t_verify)
        op.order = order

    def photo(self, order: WorkOrder, stage: str, at: datetime.datetime, actor: User) -> None:
        """A photo of the work, uploaded at `at`."""
        services.add_photo(order, _image(self.rng, stage), stage, actor=actor, now=at)

    def write_defects(self) -> None:
        """Every new defect through the inspection service, which opens its work order; the few most
        recent in the main district with a photo, as inspectors take them."""
        found = sorted((c for c in self.checks if c.by_service), key=lambda c: c.t)
        recent = [c for c in reversed(found) if c.piece.county == codes.prefix_at(self.pilots[0].code, "county")
                  and c.order.final in (S.IN_PROGRESS, S.DONE, S.VERIFIED)]
        for c in recent[:6]:
            c.order.photos = True
        for c in found:
            check = inspections.record_check(
                c.round, equipment=c.piece.eq, result=Check.Result.DEFECT, actor=self.inspectors[c.round.inspector_id],
                failed_items=c.items, note=c.note, lon=c.piece.eq.lon + self.rng.uniform(-2e-4, 2e-4),
                lat=c.piece.eq.lat + self.rng.uniform(-2e-4, 2e-4), now=c.t,
                photo=_image(self.rng, "check") if c.order.photos else None)
            c.order.order = WorkOrder.objects.get(inspection_check=check)

    def write_report(self, rp: ReportPlan) -> None:
        rng = self.rng
        r = feedback.submit_report(category=rp.category, description=rp.description, phone=rp.phone,
                                   equipment=rp.piece.eq if rp.piece else None, site=rp.site, reporter=rp.reporter,
                                   now=rp.t0)
        if rp.photo:
            feedback.add_photo(r, _image(rng, "report"), now=rp.t0)
        if rp.t_resp is None:
            return
        if rp.t_resp > rp.respond_by:
            routing.escalate(r, now=rp.respond_by + (rp.t_resp - rp.respond_by) / 2)
        r.refresh_from_db()
        actor = self.staff.get(r.handler_region_id) or self.manager_for(r.region_id)
        if rp.path == "reject":
            r = feedback.reject(r, actor=actor, reason=rp.reject_reason, now=rp.t_resp)
        else:
            if rp.path == "respond" or rp.respond_first:
                r = feedback.respond(r, actor=actor, text=rng.choice(FIRST_ANSWERS), now=rp.t_resp)
            if rp.path == "work_order":
                op = rp.order
                op.order = services.open_for_report(r, actor=actor, severity=op.severity, unit=op.unit, now=op.t0)
            due = rp.resolve_by
            end = rp.t_res or self.now
            if end > due and due < self.now:
                routing.escalate(r, now=due + min(end - due, _hours(12)) / 2)
            if rp.path == "work_order":
                self.apply(rp.order)  # verified, the order resolves the report (at rp.t_res, its verification)
            elif rp.t_res is not None:
                r = feedback.resolve(r, actor=actor, answer=ANSWERS[rp.category], now=rp.t_res)
        if rp.t_rate is not None:
            r = feedback.rate(r, rating=rp.rating, comment=rp.comment, now=rp.t_rate)

    def staff_orders(self) -> list[OrderPlan]:
        """Servicing, upgrades and repairs of grounds that staff open themselves."""
        rng, main = self.rng, self.pilots[0]
        manager = self.manager_for(main.code)
        unit = self.units[main.code]
        out = []
        paths = list(Facility.objects.filter(region__code__within=main.prefix, type="fitness_path",
                                             equipment__isnull=False).distinct().order_by("id"))
        for f in rng.sample(paths, min(6, len(paths))):
            t = self.midnight - datetime.timedelta(days=rng.randint(5, 150), hours=rng.randint(0, 8))
            out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.SERVICE, "low", t, facility=f, unit=unit,
                                 description=f"{f.site.name}健身路径季度保养：全面紧固螺栓，转动部件加注润滑脂，锈蚀处补漆",
                                 resolution="已完成紧固、润滑和补漆。", manager=manager))
        main_county = codes.prefix_at(main.code, "county")
        kiosks = [p for p in self.pieces if p.eq.kind == "smart_kiosk" and p.county == main_county]
        for p in kiosks[:3]:
            t = self.midnight - datetime.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
            out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.UPGRADE, "low", t, piece=p,
                                 unit=self.smart_unit, description="智能健身驿站终端系统升级：增加体质监测数据上传",
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
                                 self.midnight - datetime.timedelta(days=days, hours=rng.randint(0, 6)), facility=f,
                                 description=f"{f.site.name}{text}", manager=self.staff.get(
                                     codes.ancestor_at(f.region_id, "township")) or manager))
        for text, reason in (("乒乓球台台面开裂，需更换", "物业已自行更换，无需派单。"),
                             ("灯光球场照明故障", "属供电公司维护范围，已移交供电公司。")):
            f = rng.choice(grounds)
            t = self.midnight - datetime.timedelta(days=rng.randint(20, 90))
            out.append(OrderPlan(WorkOrder.Source.STAFF, WorkOrder.Kind.REPAIR, "normal", t, facility=f, unit=unit,
                                 description=f"{f.site.name}{text}", t_cancel=t + _hours(rng.uniform(4, 48)),
                                 cancel_reason=reason, manager=manager))
        for op in out:
            self.lifecycle(op)
        return out

    def replacement_plans(self) -> list[tuple[Piece, OrderPlan]]:
        """Pieces long past their design life in the staffed township, opened for replacement recently."""
        rng, main = self.rng, self.pilots[0]
        township = Region.objects.filter(parent=main).order_by("code").first()
        old = sorted((p for p in self.by_county.get(codes.prefix_at(main.code, "county"), [])
                      if township and codes.in_subtree(p.eq.region_id, township.prefix) and p.past_life(self.now)
                      and not p.eq.smart), key=lambda p: (p.eq.install_date, p.eq.pk))[:REPLACEMENTS]
        finals = [S.VERIFIED, S.VERIFIED, S.VERIFIED, S.DONE, S.DONE, S.IN_PROGRESS, S.IN_PROGRESS, S.ASSIGNED,
                  S.ASSIGNED, S.CANCELLED]
        out = []
        for k, p in enumerate(old):
            p.keep = True
            final = finals[k % len(finals)]
            t0 = self.midnight - datetime.timedelta(days=rng.randint(25, 45), hours=rng.randint(0, 6))
            op = OrderPlan(WorkOrder.Source.DESIGN_LIFE, WorkOrder.Kind.REPLACE, "low", t0, piece=p,
                           unit=self.units[main.code], resolution="已拆除旧器材，安装同型号新器材。",
                           manager=self.manager_for(main.code))
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

    def write_replacements(self, plans: list[tuple[Piece, OrderPlan]]) -> None:
        if not plans:
            return
        for p, op in sorted(plans, key=lambda plan: plan[0].eq.pk):
            # One at a time: a clerk works down the list of pieces past their design life over weeks.
            created = services.open_replacement_orders([p.eq], actor=plans[0][1].manager, unit=plans[0][1].unit,
                                                       severity="low", now=op.t0)["created"]
            if created:
                op.order = created[0]
                self.apply(op)

    def finish_rounds(self, plans) -> None:
        rounds = {r.pk: r for plan, _rel in plans for r in plan.rounds.filter(scheduled_for__lte=self.today)}
        changed = []
        for pk, r in rounds.items():
            walked = self.walked.get(pk, [])
            expected = self.expected.get(pk)
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
            if r.due_on < self.today:
                r.pieces = max(expected, len(walked))
            changed.append(r)
        InspectionRound.objects.bulk_update(changed, ["status", "started_at", "finished_at", "pieces"], batch_size=500)
        inspections.mark_missed(self.today)

    def write_checks(self) -> int:
        """The checks that found nothing new, and those of pieces already under repair, in bulk."""
        rows = []
        for c in self.checks:
            if c.by_service:
                continue
            note = c.note
            if c.result == Check.Result.DEFECT and c.order is not None and c.order.order is not None:
                note = f"已报修（工单{c.order.order.number}），待维修"
            with_position = self.rng.random() < 0.95
            eq = c.piece.eq
            rows.append(Check(round_id=c.round.pk, equipment_id=eq.pk, result=c.result, failed_items=c.items,
                              note=note, lon=eq.lon + self.rng.uniform(-2e-4, 2e-4) if with_position else None,
                              lat=eq.lat + self.rng.uniform(-2e-4, 2e-4) if with_position else None,
                              checked_at=c.t, checked_by_id=c.round.inspector_id))
        bulk.insert_rows(rows)
        return len(rows)

def load(city: Region, rng: random.Random) -> dict:
    """Fill the demo city with equipment, units, inspections, work orders and reports; does nothing twice."""
    if Equipment.objects.filter(region__code__within=city.prefix).exists():
        return {"pieces": 0}
    demo = Demo(city, rng)
    if not demo.counties or demo.city_staff is None:
        return {"pieces": 0}
    demo.settings()
    demo.make_units()
    people = demo.make_accounts()
    demo.equipment()
    plans = demo.plans(people)
    demo.inspectors = {u.pk: u for u in User.objects.filter(
        pk__in={plan.inspector_id for plan, _rel in plans})}
    replacements = demo.replacement_plans()
    for piece, status, reason in demo.known_broken():
        register.set_status(piece.eq, status, reason=f"建账时登记：{reason}", actor=demo.city_staff)
    demo.simulate(plans)
    demo.write_defects()
    for rp in sorted(demo.reports, key=lambda rp: rp.t0):
        demo.write_report(rp)
    for op in sorted((op for op in demo.orders if op.source == WorkOrder.Source.INSPECTION), key=lambda op: op.t0):
        demo.apply(op)
    for op in demo.staff_orders():
        op.order = services.create_work_order(actor=op.manager, description=op.description, kind=op.kind,
                                              severity=op.severity, source=op.source,
                                              equipment=op.piece.eq if op.piece else None, facility=op.facility,
                                              unit=op.unit, now=op.t0)
        demo.apply(op)
        demo.orders.append(op)
    demo.write_replacements(replacements)
    checks = demo.write_checks()
    demo.finish_rounds(plans)
    routing.escalate_overdue(demo.now)
    for unit_id, user in demo.workers.items():
        unit = MaintenanceUnit.objects.get(pk=unit_id)
        units.add_unit_staff(unit, user, actor=demo.city_staff)
    return {"pieces": Equipment.objects.filter(region__code__within=city.prefix).count(), "plans": len(plans), "checks": checks + sum(1 for c in demo.checks if c.by_service),
            "work_orders": WorkOrder.objects.filter(region__code__within=city.prefix).count(),
            "reports": len(demo.reports)}


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
