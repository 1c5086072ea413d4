"""Permission rows for the maintenance figures per division (issue 5, point 5): the staff page, its
Excel download and the API are for division readers in scope (staff of any level, supervisors,
evaluators); a division outside one's scope answers 404."""


def own_division(w, role=None):
    """A division inside the role's own scope (community and township staff see only theirs)."""
    place = {"community": w.community, "township": w.township, "other_county": w.other_county}.get(role, w.county)
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


WEB = {
    # One division in scope: sent on to it (302); several: a list to pick from.
    "maintenance:figures": ("division_reader", None, "get", None, 302),
    "maintenance:figures_region": ("division_reader", own_division, "get", None),
    "maintenance:figures_export": ("division_reader", own_division, "get", None),
}

API = {
    "GET /api/v1/maintenance/figures/{code}": ("division_reader", own_division, None),
}

CROSS_COUNTY = [
    ("web", "maintenance:figures_region", county_code, None, 200),
    ("web", "maintenance:figures_export", county_code, None, 200),
    ("api", "GET /api/v1/maintenance/figures/{code}", county_code, None, 200),
]
