"""What an opening evaluation scores, out of 100, and how the result follows.

The items follow the requirements on venues open free or at a low fee (体育总局办公厅《关于发布2018年
中央财政资金补助的大型体育场馆名单的公告》 and every year's notice since, under 财教〔2014〕54号): open at
least 35 hours a week and 330 days a year; free or low-fee opening; free or low-fee for students,
the elderly and disabled people; fully free on National Fitness Day (8 August); closures and changed
hours announced seven days ahead. Booking online, use, accessible features and complaints are the
platform's own measures of the same opening.

Computed items are scored from the figures (figures.py); the clerk's items are ticked at the venue.
The special section (专项评估) is certified free use by elderly and disabled people: 20 of the 100
points, with its own conclusion.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

GENERAL, SPECIAL = "general", "special"
PASS_SCORE, BASIC_SCORE = Decimal(85), Decimal(60)
SPECIAL_MET, SPECIAL_PARTLY = Decimal(20), Decimal(10)
COMPLAINT_PENALTY = Decimal("2.5")


@dataclass(frozen=True)
class Item:
    key: str
    label: object
    points: int
    section: str
    computed: bool


ITEMS = [
    Item("weekly_hours", _("Open at least 35 hours a week"), 15, GENERAL, True),
    Item("days_open", _("Open at least 330 days a year"), 5, GENERAL, True),
    Item("free_or_low_fee", _("Open free or at a low fee"), 15, GENERAL, True),
    Item("bookable_online", _("Bookable online"), 10, GENERAL, True),
    Item("in_use", _("Used: bookings or visitors counted"), 5, GENERAL, True),
    Item("accessible", _("Accessible entrance, toilet and parking"), 10, GENERAL, True),
    Item("complaints", _("No complaints of being closed when it should be open"), 5, GENERAL, True),
    Item("hours_posted", _("Opening hours and prices posted at the entrance and online"), 5, GENERAL, False),
    Item("fitness_day_free", _("Fully free on National Fitness Day (8 August)"), 5, GENERAL, False),
    Item("closure_notice", _("Closures and changed hours announced seven days ahead"), 5, GENERAL, False),
    Item("certified_units", _("Every bookable ground free for holders of a senior or disability certificate"), 5,
         SPECIAL, True),
    Item("certified_notice", _("Free entry for certificate holders posted at the entrance"), 5, SPECIAL, False),
    Item("certificate_entry", _("Elderly and disabled people enter free on showing the certificate, nothing else "
                                "asked"), 5, SPECIAL, False),
    Item("certified_register", _("A register of certified free visits kept"), 5, SPECIAL, False),
]
BY_KEY = {item.key: item for item in ITEMS}
CLERK_KEYS = [item.key for item in ITEMS if not item.computed]


def _share(part, whole) -> Decimal:
    return min(Decimal(1), Decimal(str(part)) / Decimal(str(whole))) if whole else Decimal(0)


def computed_fractions(f: dict) -> dict[str, Decimal]:
    """The fraction (0 to 1) of each computed item's points the figures earn."""
    return {
        "weekly_hours": _share(f.get("weekly_hours") or 0, f.get("weekly_hours_required") or 0),
        "days_open": _share(f.get("days_open") or 0, f.get("days_required") or 0),
        "free_or_low_fee": Decimal(bool(f.get("free_or_low_fee"))),
        "bookable_online": Decimal(bool(f.get("bookable_units"))),
        "in_use": Decimal(bool((f.get("bookings") or 0) + (f.get("visitors") or 0))),
        "accessible": Decimal(len(f.get("accessible") or [])) / 3,
        "complaints": max(Decimal(0), 1 - COMPLAINT_PENALTY * (f.get("opening_complaints") or 0) / 5),
        "certified_units": Decimal(bool(f.get("certified_free"))),
    }


def _points(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def scored(figures: dict, ticked: dict) -> list[dict]:
    """Every item with the points it earns: [{key, label, points, earned, section, computed}]."""
    fractions = computed_fractions(figures)
    out = []
    for item in ITEMS:
        fraction = fractions[item.key] if item.computed else Decimal(bool(ticked.get(item.key)))
        out.append({"key": item.key, "label": str(item.label), "points": item.points, "section": item.section,
                    "computed": item.computed, "earned": _points(item.points * fraction)})
    return out


def total(items: list[dict], section: str | None = None) -> Decimal:
    return _points(sum((i["earned"] for i in items if section in (None, i["section"])), Decimal(0)))


def result(score: Decimal, figures: dict) -> str:
    """pass, basic or fail (OpeningEvaluation.Result): a venue not open free or at a low fee fails
    whatever its score (T2-09: every publicly funded venue)."""
    if not figures.get("free_or_low_fee") or score < BASIC_SCORE:
        return "fail"
    return "pass" if score >= PASS_SCORE else "basic"


def special_result(special_points: Decimal) -> str:
    if special_points >= SPECIAL_MET:
        return "met"
    return "partly" if special_points >= SPECIAL_PARTLY else "not_met"
