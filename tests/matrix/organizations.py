"""Permission rows for the organisations register (issue 19), and the helpers that make its objects.

The world fixture holds no organisations, so the path parameters make them on first use (cached on
the world): a registered association in each county's community, graded 3A. The neighbouring
county's staff get their own county's; CROSS_COUNTY checks they cannot reach the other's.
"""

import datetime

from quanmin.organizations import contracts, credit, gradings, memberships, services


def _cache(w) -> dict:
    if not hasattr(w, "organizations"):
        w.organizations = {}
    return w.organizations


def org(w, other=False):
    cache = _cache(w)
    key = "other" if other else "own"
    if key not in cache:
        region = w.other_community if other else w.community
        cache[key] = found = services.register(
            {"name": "新华社区篮球协会" if other else "东关社区篮球协会", "kind": "association", "status": "registered",
             "credit_code": credit.make("1", region.code[:6], 900 + other), "region": region, "sports": ["basketball"],
             "join_policy": "open", "member_cap": 30},
            actor=w.users["superuser"])
        gradings.add_grading(found, {"grade": 3, "assessed_on": datetime.date(2024, 1, 10),
                                     "valid_until": datetime.date(2029, 1, 9), "assessor": "聊城市民政局"},
                             actor=w.users["superuser"])
    return cache[key]


def org_pk(w, role=None):
    return {"pk": org(w, role == "other_county").pk}


def org_id(w, role=None):
    return {"org_id": org(w, role == "other_county").pk}


def grading_pks(w, role=None):
    found = org(w, role == "other_county")
    return {"pk": found.pk, "grading_pk": found.gradings.first().pk}


def membership_pks(w, role=None):
    other = role == "other_county"
    cache = _cache(w)
    key = f"membership-{other}"
    if key not in cache:
        cache[key] = memberships.join(w.users["other_resident" if other else "resident"], org(w, other).pk)
    return {"pk": org(w, other).pk, "membership_pk": cache[key].pk}


def contract_pks(w, role=None):
    other = role == "other_county"
    cache = _cache(w)
    key = f"contract-{other}"
    if key not in cache:
        cache[key] = contracts.create(org(w, other), {"service": "健身指导", "amount": "1000", "starts_on": "2025-01-01",
                                                      "ends_on": "2025-12-31", "deliverables": "12次"},
                                      actor=w.users["superuser"])
    return {"pk": org(w, other).pk, "contract_pk": cache[key].pk}


def evidence_pks(w, role=None):
    """The role's contract with one evidence file."""
    from django.core.files.base import ContentFile

    from quanmin.organizations.models import ContractEvidence

    found = contract_pks(w, role)
    item = ContractEvidence.objects.filter(contract_id=found["contract_pk"]).first()
    if item is None:
        item = ContractEvidence(contract_id=found["contract_pk"], note="签到表")
        item.file.save("sign-in.pdf", ContentFile(b"%PDF-1.4 sign-in sheet"), save=True)
    return {**found, "evidence_pk": item.pk}


def contract_ids(w, role=None):
    found = contract_pks(w, role)
    return {"org_id": found["pk"], "contract_id": found["contract_pk"]}


def group_id(w, role=None):
    return {"group_id": org(w, role == "other_county").pk}


def activity_body(w, role=None):
    facility = w.other_facility if role == "other_county" else w.facility
    return {"title": "周六训练", "facility_id": facility.pk, "weekday": 5, "start": "09:00", "end": "10:00", "places": 10}


GRADING = {"grade": "4", "assessed_on": "2025-01-10", "valid_until": "2030-01-09", "assessor": "聊城市民政局"}

