"""Staff pages of the surveys: list, new survey, a survey's questionnaire and quotas, opening and
closing, the results with their margins, and the Excel export. Views parse, check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.views import act

from . import exports, permissions, results, selectors, services
from .errors import SurveyError
from .forms import QuestionForm, QuotaForm, SurveyForm

reader = role_required(permissions.can_read)
creator = role_required(permissions.can_create)
SURVEY_PAGE = "surveys:staff_survey"


@reader
def survey_list(request):
    page = Paginator(selectors.surveys_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "surveys/staff/list.html", {"page": page,
                                                       "can_create": permissions.can_create(request.user)})


@creator
def survey_new(request):
    top = scoping.top_regions(request.user, write=True).first()
    form = SurveyForm(request.POST if request.method == "POST" else None, initial={"region": top.code if top else "", "sample_target": 0})
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(form.cleaned_data, actor=request.user, request=request)
        except SurveyError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Survey made with the standard questionnaire: add questions and quotas, "
                                        "then open it."))
            return redirect(SURVEY_PAGE, pk=survey.pk)
    return render(request, "surveys/staff/form.html", {"form": form}, status=400 if form.errors else 200)


@reader
def survey_detail(request, pk):
    survey = selectors.get_or_404(request.user, pk)
    data = results.load(survey)
    return render(request, "surveys/staff/detail.html", {
        "survey": survey, "questions": survey.questions.all(), "quotas": survey.quotas.select_related("region"),
        "can_manage": permissions.can_manage(request.user, survey), "overall": data.estimate(),
        "question_form": QuestionForm(), "quota_form": QuotaForm(initial={"region": survey.region_id}),
    })


def _form_errors(request, survey, form):
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(SURVEY_PAGE, pk=survey.pk)


@require_POST
@reader
def question_add(request, pk):
    survey = selectors.get_or_404(request.user, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, survey, form)
    return act(request, SURVEY_PAGE, survey.pk, lambda: services.add_question(
        survey, form.cleaned_data, actor=request.user, request=request), _("Question added."))


@require_POST
@reader
def question_delete(request, pk, question_pk):
    survey = selectors.get_or_404(request.user, pk)
    question = survey.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    return act(request, SURVEY_PAGE, survey.pk, lambda: services.delete_question(
        question, actor=request.user, request=request), _("Question removed."))


@require_POST
@reader
def quota_add(request, pk):
    survey = selectors.get_or_404(request.user, pk)
    form = QuotaForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, survey, form)
    return act(request, SURVEY_PAGE, survey.pk, lambda: services.add_quota(
        survey, form.cleaned_data, actor=request.user, request=request), _("Quota added."))


@require_POST
@reader
def quota_delete(request, pk, quota_pk):
    survey = selectors.get_or_404(request.user, pk)
    quota = survey.quotas.filter(pk=quota_pk).first()
    if quota is None:
        raise Http404
    return act(request, SURVEY_PAGE, survey.pk, lambda: services.delete_quota(
        quota, actor=request.user, request=request), _("Quota removed."))


@require_POST
@reader
def status(request, pk):
    survey = selectors.get_or_404(request.user, pk)
    wanted = request.POST.get("status", "")
    done = _("The survey is open for answers.") if wanted == "open" else _("The survey is closed.")
    return act(request, SURVEY_PAGE, survey.pk, lambda: services.set_status(
        survey, wanted, actor=request.user, request=request), done)


@reader
def survey_results(request, pk):
    survey = selectors.get_or_404(request.user, pk)
    level = request.GET.get("level", "")
    levels = [lv for lv in ("county", "township") if survey.region.level == "city" or lv == "township"]
    data = results.load(survey, with_answers=True)
    return render(request, "surveys/staff/results.html", {
        "survey": survey, "overall": data.estimate(), "levels": levels,
        "level": level if level in levels else (levels[0] if levels else ""),
        "divisions": results.by_division(data, level if level in levels else None),
        "sexes": results.by_sex(data), "bands": results.by_age_band(data),
        "distributions": results.distributions(data, survey.questions.all()), "min_answers": results.MIN_ANSWERS,
        "share": data.share,
    })


@reader
def export(request, pk):
    return exports.xlsx(selectors.get_or_404(request.user, pk))
