"""The permission matrix: every URL and API operation, every method a page accepts, for every role."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.template import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import reverse

from . import routes
from .csp import policy_faults, role_that_checks
from .permission_matrix import API, AUDIENCE, CROSS_COUNTY, ROLES, WEB, requests


def web_url_names(patterns=None) -> set[str]:
    return {r.name for r in routes.pages(patterns) if r.name}


def test_every_web_page_is_in_the_matrix():
    found = web_url_names()
    assert found - set(WEB) == set(), "pages missing from tests/permission_matrix.py WEB"
    assert set(WEB) - found == set(), "stale rows in WEB"


def unnamed_patterns(patterns=None) -> list[str]:
    return [r.route for r in routes.pages(patterns) if r.name is None]


def test_every_url_pattern_has_a_name():
    """The matrix knows pages by name: an unnamed pattern would be a page nobody checks."""
    assert unnamed_patterns() == []


def test_every_api_operation_is_in_the_matrix():
    """Listed from the routers: an operation hidden from the OpenAPI document is an operation too."""
    found = set(routes.api_operations())
    assert found - set(API) == set(), "API operations missing from tests/permission_matrix.py API"
    assert set(API) - found == set(), "stale rows in API"


def web_methods_missing(rows=WEB, patterns=None) -> list[tuple[str, str]]:
    """(name, METHOD) for each method a page view accepts that its row does not send, and each
    method a row sends that the view refuses."""
    rows = {name: {m.upper() for _, m, _, _ in requests("web", row[0], *row[2:])} for name, row in rows.items()}
    wrong = []
    for r in routes.pages(patterns):
        if r.name in rows:
            accepted = routes.page_methods(r.view)
            wrong += [(r.name, m) for m in sorted(accepted ^ rows[r.name])]
    return wrong


def test_every_method_a_page_accepts_is_in_the_matrix():
    assert web_methods_missing() == [], "methods missing from (or refused but listed in) the rows"


# Pages a role's run checks for the policy, at least (2026-12-07: the superuser's 281; the other roles
# check the few pages a superuser may not open): a guard that the check has not silently stopped.
POLICY_CHECKED = {"superuser": 250}


def denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def _call(client, method, url, data, json_body=False):
    if method == "get":
        return client.get(url)
    if json_body:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return getattr(client, method)(url, data or {})


def _judge(role, audience, key, method, response, expected) -> tuple | None:
    """What is wrong with the answer, if anything: a role of the audience must get the status the row
    expects (not just any answer that is not a denial), any other role a denial."""
    if role in AUDIENCE[audience]:
        wanted = expected(role)
        if response.status_code not in wanted or denied(response):
            return (key, method, response.status_code, f"expected {wanted}")
    elif not denied(response):
        return (key, method, response.status_code, "expected a denial")
    return None


@pytest.fixture
def bare_rendering(monkeypatch):
    """Templates rendered as in production, without the test runner's instrumentation, which signals
    and copies the context of every template rendered (response.context, unused here): about a
    twentieth of the matrix's time."""
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(world, client_for, role, bare_rendering):
    """Every page for the role; and the pages this role checks for the content security policy
    (tests/csp.py: each page once, for the first role that may open it) send the policy and hold
    nothing it refuses."""
    client = client_for(None if role == "anonymous" else role)
    wrong, policy_checked = [], 0
    for name, (audience, kwargs, method, data, *expect) in WEB.items():
        url = reverse(name, kwargs=kwargs(world, role) if kwargs else None)
        for who, verb, body, expected in requests("web", audience, method, data, *expect):
            response = _call(client, verb, url, body(world, role) if callable(body) else body)
            assert response.status_code != 500, (url, verb)
            wrong.append(_judge(role, who, name, verb, response, expected))
            if (verb == "get" and response.status_code == 200 and role_that_checks(audience, AUDIENCE) == role
                    and response.get("Content-Type", "").startswith("text/html")):
                policy_checked += 1
                wrong.extend((name, "content security policy", fault) for fault in policy_faults(response))
            if name == "accounts:logout" and role != "anonymous":
                client = client_for(role)  # signed out by the request; sign in again
    assert [w for w in wrong if w] == [], f"{role}: {[w for w in wrong if w]}"
    assert policy_checked >= POLICY_CHECKED.get(role, 0), policy_checked


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, client_for, role, bare_rendering):
    wrong = []
    operations = routes.api_operations()
    client, fresh = None, True
    for key, (audience, params, body, *expect) in API.items():
        # Each call starts as a freshly signed-in client would: a new client and sign-in after any
        # call that touched the session (a sign-out, a sign-in, a change kept in it), else the same
        # session with no other cookie. Signing in before every call was a sixth of this test's time.
        if fresh:
            client = client_for(None if role == "anonymous" else role)
            session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        client.cookies.clear()
        if session is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session.value
        method, path = key.split(" ", 1)
        url = path.format(**(params(world, role) if params else {}))
        if callable(body):
            body = body(world, role)
        (_, _, _, expected), = requests("api", audience, method.lower(), body, *expect)
        response = _call(client, method.lower(), url, body, json_body=True)
        fresh = settings.SESSION_COOKIE_NAME in response.cookies
        assert response.status_code != 500, key
        if response.status_code >= 400 and operations[key] is not None:  # not django-ninja's own pages
            assert response["Content-Type"].startswith("application/json"), (key, response.status_code)
            assert {"code", "message"} <= set(response.json()), key
        wrong.append(_judge(role, audience, key, method, response, expected))
    assert [w for w in wrong if w] == [], f"{role}: {[w for w in wrong if w]}"


