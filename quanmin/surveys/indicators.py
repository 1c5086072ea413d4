"""The surveys' indicators (see quanmin.core.indicators): figures that only a survey can give.

For each division asked for, the figure comes from the latest survey of the kind, closed by
`as_of`, whose surveyed division holds it (the division itself or one above): the weighted
estimate over the answers from the division's subtree (surveys/results.py), or None when it has
fewer than results.MIN_ANSWERS answers or no such survey exists. A few queries per survey used,
whatever the number of divisions.
"""

import dataclasses
import datetime
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import decimal, indicator
from quanmin.regions import codes

from . import results
from .models import Survey

LEVELS = ("city", "county", "township")


def latest_surveys(kind: str, wanted: list[str], as_of: datetime.date) -> dict[str, Survey]:
    """{code: the latest closed survey of `kind` by `as_of` covering the division}."""
    above = {a for code in wanted for a in codes.upward(code)}
    found = (Survey.objects.filter(kind=kind, status=Survey.Status.CLOSED, closes_on__lte=as_of, region_id__in=above)
             .select_related("region").order_by("-closes_on", "-pk"))
    out: dict[str, Survey] = {}
    for survey in found:
        for code in wanted:
            if code not in out and codes.contains(survey.region_id, code):
                out[code] = survey
    return out


def _figures(kind: str, wanted: list[str], as_of: datetime.date, recount=None) -> dict[str, Decimal | None]:
    """Each code's weighted estimate from its survey; `recount` turns the answers (with their
    dicts) into the 0/1 figure wanted instead of the survey's own."""
    chosen = latest_surveys(kind, wanted, as_of)
    out: dict[str, Decimal | None] = {code: None for code in wanted}
    by_survey: dict[int, list[str]] = {}
    surveys = {}
    for code, survey in chosen.items():
        by_survey.setdefault(survey.pk, []).append(code)
        surveys[survey.pk] = survey
    for pk, mine in by_survey.items():
        data = results.load(surveys[pk], with_answers=recount is not None)
        if recount is not None:
            data = recount(data)
        for code, mask in data.within(mine).items():
            out[code] = decimal(data.estimate(mask).value)
    return out


@indicator("regular_exerciser_rate", unit="percent", levels=LEVELS,
           label=_("Share of people exercising regularly"),
           description=_("Weighted share of the people surveyed who exercise 3 or more times a week, 30 minutes or "
                         "more at moderate intensity (经常参加体育锻炼人数比例), from the latest closed survey."))
def regular_exerciser_rate(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _figures(Survey.Kind.REGULAR_EXERCISE, codes_, as_of)


@indicator("satisfaction_score", unit="percent", levels=LEVELS,
           label=_("Public satisfaction with the fitness service"),
           description=_("Weighted mean satisfaction (满意度) of the people surveyed, 0–100 %: very satisfied 100, "
                         "satisfied 75, neither 50, dissatisfied 25, very dissatisfied 0; from the latest closed "
                         "satisfaction survey (社会满意度调查)."))
def satisfaction_score(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _figures(Survey.Kind.SATISFACTION, codes_, as_of)


def weekly(data: results.Answers) -> results.Answers:
    """The answers recounted: 1 for at least once a week (the `frequency` question), else 0."""
    key = str(next((q.pk for q in data.survey.questions.all() if q.key == "frequency"), ""))

    def times(answers: dict) -> float:
        try:
            return 1.0 if int(answers.get(key, 0)) >= 1 else 0.0
        except (TypeError, ValueError):
            return 0.0
    return dataclasses.replace(data, y=np.array([times(a) for a in data.answers], dtype=float))


@indicator("weekly_exerciser_rate", unit="percent", levels=LEVELS,
           label=_("Share of people exercising every week"),
           description=_("Weighted share of the people surveyed who take part in sport or exercise once a week or "
                         "more (每周参加1次及以上体育锻炼), from the latest closed exerciser survey."))
def weekly_exerciser_rate(codes_: list[str], as_of: datetime.date) -> dict[str, Decimal | None]:
    return _figures(Survey.Kind.REGULAR_EXERCISE, codes_, as_of, recount=weekly)
