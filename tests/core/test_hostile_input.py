"""Issue 15, item 7: hostile text never makes a 500. One layer (core.middleware.HostileInput) answers
lone surrogates in JSON, NUL bytes in paths, queries and bodies, and multipart bodies without a
boundary with a clear 400: JSON with a code under /api/, a page elsewhere. Issue 15, item 6: a
session is only started by a same-origin JSON sign-in."""

import json

import pytest
from django.test import Client

from quanmin.accounts.models import ApiToken

from ..conftest import PASSWORD

UPLOADS = ["/api/v1/facilities/import", "/api/v1/equipment/import", "/api/v1/booking/certificates",
           "/api/v1/feedback/reports"]


def assert_api_400(r):
    assert r.status_code == 400, (r.status_code, r.content[:300])
    assert r["Content-Type"].startswith("application/json") and r.json()["code"] == "bad_request"


def test_a_lone_surrogate_in_json_is_a_clear_400(world, client_for):
    client = client_for("resident")
    for body in ('{"name": "\\ud800"}', '{"name": "a\\udfffb"}', '{"name": "\\ud800\\u0041"}'):
        r = client.post("/api/v1/tokens", body, content_type="application/json")
        assert_api_400(r)
    assert not ApiToken.objects.exists()
    # A surrogate pair is a character like any other (an emoji), and is kept.
    r = client.post("/api/v1/tokens", '{"name": "\\ud83d\\ude00 ok"}', content_type="application/json")
    assert r.status_code == 201 and ApiToken.objects.get().name == "😀 ok"


def test_a_lone_surrogate_on_physique_consent_is_a_clear_400(world, client_for):
    r = client_for("resident").post("/api/v1/physique/me/consent", '{"guardian_name": "\\udc00"}',
                                    content_type="application/json")
    assert_api_400(r)


@pytest.mark.parametrize("url", ["/api/v1/regions?q=a%00b", "/api/v1/facilities/sites?q=%00",
                                 "/api/v1/facilities?q=x%00", "/api/v1/facilities/sites?region=3715%00",
                                 "/api/v1/regions/3715%00"])
def test_a_nul_byte_in_a_query_or_path_is_a_clear_400(world, url):
    assert_api_400(Client().get(url))


def test_a_nul_byte_in_a_json_body_or_a_page_query_is_a_clear_400(world, client_for):
    assert_api_400(client_for("resident").post("/api/v1/tokens", '{"name": "a\\u0000b"}', content_type="application/json"))
    r = Client().get("/facilities/?q=a%00b")
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", UPLOADS)
def test_multipart_without_a_boundary_is_a_clear_400(world, client_for, url):
    r = client_for("county").post(url, b"--x\r\n", content_type="multipart/form-data")
    assert_api_400(r)


def test_sign_in_needs_json_and_the_same_origin(world):
    body = json.dumps({"phone": "13700000007", "password": PASSWORD})
    # A cross-site form can post text/plain without a preflight: it must not start a session.
    r = Client().post("/api/v1/auth/login", body, content_type="text/plain", headers={"Origin": "https://evil.example"})
    assert r.status_code in (403, 415) and "sessionid" not in r.cookies
    r = Client().post("/api/v1/auth/login", body, content_type="text/plain")
    assert r.status_code == 415 and r.json()["code"] == "json_required" and "sessionid" not in r.cookies
    r = Client().post("/api/v1/auth/login", body, content_type="application/json",
                      headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["code"] == "cross_origin" and "sessionid" not in r.cookies
    r = Client().post("/api/v1/auth/login", body, content_type="application/json", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and "sessionid" not in r.cookies
    ok = Client().post("/api/v1/auth/login", body, content_type="application/json", headers={"Origin": "http://testserver"})
    assert ok.status_code == 200 and "sessionid" in ok.cookies
    assert Client().post("/api/v1/auth/login", body, content_type="application/json").status_code == 200
