"""A survey's results: answers weighted by population, estimates with their margin of error.

Weighting (post-stratification by division): each answer counts for its cell, the township or
county (the survey's `weighting`) that holds the respondent's home, in proportion to the cell's
resident population: weight = (cell's population ÷ the population of the cells answered) ÷ (cell's
answers ÷ all answers). An answer whose home lies above the weighting level, or whose cell has no
population figure, weighs 1. The weights sum to the number of answers.

Estimates: the weighted share (regular exercisers) or mean (satisfaction score, 0–100), with a 95 %
margin of error from the effective sample size n_eff = (Σw)² ÷ Σw² (Kish), which the unequal
weights make smaller than n: z × √(p(1 − p) ÷ n_eff) for a share, t(n_eff − 1) × s ÷ √n_eff for a
mean. Below MIN_ANSWERS answers a division gets no figure (too few to say anything).
"""

from dataclasses import dataclass, field

import numpy as np

from quanmin.regions import codes, subtrees
from quanmin.regions.models import Region

from .models import AGE_BAND_CHOICES, Response, Sex, Survey

MIN_ANSWERS = 30
CONFIDENCE = 0.95


@dataclass
class Estimate:
    n: int
    value: float | None = None  # per cent (share) or points out of 100 (mean)
    moe: float | None = None  # ± the same unit, 95 %
    n_eff: float | None = None

    @property
    def low(self):
        return None if self.value is None else max(self.value - self.moe, 0.0)

    @property
    def high(self):
        return None if self.value is None else min(self.value + self.moe, 100.0)


def estimate(y: np.ndarray, w: np.ndarray, share: bool, minimum: int = MIN_ANSWERS) -> Estimate:
    """Weighted share (y of 0/1, in per cent) or mean (y in points) with its 95 % margin of error."""
    n = len(y)
    if n < max(minimum, 2) or w.sum() <= 0:
        return Estimate(n)
    from scipy import stats  # lazy: SciPy takes seconds to load, and only an estimate needs it

    n_eff = float(w.sum() ** 2 / (w ** 2).sum())
    mean = float(np.average(y, weights=w))
    if share:
        se = np.sqrt(mean * (1 - mean) / n_eff)
        moe = float(stats.norm.ppf((1 + CONFIDENCE) / 2) * se) * 100
        return Estimate(n, round(mean * 100, 1), round(moe, 1), round(n_eff, 1))
    variance = float(np.average((y - mean) ** 2, weights=w)) * n / (n - 1)
    moe = float(stats.t.ppf((1 + CONFIDENCE) / 2, max(n_eff - 1, 1)) * np.sqrt(variance / n_eff))
    return Estimate(n, round(mean, 1), round(moe, 1), round(n_eff, 1))


@dataclass
class Answers:
    """A survey's answers as arrays, with their weights."""

    survey: Survey
    regions: np.ndarray  # home division code of each answer
    sexes: np.ndarray
    bands: np.ndarray
    y: np.ndarray  # 0/1 regular exerciser, or the satisfaction score
    weights: np.ndarray
    answers: list = field(default_factory=list)  # the answers' dicts, when asked for

    @property
    def share(self) -> bool:
        return self.survey.kind == Survey.Kind.REGULAR_EXERCISE

    def estimate(self, mask=None, minimum: int = MIN_ANSWERS) -> Estimate:
        if mask is None:
            return estimate(self.y, self.weights, self.share, minimum)
        return estimate(self.y[mask], self.weights[mask], self.share, minimum)

    def within(self, wanted: list[str]) -> dict[str, np.ndarray]:
        """{division code: mask of the answers from its subtree}."""
        unique, inverse = np.unique(self.regions, return_inverse=True) if len(self.regions) else ([], np.array([]))
        index = {code: i for i, code in enumerate(unique)}
        held = subtrees.roll_up(list(unique), wanted, key=lambda code: code)
        return {code: np.isin(inverse, [index[c] for c in held[code]]) for code in wanted}


