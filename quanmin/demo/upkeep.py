"""What the demo's half year of equipment upkeep keeps while it runs: the pieces, the orders,
checks and reports it plans, and the city's people and units (see maintenance.py for the story).

The equipment, inspections, work_orders and feedback modules each take their part of the
simulation through one `Simulation`, so that each module stays about one subject.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from quanmin.accounts.models import DIVISION_ROLES, Membership, User
from quanmin.facilities.models import Equipment, Facility, Site
from quanmin.maintenance.models import InspectionRound, MaintenanceUnit, WorkOrder
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import accounts as accounts_demo

S = WorkOrder.Status
HISTORY_DAYS = 182
PILOTS = 2  # the first two counties (the city's districts) inspect on the platform
RESIDENT_PHONE = "13900000001"


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def hours(h: float) -> datetime.timedelta:
    return datetime.timedelta(hours=h)


def weighted(rng: random.Random, pairs):
    total = sum(w for _k, w in pairs)
    x = rng.uniform(0, total)
    for key, weight in pairs:
        x -= weight
        if x <= 0:
            return key
    return pairs[-1][0]


def person_name(rng: random.Random) -> str:
    return rng.choice(accounts_demo.SURNAMES) + "".join(
        rng.choice(accounts_demo.GIVEN) for _ in range(rng.choice((1, 2))))


def image(rng: random.Random, label: str) -> ContentFile:
    """A small JPEG standing in for a phone photo."""
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


class Simulation:
    """The city, its division staff and units, and every plan made so far."""

    def __init__(self, city: Region, rng: random.Random):
        self.city, self.rng = city, rng
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.start = self.today - datetime.timedelta(days=HISTORY_DAYS)
        # Times hang on today's date, not on the moment the demo runs: the same seed, the same city.
        self.midnight = aware(self.today, 0)
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

    def manager_for(self, region_code: str) -> User:
        """The division staff who manage orders and answer reports there: the county's, else the city's."""
        return self.staff.get(codes.ancestor_at(region_code, "county")) or self.city_staff
