"""Every write of the surveys: make a survey from a standard questionnaire, change its questions
and quotas while it is a draft, open and close it, and answer it (once per real-name person, within
the quotas). Pages, API and the demo call these.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions, questionnaires
from .errors import SurveyError
from .models import AGE_BAND_CHOICES, Question, Quota, Respondent, Response, Sex, Survey, age_band

S = Survey.Status
MAX_QUESTIONS = 60
MAX_CHOICES = 30
MAX_TEXT_ANSWER = 500
MAX_QUOTA = 1_000_000


def _err(code, message, field=None, status=None):
    return SurveyError(code, message, field, status=status)


def _text(data: dict, field: str, limit: int, required: bool, message) -> str:
    value = str(data.get(field) or "").strip()
    if (required and not value) or len(value) > limit:
        raise _err(f"{field}_invalid", message, field)
    return value


def _date(value, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise _err(f"{field}_invalid", _("Write the date as 2025-06-01."), field) from None


def _region(value, field: str = "region") -> Region:
    if isinstance(value, Region):
        return value
    text = str(value or "").strip()
    found = Region.objects.filter(code=text).first() if codes.is_code(text) else None
    if found is None:
        raise _err("region_unknown", _("Unknown division code."), field)
    return found


def _int(value, field: str, low: int, high: int, message) -> int:
    try:
        found = int(str(value).strip())
    except (TypeError, ValueError):
        raise _err(f"{field}_invalid", message, field) from None
    if not low <= found <= high:
        raise _err(f"{field}_invalid", message, field)
    return found


def _manageable(survey: Survey, actor) -> None:
    if not permissions.can_manage(actor, survey):
        raise _err("forbidden", _("Only the surveyed division's staff change this survey."), status=403)


def _draft(survey: Survey) -> None:
    if survey.status != S.DRAFT:
        raise _err("survey_not_draft", _("Questions and quotas change only while the survey is a draft."),
                   status=409)


# Surveys ---------------------------------------------------------------------------------------

def create_survey(data: dict, *, actor, request=None) -> Survey:
    """A draft survey of a division with the standard questionnaire of its kind."""
    if not permissions.can_create(actor):
        raise _err("forbidden", _("Division staff make surveys."), status=403)
    kind = str(data.get("kind") or "")
    if kind not in Survey.Kind.values:
        raise _err("kind_invalid", _("Choose the kind of survey."), "kind")
    region = _region(data.get("region"))
    if not permissions.can_manage(actor, Survey(region=region)):
        raise _err("region_out_of_scope", _("This division is outside your scope."), "region", status=403)
    title = _text(data, "title", 120, True, _("Give the survey a title (at most 120 characters)."))
    introduction = _text(data, "introduction", 2000, False, _("At most %(n)s characters.") % {"n": 2000})
    opens_on, closes_on = _date(data.get("opens_on"), "opens_on"), _date(data.get("closes_on"), "closes_on")
    if closes_on < opens_on:
        raise _err("closes_before_opens", _("The survey must close on or after the day it opens."), "closes_on")
    weighting = str(data.get("weighting") or Survey.Weighting.COUNTY)
    if weighting not in Survey.Weighting.values:
        raise _err("weighting_invalid", _("Weight by county or by township population."), "weighting")
    if region.level != "city":  # a county's answers are weighted by its townships (a township's: evenly)
        weighting = Survey.Weighting.TOWNSHIP
    min_age = _int(data.get("min_age") or questionnaires.MIN_AGE[kind], "min_age", 6, 100,
                   _("The youngest age is a whole number of years, 6 to 100."))
    sample_target = _int(data.get("sample_target") or 0, "sample_target", 0, MAX_QUOTA,
                         _("The planned sample is a whole number, at most 1,000,000."))
    with transaction.atomic():
        survey = Survey.objects.create(title=title, kind=kind, region=region, introduction=introduction,
                                       opens_on=opens_on, closes_on=closes_on, weighting=weighting, min_age=min_age,
                                       sample_target=sample_target, created_by=actor)
        Question.objects.bulk_create([
            Question(survey=survey, position=i, key=q["key"], text=q["text"], kind=q["kind"],
                     choices=q.get("choices", []), required=q.get("required", True))
            for i, q in enumerate(questionnaires.STANDARD[kind](), start=1)])
        audit.record("survey.create", request=request, actor=actor, obj=survey)
    return survey


def _choices(value) -> list[dict]:
    """Choices as lines of text ("3次及以上") or as [{"value", "label"}]; values made from labels."""
    if isinstance(value, str):
        value = [line.strip() for line in value.replace("\r", "\n").split("\n") if line.strip()]
    found, seen = [], set()
    for i, item in enumerate(value or [], start=1):
        if isinstance(item, dict):
            label, key = str(item.get("label") or "").strip(), str(item.get("value") or "").strip()
        else:
            label, key = str(item).strip(), ""
        key = key or slugify(label) or str(i)
        if not label or len(label) > 100 or len(key) > 30 or key in seen:
            raise _err("choices_invalid", _("Each choice is one line of at most 100 characters, none twice."),
                       "choices")
        seen.add(key)
        found.append({"value": key, "label": label})
    if len(found) > MAX_CHOICES:
        raise _err("choices_invalid", _("At most %(n)s choices.") % {"n": MAX_CHOICES}, "choices")
    return found


def add_question(survey: Survey, data: dict, *, actor, request=None) -> Question:
    _manageable(survey, actor)
    text = _text(data, "text", 300, True, _("Write the question (at most 300 characters)."))
    kind = str(data.get("kind") or "")
    if kind not in Question.Kind.values:
        raise _err("kind_invalid", _("Choose the kind of question."), "kind")
    choices = _choices(data.get("choices")) if kind in ("single", "multiple") else []
    if kind in ("single", "multiple") and len(choices) < 2:
        raise _err("choices_invalid", _("A choice question needs at least two choices."), "choices")
    required = data.get("required", True) not in (False, "", "0", "false", "off", None)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _draft(survey)
        if survey.questions.count() >= MAX_QUESTIONS:
            raise _err("too_many_questions", _("A survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS},
                       status=409)
        position = (survey.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question.objects.create(survey=survey, position=position, text=text, kind=kind, choices=choices,
                                           required=required)
        audit.record("survey.question_add", request=request, actor=actor, obj=survey, detail={"question": question.pk})
    return question


def delete_question(question: Question, *, actor, request=None) -> None:
    survey = question.survey
    _manageable(survey, actor)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _draft(survey)
        if question.key:
            raise _err("question_standard", _("The standard questions make the figures: they stay."), status=409)
        question.delete()
        audit.record("survey.question_delete", request=request, actor=actor, obj=survey)


def add_quota(survey: Survey, data: dict, *, actor, request=None) -> Quota:
    """A cell's quota: a division inside the survey's (or the survey's own), a sex, an age band."""
    _manageable(survey, actor)
    region = _region(data.get("region") or survey.region_id)
    if not codes.contains(survey.region_id, region.code):
        raise _err("region_outside_survey", _("The quota's division must lie in the surveyed division."), "region")
    sex = str(data.get("sex") or "")
    if sex and sex not in Sex.values:
        raise _err("sex_invalid", _("Choose male, female or either."), "sex")
    band = str(data.get("age_band") or "")
    if band and band not in dict(AGE_BAND_CHOICES):
        raise _err("age_band_invalid", _("Choose an age band or any."), "age_band")
    target = _int(data.get("target"), "target", 1, MAX_QUOTA, _("Answers wanted: a whole number, 1 to 1,000,000."))
    try:
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey.pk)
            _draft(survey)
            quota = Quota.objects.create(survey=survey, region=region, sex=sex, age_band=band, target=target)
            audit.record("survey.quota_add", request=request, actor=actor, obj=survey, detail={"quota": quota.pk})
    except IntegrityError:
        raise _err("quota_exists", _("This cell has a quota already."), "region", status=409) from None
    return quota