@pytest.mark.parametrize("kind,key,params,body,owner_status", CROSS_COUNTY)
def test_neighbouring_county_gets_404(world, client_for, kind, key, params, body, owner_status):
    def call(role):
        client = client_for(role)
        if kind == "web":
            return client.get(reverse(key, kwargs=params(world)))
        method, path = key.split(" ", 1)
        if callable(body):
            return _call(client, method.lower(), path.format(**params(world)), body(world, role), json_body=True)
        return _call(client, method.lower(), path.format(**params(world)), body, json_body=True)

    assert call("other_county").status_code == 404
    assert call("county").status_code == owner_status
    # Read-only roles change nothing even inside their scope.
    if kind == "api" and not key.startswith("GET"):
        assert call("supervisor").status_code in (403, 404)


def admin_models():
    return [(m._meta.app_label, m._meta.model_name) for m in admin.site._registry]


NOT_OURS = {"auth.group", "django_tasks_database.dbtaskresult"}


@pytest.mark.parametrize("role", ROLES)
def test_admin_changelists(world, client_for, role):
    client = client_for(None if role == "anonymous" else role)
    got = {}
    for app_label, model_name in admin_models():
        response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        assert response.status_code != 500
        if role in AUDIENCE["backoffice"]:
            got[f"{app_label}.{model_name}"] = response.status_code
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], model_name
    if role in AUDIENCE["backoffice"]:
        # Every register's list opens (its rows cut to the role's scope); the two admins that are not
        # ours (Django's groups, the task queue's results) keep Django's own rule: superusers only.
        expected = {k: 200 if k not in NOT_OURS or role == "superuser" else 403 for k in got}
        assert got == expected, role


def test_admin_objects_are_scoped(world, client_for):
    region_url = reverse("admin:regions_region_change", args=[world.county.code])
    user_url = reverse("admin:accounts_user_change", args=[world.users["resident"].pk])
    for url in (region_url, user_url):
        assert client_for("other_county").get(url).status_code == 404
        assert client_for("county").get(url).status_code == 200
    # A supervisor sees but cannot change: the form is read-only and a POST is refused.
    response = client_for("supervisor").post(region_url, {"name": "x", "population": 1})
    assert response.status_code == 403
    world.county.refresh_from_db()
    assert world.county.name == "东昌府区"


def test_admin_lists_mask_personal_data(world, client_for):
    html = client_for("city").get(reverse("admin:accounts_user_changelist")).content.decode()
    resident = world.users["resident"]
    assert resident.id_number not in html and resident.phone not in html
    assert resident.id_number_masked in html


def test_staff_only_see_their_division_in_lists(world, client_for):
    ids = {u["id"] for u in client_for("county").get("/api/v1/users?limit=100").json()["items"]}
    assert world.users["resident"].pk in ids and world.users["other_resident"].pk not in ids
    html = client_for("county").get(reverse("admin:regions_region_changelist")).content.decode()
    assert "东昌府区" in html and "茌平区" not in html


def test_reveal_is_logged(world, client_for):
    from quanmin.accounts.models import AuditEntry

    resident = world.users["resident"]
    r = client_for("county").post(f"/api/v1/users/{resident.pk}/reveal", {"purpose": "ticket 42"},
                                  content_type="application/json")
    assert r.json()["id_number"] == resident.id_number
    entry = AuditEntry.objects.get(action="read_personal")
    assert entry.actor == world.users["county"] and entry.detail["purpose"] == "ticket 42"


def test_api_lists_and_export_mask(world, client_for):
    resident = world.users["resident"]
    person = client_for("county").get(f"/api/v1/users/{resident.pk}").json()
    assert person["id_number"] == resident.id_number_masked and person["phone"] == "137****0007"
    me = client_for("resident").get("/api/v1/me").json()
    assert me["id_number"] == resident.id_number_masked
    # The person's own export is whole: it is theirs (and the read is logged).
    export = client_for("resident").get("/api/v1/me/export").json()
    assert export["account"]["id_number"] == resident.id_number


def test_errors_are_translated(world):
    client = Client()
    body = {"phone": "13700000007", "password": "wrong"}
    zh = client.post("/api/v1/auth/login", body, content_type="application/json", headers={"Accept-Language": "zh-hans"})
    en = Client().post("/api/v1/auth/login", body, content_type="application/json", headers={"Accept-Language": "en"})
    assert zh.json()["code"] == en.json()["code"] == "login_failed"
    assert en.json()["message"] == "Wrong mobile number or password."
    assert zh.json()["message"] != en.json()["message"]


def test_validation_errors_name_the_field(world):
    r = Client().post("/api/v1/auth/login", {"phone": "1"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert any(e["field"] == "password" for e in r.json()["errors"])


def test_people_export_is_masked_and_scoped(world, client_for):
    import io

    from openpyxl import load_workbook

    r = client_for("county").get("/api/v1/users/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    resident = world.users["resident"]
    flat = " ".join(str(c) for row in rows for c in row)
    assert resident.id_number_masked in flat and resident.id_number not in flat and resident.phone not in flat
    assert world.users["other_resident"].real_name not in flat
