"""Physique scoring engine driven by the national standards as data files.

Each standard and version is one JSON file in ``standards/`` (see its README for sources). This module
reads them, scores one person (:func:`score`) or a whole batch at once with NumPy (:func:`score_many`),
and gives both paths exactly the same answers. It imports nothing from Django: the API, the pages and
the ``physique_score`` command call these functions.

Rules, as the standards state them:
- a value between two table rows gets the score of the worse row (no interpolation); a value beyond
  the best row gets the top score; a value worse than the last row gets the standard's floor
  (``below_table_score``: 0 for the student standard, no score for the 2003 physique standard);
- lower-is-better items (runs, reaction time) are read the other way round;
- bonus points apply above the top row only (rope skipping, pull-ups / sit-ups, 1000 m / 800 m);
- student total = weighted sum of item scores + bonus points; physique total = sum of item scores;
- under the physique standard any item without a score withholds the overall rating.

Totals are computed in integer hundredths, so rating boundaries (90, 80, 60 ...) never suffer from
floating-point error.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

STANDARDS_DIR = Path(__file__).with_name("standards")
SEXES = ("male", "female")
RATING_CODES = ("excellent", "good", "pass", "fail")
RATING_WITHHELD = -1  # no overall rating: an item has no score, or the standard publishes no rating table
RATING_INVALID = -2  # score_many(errors="mask") only: the record itself is invalid

MEASUREMENT_KEYS = (
    "height_cm", "weight_kg", "vital_capacity_ml", "sprint_50m_s", "sit_and_reach_cm", "rope_skipping_1min",
    "situps_1min", "shuttle_50x8_s", "standing_long_jump_cm", "pullups", "run_1000m_s", "run_800m_s", "grip_kg",
    "pushups", "vertical_jump_cm", "step_index", "reaction_time_s", "one_leg_stand_eyes_closed_s",
    "shuttle_10m_s", "tennis_ball_throw_m", "double_leg_jump_s", "balance_beam_s",
)
_NEGATIVE_ALLOWED = frozenset({"sit_and_reach_cm"})
_POSITIVE_ONLY = frozenset({"height_cm", "weight_kg"})


class ScoringError(ValueError):
    """Bad input. ``field`` names the offending input, ``code`` is stable for API clients."""

    def __init__(self, field: str, code: str, message: str, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.row = row  # score_many: index of the first offending record

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message, "row": self.row}


# ---------------------------------------------------------------------------------------------
# Compiled standards
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    code: str
    label: str
    min_x100: int | None  # lowest total (in hundredths) that earns it; None for the last band


@dataclass
class _Scored:
    """One item's outcome for one record (scalar path)."""

    value: float | None
    score: int | None
    bonus: int = 0
    reason: str | None = None
    band: str | None = None


