"""The permission matrix: every URL and API operation, for every role."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quanmin.api import api

from .permission_matrix import API, AUDIENCE, CROSS_COUNTY, ROLES, WEB

SKIP_NAMESPACES = {"admin", "api-1"}
SKIP_NAMES = {"set_language"}


def web_url_names(patterns=None, namespace=""):
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIP_NAMESPACES or "i18n" in str(p.pattern):
                continue
            names |= web_url_names(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name and p.name not in SKIP_NAMES:
            names.add(f"{namespace}{p.name}")
    return names


def api_operations():
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_web_page_is_in_the_matrix():
    found = web_url_names()
    assert found - set(WEB) == set(), "pages missing from tests/permission_matrix.py WEB"
    assert set(WEB) - found == set(), "stale rows in WEB"


def test_every_api_operation_is_in_the_matrix():
    found = api_operations()
    assert found - set(API) == set(), "API operations missing from tests/permission_matrix.py API"
    assert set(API) - found == set(), "stale rows in API"


def denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def _call(client, method, url, data, json_body=False):
    if method == "get":
        return client.get(url)
    if json_body:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return client.post(url, data or {})


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(world, client_for, role):
    client = client_for(None if role == "anonymous" else role)
    wrong = []
    for name, (audience, kwargs, method, data) in WEB.items():
        url = reverse(name, kwargs=kwargs(world, role) if kwargs else None)
        response = _call(client, method, url, data)
        assert response.status_code != 500, url
        allowed = role in AUDIENCE[audience]
        if allowed == denied(response):
            wrong.append((name, response.status_code))
        if name == "accounts:logout" and role != "anonymous":
            client = client_for(role)  # signed out by the request; sign in again
    assert wrong == [], f"{role}: {wrong}"


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, client_for, role):
    wrong = []
    for key, (audience, params, body) in API.items():
        client = client_for(None if role == "anonymous" else role)  # fresh: some calls sign out
        method, path = key.split(" ", 1)
        url = path.format(**(params(world, role) if params else {}))
        if callable(body):
            body = body(world, role)
        response = _call(client, method.lower(), url, body, json_body=True)
        assert response.status_code != 500, key
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), (key, response.status_code)
            assert {"code", "message"} <= set(response.json()), key
        allowed = role in AUDIENCE[audience]
        if allowed == denied(response):
            wrong.append((key, response.status_code))
    assert wrong == [], f"{role}: {wrong}"


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


@pytest.mark.parametrize("role", ROLES)
def test_admin_changelists(world, client_for, role):
    client = client_for(None if role == "anonymous" else role)
    for app_label, model_name in admin_models():
        response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        assert response.status_code != 500
        if role in AUDIENCE["backoffice"]:
            assert response.status_code in (200, 403), (model_name, response.status_code)
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], model_name


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
