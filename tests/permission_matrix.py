"""Who may reach what: every URL and API operation of the platform, classified by audience.

`test_permissions.py` fails when an endpoint exists that is not listed here (URL patterns and API
operations are listed from the URL resolver and the API's routers, tests/routes.py), so each
capability adds its rows (tests/matrix/<app>.py).

A WEB row, by URL name: (audience, path parameters, method, data[, expect]).
An API row, by "METHOD /path": (audience, path parameters, body[, expect]).
Path parameters are a function (world, role) -> kwargs; data and bodies may be such functions too.

`expect` is what a role of the audience gets; a role outside it must be denied (401, 403, 404 or
sent to sign in). Left out, it is DEFAULT_STATUS for the method. It is a status (409), a tuple of
statuses, or a function (role) -> either, when the roles get different answers. For a page that
accepts more than one method (tests/routes.py page_methods: a form page takes GET and POST) it is a
dict: {"status": <as above, for the row's method>, "post": (data, <status as above>)}, one entry
for each other method, with a third element when that method's audience is another than the row's
(a page that everyone reads and only writers post to); the matrix fails when a method the view
accepts has no entry.
Audiences:
  public          anyone, signed in or not
  signed_in       any signed-in person; strangers are sent to sign in (401 at the API)
  division_reader division staff of any level, supervisors, evaluators
  division_writer division staff of any level (supervisors and evaluators change nothing)
  city_staff      city staff only
  county_staff    county and city staff (they approve what a county approves, e.g. filings)
  round_reader    the city's staff and supervisors (a round of county returns the city opened)
  return_reader   a county's return: its own staff, and the round's readers
  return_filler   a county's return: its own staff only (the city reviews, it does not fill in)
  backoffice      anyone holding a role (staff, supervisors, operators, inspectors, organisations)
  platform_admin  platform administrators only (is_staff: the technical operators)
  supervisors     supervisors only (督查: visits, findings, rectification items, bulletins)
  supervision_reader  division readers, and the county's people's congress, CPPCC and supervision
                  offices (role oversight: they read its supervision and nothing else of the platform)
  oversight_manager   who grants the oversight role: division staff (as division_writer)
  bulletin_reader staff, supervisors and evaluators of a bulletin's division (the city) and of the
                  divisions right under it (its counties)
  inclusion_recorder  a division's own staff recording its four inclusions (the city its own; the
                  level above confirms, it does not record; supervisors read)
  inclusion_confirmer the staff of the division right above a record's (the city a county's)
  nobody          no one (a pattern that only names a path)
"""

ROLES = ["anonymous", "resident", "community", "township", "county", "other_county", "city",
         "supervisor", "superuser", "oversight"]

AUDIENCE = {
    "public": set(ROLES),
    "signed_in": set(ROLES) - {"anonymous"},
    "division_reader": {"community", "township", "county", "other_county", "city", "supervisor", "superuser"},
    "division_writer": {"community", "township", "county", "other_county", "city", "superuser"},
    "city_staff": {"city", "superuser"},
    "county_staff": {"county", "other_county", "city", "superuser"},
    "round_reader": {"city", "supervisor", "superuser"},
    "return_reader": {"county", "other_county", "city", "supervisor", "superuser"},
    "return_filler": {"county", "other_county"},
    "backoffice": {"community", "township", "county", "other_county", "city", "supervisor", "superuser"},
    "platform_admin": {"superuser"},
    "supervisors": {"supervisor", "superuser"},
    "bulletin_reader": {"county", "other_county", "city", "supervisor", "superuser", "oversight"},
    "supervision_reader": {"community", "township", "county", "other_county", "city", "supervisor", "superuser",
                           "oversight"},
    "oversight_manager": {"community", "township", "county", "other_county", "city", "superuser"},
    "inclusion_recorder": {"community", "township", "county", "other_county", "city"},
    "inclusion_confirmer": {"township", "county", "other_county", "city", "superuser"},
    "nobody": set(),
}


# What a role of the audience gets when the row leaves `expect` out: a page, a form posted and
# redirected, an API read, a record made, changed or removed.
DEFAULT_STATUS = {
    "web": {"get": 200, "post": 302},
    "api": {"get": 200, "post": 201, "put": 200, "patch": 200, "delete": 204},
}


def requests(kind: str, audience: str, method: str, data, expect=None):
    """The requests a row stands for: [(audience, method, data, expected statuses as a function of
    role)], the row's own first."""
    extra = {}
    if isinstance(expect, dict):
        extra = {m: v for m, v in expect.items() if m != "status"}
        expect = expect.get("status")
    out = [(audience, method, data, _statuses(DEFAULT_STATUS[kind][method] if expect is None else expect))]
    for m, (d, status, *other) in extra.items():
        out.append((other[0] if other else audience, m, d, _statuses(status)))
    return out