class TableItem:
    """A score table: thresholds best row first, one score per row."""

    kind = "table"

    def __init__(self, spec: Mapping[str, Any], weight_pct: int, floor: int | None):
        self.key = spec["key"]
        self.inputs = (self.key,)
        self.label, self.unit, self.weight_pct = spec["label"], spec["unit"], weight_pct
        self.higher = spec["direction"] == "higher"
        rows = [(t, s) for t, s in zip(spec["thresholds"], spec["scores"], strict=True) if t is not None]
        self.thresholds = tuple(float(t) for t, _ in rows)
        self.scores = tuple(int(s) for _, s in rows)
        if spec.get("worst_row_open"):  # the worst row has no lower limit: it catches every worse value
            floor = int(spec["scores"][-1])
        self.floor = floor
        # Ascending views for bisect / searchsorted; index 0 (higher) or last (lower) holds the floor.
        nan_floor = np.nan if floor is None else float(floor)
        if self.higher:
            self._asc = self.thresholds[::-1]
            self._asc_scores = (floor, *self.scores[::-1])
        else:
            self._asc = self.thresholds
            self._asc_scores = (*self.scores, floor)
        self._np_asc = np.array(self._asc)
        self._np_scores = np.array([nan_floor if s is None else s for s in self._asc_scores], dtype=float)
        bonus = spec.get("bonus")
        self.bonus_excess = tuple(float(x) for x in bonus["excess"][::-1]) if bonus else ()
        self.bonus_scores = (0, *(int(x) for x in bonus["scores"][::-1])) if bonus else ()
        self._np_bonus_excess = np.array(self.bonus_excess)
        self._np_bonus_scores = np.array(self.bonus_scores, dtype=np.int64)

    def _index(self, v: float) -> int:
        return bisect_right(self._asc, v) if self.higher else bisect_left(self._asc, v)

    def score_one(self, values: Mapping[str, float | None]) -> _Scored:
        v = values.get(self.key)
        if v is None:
            return _Scored(None, None, reason="missing")
        s = self._asc_scores[self._index(v)]
        bonus = 0
        if self.bonus_excess and s == self.scores[0]:
            excess = v - self.thresholds[0] if self.higher else self.thresholds[0] - v
            bonus = self.bonus_scores[bisect_right(self.bonus_excess, excess)]
        return _Scored(v, s, bonus, None if s is not None else "below_table")

    def score_vec(self, cols: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        v = cols[self.key]
        side = "right" if self.higher else "left"
        scores = self._np_scores[np.searchsorted(self._np_asc, v, side=side)]
        scores[np.isnan(v)] = np.nan
        bonus = np.zeros(len(v), dtype=np.int64)
        if self.bonus_excess:
            top = scores == self.scores[0]
            excess = (v[top] - self.thresholds[0]) if self.higher else (self.thresholds[0] - v[top])
            bonus[top] = self._np_bonus_scores[np.searchsorted(self._np_bonus_excess, excess, side="right")]
        return scores, bonus


class BmiItem:
    """Body-mass index (kg/m², rounded half up to one decimal) scored by bands."""

    kind = "bmi"

    def __init__(self, spec: Mapping[str, Any], weight_pct: int):
        self.key, self.label, self.unit, self.weight_pct = spec["key"], spec["label"], spec["unit"], weight_pct
        self.inputs = tuple(spec["inputs"])
        bands = spec["bands"]
        self.band_labels = tuple(b["label"] for b in bands)
        self.band_scores = tuple(int(b["score"]) for b in bands)
        self.max_x10 = tuple(round(b["max"] * 10) for b in bands[:-1])
        self._np_max_x10 = np.array(self.max_x10, dtype=np.int64)
        self._np_scores = np.array(self.band_scores, dtype=float)

    @staticmethod
    def bmi_x10(height_cm, weight_kg):
        m = height_cm / 100
        return np.floor(weight_kg / (m * m) * 10 + 0.5)

    def score_one(self, values: Mapping[str, float | None]) -> _Scored:
        h, w = values.get("height_cm"), values.get("weight_kg")
        if h is None or w is None:
            return _Scored(None, None, reason="missing")
        try:
            b10 = float(self.bmi_x10(h, w))
        except ZeroDivisionError:  # a height whose square underflows to 0: infinite BMI, as score_many gives
            b10 = math.inf
        i = bisect_left(self.max_x10, b10)
        return _Scored(b10 / 10, self.band_scores[i], band=self.band_labels[i])

    def score_vec(self, cols: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        b10 = self.bmi_x10(cols["height_cm"], cols["weight_kg"])
        missing = np.isnan(b10)
        scores = self._np_scores[np.searchsorted(self._np_max_x10, np.where(missing, 0, b10), side="left")]
        scores[missing] = np.nan
        return scores, np.zeros(len(b10), dtype=np.int64)


class HeightWeightItem:
    """Height-for-weight (身高标准体重): a row per 1-cm height band, five weight bands scored 1-3-5-3-1."""

    kind = "height_for_weight"
    BAND_LABELS = ("very_low", "low", "normal", "high", "very_high")

    def __init__(self, spec: Mapping[str, Any], weight_pct: int):
        self.key, self.label, self.unit, self.weight_pct = spec["key"], spec["label"], spec["unit"], weight_pct
        self.inputs = tuple(spec["inputs"])
        self.band_scores = tuple(int(s) for s in spec["scores"])
        rows = spec.get("rows")
        self.unavailable = spec.get("unavailable") if rows is None else None
        self.rows = np.array(rows if rows is not None else np.zeros((0, 5)), dtype=float)
        self.first_height = int(self.rows[0, 0]) if len(self.rows) else 0

    def _band(self, row: np.ndarray, w: float) -> int:
        return next((i for i, cut in enumerate(row[1:]) if (w < cut if i < 2 else w <= cut)), 4)

    def score_one(self, values: Mapping[str, float | None]) -> _Scored:
        h, w = values.get("height_cm"), values.get("weight_kg")
        if h is None or w is None:
            return _Scored(None, None, reason="missing")
        if self.unavailable:
            return _Scored(w, None, reason="table_unavailable")
        i = math.floor(h) - self.first_height
        if not 0 <= i < len(self.rows):
            return _Scored(w, None, reason="out_of_table")
        band = self._band(self.rows[i], w)
        return _Scored(w, self.band_scores[band], band=self.BAND_LABELS[band])

    def score_vec(self, cols: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        h, w = cols["height_cm"], cols["weight_kg"]
        scores = np.full(len(h), np.nan)
        if not self.unavailable:
            idx = np.floor(np.nan_to_num(h, nan=-1.0)) - self.first_height
            ok = (idx >= 0) & (idx < len(self.rows)) & ~np.isnan(w)
            r = self.rows[idx[ok].astype(np.int64)]
            wo = w[ok]
            conds = [wo < r[:, 1], wo < r[:, 2], wo <= r[:, 3], wo <= r[:, 4]]
            scores[ok] = np.select(conds, self.band_scores[:4], default=self.band_scores[4])
        return scores, np.zeros(len(h), dtype=np.int64)


@dataclass(frozen=True)
class Group:
    id: str
    index: int
    grades: tuple[str, ...]
    age_min: float | None
    age_max: float | None
    ratings: tuple[Rating, ...] | None
    ratings_unavailable: str | None
    pass_min_x100: int | None
    plans: dict[str, tuple]  # sex -> items


@dataclass(frozen=True)
class Standard:
    name: str
    title: str
    source: dict
    subject: str  # "grade" or "age"
    grades: tuple[str, ...]
    groups: tuple[Group, ...]
    total_method: str
    withhold_on_missing: bool
    graduation: dict | None
    measurement_keys: frozenset = field(default_factory=frozenset)

    def group_for(self, grade: str | None = None, age: float | None = None) -> Group:
        """The group (grade, or age band) whose tables apply; raises ScoringError when there is none."""
        if self.subject == "grade":
            return self.groups[_grade_group_index(self, grade)]
        return self.groups[_age_group_index(self, age)]


def _ratings(specs) -> tuple[Rating, ...] | None:
    if specs is None:
        return None
    return tuple(Rating(r["code"], r["label"], None if r["min"] is None else round(r["min"] * 100)) for r in specs)


def _compile_item(spec: Mapping[str, Any], weighted: bool, floor: int | None):
    weight_pct = round(spec["weight"] * 100) if weighted else 100
    kind = spec.get("type", "table")
    if kind == "bmi":
        return BmiItem(spec, weight_pct)
    if kind == "height_for_weight":
        return HeightWeightItem(spec, weight_pct)
    return TableItem(spec, weight_pct, floor)


def _compile(doc: Mapping[str, Any]) -> Standard:
    weighted = doc["total"]["method"] == "weighted_sum"
    floor = doc.get("below_table_score")
    default_ratings = _ratings(doc.get("ratings"))
    groups, keys = [], set()
    for i, g in enumerate(doc["groups"]):
        plans = {sex: tuple(_compile_item(s, weighted, floor) for s in g["sexes"][sex]["items"]) for sex in SEXES}
        keys.update(k for items in plans.values() for item in items for k in item.inputs)
        pass_min = g.get("pass_min", doc.get("pass_min"))
        groups.append(Group(
            id=g["id"], index=i, grades=tuple(g.get("grades", ())), age_min=g.get("age_min"), age_max=g.get("age_max"),
            ratings=_ratings(g["ratings"]) if "ratings" in g else default_ratings,
            ratings_unavailable=g.get("ratings_unavailable"),
            pass_min_x100=None if pass_min is None else round(pass_min * 100), plans=plans))
    return Standard(name=doc["name"], title=doc["title"], source=doc["source"], subject=doc["subject"],
                    grades=tuple(doc.get("grades", ())), groups=tuple(groups), total_method=doc["total"]["method"],
                    withhold_on_missing=doc["missing_item"] == "withhold_rating", graduation=doc.get("graduation"),
                    measurement_keys=frozenset(keys))


def available_standards() -> list[str]:
    """Names of the standards shipped as data files, e.g. ``["physique-2003", "student-2014"]``."""
    return sorted(p.stem for p in STANDARDS_DIR.glob("*.json"))


@lru_cache(maxsize=16)
def _load(name: str) -> Standard:
    with (STANDARDS_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return _compile(json.load(fh))


def load_standard(name: str | Standard) -> Standard:
    """Load (once, then cached) the standard ``name``, e.g. ``"student-2014"`` or ``"physique-2003"``."""
    if isinstance(name, Standard):
        return name
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or name not in available_standards():
        raise ScoringError("standard", "unknown_standard", f"Unknown standard: {name!r}.")
    return _load(name)


# ---------------------------------------------------------------------------------------------
# Input checking (one record)
# ---------------------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^\s*(\d+)\s*(?:'|′|:|：|分)\s*(\d+(?:\.\d+)?)\s*(?:\"|″|''|秒)?\s*$")


def parse_value(key: str, raw: Any) -> float | None:
    """A measurement as a float (``None`` when absent). Run times may be written ``3'55"`` or ``3:55``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    field_name = f"measurements.{key}"
    if isinstance(raw, bool):
        raise ScoringError(field_name, "not_a_number", f"{key} must be a number.")
    if isinstance(raw, str):
        m = _TIME_RE.match(raw) if key.endswith("_s") else None
        try:
            value = int(m.group(1)) * 60 + float(m.group(2)) if m else float(raw.strip())
        except (ValueError, OverflowError):
            raise ScoringError(field_name, "not_a_number", f"{key} must be a number, got {raw!r}.") from None
    else:
        try:
            value = float(raw)
        except OverflowError:  # an integer too large for a float
            value = math.inf
        except (TypeError, ValueError):
            raise ScoringError(field_name, "not_a_number", f"{key} must be a number.") from None
    if not math.isfinite(value):
        raise ScoringError(field_name, "not_a_number", f"{key} must be a finite number.")
    if value < 0 and key not in _NEGATIVE_ALLOWED:
        raise ScoringError(field_name, "negative_value", f"{key} cannot be negative.")
    if value == 0 and key in _POSITIVE_ONLY:
        raise ScoringError(field_name, "must_be_positive", f"{key} must be greater than zero.")
    return value


def _check_measurements(measurements: Mapping[str, Any] | None) -> dict[str, float | None]:
    if measurements is None:
        return {}
    if not isinstance(measurements, Mapping):
        raise ScoringError("measurements", "invalid", "measurements must be an object of key: value.")
    clean = {}
    for key, raw in measurements.items():
        if key not in MEASUREMENT_KEYS:
            raise ScoringError(f"measurements.{key}", "unknown_measurement", f"Unknown measurement: {key!r}.")
        clean[key] = parse_value(key, raw)
    return clean


def _check_sex(sex: Any) -> str:
    if sex not in SEXES:
        raise ScoringError("sex", "invalid_sex", f"sex must be 'male' or 'female', got {sex!r}.")
    return sex


def _grade_group_index(std: Standard, grade: Any) -> int:
    if grade is None:
        raise ScoringError("grade", "required", f"{std.name} scores by grade; give grade.")
    for g in std.groups:
        if grade in g.grades:
            return g.index
    raise ScoringError("grade", "invalid_grade", f"Unknown grade {grade!r}; use one of {', '.join(std.grades)}.")


def _finite(x: numbers.Real) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:  # an integer too large for a float is finite (and out of every table)
        return True


def _age_group_index(std: Standard, age: Any) -> int:
    if age is None:
        raise ScoringError("age", "required", f"{std.name} scores by age; give age.")
    if isinstance(age, bool) or not isinstance(age, numbers.Real) or not _finite(age):
        raise ScoringError("age", "not_a_number", "age must be a number of years.")
    for g in std.groups:
        if g.age_min <= age < g.age_max:
            return g.index
    spans = ", ".join(f"{g.age_min:g}-{g.age_max:g}" for g in std.groups)
    raise ScoringError("age", "age_out_of_range", f"No {std.name} table for age {age}; covered: [{spans}).")


# ---------------------------------------------------------------------------------------------
# Scoring one record
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    value: float | None
    score: int | None
    weight: float | None
    bonus: int
    reason: str | None  # why there is no score: missing, below_table, out_of_table, table_unavailable
    band: str | None = None  # BMI / height-for-weight band, e.g. "normal", "overweight"


@dataclass(frozen=True)
class Result:
    standard: str
    sex: str
    grade: str | None
    age: float | None
    group: str
    items: tuple[ItemResult, ...]
    base_total: float  # weighted (student) or plain (physique) sum of item scores
    bonus_total: int
    total: float  # base_total + bonus_total
    rating: str | None
    rating_label: str | None
    passed: bool | None  # pass or better; None when it cannot be told
    complete: bool  # every item of the group has a score
    reasons: tuple[str, ...]  # why there is no rating, or what is incomplete
    ignored: tuple[str, ...]  # measurements given that this standard and group do not use

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (what the API answers)."""
        d = asdict(self)
        d["items"], d["reasons"], d["ignored"] = list(d["items"]), list(self.reasons), list(self.ignored)
        return d


def _rate(group: Group, total_x100: int, complete: bool, withhold: bool) -> tuple[int, list[str]]:
    """Rating index into RATING_CODES, or RATING_WITHHELD, plus the reasons."""
    reasons = []
    if withhold and not complete:
        reasons.append("rating_withheld_item_without_score")
    if group.ratings is None:
        reasons.append(f"rating_unavailable_{group.ratings_unavailable or 'not_published'}")
    if reasons:
        return RATING_WITHHELD, reasons
    for r in group.ratings:
        if r.min_x100 is None or total_x100 >= r.min_x100:
            return RATING_CODES.index(r.code), reasons
    raise AssertionError("last rating band must be open")  # pragma: no cover


def _passed(group: Group, rating: int, total_x100: int, complete: bool, withhold: bool) -> bool | None:
    if rating >= 0:
        return RATING_CODES[rating] != "fail"
    if group.pass_min_x100 is None or (withhold and not complete):
        return None
    return total_x100 >= group.pass_min_x100


def score(standard: str | Standard, sex: str, grade: str | None = None, age: float | None = None,
          measurements: Mapping[str, Any] | None = None) -> Result:
    """Score one person. Raises :class:`ScoringError` (a ValueError with ``field`` and ``code``) on bad input."""
    std = load_standard(standard)
    sex = _check_sex(sex)
    group = std.group_for(grade=grade, age=age)
    values = _check_measurements(measurements)
    items, base_x100, bonus, complete = [], 0, 0, True
    for item in group.plans[sex]:
        out = item.score_one(values)
        if out.score is None:
            complete = False
        else:
            base_x100 += item.weight_pct * out.score
        bonus += out.bonus
        weight = item.weight_pct / 100 if std.total_method == "weighted_sum" else None
        items.append(ItemResult(item.key, item.label, out.value, out.score, weight, out.bonus, out.reason, out.band))
    total_x100 = base_x100 + 100 * bonus
    rating, reasons = _rate(group, total_x100, complete, std.withhold_on_missing)
    if not complete and not std.withhold_on_missing:
        reasons.append("incomplete_missing_items_scored_zero")
    used = {k for item in group.plans[sex] for k in item.inputs}
    return Result(
        standard=std.name, sex=sex, grade=grade if std.subject == "grade" else None,
        age=age if std.subject == "age" else None, group=group.id, items=tuple(items),
        base_total=base_x100 / 100, bonus_total=bonus, total=total_x100 / 100,
        rating=RATING_CODES[rating] if rating >= 0 else None,
        rating_label=group.ratings[rating].label if rating >= 0 else None,
        passed=_passed(group, rating, total_x100, complete, std.withhold_on_missing), complete=complete,
        reasons=tuple(reasons), ignored=tuple(sorted(k for k, v in values.items() if k not in used and v is not None)))


def rate_total(standard: str | Standard, total: float, grade: str | None = None, age: float | None = None) -> str:
    """The rating code of a total (e.g. a graduation total) under the group's rating bands."""
    std = load_standard(standard)
    group = std.group_for(grade=grade, age=age) if (grade or age is not None) else std.groups[0]
    if group.ratings is None:
        raise ScoringError("standard", "rating_unavailable", f"{std.name} publishes no rating table for {group.id}.")
    x100 = int(Decimal(str(total)).scaleb(2).to_integral_value(ROUND_HALF_UP))
    return RATING_CODES[_rate(group, x100, True, False)[0]]


def graduation_total(final_year_total: float, other_year_totals: Iterable[float],
                     standard: str | Standard = "student-2014") -> float:
    """Graduation score: 50% of the final school year's total + 50% of the mean of the other years' totals
    (国家学生体质健康标准（2014年修订）). With no other year on record the final year's total stands."""
    rule = load_standard(standard).graduation
    if rule is None:
        raise ScoringError("standard", "no_graduation_rule", "This standard has no graduation rule.")
    others = [Decimal(str(t)) for t in other_year_totals]
    final = Decimal(str(final_year_total))
    if not others:
        return float(final)
    total = final * Decimal(str(rule["final_year_share"])) + (sum(others) / len(others)) * Decimal(
        str(rule["other_years_share"]))
    return float(total.quantize(Decimal(1).scaleb(-rule["decimals"]), ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------------
# Scoring many records at once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    totals: np.ndarray  # float64; NaN for invalid records (errors="mask")
    ratings: np.ndarray  # int8 index into RATING_CODES, RATING_WITHHELD or RATING_INVALID
    passed: np.ndarray  # int8: 1 pass or better, 0 fail, -1 unknown or invalid
    complete: np.ndarray  # bool: every item scored
    item_scores: dict[str, np.ndarray] | None = None  # key -> float64 score (NaN: not scored / not used)
    bonuses: dict[str, np.ndarray] | None = None


def _codes(values, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Map an array of labels (or integer codes) onto indices into ``vocabulary``; -1 for unknown."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return np.where((arr >= 0) & (arr < len(vocabulary)), arr, -1).astype(np.int64)
    vocab = np.array(vocabulary)
    order = np.argsort(vocab)
    pos = np.clip(np.searchsorted(vocab[order], arr), 0, len(vocab) - 1)
    return np.where(vocab[order][pos] == arr, order[pos], -1)


def _age_groups(std: Standard, age) -> np.ndarray:
    ages = np.asarray(age, dtype=float)
    mins = np.array([g.age_min for g in std.groups])
    maxs = np.array([g.age_max for g in std.groups])
    order = np.argsort(mins)
    pos = np.searchsorted(mins[order], np.nan_to_num(ages, nan=-1.0), side="right") - 1
    grp = order[np.clip(pos, 0, None)]
    ok = (pos >= 0) & (ages < maxs[grp])
    return np.where(ok, grp, -1)


def _columns(std: Standard, measurements: Mapping[str, Any], n: int):
    """Float columns for every key the standard uses (NaN = not measured), the mask of records with a bad
    value, and the first bad value as (row, field, code)."""
    cols, invalid, first = {}, np.zeros(n, dtype=bool), None
    for key, raw in measurements.items():
        if key not in MEASUREMENT_KEYS:
            raise ScoringError(f"measurements.{key}", "unknown_measurement", f"Unknown measurement: {key!r}.")
        try:
            col = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise ScoringError(f"measurements.{key}", "not_a_number", f"{key} must be numeric.") from None
        if col.shape != (n,):
            raise ScoringError(f"measurements.{key}", "invalid", f"{key} must hold {n} values.")
        rules = [(np.isinf(col), "not_a_number")]
        if key not in _NEGATIVE_ALLOWED:
            rules.append((col < 0, "negative_value"))
        if key in _POSITIVE_ONLY:
            rules.append((col == 0, "must_be_positive"))
        for mask, code in rules:
            if mask.any():
                invalid |= mask
                row = int(np.argmax(mask))
                first = min(first or (n, "", ""), (row, f"measurements.{key}", code))
        cols[key] = col
    for key in std.measurement_keys - cols.keys():
        cols[key] = np.full(n, np.nan)
    return cols, invalid, first


def score_many(standard: str | Standard, sex, grade=None, age=None, measurements: Mapping[str, Any] | None = None,
               *, errors: str = "raise", with_items: bool = False) -> BatchResult:
    """Score a batch: ``sex`` and ``grade`` (or ``age``) are arrays, ``measurements`` maps keys to arrays
    (NaN = not measured). Gives exactly the answers of :func:`score`, record by record.

    ``errors="raise"`` raises the first problem as ScoringError (with ``row``); ``errors="mask"`` marks
    such records with NaN total and rating RATING_INVALID instead.
    """
    if errors not in ("raise", "mask"):
        raise ValueError("errors must be 'raise' or 'mask'")
    std = load_standard(standard)
    sexes = _codes(sex, SEXES)
    n = len(sexes)
    if std.subject == "grade":
        if grade is None:
            raise ScoringError("grade", "required", f"{std.name} scores by grade; give grade.")
        grade_idx = _codes(grade, std.grades)
        gmap = np.array([_grade_group_index(std, g) for g in std.grades])
        groups = np.where(grade_idx >= 0, gmap[grade_idx], -1)
        group_problem = ("grade", "invalid_grade")
    else:
        if age is None:
            raise ScoringError("age", "required", f"{std.name} scores by age; give age.")
        groups = _age_groups(std, age)
        group_problem = ("age", "age_out_of_range")
    cols, bad_values, first_bad = _columns(std, measurements or {}, n)
    invalid = (sexes < 0) | (groups < 0) | bad_values
    if errors == "raise" and invalid.any():
        problems = [first_bad] if first_bad else []
        if (sexes < 0).any():
            problems.append((int(np.argmax(sexes < 0)), "sex", "invalid_sex"))
        if (groups < 0).any():
            problems.append((int(np.argmax(groups < 0)), *group_problem))
        row, fld, code = min(problems)
        raise ScoringError(fld, code, f"Record {row}: {code} in {fld}.", row=row)
    return _score_valid(std, sexes, groups, cols, invalid, with_items)


def _score_valid(std, sexes, groups, cols, invalid, with_items) -> BatchResult:
    n = len(sexes)
    total_x100 = np.zeros(n, dtype=np.int64)
    ratings = np.full(n, RATING_INVALID, dtype=np.int8)
    passed = np.full(n, -1, dtype=np.int8)
    complete = np.zeros(n, dtype=bool)
    item_scores = {} if with_items else None
    bonuses = {} if with_items else None
    plan = np.where(invalid, -1, groups * 2 + sexes).astype(np.int16)
    order = np.argsort(plan, kind="stable")
    bounds = np.searchsorted(plan[order], np.arange(-1, 2 * len(std.groups) + 1))
    for p in range(2 * len(std.groups)):
        idx = order[bounds[p + 1]:bounds[p + 2]]
        if len(idx):
            _score_plan(std, std.groups[p // 2], SEXES[p % 2], idx, cols,
                        (total_x100, ratings, passed, complete, item_scores, bonuses))
    totals = total_x100 / 100
    totals[invalid] = np.nan
    return BatchResult(totals, ratings, passed, complete, item_scores, bonuses)


def _score_plan(std, group, sex, idx, cols, out) -> None:
    total_x100, ratings, passed, complete, item_scores, bonuses = out
    sub = {k: cols[k][idx] for k in {k for item in group.plans[sex] for k in item.inputs}}
    base = np.zeros(len(idx), dtype=np.int64)
    bonus = np.zeros(len(idx), dtype=np.int64)
    done = np.ones(len(idx), dtype=bool)
    for item in group.plans[sex]:
        s, b = item.score_vec(sub)
        scored = ~np.isnan(s)
        done &= scored
        base += np.where(scored, s, 0).astype(np.int64) * item.weight_pct
        bonus += b
        if item_scores is not None:
            item_scores.setdefault(item.key, np.full(len(total_x100), np.nan))[idx] = s
            bonuses.setdefault(item.key, np.zeros(len(total_x100), dtype=np.int64))[idx] = b
    tx = base + 100 * bonus
    total_x100[idx] = tx
    complete[idx] = done
    ratings[idx] = _rate_vec(group, tx, done, std.withhold_on_missing)
    passed[idx] = _passed_vec(group, ratings[idx], tx, done, std.withhold_on_missing)


def _rate_vec(group: Group, tx: np.ndarray, done: np.ndarray, withhold: bool) -> np.ndarray:
    if group.ratings is None:
        return np.full(len(tx), RATING_WITHHELD, dtype=np.int8)
    r = np.full(len(tx), -3, dtype=np.int8)
    for rating in reversed(group.ratings):
        hit = np.ones(len(tx), bool) if rating.min_x100 is None else tx >= rating.min_x100
        r[hit] = RATING_CODES.index(rating.code)
    if withhold:
        r[~done] = RATING_WITHHELD
    return r


def _passed_vec(group, rating, tx, done, withhold) -> np.ndarray:
    known = rating >= 0
    out = np.where(known, (rating != RATING_CODES.index("fail")).astype(np.int8), -1).astype(np.int8)
    if group.pass_min_x100 is not None:
        fallback = ~known & (done | (not withhold))
        out[fallback] = (tx[fallback] >= group.pass_min_x100).astype(np.int8)
    return out


# ---------------------------------------------------------------------------------------------
# Device exports: Chinese headers and labels
# ---------------------------------------------------------------------------------------------

HEADER_ALIASES = {
    "身高": "height_cm", "体重": "weight_kg", "肺活量": "vital_capacity_ml", "50米跑": "sprint_50m_s",
    "50米": "sprint_50m_s", "五十米跑": "sprint_50m_s", "坐位体前屈": "sit_and_reach_cm",
    "一分钟跳绳": "rope_skipping_1min", "1分钟跳绳": "rope_skipping_1min", "跳绳": "rope_skipping_1min",
    "一分钟仰卧起坐": "situps_1min", "1分钟仰卧起坐": "situps_1min", "仰卧起坐": "situps_1min",
    "50米×8往返跑": "shuttle_50x8_s", "50米x8往返跑": "shuttle_50x8_s", "50米*8往返跑": "shuttle_50x8_s",
    "50×8往返跑": "shuttle_50x8_s", "立定跳远": "standing_long_jump_cm", "引体向上": "pullups",
    "1000米跑": "run_1000m_s", "1000米": "run_1000m_s", "800米跑": "run_800m_s", "800米": "run_800m_s",
    "握力": "grip_kg", "俯卧撑": "pushups", "纵跳": "vertical_jump_cm", "台阶试验": "step_index",
    "台阶指数": "step_index", "选择反应时": "reaction_time_s", "闭眼单脚站立": "one_leg_stand_eyes_closed_s",
    "10米折返跑": "shuttle_10m_s", "网球掷远": "tennis_ball_throw_m", "双脚连续跳": "double_leg_jump_s",
    "走平衡木": "balance_beam_s", "性别": "sex", "年级": "grade", "年级编号": "grade", "年龄": "age",
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘＭ＊", "0123456789xxm*")


def canonical_key(header: str) -> str | None:
    """Canonical key for a column header such as ``"50米跑（单位：秒）"`` or ``"sprint_50m_s"``; None if unknown."""
    text = str(header).strip().translate(_FULLWIDTH)
    text = re.sub(r"[（(].*?[)）]", "", text).replace(" ", "")
    if text.lower() in MEASUREMENT_KEYS or text.lower() in ("sex", "grade", "age"):
        return text.lower()
    return HEADER_ALIASES.get(text)


def map_headers(headers: Iterable[str]) -> dict[str, str]:
    """``{original header: canonical key}`` for the headers this engine understands."""
    return {h: k for h in headers if (k := canonical_key(h)) is not None}


def parse_sex(value: Any) -> str:
    """``"male"``/``"female"`` from 男/女, M/F, 1/2 (the student data system's 性别 code) or the canonical word."""
    text = str(value).strip().lower()
    sex = {"男": "male", "女": "female", "m": "male", "f": "female", "1": "male", "2": "female",
           "male": "male", "female": "female"}.get(text)
    if sex is None:
        raise ScoringError("sex", "invalid_sex", f"Unknown sex {value!r}.")
    return sex


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STAGE = {"小学": "primary", "初中": "junior", "初": "junior", "高中": "senior", "高": "senior", "大学": "university",
          "大": "university"}
_CODE_STAGE = {"1": "primary", "2": "junior", "3": "senior", "4": "university"}


def parse_grade(value: Any) -> str:
    """Canonical grade from 一年级…六年级, 七/八/九年级, 初一, 高二, 大三, 初中一年级, the student data
    system's 年级编号 (11-16, 21-23, 31-33, 41-44) or the canonical form itself."""
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"(primary-[1-6]|junior-[1-3]|senior-[1-3]|university-[1-4])", text):
        return text
    grade = None
    if re.fullmatch(r"[1-4][1-6]", text):
        grade = f"{_CODE_STAGE[text[0]]}-{text[1]}"
    elif m := re.fullmatch(r"(小学|初中|高中|大学|初|高|大)?([一二三四五六七八九])(?:年级)?", text):
        stage, num = m.group(1), _CN_NUM[m.group(2)]
        if stage is None:
            grade = f"primary-{num}" if num <= 6 else f"junior-{num - 6}"
        else:
            grade = f"{_STAGE[stage]}-{num}"
    if grade is None or not re.fullmatch(r"(primary-[1-6]|junior-[1-3]|senior-[1-3]|university-[1-4])", grade):
        raise ScoringError("grade", "invalid_grade", f"Unknown grade {value!r}.")
    return grade
