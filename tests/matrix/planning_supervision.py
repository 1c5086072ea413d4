"""Permission rows for supervision (督查, issue 21): visits, findings, rectification items, bulletins.

The city's supervisor visits each role's own division (the county's for the city, the supervisor
and everyone outside the divisions) under seed 000, records a problem there with two rectification
items — one open (to answer), one answered with evidence (to verify) — and publishes a bulletin of
the city, not public. Supervisors write; division staff read and answer their own division's items;
the city's and its counties' staff read the published bulletin; residents see nothing of it.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from .planning import _plan

VISITED = datetime.date(2023, 5, 10)
DIVISIONS = ("community", "township", "county", "other_county")


def _supervision(w, role=None):
    from quanmin.planning.services import supervision

    plan = _plan(w)["plan"]
    found = w.__dict__.setdefault("supervision", {})
    division = getattr(w, role) if role in DIVISIONS else w.county
    if division.code not in found:
        supervisor = w.users["supervisor"]
        visit = supervision.plan_visit(supervisor, plan, division_code=division.code, title="全民健身设施专项督查",
                                       schedule="regular", coverage="focused", kind="special", manner="announced",
                                       planned_on=VISITED, visited_on=VISITED)
        finding = supervision.add_finding(supervisor, visit, severity="major", text="健身路径器材损坏未修。")
        item = supervision.add_rectification(supervisor, finding, requirement="修复器材。",
                                             deadline=datetime.date(2023, 6, 30))
        answered = supervision.add_rectification(supervisor, finding, requirement="建立点检台账。",
                                                 deadline=datetime.date(2023, 6, 30))
        entry = supervision.respond(w.users["superuser"], answered, text="已建立台账。",
                                    evidence=SimpleUploadedFile("台账.pdf", b"%PDF-1.4"))
        found[division.code] = {"visit": visit, "finding": finding, "item": item, "answered": answered,
                                "entry": entry}
    if "bulletin" not in found:
        bulletin = supervision.write_bulletin(w.users["supervisor"], plan, title="全民健身工作督查情况通报",
                                              period_start=datetime.date(2023, 1, 1),
                                              period_end=datetime.date(2023, 12, 31))
        found["bulletin"] = supervision.publish(w.users["supervisor"], bulletin)
    return found, found[division.code]


def visit_pk(w, role=None):
    return {"pk": _supervision(w, role)[1]["visit"].pk}


def finding_pk(w, role=None):
    return {"pk": _supervision(w, role)[1]["finding"].pk}


def item_pk(w, role=None):
    return {"pk": _supervision(w, role)[1]["item"].pk}


def answered_pk(w, role=None):
    return {"pk": _supervision(w, role)[1]["answered"].pk}


def evidence_pks(w, role=None):
    mine = _supervision(w, role)[1]
    return {"pk": mine["answered"].pk, "entry_pk": mine["entry"].pk}


def bulletin_pk(w, role=None):
    return {"pk": _supervision(w, role)[0]["bulletin"].pk}


def _api(name):
    def params(w, role=None):
        mine = _supervision(w, role)[1]
        key = {"visit_id": "visit", "finding_id": "finding", "rectification_id": "item"}[name]
        return {name: mine[key].pk}

    return params


def answered_id(w, role=None):
    return {"rectification_id": _supervision(w, role)[1]["answered"].pk}


def bulletin_id(w, role=None):
    return {"bulletin_id": _supervision(w, role)[0]["bulletin"].pk}


def extension_body(w, role=None):
    """A day after the item's deadline as it stands (each role's call extends it again)."""
    item = _supervision(w, role)[1]["item"]
    item.refresh_from_db()
    return {"deadline": (item.deadline + datetime.timedelta(days=1)).isoformat(), "reason": "器材需定制，同意延期。"}


def visit_body(w, role=None):
    return {"plan_key": _plan(w)["plan"].key, "division_code": w.county.code, "title": "暗访", "schedule": "unscheduled",
            "coverage": "overall", "kind": "routine", "manner": "unannounced", "planned_on": "2023-07-01"}


def bulletin_body(w, role=None):
    return {"plan_key": _plan(w)["plan"].key, "title": "通报", "period_start": "2023-01-01", "period_end": "2023-06-30"}


def _own(w, role=None):
    """The division a role grants the oversight role for: its own (the county's for the others)."""
    return getattr(w, role) if role in (*DIVISIONS, "city") else w.county


def _oversight(w, role=None):
    """An oversight role (the CPPCC office's, a resident's account) in the role's own division."""
    from quanmin.accounts.models import Membership, Role
    from quanmin.accounts.services import grant_membership

    region = _own(w, role)
    found = Membership.objects.filter(role=Role.OVERSIGHT, region=region, user=w.users["other_resident"]).first()
    return found or grant_membership(w.users["other_resident"], Role.OVERSIGHT, region)


WEB = {
    # Every reader sees the visits; only supervisors plan one (an empty form comes back with its errors).
    "planning:supervision": ("supervision_reader", None, "get", None, {"post": ({}, 200, "supervisors")}),
    "planning:visit": ("supervision_reader", visit_pk, "get", None),
    "planning:tracking": ("supervision_reader", None, "get", None),
    # Supervisors' posts come back to the visit with the result or why not (already recorded here).
    "planning:visit_record": ("supervisors", visit_pk, "post", {"visited_on": "2023-05-10"}),
    "planning:visit_cancel": ("supervisors", visit_pk, "post", {"reason": "时间冲突。"}),
    "planning:finding_add": ("supervisors", visit_pk, "post", {"text": "器材缺少警示标识。"}),
    "planning:rectification_add": ("supervisors", finding_pk, "post", {}),
    "planning:rectifications": ("supervision_reader", None, "get", None),
    "planning:supervision_export": ("supervision_reader", None, "get", None),
    "planning:rectification": ("supervision_reader", item_pk, "get", None),
    # Staff of the item's division (or above it) answer; supervisors verify, never answer.
    "planning:rectification_respond": ("division_writer", item_pk, "post", {"text": "已整改。"}),
    "planning:rectification_verify": ("supervisors", answered_pk, "post", {"decision": "closed"}),
    "planning:rectification_extend": ("supervisors", item_pk, "post", {"deadline": "2099-12-31", "reason": "同意延期。"}),
    "planning:rectification_evidence": ("supervision_reader", evidence_pks, "get", None),
    "planning:bulletins": ("supervision_reader", None, "get", None, {"post": ({}, 200, "supervisors")}),
    # Published already: the supervisor is told so.
    "planning:bulletin_publish": ("supervisors", bulletin_pk, "post", {}),
    "planning:bulletin": ("bulletin_reader", bulletin_pk, "get", None),
    # Who reads this supervision from the congress, CPPCC and supervision offices: its staff and
    # staff grant and take away the role (an empty number: the reason shown, back to the list).
    "planning:oversight": ("oversight_manager", None, "get", None, {"post": ({}, 302)}),
    "planning:oversight_remove": ("oversight_manager", lambda w, role=None: {"pk": 999999}, "post", {}),
}

PREFIX = "/api/v1/planning/supervision"
API = {
    f"GET {PREFIX}/visits": ("supervision_reader", None, None),
    f"POST {PREFIX}/visits": ("supervisors", None, visit_body),
    f"GET {PREFIX}/visits/{{visit_id}}": ("supervision_reader", _api("visit_id"), None),
    f"GET {PREFIX}/tracking": ("supervision_reader", None, None),
    # Carried out already: 409 visit_recorded.
    f"POST {PREFIX}/visits/{{visit_id}}/record": ("supervisors", _api("visit_id"), {"visited_on": "2023-05-11"}, 409),
    # Carried out already: 409 visit_recorded (only a planned visit is cancelled).
    f"POST {PREFIX}/visits/{{visit_id}}/cancel": ("supervisors", _api("visit_id"), {"reason": "时间冲突。"}, 409),
    f"POST {PREFIX}/visits/{{visit_id}}/findings": ("supervisors", _api("visit_id"), {"text": "场地未公示开放时间。"}),
    f"POST {PREFIX}/findings/{{finding_id}}/rectifications": (
        "supervisors", _api("finding_id"), {"requirement": "公示开放时间。", "deadline": "2023-06-30"}),
    f"GET {PREFIX}/rectifications": ("supervision_reader", None, None),
    f"POST {PREFIX}/rectifications/{{rectification_id}}/responses": (
        "division_writer", _api("rectification_id"), {"text": "已整改。"}),
    f"POST {PREFIX}/rectifications/{{rectification_id}}/extension": (
        "supervisors", _api("rectification_id"), extension_body, 200),
    f"GET {PREFIX}/rectifications/{{rectification_id}}/entries": ("supervision_reader", answered_id, None),
    f"POST {PREFIX}/rectifications/{{rectification_id}}/verification": ("supervisors", answered_id, {"close": True},
                                                                        200),
    f"GET {PREFIX}/bulletins": ("supervision_reader", None, None),
    f"GET {PREFIX}/bulletins/{{bulletin_id}}": ("bulletin_reader", bulletin_id, None),
    f"POST {PREFIX}/bulletins": ("supervisors", None, bulletin_body),
    # Published already: 409 bulletin_published.
    f"POST {PREFIX}/bulletins/{{bulletin_id}}/publish": ("supervisors", bulletin_id, {}, 409),
    f"GET {PREFIX}/oversight": ("oversight_manager", None, None),
    f"POST {PREFIX}/oversight": ("oversight_manager", None, lambda w, role=None: {
        "phone": "13700000007", "division_code": _own(w, role).code}),
    f"DELETE {PREFIX}/oversight/{{membership_id}}": ("oversight_manager", lambda w, role=None: {
        "membership_id": _oversight(w, role).pk}, None),
}

CROSS_COUNTY = [
    ("api", f"DELETE {PREFIX}/oversight/{{membership_id}}",
     lambda w, role=None: {"membership_id": _oversight(w, "county").pk}, None, 204),
    ("web", "planning:rectification", item_pk, None, 200),
    ("web", "planning:visit", visit_pk, None, 200),
    ("api", f"POST {PREFIX}/rectifications/{{rectification_id}}/responses", _api("rectification_id"),
     {"text": "已整改。"}, 201),
]
