"""The city stadium's inspector (13800000012, made by the booking demo) with a round to walk today:
the stadium's fitness equipment on a daily plan, a few pieces already checked this morning, so that
the round shows what is left first and the checked pieces folded away."""

import datetime

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import Role, User
from quanmin.facilities import equipment_services
from quanmin.facilities import services as facility_services
from quanmin.facilities.models import Equipment, Site
from quanmin.maintenance import inspections
from quanmin.maintenance.models import InspectionPlan
from quanmin.regions.models import Region

PHONE = "13800000012"
KINDS = ["air_walker", "elliptical", "waist_twister", "tai_chi_wheel", "shoulder_wheel", "back_massager",
         "leg_press", "chest_press", "pull_down", "rider", "stepper", "bicycle", "swing_seat", "pendulum",
         "horizontal_bar", "parallel_bars", "stretcher", "sit_up_board", "leg_stretch"]
CHECKED_THIS_MORNING = 5


def load(city: Region, rng) -> None:
    inspector = User.objects.filter(phone_hash=crypto.lookup_hash(PHONE)).first()
    if inspector is None or InspectionPlan.objects.filter(inspector=inspector).exists():
        return
    membership = inspector.memberships.filter(role=Role.INSPECTOR).first()
    site = membership.target if membership is not None else None
    if not isinstance(site, Site):
        return
    staff = User.objects.filter(memberships__role=Role.CITY_STAFF).first()
    path = site.facilities.filter(type="fitness_path").first() or facility_services.add_facility(
        site, {"type": "fitness_path", "area_m2": "600"})
    if not Equipment.objects.filter(facility=path).exists():
        for i, kind in enumerate(KINDS):
            equipment_services.create_equipment(facility=path, kind=kind, actor=staff,
                                                install_date=datetime.date(2019 + i % 5, 4, 1), maker="舒华体育")
    today = timezone.localdate()
    plan = inspections.create_plan(actor=staff, data={
        "name": f"{site.name}器材日常巡检", "kind": "daily", "region": site.region_id, "inspector": inspector,
        "starts_on": today, "facilities": [path.pk]})
    round_ = plan.rounds.filter(scheduled_for=today).first()
    if round_ is None:
        return
    for piece in list(inspections.round_pieces(round_))[:CHECKED_THIS_MORNING]:
        inspections.record_check(round_, equipment=piece.pk, result="ok", actor=inspector)