WEB = {
    "organizations:staff_orgs": ("division_reader", None, "get", None),
    "organizations:staff_org_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "organizations:staff_org": ("division_reader", org_pk, "get", None),
    "organizations:staff_org_edit": ("division_writer", org_pk, "get", None, {"post": ({}, 200)}),
    # Staff posting changes (supervisors and evaluators change nothing: 403) get a redirect back with
    # the decision or a message why not (a community's staff cannot approve a filing, say).
    "organizations:staff_org_approve": ("division_writer", org_pk, "post", {"decision": "approve"}),
    "organizations:staff_grading_add": ("division_writer", org_pk, "post", GRADING),
    "organizations:staff_grading_delete": ("division_writer", grading_pks, "post", {}),
    # The group's staff and its division's: a redirect back with the result or a message why not.
    "organizations:staff_member_decide": ("division_writer", membership_pks, "post", {"decision": "accept"}),
    "organizations:staff_announce": ("division_writer", org_pk, "post", {"title": "通知", "text": "周六活动"}),
    "organizations:staff_activity_add": ("division_writer", org_pk, "post", {}),
    "organizations:staff_amateur_grade": ("division_writer", org_pk, "post", {}),
    # Contracts: a redirect back with the result or a message why not (no file, not accepted...).
    "organizations:staff_contract_add": ("division_writer", org_pk, "post", {}),
    "organizations:staff_contract_evidence": ("division_writer", contract_pks, "post", {}),
    "organizations:staff_contract_evidence_file": ("division_reader", evidence_pks, "get", None),
    "organizations:staff_contract_decide": ("division_writer", contract_pks, "post", {"decision": "refuse"}),
    "organizations:staff_contract_pay": ("division_writer", contract_pks, "post", {"amount": "10"}),
    # Residents' pages (phone): find and view for everyone, join and leave signed in.
    "organizations:groups": ("public", None, "get", None),
    "organizations:group": ("public", org_pk, "get", None),
    "organizations:group_join": ("signed_in", org_pk, "post", {}),
    "organizations:group_leave": ("signed_in", org_pk, "post", {}),
    "organizations:my_groups": ("signed_in", None, "get", None),
    "organizations:figures": ("division_reader", None, "get", None, 302),  # on to the user's division
    "organizations:figures_region": ("division_reader", lambda w, role=None: {"code": w.community.code
                                                                            if role != "other_county"
                                                                            else w.other_community.code}, "get", None),
    "organizations:figures_export": ("division_reader", lambda w, role=None: {"code": w.community.code
                                                                            if role != "other_county"
                                                                            else w.other_community.code}, "get", None),
    "organizations:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "organizations:import_template": ("division_writer", None, "get", None),
    "organizations:export": ("division_reader", None, "get", None),
    "organizations:gradings_export": ("division_reader", None, "get", None),
    "organizations:members_export": ("division_writer", org_pk, "get", None),
    "organizations:contracts": ("division_reader", None, "get", None),
    "organizations:contracts_export": ("division_reader", None, "get", None),
}