def delete_quota(quota: Quota, *, actor, request=None) -> None:
    _manageable(quota.survey, actor)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=quota.survey_id)
        _draft(survey)
        quota.delete()
        audit.record("survey.quota_delete", request=request, actor=actor, obj=survey)


def set_status(survey: Survey, status: str, *, actor, request=None) -> Survey:
    """draft → open → closed; closing is for good (the results are then final)."""
    _manageable(survey, actor)
    if status not in (S.OPEN, S.CLOSED):
        raise _err("status_invalid", _("Open or close the survey."), "status")
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        allowed = {S.DRAFT: {S.OPEN, S.CLOSED}, S.OPEN: {S.CLOSED}, S.CLOSED: set()}[survey.status]
        if status not in allowed:
            raise _err("status_change", _("A closed survey stays closed, and an open one is not opened again."),
                       "status", status=409)
        if status == S.OPEN and not survey.questions.exists():
            raise _err("no_questions", _("A survey without questions cannot open."), status=409)
        survey.status = status
        if status == S.CLOSED:
            survey.closed_at = timezone.now()
        survey.save(update_fields=["status", "closed_at"])
        audit.record("survey.status", request=request, actor=actor, obj=survey, detail={"status": status})
    return survey


# Answers -----------------------------------------------------------------------------------------

