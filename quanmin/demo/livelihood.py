"""D10 in the demo city's plan (seed 000): 纳入经济社会发展核心指标体系 — the city marks the targets its
government counts among the core indicators of economic and social development (people per m² of
sports ground, the ten-minute fitness circle, instructors)."""

from quanmin.accounts.models import User
from quanmin.planning.models import Plan
from quanmin.planning.services import authoring

CORE_TARGETS = ("T0-03", "T0-04", "T0-11")


def load(city, rng):
    plan = Plan.objects.filter(division_code=city.code, key__startswith="liaocheng").first()
    owner = User.objects.filter(is_superuser=True).first()
    if plan is None or owner is None:
        return
    for target in plan.targets.filter(key__in=CORE_TARGETS):
        authoring.mark_core_indicator(owner, target, True)