def load(survey: Survey, with_answers: bool = False) -> Answers:
    """The survey's answers that count (a regular exerciser told or not; a score given) and their weights."""
    qs = Response.objects.filter(survey=survey)
    if survey.kind == Survey.Kind.REGULAR_EXERCISE:
        qs = qs.filter(regular__isnull=False)
    else:
        qs = qs.filter(score__isnull=False)
    fields = ["region_id", "sex", "age_band", "regular", "score"] + (["answers"] if with_answers else [])
    rows = list(qs.order_by("pk").values_list(*fields))
    regions = np.array([r[0] for r in rows], dtype=object)
    y = np.array([(1.0 if r[3] else 0.0) if survey.kind == Survey.Kind.REGULAR_EXERCISE else float(r[4])
                  for r in rows], dtype=float)
    return Answers(survey, regions, np.array([r[1] for r in rows], dtype=object),
                   np.array([r[2] for r in rows], dtype=object), y, weights(survey, regions),
                   [r[5] for r in rows] if with_answers else [])


def weights(survey: Survey, regions: np.ndarray) -> np.ndarray:
    """Post-stratification weights by the population of each answer's cell (see the module's note)."""
    n = len(regions)
    w = np.ones(n)
    if not n:
        return w
    level = survey.weighting
    depth = codes.LEVELS.index(level)
    cells = np.array([codes.ancestor_at(r, level) if codes.LEVELS.index(codes.level(r)) >= depth else ""
                      for r in regions], dtype=object)
    population = dict(Region.objects.filter(code__in=set(cells) - {""}, level=level)
                      .values_list("code", "population"))
    known = np.array([bool(population.get(c)) for c in cells])
    if not known.any():
        return w
    names, inverse, counts = np.unique(cells[known], return_inverse=True, return_counts=True)
    pops = np.array([population[c] for c in names], dtype=float)
    n_known = known.sum()
    per_cell = (pops / pops.sum()) / (counts / n_known)
    w[known] = per_cell[inverse]
    return w


@dataclass
class Row:
    code: str
    label: str
    estimate: Estimate
    population: int | None = None


def by_division(data: Answers, level: str | None = None) -> list[Row]:
    """The survey's whole division first, then each division one level down (or at `level`)."""
    survey = data.survey
    top = survey.region
    below = level or codes.child_level(top.level)
    divisions = list(Region.objects.filter(code__within=top.prefix, level=below).order_by("code")) if below else []
    wanted = [top.code] + [d.code for d in divisions]
    masks = data.within(wanted)
    rows = [Row(top.code, top.name, data.estimate(masks[top.code]), top.population)]
    rows += [Row(d.code, d.name, data.estimate(masks[d.code]), d.population) for d in divisions]
    return rows


def by_sex(data: Answers) -> list[Row]:
    return [Row(value, str(label), data.estimate(data.sexes == value)) for value, label in Sex.choices]


def by_age_band(data: Answers) -> list[Row]:
    return [Row(value, str(label), data.estimate(data.bands == value)) for value, label in AGE_BAND_CHOICES]


def distributions(data: Answers, questions) -> list[dict]:
    """For each choice or scale question: every choice's weighted share of those who answered it (%)."""
    out = []
    for q in questions:
        if q.kind not in ("single", "multiple", "scale"):
            continue
        qid = str(q.pk)
        options = ([(c["value"], c["label"]) for c in q.choices] if q.kind != "scale"
                   else [(m, str(m)) for m in range(1, 6)])
        answered = np.array([qid in a for a in data.answers], dtype=bool)
        total = float(data.weights[answered].sum()) if len(answered) else 0.0
        shares = []
        for value, label in options:
            if q.kind == "multiple":
                hit = np.array([value in (a.get(qid) or []) for a in data.answers], dtype=bool)
            else:
                hit = np.array([a.get(qid) == value for a in data.answers], dtype=bool)
            part = float(data.weights[hit].sum()) if len(hit) else 0.0
            shares.append({"value": value, "label": label, "share": round(part / total * 100, 1) if total else None})
        out.append({"question": q, "answered": int(answered.sum()) if len(answered) else 0, "shares": shares})
    return out
