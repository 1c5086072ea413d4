"""Physique scoring engine driven by the national standards as data files.

Each standard and version is one JSON file in ``standards/`` (see its README for sources), compiled by
:mod:`.tables`; column headers of device exports are read by :mod:`.device_headers`. This module
scores one person (:func:`score`) or a whole batch at once with NumPy (:func:`score_many`),
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

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from .errors import ScoringError
from .tables import (
    MEASUREMENT_KEYS,
    RATING_CODES,
    SEXES,
    Group,
    Standard,
    grade_group_index,
    load_standard,
)

RATING_WITHHELD = -1  # no overall rating: an item has no score, or the standard publishes no rating table
RATING_INVALID = -2  # score_many(errors="mask") only: the record itself is invalid
_NEGATIVE_ALLOWED = frozenset({"sit_and_reach_cm"})
_POSITIVE_ONLY = frozenset({"height_cm", "weight_kg"})


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
        gmap = np.array([grade_group_index(std, g) for g in std.grades])
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
