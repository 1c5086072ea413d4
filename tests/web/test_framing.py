"""Embedding the residents' pages in the city's app (F08): an allow-list of origins may frame them,
nothing may frame staff, admin or API pages, and the cookies still reach a framed page."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.test import Client

from quanmin.web.middleware import framable
from tests import routes
from tests.permission_matrix import WEB

APP = "https://app.lc.example.cn"
PORTAL = "https://sports.lc.example.cn:8443"


def ancestors(response) -> str:
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    return directives["frame-ancestors"]


def test_nothing_is_framed_without_the_list(world, client_for):
    for client, path in [(Client(), "/"), (Client(), "/find/"), (client_for("resident"), "/booking/mine/")]:
        response = client.get(path)
        assert ancestors(response) == "'none'" and response["X-Frame-Options"] == "DENY", path


def test_listed_origins_frame_resident_pages_only(world, client_for, settings):
    settings.FRAME_ANCESTORS = [APP, PORTAL]
    resident, county = client_for("resident"), client_for("county")
    for client, path in [(Client(), "/"), (Client(), "/accounts/login/"), (Client(), "/find/"),
                         (resident, "/booking/mine/"), (resident, "/accounts/me/"), (resident, "/events/")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert ancestors(response) == f"{APP} {PORTAL}" and "X-Frame-Options" not in response, path
    for client, path in [(county, "/staff/regions/"), (county, "/instructors/staff/"), (Client(), "/admin/login/"),
                         (resident, "/api/v1/me"), (county, "/staff/")]:
        response = client.get(path)
        assert ancestors(response) == "'none'" and response["X-Frame-Options"] == "DENY", path


def _sample(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", route)


def test_no_page_for_staff_is_framable():
    """Every page the permission matrix opens to anyone but residents (staff, supervisors, admins)
    lies outside the residents' paths; every public or signed-in page not under /staff/ is counted."""
    staff_only, resident = [], 0
    for route in routes.pages():
        row = WEB.get(route.name)
        if row is None:
            continue
        path = _sample(route.route)
        if row[0] in ("public", "signed_in", "nobody"):
            resident += framable(path)
        elif framable(path):
            staff_only.append((route.name, row[0], path))
    assert staff_only == []
    assert resident > 50  # the residents' pages are framable: the rule is not "nothing"


def settings_in_a_process(**env) -> dict:
    """The settings as a fresh process computes them from its environment."""
    code = ("import json, quanmin.settings as s; print(json.dumps({'session': getattr(s, 'SESSION_COOKIE_SAMESITE', 'Lax'),"
            " 'csrf': getattr(s, 'CSRF_COOKIE_SAMESITE', 'Lax'), 'secure': s.SESSION_COOKIE_SECURE}))")
    base = {k: v for k, v in os.environ.items() if not k.startswith("QUANMIN_")}
    done = subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                          cwd=django_settings.BASE_DIR, check=True)
    return json.loads(done.stdout)


def test_cookies_cross_site_only_with_the_list_over_https():
    https = {"QUANMIN_DEBUG": "0", "QUANMIN_SECRET_KEY": "k" * 50, "QUANMIN_FIELD_KEY": "f" * 40}
    assert settings_in_a_process(**https, QUANMIN_FRAME_ANCESTORS=APP) == {"session": "None", "csrf": "None", "secure": True}
    assert settings_in_a_process(**https) == {"session": "Lax", "csrf": "Lax", "secure": True}
    # Development over plain HTTP: SameSite=None without Secure is refused by browsers; stay Lax.
    assert settings_in_a_process(QUANMIN_DEBUG="1", QUANMIN_FRAME_ANCESTORS=APP)["session"] == "Lax"


@pytest.mark.django_db
def test_a_framed_sign_in_sets_cookies_a_frame_sends(world, settings):
    settings.FRAME_ANCESTORS = [APP]
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/", secure=True)
    assert ancestors(page) == APP
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["samesite"] == "None" and csrf["secure"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    signed = client.post("/accounts/login/", {"phone": world.users["resident"].phone, "password": "Test-pass-2026",
                                              "csrfmiddlewaretoken": token},
                         secure=True, HTTP_REFERER="https://testserver/accounts/login/", HTTP_ORIGIN="https://testserver")
    assert signed.status_code == 302
    session = signed.cookies[settings.SESSION_COOKIE_NAME]
    assert session["samesite"] == "None" and session["secure"] and session["httponly"]
    assert session.OutputString().endswith("; Partitioned") and csrf.OutputString().endswith("; Partitioned")
    assert client.get("/booking/mine/", secure=True).status_code == 200


def test_checks_refuse_a_wildcard_and_plain_http_in_production(settings):
    def ids(deploy):
        return sorted({m.id for m in checks.run_checks(include_deployment_checks=deploy) if m.id.startswith("quanmin.E00")}
                      - {"quanmin.E001"})

    settings.FRAME_ANCESTORS = [APP]
    assert ids(True) == []
    settings.FRAME_ANCESTORS = ["*", APP]
    assert ids(False) == ["quanmin.E002"]
    settings.FRAME_ANCESTORS = ["http://app.lc.example.cn"]
    assert ids(False) == [] and ids(True) == ["quanmin.E003"]