def clean_answers(questions, raw: dict) -> dict[str, object]:
    """{question id as text: value} checked against the questions: a choice among the choices, a
    mark of 1–5, a text of at most 500 characters; every required question answered; nothing else."""
    raw = raw if isinstance(raw, dict) else {}
    known = {str(q.pk): q for q in questions}
    unknown = [k for k in raw if str(k) not in known]
    if unknown:
        raise _err("question_unknown", _("An answer names a question this survey does not ask."), "answers")
    found: dict[str, object] = {}
    for qid, q in known.items():
        value = raw.get(qid, raw.get(int(qid)) if qid.isdigit() else None)
        field = f"q{qid}"
        values = {c["value"] for c in q.choices or []}
        if value in (None, "", []):
            if q.required:
                raise _err("answer_required", _("Answer the question: %(q)s") % {"q": q.text}, field)
            continue
        if q.kind == "single":
            if not isinstance(value, str | int) or str(value) not in values:
                raise _err("answer_invalid", _("Pick one of the choices: %(q)s") % {"q": q.text}, field)
            found[qid] = str(value)
        elif q.kind == "multiple":
            picked = [value] if isinstance(value, str) else value
            if (not isinstance(picked, list) or not picked or len(picked) > len(values)
                    or any(not isinstance(v, str) or v not in values for v in picked)):
                raise _err("answer_invalid", _("Pick among the choices: %(q)s") % {"q": q.text}, field)
            found[qid] = sorted(set(picked))
        elif q.kind == "scale":
            if isinstance(value, bool) or str(value).strip() not in {str(m) for m in questionnaires.SCALE}:
                raise _err("answer_invalid", _("Give a mark of 1 to 5: %(q)s") % {"q": q.text}, field)
            found[qid] = int(str(value).strip())
        else:
            text = str(value).replace("\x00", "").strip()
            if len(text) > MAX_TEXT_ANSWER:
                raise _err("answer_too_long", _("At most %(n)s characters.") % {"n": MAX_TEXT_ANSWER}, field)
            if text:
                found[qid] = text
    return found


