"""The national physique standards, compiled from their data files.

Each standard and version is one JSON file in ``standards/`` (see its README for sources). This module
reads a file once and compiles it into score tables (:class:`TableItem`, :class:`BmiItem`,
:class:`HeightWeightItem`) grouped by grade or age band; :mod:`.scoring` scores people against them.
Like the scoring engine, it imports nothing from Django.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ScoringError

STANDARDS_DIR = Path(__file__).with_name("standards")
SEXES = ("male", "female")
RATING_CODES = ("excellent", "good", "pass", "fail")

MEASUREMENT_KEYS = (
    "height_cm", "weight_kg", "vital_capacity_ml", "sprint_50m_s", "sit_and_reach_cm", "rope_skipping_1min",
    "situps_1min", "shuttle_50x8_s", "standing_long_jump_cm", "pullups", "run_1000m_s", "run_800m_s", "grip_kg",
    "pushups", "vertical_jump_cm", "step_index", "reaction_time_s", "one_leg_stand_eyes_closed_s",
    "shuttle_10m_s", "tennis_ball_throw_m", "double_leg_jump_s", "balance_beam_s",
)


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
    item_pass: float  # an item scored below this is weak (prescriptions)
    item_top: float  # an item's best score
    measurement_keys: frozenset = field(default_factory=frozenset)

    def group_for(self, grade: str | None = None, age: float | None = None) -> Group:
        """The group (grade, or age band) whose tables apply; raises ScoringError when there is none."""
        if self.subject == "grade":
            return self.groups[grade_group_index(self, grade)]
        return self.groups[age_group_index(self, age)]


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
                    measurement_keys=frozenset(keys), item_pass=doc["item_scale"]["pass"], item_top=doc["item_scale"]["top"])


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


def grade_group_index(std: Standard, grade: Any) -> int:
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


def age_group_index(std: Standard, age: Any) -> int:
    if age is None:
        raise ScoringError("age", "required", f"{std.name} scores by age; give age.")
    if isinstance(age, bool) or not isinstance(age, numbers.Real) or not _finite(age):
        raise ScoringError("age", "not_a_number", "age must be a number of years.")
    for g in std.groups:
        if g.age_min <= age < g.age_max:
            return g.index
    spans = ", ".join(f"{g.age_min:g}-{g.age_max:g}" for g in std.groups)
    raise ScoringError("age", "age_out_of_range", f"No {std.name} table for age {age}; covered: [{spans}).")
