"""The price shown is the price charged: one function decides it, and the booking stores its basis."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import BookableUnit, Certificate, Slot

SENIOR_AGE = 60
ADULT_AGE = 18


@dataclass(frozen=True)
class Quote:
    total: Decimal
    basis: str  # benefit | senior | disabled | student | minor | standard
    per_place: list


def eligibility(user, on: datetime.date | None = None, certificates: set[str] | None = None) -> set[str]:
    """Groups a person belongs to: verified certificates (read here unless the caller has them),
    and age from the real-name ID number."""
    on = on or timezone.localdate()
    if certificates is None:
        certificates = set(
            Certificate.objects.filter(user=user, status=Certificate.Status.VERIFIED)
            .exclude(valid_until__lt=on).values_list("kind", flat=True))
    groups = set(certificates)
    age = user.age(on) if user is not None else None
    if age is not None:
        if age >= SENIOR_AGE:
            groups.add(Certificate.Kind.SENIOR)
        if age < ADULT_AGE:
            groups.add("minor")
    return groups


def _money(x) -> Decimal:
    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def place_price(unit: BookableUnit, slot: Slot, groups: set[str]) -> tuple[Decimal, str]:
    base = _money(slot.price)
    if slot.benefit and base == 0:
        return base, "benefit"
    if Certificate.Kind.SENIOR in groups and unit.free_for_seniors:
        return _money(0), "senior"
    if Certificate.Kind.DISABLED in groups and unit.free_for_disabled:
        return _money(0), "disabled"
    best, basis = base, "benefit" if slot.benefit else "standard"
    for group, pct in ((Certificate.Kind.STUDENT, unit.student_discount_pct), ("minor", unit.minor_discount_pct)):
        if group in groups and pct:
            price = _money(base * (100 - pct) / 100)
            if price < best:
                best, basis = price, str(group)
    return best, basis


def quote(user, slot: Slot, companions: list[dict], certificates: set[str] | None = None) -> Quote:
    unit = slot.unit
    day = timezone.localtime(slot.start).date()
    own, basis = place_price(unit, slot, eligibility(user, day, certificates))
    prices = [own]
    for c in companions:
        groups = {"minor"} if c.get("minor") else set()
        prices.append(place_price(unit, slot, groups)[0])
    return Quote(total=_money(sum(prices)), basis=basis, per_place=prices)
