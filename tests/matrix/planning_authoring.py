"""Permission rows for writing a plan (targets, phases, tasks: services/authoring.py): the plan's
owners only (the city's staff for the city's plan, seed 000); everyone else is refused before any
form shows (403, or 404 for a plan they do not read). The rows remove objects made for them, so
that the shared target and task of tests/matrix/planning.py stay for the other rows."""

from quanmin.planning.services import authoring

from .planning import _plan


def _authoring(w):
    found = _plan(w)
    if "removable_target" not in found:
        plan = found["plan"]
        found["removable_target"] = authoring.add_target(w.users["city"], plan, {
            "name": "待删除目标", "quote": "待删除目标", "value": "1", "deadline": plan.ends_on, "level": "city"})
        found["phase"] = authoring.add_phase(w.users["city"], plan, {
            "name": "启动阶段", "starts_on": plan.starts_on, "ends_on": plan.starts_on.replace(month=6, day=30)})
        found["removable_phase"] = authoring.add_phase(w.users["city"], plan, {
            "name": "提升阶段", "starts_on": plan.ends_on.replace(month=1, day=1), "ends_on": plan.ends_on})
        found["removable_task"] = authoring.add_task(w.users["city"], plan, {
            "title": "待删除任务", "lead": ["市教育体育局"], "number": "待删"})
    return found


def phase_pks(w, role=None):
    found = _authoring(w)
    return {"key": found["plan"].key, "pk": found["phase"].pk}


def removable_phase(w, role=None):
    found = _authoring(w)
    return {"key": found["plan"].key, "pk": found["removable_phase"].pk}


def phase_id(w, role=None, name="phase"):
    found = _authoring(w)
    return {"key": found["plan"].key, "phase_id": found[name].pk}


def removable_task(w, role=None):
    found = _authoring(w)
    return {"key": found["plan"].key, "pk": found["removable_task"].pk}


def task_id(w, role=None, name="task"):
    found = _authoring(w)
    return {"key": found["plan"].key, "task_id": found[name].pk}


def removable_target(w, role=None):
    found = _authoring(w)
    return {"key": found["plan"].key, "pk": found["removable_target"].pk}


def removable_target_id(w, role=None):
    found = _authoring(w)
    return {"key": found["plan"].key, "target_id": found["removable_target"].pk}


def target_id(w, role=None):
    found = _plan(w)
    return {"key": found["plan"].key, "target_id": found["target"].pk}


def new_target(w, role=None):
    return {"name": "新目标", "quote": "新目标原文", "value": 1, "deadline": _plan(w)["plan"].ends_on.isoformat()}


def county_plan(w, role=None):
    """A plan 东昌府区 wrote from scratch: its staff write it, the neighbouring county's reach nothing."""
    if not hasattr(w, "county_plan"):
        w.county_plan = authoring.create_plan(w.users["county"], {
            "title": "东昌府区全民健身实施计划", "division_code": w.county.code,
            "starts_on": _plan(w)["plan"].starts_on, "ends_on": _plan(w)["plan"].ends_on})
    return {"key": w.county_plan.key}


WEB = {
    # The forms come back with their errors.
    "planning:target_new": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key}, "get", None,
                            {"post": ({}, 200)}),
    "planning:target_edit": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key,
                                                                  "pk": _plan(w)["target"].pk}, "get", None,
                             {"post": ({}, 200)}),
    "planning:target_remove": ("city_staff", removable_target, "post", {}),
    # Phase posts come back to the plan's edit page with the result or why not.
    "planning:phase_add": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key}, "post", {"name": ""}),
    "planning:phase_edit": ("city_staff", phase_pks, "post", {"name": ""}),
    "planning:phase_remove": ("city_staff", removable_phase, "post", {}),
    "planning:task_new": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key}, "get", None,
                          {"post": ({}, 200)}),
    "planning:task_edit": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key,
                                                                "pk": _plan(w)["task"].pk}, "get", None,
                           {"post": ({}, 200)}),
    "planning:task_remove": ("city_staff", removable_task, "post", {}),
}

API = {
    "POST /api/v1/planning/plans/{key}/targets": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key},
                                                   new_target),
    "PATCH /api/v1/planning/plans/{key}/targets/{target_id}": ("city_staff", target_id, {"subject": "全市"}),
    "DELETE /api/v1/planning/plans/{key}/targets/{target_id}": ("city_staff", removable_target_id, None),
    "GET /api/v1/planning/plans/{key}/phases": ("division_reader", lambda w, role=None: {"key": _plan(w)["plan"].key},
                                                 None),
    # The plan's period is taken by its phases here: a new one is refused (400) for its owners.
    "POST /api/v1/planning/plans/{key}/phases": (
        "city_staff", lambda w, role=None: {"key": _authoring(w)["plan"].key},
        lambda w, role=None: {"name": "实施阶段", "starts_on": _plan(w)["plan"].starts_on.isoformat(),
                              "ends_on": _plan(w)["plan"].ends_on.isoformat()}, 400),
    "PATCH /api/v1/planning/plans/{key}/phases/{phase_id}": ("city_staff", phase_id, {"name": "启动"}),
    "DELETE /api/v1/planning/plans/{key}/phases/{phase_id}": (
        "city_staff", lambda w, role=None: phase_id(w, role, "removable_phase"), None),
    "POST /api/v1/planning/plans/{key}/tasks": ("city_staff", lambda w, role=None: {"key": _plan(w)["plan"].key},
                                                 {"title": "新任务", "lead": ["市教育体育局"]}),
    "PATCH /api/v1/planning/plans/{key}/tasks/{task_id}": ("city_staff", task_id, {"priority": 1}),
    "DELETE /api/v1/planning/plans/{key}/tasks/{task_id}": (
        "city_staff", lambda w, role=None: task_id(w, role, "removable_task"), None),
}

CROSS_COUNTY = [
    ("web", "planning:target_new", county_plan, None, 200),
    ("api", "POST /api/v1/planning/plans/{key}/targets", county_plan,
     lambda w, role=None: {"name": "场地", "quote": "场地", "value": 1, "year": _plan(w)["plan"].ends_on.year}, 201),
]
