"""Permission rows for plans, targets and task tables (issue 21), and the objects they need.

The world holds no plan, so the path parameters load seed 000 (the city's plan, 聊城市) on first
use, with a figure entered by the city's staff and the tasks' periods. Every division's staff read
the city's plan (a county works to it); only the city's staff own it (import, review, approve).
Posts by readers who may not act are answered with a redirect and a message, as other registers do.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.planning.models import TaskEntry
from quanmin.planning.services import figures, loading, tasks


def _plan(w):
    if not hasattr(w, "planning"):
        plan = loading.load_file(next(p for p in loading.data_files() if p.name.startswith("000")))
        tasks.ensure_periods(plan)
        target = plan.targets.get(key="T0-29")
        figure = figures.enter(w.users["city"], target, division_code=w.city.code, as_of=datetime.date(2024, 1, 2),
                               value="1", evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"))
        task = plan.tasks.get(number="(五)2")
        period = task.periods.get()
        entry = TaskEntry.objects.create(period=period, kind=TaskEntry.Kind.REPORT, author=w.users["city"], text="进展",
                                         evidence=SimpleUploadedFile("进展.pdf", b"%PDF-1.4"))
        w.planning = {"plan": plan, "target": target, "figure": figure, "task": task, "period": period,
                      "entry": entry}
    return w.planning


def plan_key(w, role=None):
    return {"key": _plan(w)["plan"].key}


def target_pks(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "pk": found["target"].pk}


def figure_pks(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "pk": found["target"].pk, "figure_pk": found["figure"].pk}


def own_figure_pks(w, role=None):
    """A figure with evidence in the role's own division (its file opens for those who see the figure
    on the target's page); the city's figure for the supervisor and everyone outside the divisions."""
    found = _plan(w)
    region = getattr(w, role, None) if role in ("community", "township", "county", "other_county") else None
    if region is None:
        figure = found["figure"]
    else:
        figure = found.setdefault("figures", {}).get(role) or figures.enter(
            w.users["city"], found["target"], division_code=region.code, as_of=datetime.date(2024, 1, 2),
            value="1", evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"))
        found["figures"][role] = figure
    return {"key": found["plan"].key, "pk": found["target"].pk, "figure_pk": figure.pk}


def task_pks(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "pk": found["task"].pk}


def entry_pks(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "pk": found["task"].pk, "entry_pk": found["entry"].pk}


def period_pks(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "pk": found["task"].pk, "period_pk": found["period"].pk}


def meeting_pks(w, role=None):
    from quanmin.planning.services import meetings

    found = _plan(w)
    if "meeting" not in found:
        found["meeting"] = meetings.record(w.users["city"], found["plan"], held_on=datetime.date(2022, 3, 1),
                                           title="全民健身工作联席会议第一次会议")
    return {"key": found["plan"].key, "pk": found["meeting"].pk}


def department_pk(w, role=None):
    """The city's department that leads the tasks (its register is the city's staff's)."""
    from quanmin.planning.models import Department

    _plan(w)
    return {"pk": Department.objects.get(division_code=w.city.code, name="市教育体育局").pk}


def period_id(w, role=None):
    return {"period_id": _plan(w)["period"].pk}


WEB = {
    "planning:plans": ("division_reader", None, "get", None),
    # The form comes back with its errors.
    "planning:plan_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    # A post comes back to the register with the result or a message why not (a supervisor's).
    "planning:departments": ("division_reader", None, "get", None, {"post": ({"name": ""}, 302)}),
    "planning:my_tasks": ("division_reader", None, "get", None),
    # Staff of the department's own division (the city's) grant and take back the role; to anyone
    # else the department's staff list is not found.
    "planning:department_staff_add": ("city_staff", department_pk, "post", {"phone": "13900000099"}),
    "planning:department_staff_remove": ("city_staff", department_pk, "post", {"user": "0"}),
    # Only the plan's owners (the city's staff) edit it; the form comes back with its errors.
    "planning:plan_edit": ("city_staff", plan_key, "get", None, {"post": ({}, 200)}),
    "planning:target_indicator": ("division_reader", target_pks, "post", {"indicator": ""}),
    # Only the plan's owners mark a core indicator; anyone else is told why (a redirect with a message).
    "planning:target_core": ("division_reader", target_pks, "post", {"core": "on"}),
    # Every reader sees the joint meetings; a post comes back with the result or why not.
    "planning:meetings": ("division_reader", plan_key, "get", None, {"post": ({"title": ""}, 302)}),
    "planning:meeting_decide": ("division_reader", meeting_pks, "post", {"text": ""}),
    "planning:plan": ("division_reader", plan_key, "get", None),
    "planning:export": ("division_reader", plan_key, "get", None),
    "planning:target": ("division_reader", target_pks, "get", None),
    "planning:figure_add": ("division_reader", target_pks, "post", {}),
    "planning:figure_evidence": ("division_reader", own_figure_pks, "get", None),
    "planning:figure_decide": ("division_reader", figure_pks, "post", {"decision": "approve"}),
    # Only the plan's owners (the city's staff) import its tasks; the form answers with its report.
    "planning:task_import": ("city_staff", plan_key, "get", None, {"post": ({}, 200)}),
    "planning:task": ("division_reader", task_pks, "get", None),
    "planning:entry_evidence": ("division_reader", entry_pks, "get", None),
    "planning:task_report": ("division_reader", period_pks, "post", {"text": "进展"}),
    "planning:task_comment": ("division_reader", period_pks, "post", {"text": "意见"}),
    "planning:task_review": ("division_reader", period_pks, "post", {"decision": "accepted"}),
}