def _statuses(expect):
    def get(role):
        value = expect(role) if callable(expect) else expect
        return tuple(value) if isinstance(value, tuple | list | set) else (value,)

    return get


# Path parameters pick an object inside the role's own scope (the matrix is about roles; crossing
# scopes is CROSS_COUNTY's job): the neighbouring county's staff get their own county's objects.
def community_code(w, role=None):
    return {"code": (w.other_community if role == "other_county" else w.community).code}


def resident_id(w, role=None):
    return {"user_id": w.users["other_resident" if role == "other_county" else "resident"].pk}


def county_code(w, role=None):
    return {"code": w.county.code}


# Web pages by URL name: (audience, kwargs, method, data[, expect]).
WEB = {
    "web:home": ("public", None, "get", None),
    "web:regions": ("division_reader", None, "get", None),
    "web:region": ("division_reader", community_code, "get", None),
    "web:audit": ("city_staff", None, "get", None),
    "accounts:login": ("public", None, "get", None, {"post": ({}, 200)}),
    "accounts:logout": ("public", None, "post", {}),
    "accounts:register": ("public", None, "get", None, {"post": ({}, 200)}),
    "accounts:privacy": ("public", None, "get", None),
    "accounts:region_options": ("public", None, "get", None),
    "accounts:me": ("signed_in", None, "get", None, {"post": ({}, 200)}),
    "web:my_data_export": ("signed_in", None, "get", None),
    "web:my_data_delete": ("signed_in", None, "post", {"password": "wrong"}),
    "accounts:token_create": ("signed_in", None, "post", {"name": "t"}, 200),
    "accounts:token_revoke": ("signed_in", lambda w, role=None: {"token_id": 999999}, "post", {}),
    "accounts:consent_withdraw": ("signed_in", lambda w, role=None: {"kind": "health"}, "post", {}),
    # Sign-in from the city's app: public once a provider is configured; here none is, so they answer
    # 404 to everyone. Configured, they run against a real provider in tests/accounts/test_cityapp.py.
    "accounts:city_start": ("nobody", None, "get", None),
    "accounts:city_callback": ("nobody", None, "get", None),
    "accounts:city_finish": ("nobody", None, "get", None, {"post": ({}, 404)}),
    "accounts:city_unlink": ("signed_in", None, "post", {}),
    "accounts:first_password": ("signed_in", None, "post", {"password": "x", "password2": "y"}),
    "api-docs": ("public", None, "get", None),
}

# API operations by "METHOD path" as in the OpenAPI document: (audience, path params, body[, expect]).
API = {
    "POST /api/v1/auth/login": ("public", None, {"phone": "13700000099", "password": "x"}, 400),
    "POST /api/v1/auth/logout": ("signed_in", None, None, 204),
    "GET /api/v1/me": ("signed_in", None, None),
    "GET /api/v1/me/export": ("signed_in", None, None),
    "POST /api/v1/me/delete": ("signed_in", None, {"password": "wrong"}, 400),
    "GET /api/v1/tokens": ("signed_in", None, None),
    "POST /api/v1/tokens": ("signed_in", None, {"name": "bridge"}),
    "DELETE /api/v1/tokens/{token_id}": ("signed_in", lambda w, role=None: {"token_id": 999999}, None, 400),
    "GET /api/v1/users": ("division_reader", None, None),
    "GET /api/v1/users/export.xlsx": ("division_reader", None, None),
    "GET /api/v1/users/{user_id}": ("division_reader", resident_id, None),
    "POST /api/v1/users/{user_id}/reveal": ("division_writer", resident_id, {"purpose": "booking dispute"}, 200),
    "GET /api/v1/audit": ("city_staff", None, None),
    "PATCH /api/v1/regions/{code}/figures": ("division_writer", community_code, {"population": 8000}),
    "GET /api/v1/regions": ("public", None, None),
    "GET /api/v1/regions/{code}": ("public", community_code, None),
    "GET /api/v1/regions/{code}/children": ("public", community_code, None),
    # django-ninja's own pages: the API's root, its OpenAPI document and the document's viewer.
    "GET /api/v1/": ("nobody", None, None),  # a name for reverse(), answers 404
    "GET /api/v1/openapi.json": ("public", None, None),
    "GET /api/v1/docs": ("public", None, None),
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
