"""A survey in Excel: the weighted results by division, sex and age band with their margins, the
share of each answer to each question, and the answers themselves (no one's identity: the answer
rows hold only the division, sex and age band)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quanmin.core.excel import xlsx_response

from . import results
from .models import AGE_BAND_CHOICES, Sex, Survey


def _figure_headers(survey: Survey) -> list[str]:
    what = _("Regular exercisers (%)") if survey.kind == Survey.Kind.REGULAR_EXERCISE else _("Satisfaction score")
    return [_("Answers"), _("Effective sample"), what, _("Margin of error (±, 95%)"), _("From"), _("To")]


def _figures(e: results.Estimate) -> list:
    return [e.n, e.n_eff, e.value, e.moe, e.low, e.high]


def sheets(survey: Survey) -> list:
    questions = list(survey.questions.all())
    data = results.load(survey, with_answers=True)
    figure_headers = _figure_headers(survey)
    division_rows = [[r.code, r.label, r.population, *_figures(r.estimate)] for r in results.by_division(data)]
    sex_rows = [[r.label, *_figures(r.estimate)] for r in results.by_sex(data)]
    band_rows = [[r.label, *_figures(r.estimate)] for r in results.by_age_band(data)]
    share_rows = [[d["question"].position, d["question"].text, s["label"], s["share"]]
                  for d in results.distributions(data, questions) for s in d["shares"]]
    sexes, bands = dict(Sex.choices), dict(AGE_BAND_CHOICES)
    names = dict(survey.responses.values_list("region_id", "region__name").distinct())

    def answer_rows():
        for row in survey.responses.order_by("pk").values_list("pk", "region_id", "sex", "age_band", "submitted_on",
                                                                 "regular", "score", "answers").iterator():
            pk, region, sex, band, day, regular, score, answers = row
            figure = (_("yes") if regular else _("no")) if regular is not None else score
            cells = []
            for q in questions:
                value = answers.get(str(q.pk))
                if isinstance(value, list):
                    cells.append("、".join(q.label_of(v) for v in value))
                elif q.kind in ("single",) and value is not None:
                    cells.append(q.label_of(value))
                else:
                    cells.append(value)
            yield [pk, region, names.get(region, ""), str(sexes.get(sex, "")), str(bands.get(band, "")), day, figure,
                   *cells]

    figure_name = (_("Regular exerciser") if survey.kind == Survey.Kind.REGULAR_EXERCISE
                   else _("Satisfaction score"))
    return [
        (_("By division"), [_("Division code"), _("Division"), _("Resident population"), *figure_headers],
         division_rows),
        (_("By sex"), [_("Sex"), *figure_headers], sex_rows),
        (_("By age"), [_("Age band"), *figure_headers], band_rows),
        (_("Answers by question"), [_("No."), _("Question"), pgettext("survey", "Answer"), _("Weighted share (%)")], share_rows),
        (_("Answers"), [_("Answer No."), _("Division code"), _("Division"), _("Sex"), _("Age band"),
                        _("Submitted on"), figure_name, *[f"{q.position}. {q.text}" for q in questions]],
         answer_rows()),
    ]


def xlsx(survey: Survey):
    return xlsx_response(f"survey-{survey.pk}.xlsx", sheets(survey))