API = {
    "GET /api/v1/planning/plans": ("division_reader", None, None),
    "GET /api/v1/planning/plans/{key}": ("division_reader", plan_key, None),
    "GET /api/v1/planning/plans/{key}/targets": ("division_reader", plan_key, None),
    "GET /api/v1/planning/plans/{key}/tasks": ("division_reader", plan_key, None),
    # Only the task's reporting departments' staff report (no role of the matrix): division staff who
    # read the plan get 403 task_not_yours, others 404 or 401 (tests/planning/test_api.py reports).
    "POST /api/v1/planning/periods/{period_id}/reports": ("nobody", period_id, {"text": "进展"}),
    "GET /api/v1/planning/my-periods": ("division_reader", None, None),
    "GET /api/v1/planning/plans/{key}/meetings": ("division_reader", plan_key, None),
    "PATCH /api/v1/planning/plans/{key}": ("city_staff", plan_key, {"issuer": "聊城市人民政府"}),
    "PUT /api/v1/planning/plans/{key}/targets/{target_id}/indicator": (
        "city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key, "target_id": _plan(w)["target"].pk},
        {"indicator": ""}),
    "PUT /api/v1/planning/plans/{key}/targets/{target_id}/core-indicator": (
        "city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key, "target_id": _plan(w)["target"].pk},
        {"core_indicator": True}),
}


# Evaluation (绩效评估) and the annual report. The city's plan gets an indicator system (two items
# computed from its targets, one scored by hand), an annual evaluation of 2023 and an evaluator of
# 东昌府区 (a role the matrix's people do not hold) who scored it with evidence. Only evaluators and
# the evaluation's third party score (the API's score is "nobody"'s: every matrix role is refused);
# only the plan's owners approve (409 here: 东昌府区's satisfaction item is still unscored).
EVALUATION_ITEMS = [
    {"name": "体育场地数量", "weight": "40", "method": "computed", "target": "T0-02"},
    {"name": "人均体育场地面积", "weight": "30", "method": "computed", "target": "T0-03"},
    {"name": "社会满意度", "weight": "30", "method": "entered"},
]


def _evaluation(w):
    found = _plan(w)
    if "evaluation" not in found:
        from quanmin.accounts.models import Role
        from quanmin.planning.models import EvaluationItem
        from quanmin.planning.services import evaluation
        from tests.conftest import make_user

        evaluation.set_items(w.users["city"], found["plan"], EVALUATION_ITEMS)
        found["evaluation"] = evaluation.open_evaluation(w.users["city"], found["plan"], kind="annual", year=2023)
        found["county_score"] = found["evaluation"].counties.get(division_code=w.other_county.code)
        evaluator = make_user("13700000031", "考核办", Role.EVALUATOR, w.other_county, seq=31)
        found["score"] = evaluation.score(evaluator, found["county_score"],
                                          EvaluationItem.objects.get(plan=found["plan"], name="社会满意度"),
                                          value="80", evidence=SimpleUploadedFile("依据.pdf", b"%PDF-1.4"))
    return found


def evaluation_pks(w, role=None):
    found = _evaluation(w)
    return {"key": found["plan"].key, "pk": found["evaluation"].pk}


def county_score_pks(w, role=None):
    found = _evaluation(w)
    return {"key": found["plan"].key, "pk": found["evaluation"].pk, "county_pk": found["county_score"].pk}


def score_pks(w, role=None):
    found = _evaluation(w)
    return {**county_score_pks(w), "score_pk": found["score"].pk}


