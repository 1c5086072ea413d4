"""Permission rows for the four inclusions (四纳入, D11): the overview and its workbook (division
readers), each division's page (its readers; its own staff record there), the level above's decision,
evidence files, the Excel import and the API.

Every division of the world holds a 2023 record of its agenda inclusion with an evidence file,
awaiting confirmation. Each role records for its own division (the city for itself; supervisors and
the superuser are the level above everywhere, so they record nowhere) and confirms the record of the
division right under its own (the city a county's).
"""

import datetime

from django.core.files.base import ContentFile

YEAR = 2023
OWN = {"community": "community", "township": "township", "county": "county", "other_county": "other_county",
       "city": "city"}
BELOW = {"township": "community", "county": "township", "other_county": "other_township", "city": "county",
         "superuser": "county"}


def _records(w) -> dict:
    from quanmin.planning.models import Inclusion

    found = w.__dict__.get("inclusions")
    if found is None:
        found = w.inclusions = {}
        for name in ("community", "township", "other_township", "county", "other_county", "city"):
            region = getattr(w, name)
            found[name] = Inclusion.objects.create(
                division_code=region.code, division_name=region.name, year=YEAR, kind="agenda", included=True,
                document=f"{region.name}政府常务会议", dated=datetime.date(YEAR, 3, 1),
                evidence=ContentFile(b"%PDF-1.4", name="纪要.pdf"), recorded_at=datetime.datetime.now(datetime.UTC))
    return found


def own_division(w, role=None):
    return {"code": getattr(w, OWN.get(role, "county")).code, "year": YEAR}


def own_record(w, role=None):
    return {"pk": _records(w)[OWN.get(role, "county")].pk}


def record_below(w, role=None):
    return {"pk": _records(w)[BELOW.get(role, OWN.get(role, "county"))].pk}


def api_division(w, role=None):
    return {"division_code": getattr(w, OWN.get(role, "county")).code, "year": YEAR, "kind": "budget"}


def api_own(w, role=None):
    return {"inclusion_id": own_record(w, role)["pk"]}


def api_below(w, role=None):
    return {"inclusion_id": record_below(w, role)["pk"]}


WEB = {
    "planning:inclusions": ("division_reader", None, "get", None),
    "planning:inclusions_export": ("division_reader", None, "get", None),
    # No file: the form again with the reason (400).
    "planning:inclusions_import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    # Readers of the division open its page; its own staff record there (not included: no document needed).
    "planning:inclusion_division": ("division_reader", own_division, "get", None, {
        "post": ({"kind": "budget", "included": "no"}, 302, "inclusion_recorder")}),
    "planning:inclusion_decide": ("inclusion_confirmer", record_below, "post", {"decision": "confirm"}),
    "planning:inclusion_evidence": ("division_reader", own_record, "get", None),
}

PREFIX = "/api/v1/planning/inclusions"
API = {
    f"GET {PREFIX}/overview": ("division_reader", None, None),
    f"GET {PREFIX}": ("division_reader", None, None),
    f"PUT {PREFIX}/{{division_code}}/{{year}}/{{kind}}": ("inclusion_recorder", api_division, {"included": False}),
    # No file sent: 400 evidence_missing for the record's own staff.
    f"POST {PREFIX}/{{inclusion_id}}/evidence": ("inclusion_recorder", api_own, None, 400),
    f"POST {PREFIX}/{{inclusion_id}}/decision": ("inclusion_confirmer", api_below, {"confirm": True}, 200),
    # No file: 400 file_required.
    f"POST {PREFIX}/import": ("division_writer", None, None, 400),
}

CROSS_COUNTY = [
    ("web", "planning:inclusion_division", lambda w, role=None: {"code": w.county.code, "year": YEAR}, None, 200),
    ("web", "planning:inclusion_evidence", lambda w, role=None: {"pk": _records(w)["county"].pk}, None, 200),
    ("api", f"PUT {PREFIX}/{{division_code}}/{{year}}/{{kind}}",
     lambda w, role=None: {"division_code": w.county.code, "year": YEAR, "kind": "budget"}, {"included": False}, 200),
]
