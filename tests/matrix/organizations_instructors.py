"""Permission rows for the instructors' associations (B09): the gap page and the members of an
association, for county and city staff (and an association's own staff, who are no role of the
matrix). Each county gets its association on first use, with the county's active instructor
(tests/matrix/people.py) as a member; the neighbouring county's staff get their own county's."""

from quanmin.organizations import credit, instructor_members, services

from . import people


def association(w, other=False):
    cache = w.__dict__.setdefault("instructor_associations", {})
    if other not in cache:
        region = w.other_county if other else w.county
        cache[other] = services.register(
            {"name": f"{region.name}社会体育指导员协会", "kind": "group_association", "status": "registered",
             "credit_code": credit.make("1", region.code[:6], 950 + other), "region": region,
             "instructor_association": True}, actor=w.users["superuser"])
    return cache[other]


def assoc_pk(w, role=None):
    return {"pk": association(w, role == "other_county").pk}


def assoc_id(w, role=None):
    return {"org_id": association(w, role == "other_county").pk}


def member(w, role=None):
    """The county's active instructor as a member (enrolled again once a row has removed them)."""
    org = association(w, role == "other_county")
    found = people.instructor(w, role == "other_county")
    current = org.instructor_members.filter(instructor=found, status="active").first()
    return current or instructor_members.enrol(org, actor=w.users["superuser"], instructor_id=found.pk)


WEB = {
    "organizations:instructor_associations": ("county_staff", None, "get", None),
    "organizations:instructor_members": ("county_staff", assoc_pk, "get", None),
    # A redirect back with the result or the reason (an unknown certificate number here).
    "organizations:instructor_member_add": ("county_staff", assoc_pk, "post", {"certificate_no": "SD-000"}),
    "organizations:instructor_member_remove": ("county_staff", lambda w, role=None: {
        "pk": association(w, role == "other_county").pk, "member_pk": member(w, role).pk}, "post", {}),
    "organizations:instructor_members_import": ("county_staff", assoc_pk, "get", None, {"post": ({}, 400)}),
    "organizations:instructor_members_template": ("county_staff", assoc_pk, "get", None),
    "organizations:instructor_members_export": ("county_staff", assoc_pk, "get", None),
}

API = {
    "GET /api/v1/organizations/instructor-associations": ("county_staff", None, None),
    "GET /api/v1/organizations/{org_id}/instructor-members": ("county_staff", assoc_id, None),
    # No instructor of the division holds that number: 400 for those who may enrol.
    "POST /api/v1/organizations/{org_id}/instructor-members": ("county_staff", assoc_id, {"certificate_no": "SD-000"},
                                                               400),
    "DELETE /api/v1/organizations/{org_id}/instructor-members/{member_id}": ("county_staff", lambda w, role=None: {
        "org_id": association(w, role == "other_county").pk, "member_id": member(w, role).pk}, None, 204),
    "POST /api/v1/organizations/{org_id}/instructor-members/import": ("county_staff", assoc_id, None, 400),  # no file
    "GET /api/v1/organizations/{org_id}/instructor-members/export.xlsx": ("county_staff", assoc_id, None),
}

CROSS_COUNTY = [
    ("web", "organizations:instructor_members", lambda w, role=None: {"pk": association(w).pk}, None, 200),
    ("api", "GET /api/v1/organizations/{org_id}/instructor-members", lambda w, role=None: {"org_id": association(w).pk},
     None, 200),
]