def report_year(w, role=None):
    return {"key": _plan(w)["plan"].key, "year": 2022}


def evaluation_id(w, role=None):
    return {"evaluation_id": _evaluation(w)["evaluation"].pk}


def evaluation_county(w, role=None):
    return {"evaluation_id": _evaluation(w)["evaluation"].pk, "code": w.county.code}


WEB.update({
    "planning:my_evaluations": ("division_reader", None, "get", None),
    # Every reader sees the system; a post comes back with the result or why not (owners only save).
    "planning:evaluation": ("division_reader", plan_key, "get", None, {"post": ({"rows": "0"}, 302)}),
    "planning:evaluation_new": ("division_reader", plan_key, "post", {"kind": ""}),
    "planning:evaluation_detail": ("division_reader", evaluation_pks, "get", None),
    "planning:evaluation_export": ("division_reader", evaluation_pks, "get", None),
    "planning:evaluation_third_party_add": ("division_reader", evaluation_pks, "post", {"phone": ""}),
    "planning:evaluation_third_party_remove": ("division_reader", evaluation_pks, "post", {"user": "0"}),
    # A reader's score is refused with a message (only evaluators and the third party score).
    "planning:evaluation_county": ("division_reader", county_score_pks, "get", None, {"post": ({"item": "0"}, 302)}),
    "planning:evaluation_approve": ("division_reader", county_score_pks, "post", {}),
    "planning:evaluation_evidence": ("division_reader", score_pks, "get", None),
    "planning:annual_report": ("division_reader", report_year, "get", None),
    "planning:annual_report_export": ("division_reader", report_year, "get", None),
})

API.update({
    "GET /api/v1/planning/plans/{key}/evaluation-items": ("division_reader", plan_key, None),
    "PUT /api/v1/planning/plans/{key}/evaluation-items": ("city_staff", plan_key,
                                                          lambda w, role=None: _evaluation(w) and {"items": EVALUATION_ITEMS}),
    "GET /api/v1/planning/plans/{key}/evaluations": ("division_reader", plan_key, None),
    "POST /api/v1/planning/plans/{key}/evaluations": ("city_staff", plan_key, {"kind": "annual", "year": 2022}),
    "GET /api/v1/planning/evaluations/{evaluation_id}": ("division_reader", evaluation_id, None),
    "POST /api/v1/planning/evaluations/{evaluation_id}/counties/{code}/scores": ("nobody", evaluation_county,
                                                                                 {"item_id": 1, "score": "80"}),
    # 东昌府区's satisfaction item is not scored yet: the owners are told so.
    "POST /api/v1/planning/evaluations/{evaluation_id}/counties/{code}/approve": ("city_staff", evaluation_county,
                                                                                  None, 409),
})


# Special evaluations (专项评估) and publication. The city's plan gets a special evaluation of a
# target, recorded with evidence, concluded and published (the record, conclude and publish posts
# are then refused with a message: 409 at the API for the owners), and the 2023 final evaluation
# with both counties scored and approved, published; the public reads both without signing in.
def _special(w):
    found = _evaluation(w)
    if "special" not in found:
        from quanmin.accounts.models import Role
        from quanmin.planning.models import EvaluationItem
        from quanmin.planning.services import evaluation, special
        from tests.conftest import make_user

        city = w.users["city"]
        item = special.open_special(city, found["plan"], {
            "title": "场地设施建设专项评估", "subject": "target", "target": "T0-03", "ordered_by": "市人民政府",
            "ordered_on": datetime.date(2023, 3, 1), "scope": "全市人均体育场地面积", "evaluator": "某大学评估中心",
            "third_party": True})
        special.record(city, item, {"findings": "达标", "conclusion": "目标完成", "grade": "good"},
                       evidence=SimpleUploadedFile("报告.pdf", b"%PDF-1.4"))
        found["special"] = special.publish(city, special.conclude(city, item))
        published = evaluation.open_evaluation(city, found["plan"], kind="final", year=2023)
        scorer = make_user("13700000032", "考核办", Role.EVALUATOR, w.city, seq=32)
        item = EvaluationItem.objects.get(plan=found["plan"], name="社会满意度")
        for county in published.counties.all():
            evaluation.score(scorer, county, item, value="85", evidence=SimpleUploadedFile("依据.pdf", b"%PDF-1.4"))
            evaluation.approve(city, county)
        found["published"] = special.publish(city, published)
    return found


def special_pks(w, role=None):
    found = _special(w)
    return {"key": found["plan"].key, "pk": found["special"].pk}


def special_id(w, role=None):
    return {"special_id": _special(w)["special"].pk}


