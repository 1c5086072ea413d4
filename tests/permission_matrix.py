"""Who may reach what: every URL and API operation of the platform, classified by audience.

`test_permissions.py` fails when an endpoint exists that is not listed here, so each capability
adds its rows. A row is: audience, path parameters (from the world fixture), request body.
Audiences:
  public          anyone, signed in or not
  signed_in       any signed-in person; strangers are sent to sign in (401 at the API)
  division_reader division staff of any level, supervisors, evaluators
  division_writer division staff of any level (supervisors and evaluators change nothing)
  city_staff      city staff only
  backoffice      anyone holding a role (staff, supervisors, operators, inspectors, organisations)
"""

ROLES = ["anonymous", "resident", "community", "township", "county", "other_county", "city",
         "supervisor", "superuser"]

AUDIENCE = {
    "public": set(ROLES),
    "signed_in": set(ROLES) - {"anonymous"},
    "division_reader": {"community", "township", "county", "other_county", "city", "supervisor", "superuser"},
    "division_writer": {"community", "township", "county", "other_county", "city", "superuser"},
    "city_staff": {"city", "superuser"},
    "backoffice": {"community", "township", "county", "other_county", "city", "supervisor", "superuser"},
}


# Path parameters pick an object inside the role's own scope (the matrix is about roles; crossing
# scopes is CROSS_COUNTY's job): the neighbouring county's staff get their own county's objects.
def community_code(w, role=None):
    return {"code": (w.other_community if role == "other_county" else w.community).code}


def resident_id(w, role=None):
    return {"user_id": w.users["other_resident" if role == "other_county" else "resident"].pk}


def county_code(w, role=None):
    return {"code": w.county.code}


# Web pages by URL name: (audience, kwargs, method, data).
WEB = {
    "web:home": ("public", None, "get", None),
    "web:regions": ("division_reader", None, "get", None),
    "web:region": ("division_reader", community_code, "get", None),
    "web:audit": ("city_staff", None, "get", None),
    "accounts:login": ("public", None, "get", None),
    "accounts:logout": ("public", None, "post", {}),
    "accounts:register": ("public", None, "get", None),
    "accounts:privacy": ("public", None, "get", None),
    "accounts:region_options": ("public", None, "get", None),
    "accounts:me": ("signed_in", None, "get", None),
    "web:my_data_export": ("signed_in", None, "get", None),
    "web:my_data_delete": ("signed_in", None, "post", {"password": "wrong"}),
    "accounts:token_create": ("signed_in", None, "post", {"name": "t"}),
    "accounts:token_revoke": ("signed_in", lambda w, role=None: {"token_id": 999999}, "post", {}),
    "accounts:consent_withdraw": ("signed_in", lambda w, role=None: {"kind": "health"}, "post", {}),
    "api-docs": ("public", None, "get", None),
}

# API operations by "METHOD path" as in the OpenAPI document: (audience, path params, body).
API = {
    "POST /api/v1/auth/login": ("public", None, {"phone": "13700000099", "password": "x"}),
    "POST /api/v1/auth/logout": ("signed_in", None, None),
    "GET /api/v1/me": ("signed_in", None, None),
    "GET /api/v1/me/export": ("signed_in", None, None),
    "POST /api/v1/me/delete": ("signed_in", None, {"password": "wrong"}),
    "GET /api/v1/tokens": ("signed_in", None, None),
    "POST /api/v1/tokens": ("signed_in", None, {"name": "bridge"}),
    "DELETE /api/v1/tokens/{token_id}": ("signed_in", lambda w, role=None: {"token_id": 999999}, None),
    "GET /api/v1/users": ("division_reader", None, None),
    "GET /api/v1/users/export.xlsx": ("division_reader", None, None),
    "GET /api/v1/users/{user_id}": ("division_reader", resident_id, None),
    "POST /api/v1/users/{user_id}/reveal": ("division_writer", resident_id, {"purpose": "booking dispute"}),
    "GET /api/v1/audit": ("city_staff", None, None),
    "PATCH /api/v1/regions/{code}/figures": ("division_writer", community_code, {"population": 8000}),
    "GET /api/v1/regions": ("public", None, None),
    "GET /api/v1/regions/{code}": ("public", community_code, None),
    "GET /api/v1/regions/{code}/children": ("public", community_code, None),
}

# Objects of one county that the neighbouring county's staff must not reach (404), with what the
# owning county's staff get. (kind, key, params, body, owner_status)
CROSS_COUNTY = [
    ("web", "web:region", county_code, None, 200),
    ("api", "GET /api/v1/users/{user_id}", resident_id, None, 200),
    ("api", "POST /api/v1/users/{user_id}/reveal", resident_id, {"purpose": "check"}, 200),
    ("api", "PATCH /api/v1/regions/{code}/figures", county_code, {"population": 1229768}, 200),
]


def _merge_capability_rows():
    import importlib
    import pkgutil

    from . import matrix

    for info in pkgutil.iter_modules(matrix.__path__):
        module = importlib.import_module(f"{matrix.__name__}.{info.name}")
        WEB.update(getattr(module, "WEB", {}))
        API.update(getattr(module, "API", {}))
        CROSS_COUNTY.extend(getattr(module, "CROSS_COUNTY", []))


_merge_capability_rows()
