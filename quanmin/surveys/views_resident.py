"""Residents' survey pages (phone-sized): the surveys open to me, and answering one, once."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import questionnaires, services
from .errors import SurveyError
from .models import Survey


def open_list(request):
    user = request.user
    surveys = services.open_for(user) if user.is_authenticated else services.open_anywhere()
    answered = set()
    if user.is_authenticated and user.id_number_hash:
        answered = set(Survey.objects.filter(respondents__person_hash=user.id_number_hash)
                       .values_list("pk", flat=True))
    return render(request, "surveys/resident/list.html", {"surveys": surveys, "answered": answered})


def _posted_answers(request, questions) -> dict:
    found = {}
    for q in questions:
        name = f"q{q.pk}"
        value = request.POST.getlist(name) if q.kind == "multiple" else request.POST.get(name, "")
        if value not in ("", []):
            found[str(q.pk)] = value
    return found


def answer(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("region").exclude(status=Survey.Status.DRAFT), pk=pk)
    questions = list(survey.questions.all())
    today = timezone.localdate()
    context = {"survey": survey, "questions": questions, "scale": questionnaires.SCALE_LABELS.items(),
               "is_open": services.is_open(survey, today)}
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        given = _posted_answers(request, questions)
        try:
            services.answer(survey, request.user, given, request=request)
        except SurveyError as exc:
            context["error"] = exc.message
            status = exc.status
            for q in questions:  # the answers given stay ticked, the question at fault is marked
                value = given.get(str(q.pk), [])
                q.given_values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
                q.has_error = exc.field == f"q{q.pk}"
        else:
            messages.success(request, _("Thank you: your answers are in."))
            return redirect("surveys:answer", pk=survey.pk)
    if request.user.is_authenticated:
        context["answered"] = services.has_answered(survey, request.user)
        if not context["answered"] and context["is_open"] and "error" not in context:
            try:
                services.respondent_details(request.user, survey, today)
            except SurveyError as exc:
                context["cannot"] = exc.message
    return render(request, "surveys/resident/answer.html", context, status=status)