def public_evaluation_pk(w, role=None):
    return {"pk": _special(w)["published"].pk}


def public_special_pk(w, role=None):
    return {"pk": _special(w)["special"].pk}


def new_special(w, role=None):
    return {"title": f"专项评估（{role}）", "subject": "task", "task": "(五)2", "ordered_by": "市全民健身工作联席会议",
            "ordered_on": "2023-05-01", "scope": "体医融合", "evaluator": "市体育局"}


WEB.update({
    # Posts by readers who may not act come back with a message (a redirect); the owners' too, here,
    # since the special evaluation is concluded and published already.
    "planning:evaluation_publication": ("division_reader", evaluation_pks, "post", {"action": "publish"}),
    "planning:special_new": ("division_reader", plan_key, "post", {"title": ""}),
    "planning:special_export": ("division_reader", plan_key, "get", None),
    "planning:special": ("division_reader", special_pks, "get", None, {"post": ({"findings": "补充"}, 302)}),
    "planning:special_conclude": ("division_reader", special_pks, "post", {}),
    "planning:special_evidence": ("division_reader", special_pks, "get", None),
    "planning:special_publication": ("division_reader", special_pks, "post", {"action": "publish"}),
    "planning:public_evaluations": ("public", None, "get", None),
    "planning:public_evaluation": ("public", public_evaluation_pk, "get", None),
    "planning:public_special": ("public", public_special_pk, "get", None),
})

API.update({
    "GET /api/v1/planning/plans/{key}/special-evaluations": ("division_reader", plan_key, None),
    "POST /api/v1/planning/plans/{key}/special-evaluations": ("city_staff", plan_key, new_special),
    "GET /api/v1/planning/special-evaluations/{special_id}": ("division_reader", special_id, None),
    # Concluded: its owners are told it no longer changes (409), anyone else refused.
    "POST /api/v1/planning/special-evaluations/{special_id}/record": ("city_staff", special_id, None, 409),
    "POST /api/v1/planning/special-evaluations/{special_id}/conclude": ("city_staff", special_id, None, 409),
    "PUT /api/v1/planning/special-evaluations/{special_id}/publication": ("city_staff", special_id,
                                                                          {"published": True}, 409),
    # The 2023 evaluation has counties still open: not published (409).
    "PUT /api/v1/planning/evaluations/{evaluation_id}/publication": ("city_staff", evaluation_id,
                                                                     {"published": True}, 409),
    "GET /api/v1/planning/public/evaluations": ("public", None, None),
    "GET /api/v1/planning/public/evaluations/{evaluation_id}": (
        "public", lambda w, role=None: {"evaluation_id": _special(w)["published"].pk}, None),
    "GET /api/v1/planning/public/special-evaluations": ("public", None, None),
    "GET /api/v1/planning/public/special-evaluations/{special_id}": ("public", special_id, None),
})


# Livelihood projects (民生实事): the task (五)2 of the city's plan is marked and assessed for 2022 with
# evidence. Readers' posts come back with a message; at the API the owners mark (200) and are told
# what is missing when an assessment comes as JSON without its year and file (400).
def _livelihood(w):
    found = _plan(w)
    if "assessment" not in found:
        from quanmin.planning.services import livelihood

        livelihood.mark(w.users["city"], found["task"], True)
        found["assessment"] = livelihood.assess(w.users["city"], found["task"], year=2022, result="good",
                                                evidence=SimpleUploadedFile("考核.pdf", b"%PDF-1.4"))
    return found


def assessment_pks(w, role=None):
    found = _livelihood(w)
    return {"key": found["plan"].key, "pk": found["assessment"].pk}


def task_ids(w, role=None):
    return {"key": _plan(w)["plan"].key, "task_id": _plan(w)["task"].pk}


WEB.update({
    "planning:livelihood": ("division_reader", plan_key, "get", None),
    "planning:livelihood_export": ("division_reader", plan_key, "get", None),
    "planning:livelihood_evidence": ("division_reader", assessment_pks, "get", None),
    "planning:task_livelihood": ("division_reader", task_pks, "post", {"livelihood": "on"}),
    "planning:livelihood_assess": ("division_reader", task_pks, "post", {"year": "2022", "result": "good"}),
})

API.update({
    "GET /api/v1/planning/plans/{key}/livelihood": ("division_reader", plan_key, None),
    "PUT /api/v1/planning/plans/{key}/tasks/{task_id}/livelihood": ("city_staff", task_ids, {"livelihood": True}),
    "POST /api/v1/planning/plans/{key}/tasks/{task_id}/assessments": ("city_staff", task_ids, {}, 400),
})
