"""Exercise prescriptions (运动处方) from a physique test: screening, weak components, FITT, places.

Screening comes first. The seven general health questions of the PAR-Q+ (The 2023 Physical
Activity Readiness Questionnaire for Everyone, PAR-Q+ Collaboration, eparmedx.com; Warburton DER
et al., Health & Fitness Journal of Canada 2011;4(2):3-23). Any "yes" and the prescription says to
see a doctor (or a qualified exercise professional) before becoming more active, and gives light
activity only.

Components. Each test item is mapped to one of five components of health-related fitness
(cardio-respiratory, strength, flexibility, balance — neuromotor, with agility and reaction —
and body composition). An item is weak when its score is below the standard's pass level (student
standard: below 60 of 100; physique standard: below 3 of 5, i.e. "below average"; BMI and
height-for-weight: outside the normal band) or when it has no score. A component is weak when one of
its items is. When none is, the lowest-scoring component (scores normalised to 0-1) is the focus,
unless more than two tie for lowest (an even profile: the plan is then for keeping fit).

FITT numbers are data (FITT below), with their source:

- ACSM's Guidelines for Exercise Testing and Prescription, 11th edition (American College of Sports
  Medicine, Wolters Kluwer 2021), chapter 5:
  * intensity bands as % of maximal heart rate (Table 5.2): light 57-63 %, moderate 64-76 %,
    vigorous 77-95 %; HRmax estimated as 220 - age (the simplest published estimate; ACSM notes
    a standard deviation of 10-12 beats per minute, hence the RPE alongside);
  * aerobic: moderate intensity on >= 5 days a week for 30-60 min (>= 150 min a week), or vigorous
    on >= 3 days for 20-60 min; deconditioned people start with 10-20 min bouts;
  * resistance: 2-3 days a week for each major muscle group, 2-4 sets of 8-12 repetitions at
    60-70 % of one-repetition maximum (novices); older or sedentary people 40-50 %, 10-15 reps;
  * flexibility: >= 2-3 days a week (daily is most effective), each stretch held 10-30 s (older
    adults 30-60 s) to the point of tightness, 2-4 repetitions, 60 s per exercise in total;
  * neuromotor (balance, agility, coordination; tai chi, yoga): 2-3 days a week, >= 20-30 min.
- Children and adolescents (ACSM 11th ed., chapter 7; WHO Guidelines on physical activity and
  sedentary behaviour, 2020): >= 60 min of moderate-to-vigorous activity every day, with
  muscle- and bone-strengthening activity on >= 3 days a week.
- Weight management: Donnelly JE et al., ACSM position stand "Appropriate physical activity
  intervention strategies for weight loss and prevention of weight regain for adults", Medicine &
  Science in Sports & Exercise 2009;41(2):459-471: 150-250 min a week of moderate activity prevents
  weight gain; > 250 min a week gives clinically significant weight loss.

Facility types that suit each component are the register's own codes (facilities/data/facility_types.csv).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.booking.models import Slot
from quanmin.facilities import selectors, types
from quanmin.facilities.models import Facility, Site
from quanmin.regions import codes

from . import tables

COMPONENTS = ("cardio", "strength", "flexibility", "balance", "body_composition")
COMPONENT_LABELS = {
    "cardio": gettext_lazy("Cardio-respiratory fitness"),
    "strength": gettext_lazy("Muscular strength"),
    "flexibility": gettext_lazy("Flexibility"),
    "balance": gettext_lazy("Balance and coordination"),
    "body_composition": gettext_lazy("Body composition"),
}
ITEM_COMPONENT = {
    "vital_capacity_ml": "cardio", "step_index": "cardio", "run_1000m_s": "cardio", "run_800m_s": "cardio",
    "shuttle_50x8_s": "cardio", "rope_skipping_1min": "cardio",
    "grip_kg": "strength", "pushups": "strength", "situps_1min": "strength", "pullups": "strength",
    "standing_long_jump_cm": "strength", "vertical_jump_cm": "strength", "sprint_50m_s": "strength",
    "tennis_ball_throw_m": "strength",
    "sit_and_reach_cm": "flexibility",
    "one_leg_stand_eyes_closed_s": "balance", "balance_beam_s": "balance", "reaction_time_s": "balance",
    "shuttle_10m_s": "balance", "double_leg_jump_s": "balance",
    "bmi": "body_composition", "height_for_weight": "body_composition",
}
NORMAL_BANDS = {"normal"}
MAX_FOCUS = 2

PARQ_QUESTIONS = (
    gettext_lazy("Has your doctor ever said that you have a heart condition or high blood pressure?"),
    gettext_lazy("Do you feel pain in your chest at rest, during your daily activities, or when you do physical activity?"),
    gettext_lazy("Do you lose balance because of dizziness, or have you lost consciousness in the last 12 months?"),
    gettext_lazy("Have you ever been diagnosed with another chronic medical condition (other than heart disease or high blood pressure)?"),
    gettext_lazy("Are you currently taking prescribed medication for a chronic medical condition?"),
    gettext_lazy("Do you currently have (or have you had in the past 12 months) a bone, joint or soft-tissue problem that could be made worse by becoming more active?"),
    gettext_lazy("Has your doctor ever said that you should only do medically supervised physical activity?"),
)
PARQ_SOURCE = "PAR-Q+ (2023), PAR-Q+ Collaboration, eparmedx.com"

# FITT per component: numbers from ACSM's Guidelines, 11th ed. (see the module docstring).
HR_LIGHT = (57, 63)
HR_MODERATE = (64, 76)
HR_VIGOROUS = (77, 95)
FITT = {
    "cardio": {"days": (5, 7), "hr_pct": HR_MODERATE, "rpe": (12, 13), "minutes": (30, 60), "weekly_minutes": 150,
               "activities": ("brisk_walking", "jogging", "cycling", "swimming", "rope_skipping"),
               "facility_types": ("fitness_trail", "athletics_stadium", "swimming_pool", "cycle_path", "sports_park",
                                  "mountain_trail")},
    "strength": {"days": (2, 3), "rm_pct": (60, 70), "reps": (8, 12), "sets": (2, 4),
                 "activities": ("body_weight", "resistance_bands", "outdoor_equipment", "machines"),
                 "facility_types": ("fitness_path", "gym", "community_gym", "fitness_centre", "smart_station")},
    "flexibility": {"days": (3, 7), "hold_s": (10, 30), "reps": (2, 4), "minutes": (10, 15),
                    "activities": ("static_stretching", "yoga", "tai_chi"),
                    "facility_types": ("fitness_square", "community_gym", "fitness_centre", "fitness_path")},
    "balance": {"days": (2, 3), "minutes": (20, 30),
                "activities": ("tai_chi", "baduanjin", "single_leg_stance", "yoga"),
                "facility_types": ("fitness_square", "sports_park", "fitness_path", "community_gym")},
    "body_composition": {"days": (5, 7), "hr_pct": HR_MODERATE, "rpe": (12, 13), "minutes": (40, 60),
                         "weekly_minutes": 250,
                         "activities": ("brisk_walking", "cycling", "swimming", "body_weight"),
                         "facility_types": ("fitness_trail", "swimming_pool", "cycle_path", "gym", "fitness_path")},
}
OLDER_ADULT_AGE = 65
OLDER_STRENGTH = {"rm_pct": (40, 50), "reps": (10, 15), "sets": (1, 3)}
OLDER_HOLD_S = (30, 60)
CHILD_AGE = 18
CHILD_CARDIO = {"days": (7, 7), "minutes": (60, 60), "hr_pct": (64, 95)}
CHILD_STRENGTH_DAYS = (3, 3)
LIGHT = {"days": (3, 5), "hr_pct": HR_LIGHT, "rpe": (9, 11), "minutes": (10, 20),
         "activities": ("walking", "gentle_stretching"), "facility_types": ("fitness_trail", "sports_park")}

ACTIVITY_LABELS = {
    "brisk_walking": gettext_lazy("brisk walking"), "walking": gettext_lazy("walking"),
    "jogging": gettext_lazy("jogging"), "cycling": gettext_lazy("cycling"), "swimming": gettext_lazy("swimming"),
    "rope_skipping": gettext_lazy("rope skipping"), "body_weight": gettext_lazy("body-weight exercises"),
    "resistance_bands": gettext_lazy("resistance bands"),
    "outdoor_equipment": gettext_lazy("outdoor fitness equipment"), "machines": gettext_lazy("weight machines"),
    "static_stretching": gettext_lazy("static stretching"), "gentle_stretching": gettext_lazy("gentle stretching"),
    "yoga": gettext_lazy("yoga"), "tai_chi": gettext_lazy("tai chi"), "baduanjin": gettext_lazy("Baduanjin"),
    "single_leg_stance": gettext_lazy("standing on one leg"), "play": gettext_lazy("active play and games"),
}
# Typical age of a student in a grade (for the heart-rate range when no birth date is known).
STUDENT_AGE = {g: 7 + i for i, g in enumerate(tables.load_standard("student-2014").grades)}


# --- weak components ---------------------------------------------------------------------------

def item_is_weak(standard: str, item: dict) -> bool:
    if item.get("score") is None:
        return True
    if item.get("band") is not None:
        return item["band"] not in NORMAL_BANDS
    return item["score"] < tables.load_standard(standard).item_pass


def component_scores(standard: str, items: list[dict]) -> tuple[dict[str, float], list[str]]:
    """({component: mean normalised score 0-1}, weak components in COMPONENTS order)."""
    top = tables.load_standard(standard).item_top
    sums, weak = {}, set()
    for item in items:
        comp = ITEM_COMPONENT.get(item["key"])
        if comp is None:
            continue
        if item.get("band") is not None:
            value = 1.0 if item["band"] in NORMAL_BANDS else 0.5 if item.get("score") else 0.0
        else:
            value = 0.0 if item.get("score") is None else min(item["score"] / top, 1.0)
        sums.setdefault(comp, []).append(value)
        if item_is_weak(standard, item):
            weak.add(comp)
    scores = {c: round(sum(v) / len(v), 3) for c, v in sums.items()}
    if not weak and scores:
        # Nothing below pass: the lowest component is the focus, unless the profile is even (a tie of
        # more than MAX_FOCUS components), when the plan is for keeping fit.
        lowest = min(scores.values())
        tied = {c for c, v in scores.items() if v == lowest and v < 1.0}
        weak = tied if len(tied) <= MAX_FOCUS else set()
    return scores, [c for c in COMPONENTS if c in weak]


# --- the prescription --------------------------------------------------------------------------

@dataclass
class Built:
    cleared: bool
    component_scores: dict
    weak_components: list
    plan: dict


def person_age(result) -> float | None:
    if result.age is not None:
        return result.age
    return float(STUDENT_AGE[result.grade]) if result.grade in STUDENT_AGE else None


def heart_rate(age: float | None, pct: tuple[int, int]) -> dict | None:
    if age is None:
        return None
    hr_max = 220 - round(age)
    return {"max": hr_max, "low": round(hr_max * pct[0] / 100), "high": round(hr_max * pct[1] / 100),
            "pct": list(pct)}


def _part(component: str, age: float | None, focus: bool) -> dict:
    spec = FITT[component]
    part = {"component": component, "focus": focus, "days": list(spec["days"]),
            "activities": list(spec["activities"]), "facility_types": list(spec["facility_types"])}
    child = age is not None and age < CHILD_AGE
    older = age is not None and age >= OLDER_ADULT_AGE
    if "hr_pct" in spec:
        pct, days, minutes = spec["hr_pct"], spec["days"], spec["minutes"]
        if child and component in ("cardio", "body_composition"):
            pct, days, minutes = CHILD_CARDIO["hr_pct"], CHILD_CARDIO["days"], CHILD_CARDIO["minutes"]
            part["activities"] = ["play", *spec["activities"]]
        part.update(days=list(days), minutes=list(minutes), heart_rate=heart_rate(age, pct), rpe=list(spec["rpe"]),
                    weekly_minutes=spec["weekly_minutes"] if not child else 420)
    if component == "strength":
        if child:
            part.update(days=list(CHILD_STRENGTH_DAYS), reps=[8, 15], sets=[1, 3], rm_pct=None,
                        activities=["play", "body_weight"])
        else:
            spec_s = OLDER_STRENGTH if older else spec
            part.update(rm_pct=list(spec_s["rm_pct"]), reps=list(spec_s["reps"]), sets=list(spec_s["sets"]))
    if component == "flexibility":
        part.update(hold_s=list(OLDER_HOLD_S if older else spec["hold_s"]), reps=list(spec["reps"]),
                    minutes=list(spec["minutes"]))
    if component == "balance":
        part.update(minutes=list(spec["minutes"]))
    return part


def build(result, answers: list[bool]) -> Built:
    scores, weak = component_scores(result.standard, result.scores)
    age = person_age(result)
    cleared = not any(answers)
    if not cleared:
        plan = {"doctor_first": True, "age": age, "parts": [{
            "component": "light", "focus": False, "days": list(LIGHT["days"]), "minutes": list(LIGHT["minutes"]),
            "heart_rate": heart_rate(age, LIGHT["hr_pct"]), "rpe": list(LIGHT["rpe"]),
            "activities": list(LIGHT["activities"]), "facility_types": list(LIGHT["facility_types"])}]}
        return Built(False, scores, weak, plan)
    # Everyone gets the aerobic base; weak components come first and are marked as the focus.
    order = [c for c in weak] + [c for c in ("cardio", "strength", "flexibility", "balance") if c not in weak]
    if age is not None and age < OLDER_ADULT_AGE and "balance" not in weak:
        order.remove("balance")  # neuromotor work is advised for older adults, and for whoever needs it
    parts = [_part(c, age, c in weak) for c in order]
    return Built(True, scores, weak, {"doctor_first": False, "age": age, "parts": parts})


def _range(pair) -> str:
    low, high = pair
    return str(low) if low == high else f"{low}–{high}"


def describe(part: dict) -> dict:
    """The FITT of one part as text in the user's language."""
    comp = part["component"]
    label = _("Light activity") if comp == "light" else str(COMPONENT_LABELS[comp])
    days = _range(part["days"])
    frequency = _("every day") if part["days"] == [7, 7] else _("%(days)s days a week") % {"days": days}
    intensity, time = "", ""
    hr = part.get("heart_rate")
    if part.get("rpe"):
        pct = (hr or {}).get("pct") or []
        if hr:
            intensity = _("heart rate %(low)s–%(high)s beats a minute (%(pct)s%% of your estimated maximum of %(max)s)") % {
                "low": hr["low"], "high": hr["high"], "pct": _range(pct), "max": hr["max"]}
        else:
            intensity = _("moderate: you can talk but not sing")
        intensity += "; " + _("feels %(rpe)s on the 6–20 effort scale") % {"rpe": _range(part["rpe"])}
    if comp == "strength":
        if part.get("rm_pct"):
            intensity = _("%(pct)s%% of the most you can lift once") % {"pct": _range(part["rm_pct"])}
        else:
            intensity = _("your own body weight, with good form")
        time = _("%(sets)s sets of %(reps)s repetitions for each major muscle group") % {
            "sets": _range(part["sets"]), "reps": _range(part["reps"])}
    elif comp == "flexibility":
        intensity = _("stretch to the point of tightness, not pain")
        time = _("hold each stretch %(hold)s seconds, %(reps)s times; %(minutes)s minutes in all") % {
            "hold": _range(part["hold_s"]), "reps": _range(part["reps"]), "minutes": _range(part["minutes"])}
    elif comp == "balance":
        intensity = _("steady and controlled, near something to hold on to")
        time = _("%(minutes)s minutes a session") % {"minutes": _range(part["minutes"])}
    else:
        time = _("%(minutes)s minutes a session") % {"minutes": _range(part["minutes"])}
        if part.get("weekly_minutes"):
            time += "; " + _("at least %(weekly)s minutes a week") % {"weekly": part["weekly_minutes"]}
    kinds = "、".join(str(ACTIVITY_LABELS.get(a, a)) for a in part["activities"])
    return {"label": label, "focus": part.get("focus", False), "frequency": frequency, "intensity": intensity,
            "time": time, "type": kinds}


