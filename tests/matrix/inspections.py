"""Permission rows for inspection plans, rounds and the inspector's pages.

Each role gets a plan in its own division with itself as inspector (read-only roles, residents and
strangers get the county's plan): so "division_writer" on the walk pages means "the round's own
inspector", which every division writer can be, and nobody else."""

from django.utils import timezone

PLAN_OF = {"community": ("community", "community"), "township": ("township", "township"),
           "county": ("county", "county"), "other_county": ("other_county", "other_county"),
           "city": ("city", "city")}


def _plan(w, role=None):
    from quanmin.maintenance import inspections

    cache = w.__dict__.setdefault("_inspection_plans", {})
    user_key, region_attr = PLAN_OF.get(role, ("county", "county"))
    if user_key not in cache:
        cache[user_key] = inspections.create_plan(actor=w.users["superuser"], data={
            "name": f"{getattr(w, region_attr).name}日常巡检", "kind": "daily",
            "region": getattr(w, region_attr).code, "inspector": w.users[user_key],
            "starts_on": timezone.localdate()})
    return cache[user_key]


def plan_id(w, role=None):
    return {"plan_id": _plan(w, role).pk}


def round_id(w, role=None):
    return {"round_id": _plan(w, role).rounds.get(scheduled_for=timezone.localdate()).pk}


WEB = {
    "maintenance:inspection_plans": ("division_reader", None, "get", None),
    "maintenance:inspection_plan_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "maintenance:inspection_plan": ("division_reader", plan_id, "get", None),
    "maintenance:inspection_plan_edit": ("division_writer", plan_id, "get", None, {"post": ({}, 400)}),
    # Runs again (it already runs: nothing changes).
    "maintenance:inspection_plan_active": ("division_writer", plan_id, "post", {"active": "1"}),
    "maintenance:inspection_rounds": ("division_reader", None, "get", None),
    "maintenance:inspection_round": ("division_reader", round_id, "get", None),
    "maintenance:my_rounds": ("backoffice", None, "get", None),
    "maintenance:inspection_walk": ("division_writer", round_id, "get", None),
    # No piece: the inspector gets 400 equipment_invalid; anyone else 404.
    "maintenance:inspection_check": ("division_writer", round_id, "post", {}, 400),
}

API = {
    "GET /api/v1/maintenance/inspection-plans": ("division_reader", None, None),
    # An unknown division: writers get 400 region_invalid, the others are refused first.
    "POST /api/v1/maintenance/inspection-plans": ("division_writer", None,
                                                  {"name": "x", "region": "000000000000", "inspector_id": 1}, 400),
    "GET /api/v1/maintenance/inspection-plans/{plan_id}": ("division_reader", plan_id, None),
    "PATCH /api/v1/maintenance/inspection-plans/{plan_id}": ("division_writer", plan_id, {"every_days": 1}),
    "GET /api/v1/maintenance/inspection-rounds": ("backoffice", None, None),
    "GET /api/v1/maintenance/inspection-rounds/{round_id}": ("backoffice", round_id, None),
    # No piece: the round's inspector gets 400 equipment_invalid; other staff 404.
    "POST /api/v1/maintenance/inspection-rounds/{round_id}/checks": ("division_writer", round_id, None, 400),
    "GET /api/v1/maintenance/checklists": ("backoffice", None, None),
}

CROSS_COUNTY = [
    ("web", "maintenance:inspection_plan", plan_id, None, 200),
    ("web", "maintenance:inspection_plan_edit", plan_id, None, 200),
    ("web", "maintenance:inspection_round", round_id, None, 200),
    ("web", "maintenance:inspection_walk", round_id, None, 200),
    ("api", "GET /api/v1/maintenance/inspection-plans/{plan_id}", plan_id, None, 200),
    ("api", "PATCH /api/v1/maintenance/inspection-plans/{plan_id}", plan_id, {"every_days": 1}, 200),
    ("api", "GET /api/v1/maintenance/inspection-rounds/{round_id}", round_id, None, 200),
]
