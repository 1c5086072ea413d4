"""Permission rows for the figures per division and the compliance lists (issue 3, point 5).

Figures of the city, counties and townships are public (open data); a community's figures, the
staff page, its Excel download and the compliance lists are for division readers in scope.
"""


def own_division(w, role=None):
    """A division inside the role's own scope (community and township staff see only theirs)."""
    place = {"community": w.community, "township": w.township, "other_county": w.other_county}.get(role, w.county)
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


def community_code(w, role=None):
    return {"code": (w.other_community if role == "other_county" else w.community).code}


WEB = {
    "facilities:figures": ("division_reader", None, "get", None, 302),
    "facilities:figures_region": ("division_reader", own_division, "get", None),
    "facilities:figures_export": ("division_reader", own_division, "get", None),
}

API = {
    "GET /api/v1/facilities/figures/{code}": ("public", county_code, None),
    "GET /api/v1/facilities/figures/{code}/compliance": ("division_reader", own_division, None),
}

CROSS_COUNTY = [
    ("web", "facilities:figures_region", county_code, None, 200),
    ("web", "facilities:figures_export", county_code, None, 200),
    ("api", "GET /api/v1/facilities/figures/{code}/compliance", county_code, None, 200),
    # A community's figures are not public: the neighbouring county's staff get 404.
    ("api", "GET /api/v1/facilities/figures/{code}", community_code, None, 200),
]