def derived(survey: Survey, questions, answers: dict) -> tuple[bool | None, object]:
    """What the figures read from an answer: a regular exerciser or not, the satisfaction score."""
    if survey.kind == Survey.Kind.REGULAR_EXERCISE:
        by_key = {q.key: answers.get(str(q.pk)) for q in questions if q.key}
        return questionnaires.is_regular(by_key), None
    marks = [answers[str(q.pk)] for q in questions if q.kind == "scale" and str(q.pk) in answers]
    return None, questionnaires.score(marks)


def respondent_details(user, survey: Survey, today: datetime.date) -> tuple[str, str]:
    """(sex, age band) of a signed-in resident who may answer `survey`; the error why not otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise _err("not_authenticated", _("Sign in first."), status=401)
    if not (user.id_number_hash and user.birth_date and user.sex):
        raise _err("real_name_required", _("Surveys are answered under your real name: add your ID number to "
                                           "your account first."), status=409)
    if not user.home_region_id or not codes.contains(survey.region_id, user.home_region_id):
        raise _err("outside_survey", _("This survey is for the residents of %(region)s.")
                   % {"region": survey.region.name}, status=409)
    age = user.age(today)
    if age < survey.min_age:
        raise _err("too_young", _("This survey is for people aged %(n)s and over.") % {"n": survey.min_age},
                   status=409)
    return user.sex, age_band(age)


def is_open(survey: Survey, today: datetime.date) -> bool:
    return survey.status == S.OPEN and survey.opens_on <= today <= survey.closes_on


def matching_quotas(survey: Survey, region_code: str, sex: str, band: str):
    return survey.quotas.filter(region_id__in=codes.upward(region_code), sex__in=["", sex],
                                age_band__in=["", band])


def answer(survey: Survey, user, raw_answers: dict, *, request=None) -> Response:
    """A resident's answers: open survey, real name, living in the division, old enough, every
    required question answered, a place in each quota the person falls in; once per person (a
    constraint: two answers at once leave one). All or nothing."""
    today = timezone.localdate()
    sex, band = respondent_details(user, survey, today)
    if not is_open(survey, today):
        raise _err("survey_not_open", _("This survey is not taking answers."), status=409)
    questions = list(survey.questions.all())
    answers = clean_answers(questions, raw_answers)
    regular, score = derived(survey, questions, answers)
    try:
        with transaction.atomic():
            Respondent.objects.create(survey=survey, person_hash=user.id_number_hash)
            if not Survey.objects.filter(pk=survey.pk, status=S.OPEN).update(response_count=F("response_count") + 1):
                raise _err("survey_not_open", _("This survey is not taking answers."), status=409)
            for quota in matching_quotas(survey, user.home_region_id, sex, band):
                taken = Quota.objects.filter(pk=quota.pk, filled__lt=F("target")).update(filled=F("filled") + 1)
                if not taken:
                    raise _err("quota_full", _("This survey has all the answers it needs from people like you: "
                                               "thank you all the same."), status=409)
            response = Response.objects.create(survey=survey, region_id=user.home_region_id, sex=sex, age_band=band,
                                               answers=answers, regular=regular, score=score, submitted_on=today)
            audit.record("survey.answer", request=request, actor=user, obj=survey)
    except IntegrityError:
        raise _err("already_answered", _("You have answered this survey already."), status=409) from None
    return response


def has_answered(survey: Survey, user) -> bool:
    return bool(getattr(user, "id_number_hash", "")) and Respondent.objects.filter(
        survey=survey, person_hash=user.id_number_hash).exists()


def open_for(user, today: datetime.date | None = None):
    """The open surveys a resident may answer: those of the divisions holding their home."""
    today = today or timezone.localdate()
    qs = Survey.objects.filter(status=S.OPEN, opens_on__lte=today, closes_on__gte=today).select_related("region")
    home = getattr(user, "home_region_id", None)
    if home:
        qs = qs.filter(region_id__in=codes.upward(home))
    return qs


def open_anywhere(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Survey.objects.filter(status=S.OPEN, opens_on__lte=today, closes_on__gte=today).select_related("region")