# --- places and sessions that fit --------------------------------------------------------------

def home_point(user) -> tuple[float, float] | None:
    """A point for the person's home division: the mean position of its sites, or of the nearest
    division above that has sites (divisions carry no coordinates of their own). One query a level."""
    region = getattr(user, "home_region", None) if user is not None else None
    code = region.code if region is not None else None
    while code:
        agg = Site.objects.filter(region__code__within=codes.prefix(code)).aggregate(
            lat=Avg("lat"), lon=Avg("lon"), n=Count("id"))
        if agg["n"]:
            return agg["lat"], agg["lon"]
        code = codes.parent(code)
    return None


def point_for(participant, result=None) -> tuple[float, float] | None:
    """Where to look for places: the person's home division, else the station where they were tested."""
    point = home_point(participant.user) if participant.user_id else None
    if point is None and result is not None:
        site = result.session.station.site
        if site is not None:
            point = (site.lat, site.lon)
    return point


def nearby_places(plan: dict, lat: float, lon: float, *, radius_m: float = 5000, per_part: int = 5) -> list[dict]:
    """For each part of the plan: the nearest open sites with a facility of a type that fits it (one
    line per site, with the fitting types), and the bookable slots with free places there in the next
    two weeks (physique test sessions are left out: they are not exercise)."""
    now = timezone.now()
    out = []
    for part in plan.get("parts", []):
        qs = (Facility.objects.filter(type__in=part["facility_types"], open=True)
              .exclude(site__status__in=[Site.Status.PLANNED, Site.Status.BUILDING, Site.Status.CLOSED])
              .select_related("site"))
        sites: dict[int, dict] = {}
        for facility, metres in selectors.nearby(qs, lat, lon, radius_m):
            entry = sites.get(facility.site_id)
            if entry is None:
                if len(sites) >= per_part:
                    continue
                entry = sites[facility.site_id] = {"site": facility.site, "distance_m": metres, "facilities": [],
                                                   "types": []}
            entry["facilities"].append(facility)
            label = types.TYPES[facility.type].label if facility.type in types.TYPES else facility.type
            if label not in entry["types"]:
                entry["types"].append(label)
        facility_ids = [f.pk for e in sites.values() for f in e["facilities"]]
        slots = list(Slot.objects.filter(unit__facility_id__in=facility_ids, unit__active=True, blocked=False,
                                         start__gt=now, start__lt=now + datetime.timedelta(days=14),
                                         taken__lt=F("capacity"), physique_session__isnull=True)
                     .select_related("unit", "unit__site").order_by("start")[:per_part])
        out.append({"component": part["component"], "places": list(sites.values()), "slots": slots})
    return out