API = {
    "GET /api/v1/organizations": ("division_reader", None, None),
    "POST /api/v1/organizations": ("division_writer", None, {"name": "x", "kind": "club", "status": "filed",
                                                             "region": "000000000000"}, 400),
    "GET /api/v1/organizations/{org_id}": ("division_reader", org_id, None),
    "PATCH /api/v1/organizations/{org_id}": ("division_writer", org_id, {"schedule": "每周六 8:00"}),
    # Approvers get 409 (the organisation is not pending), the others 403.
    "POST /api/v1/organizations/{org_id}/approval": ("county_staff", org_id, {"approve": True}, 409),
    "GET /api/v1/organizations/{org_id}/history": ("division_reader", org_id, None),
    "GET /api/v1/organizations/{org_id}/gradings": ("division_reader", org_id, None),
    "POST /api/v1/organizations/{org_id}/gradings": ("division_writer", org_id,
                                                     {**GRADING, "grade": 4}),
    "GET /api/v1/organizations/gradings/expiring": ("division_reader", None, None),
    "GET /api/v1/organizations/{org_id}/members": ("division_reader", org_id, None),
    "GET /api/v1/organizations/{org_id}/vitality": ("division_reader", org_id, None),
    "GET /api/v1/organizations/{org_id}/contracts": ("division_reader", org_id, None),
    # Writers make contracts (201); the evidence without a file is 400 for them, 403 for a supervisor;
    # a decision without evidence 409; a payment before acceptance 409.
    "POST /api/v1/organizations/{org_id}/contracts": ("division_writer", org_id, {
        "service": "健身指导", "amount": 1000, "starts_on": "2025-01-01", "ends_on": "2025-06-30", "deliverables": "6次"}),
    "POST /api/v1/organizations/{org_id}/contracts/{contract_id}/evidence": ("division_writer", contract_ids, None, 400),  # no file
    "POST /api/v1/organizations/{org_id}/contracts/{contract_id}/decision": ("division_writer", contract_ids,
                                                                              {"accept": True}, 409),
    "POST /api/v1/organizations/{org_id}/contracts/{contract_id}/payments": ("division_writer", contract_ids,
                                                                              {"amount": 10}, 409),  # not accepted yet
    # Accepting a member already in: 409 not_pending for those who may, 403 for the others.
    "POST /api/v1/organizations/{org_id}/members/{membership_id}/decision": (
        "division_writer", lambda w, role=None: {"org_id": membership_pks(w, role)["pk"],
                                                 "membership_id": membership_pks(w, role)["membership_pk"]},
        {"accept": True}, 409),
    "POST /api/v1/organizations/{org_id}/announcements": ("division_writer", org_id, {"title": "通知", "text": "周六活动"}),
    "POST /api/v1/organizations/{org_id}/activities": ("division_writer", org_id, activity_body),
    "GET /api/v1/organizations/figures/{code}": ("division_reader", lambda w, role=None: {
        "code": (w.other_community if role == "other_county" else w.community).code}, None),
    "GET /api/v1/groups": ("public", None, None),
    "GET /api/v1/groups/{group_id}": ("public", group_id, None),
    # Join first (201, or 409 already a member), then leave what was joined.
    "POST /api/v1/groups/{group_id}/join": ("signed_in", group_id, {}, lambda role: 409 if role == "resident" else 201),
    "POST /api/v1/groups/{group_id}/leave": ("signed_in", group_id, None, 200),
    "GET /api/v1/groups/mine": ("signed_in", None, None),
    "GET /api/v1/groups/my-grades": ("signed_in", None, None),
    # Writers award (201); a supervisor is refused (403).
    "POST /api/v1/organizations/{org_id}/amateur-grades": ("division_writer", org_id, {
        "phone": "13700000007", "sport": "basketball", "level": 3}),
    "POST /api/v1/organizations/import": ("division_writer", None, None, 400),
    "GET /api/v1/organizations/import-template.xlsx": ("division_writer", None, None),
    "GET /api/v1/organizations/export.xlsx": ("division_reader", None, None),
}

CROSS_COUNTY = [
    ("web", "organizations:staff_contract_evidence_file", lambda w, role=None: evidence_pks(w), None, 200),
    ("web", "organizations:figures_region", lambda w, role=None: {"code": w.county.code}, None, 200),
    ("api", "GET /api/v1/organizations/figures/{code}", lambda w, role=None: {"code": w.county.code}, None, 200),
    ("web", "organizations:staff_org", lambda w, role=None: {"pk": org(w).pk}, None, 200),
    ("web", "organizations:staff_org_edit", lambda w, role=None: {"pk": org(w).pk}, None, 200),
    ("api", "GET /api/v1/organizations/{org_id}", lambda w, role=None: {"org_id": org(w).pk}, None, 200),
    ("api", "GET /api/v1/organizations/{org_id}/members", lambda w, role=None: {"org_id": org(w).pk}, None, 200),
    ("api", "PATCH /api/v1/organizations/{org_id}", lambda w, role=None: {"org_id": org(w).pk},
     {"schedule": "每周日 9:00"}, 200),
]
