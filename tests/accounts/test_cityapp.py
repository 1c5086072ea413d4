"""Sign-in handed over from the city's app (F08): OpenID Connect, code + PKCE, against a real provider
served over HTTP in the test (tests/accounts/oidc_provider.py), with keys made here."""

import http.client
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from quanmin.accounts import crypto, services
from quanmin.accounts.models import AuditEntry, CityAppLink, Consent, User

from ..conftest import PASSWORD
from .oidc_provider import Provider, new_key

NEW_PHONE = "13912345678"


@pytest.fixture(scope="module")
def provider():
    p = Provider()
    yield p
    p.close()


@pytest.fixture
def cityapp(settings, provider):
    settings.CITYAPP_ISSUER = provider.url
    settings.CITYAPP_CLIENT_ID = provider.client_id
    settings.CITYAPP_CLIENT_SECRET = provider.client_secret
    settings.CITYAPP_NAME = "我的聊城"
    settings.PUBLIC_URL = "http://testserver"
    settings.LANGUAGE_CODE = "zh-hans"
    provider.tamper = {}
    provider.auth_methods = ["client_secret_basic"]
    cache.clear()
    yield provider
    cache.clear()


def approve(client, provider, sub, **claims):
    """The resident taps the button, approves in the app and comes back: the callback's answer."""
    started = client.get("/accounts/city/start/")
    assert started.status_code == 302, started.content[:300]
    back = provider.authorize(started["Location"], sub, **claims)
    return client.get("/accounts/city/callback/", back)


def failures():
    return list(AuditEntry.objects.filter(action="cityapp_sign_in_failed").values_list("detail__code", flat=True))


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_nothing_shows_when_not_configured(world, settings):
    settings.CITYAPP_ISSUER = settings.CITYAPP_CLIENT_ID = settings.CITYAPP_CLIENT_SECRET = ""
    client = Client()
    assert "data-cityapp" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/city/start/").status_code == 404
    assert client.get("/accounts/city/callback/", {"state": "x", "code": "y"}).status_code == 404
    assert client.get("/accounts/city/finish/").status_code == 404
    me = Client()
    me.force_login(world.users["resident"])
    assert "data-cityapp-card" not in me.get("/accounts/me/").content.decode()


def test_start_sends_the_resident_to_the_provider_with_pkce(world, cityapp):
    page = Client().get("/accounts/login/?next=/booking/mine/").content.decode()
    assert "使用我的聊城登录" in page and "/accounts/city/start/?next=/booking/mine/" in page
    client = Client()
    started = client.get("/accounts/city/start/")
    location = started["Location"]
    assert location.startswith(f"{cityapp.url}/authorize?")
    assert "code_challenge_method=S256" in location and "redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Fcity%2Fcallback%2F" in location
    flow = client.session["cityapp_flow"]
    assert flow["verifier"] not in location and flow["state"] in location and flow["nonce"] in location


def test_new_resident_registers_then_signs_in_directly(world, cityapp):
    client = Client()
    back = approve(client, cityapp, "lc-0001", phone_number=NEW_PHONE, phone_number_verified=True, name="张新")
    assert back.status_code == 302 and back["Location"] == "/accounts/city/finish/"
    page = client.get("/accounts/city/finish/")
    text = page.content.decode()
    assert page.status_code == 200 and "139****5678" in text and NEW_PHONE not in text and "张新" in text
    refused = client.post("/accounts/city/finish/", {"real_name": "张新"})
    assert refused.status_code == 400 and not User.objects.filter(phone_hash=crypto.lookup_hash(NEW_PHONE)).exists()
    done = client.post("/accounts/city/finish/", {"real_name": "张新", "consent": "on"})
    assert done.status_code == 302
    user = User.objects.get(phone_hash=crypto.lookup_hash(NEW_PHONE))
    assert signed_in_as(client) == str(user.pk) and not user.has_usable_password() and user.real_name == "张新"
    assert Consent.objects.filter(user=user, kind="privacy").exists()
    link = CityAppLink.objects.get(user=user)
    assert link.issuer == cityapp.url and link.subject == "lc-0001"
    with connection.cursor() as cur:  # neither the subject nor the number sits in the table in clear
        cur.execute("SELECT subject_hash, subject_enc FROM accounts_cityapplink WHERE id = %s", [link.pk])
        assert "lc-0001" not in " ".join(cur.fetchone())
    assert {"register", "cityapp_link", "cityapp_sign_in"} <= set(
        AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    # Next time: straight in, no form, no second account.
    again = Client()
    back = approve(again, cityapp, "lc-0001", phone_number=NEW_PHONE, phone_number_verified=True)
    assert back.status_code == 302 and back["Location"] == "/" and signed_in_as(again) == str(user.pk)
    assert User.objects.filter(phone_hash=crypto.lookup_hash(NEW_PHONE)).count() == 1
    assert AuditEntry.objects.filter(action="cityapp_sign_in", actor=user).count() == 2
    assert "data-cityapp-card" in again.get("/accounts/me/").content.decode()


def test_existing_account_is_linked_after_its_password(world, cityapp):
    resident = world.users["resident"]
    client = Client()
    back = approve(client, cityapp, "lc-0002", phone_number=resident.phone, phone_number_verified=True)
    assert back["Location"] == "/accounts/city/finish/"
    assert "关联" in client.get("/accounts/city/finish/").content.decode()
    wrong = client.post("/accounts/city/finish/", {"password": "not-the-password"})
    assert wrong.status_code == 400 and "手机号或密码错误" in wrong.content.decode()
    assert not CityAppLink.objects.exists() and not signed_in_as(client)
    done = client.post("/accounts/city/finish/", {"password": PASSWORD})
    assert done.status_code == 302 and signed_in_as(client) == str(resident.pk)
    assert CityAppLink.objects.get(user=resident).subject == "lc-0002"
    assert AuditEntry.objects.filter(action="cityapp_link", actor=resident).exists()
    later = Client()
    back = approve(later, cityapp, "lc-0002")
    assert failures() == []
    assert back["Location"] == "/" and signed_in_as(later) == str(resident.pk)


def test_phone_only_from_userinfo_and_client_secret_post(world, cityapp):
    cityapp.auth_methods = ["client_secret_post"]
    client = Client()
    back = approve(client, cityapp, "lc-0003",
                   userinfo={"phone_number": "+86 139 1234 5678", "phone_number_verified": True})
    assert back["Location"] == "/accounts/city/finish/"
    assert client.post("/accounts/city/finish/", {"real_name": "李四", "consent": "on"}).status_code == 302
    assert User.objects.filter(phone_hash=crypto.lookup_hash(NEW_PHONE)).exists()


def test_an_unverified_number_links_nobody(world, cityapp):
    resident = world.users["resident"]
    client = Client()
    back = approve(client, cityapp, "lc-0004", phone_number=resident.phone, phone_number_verified=False)
    assert back.status_code == 400 and "未提供经过验证的手机号" in back.content.decode()
    assert failures() == ["cityapp_no_phone"] and not CityAppLink.objects.exists()


def test_staff_accounts_keep_their_password(world, cityapp):
    client = Client()
    back = approve(client, cityapp, "lc-0005", phone_number=world.users["county"].phone, phone_number_verified=True)
    assert back.status_code == 400 and failures() == ["cityapp_staff"] and not signed_in_as(client)


@pytest.mark.parametrize(("tamper", "code"), [
    ({"iss": "https://evil.example.com"}, "cityapp_issuer"),
    ({"aud": "another-client"}, "cityapp_audience"),
    ({"exp": int(time.time()) - 3600}, "cityapp_expired"),
    ({"nonce": "a-nonce-of-another-sign-in"}, "cityapp_nonce"),
    ({"key": new_key()}, "cityapp_signature"),
    ({"alg": "none"}, "cityapp_signature"),
    ({"alg": "HS256"}, "cityapp_signature"),
])
def test_a_tampered_id_token_is_refused(world, cityapp, tamper, code):
    cityapp.tamper = tamper
    client = Client()
    back = approve(client, cityapp, "lc-0006", phone_number=NEW_PHONE, phone_number_verified=True)
    assert back.status_code == 400 and failures() == [code]
    assert "重新开始" in back.content.decode() or "重新" in back.content.decode()
    assert not signed_in_as(client) and "cityapp_pending" not in client.session
    assert not User.objects.filter(phone_hash=crypto.lookup_hash(NEW_PHONE)).exists()


def test_bad_state_and_replay_are_refused(world, cityapp):
    client = Client()
    started = client.get("/accounts/city/start/")
    back = cityapp.authorize(started["Location"], "lc-0007", phone_number=NEW_PHONE, phone_number_verified=True)
    forged = client.get("/accounts/city/callback/", {**back, "state": "forged"})
    assert forged.status_code == 400 and "不是从这里发起" in forged.content.decode()
    # The flow is spent by a wrong state: the real answer afterwards is refused too.
    assert client.get("/accounts/city/callback/", back).status_code == 400
    assert failures() == ["cityapp_state", "cityapp_state"]


def test_a_code_from_another_session_fails_pkce(world, cityapp):
    victim, attacker = Client(), Client()
    victims_code = cityapp.authorize(victim.get("/accounts/city/start/")["Location"], "lc-0008",
                                     phone_number=NEW_PHONE, phone_number_verified=True)["code"]
    own_state = cityapp.authorize(attacker.get("/accounts/city/start/")["Location"], "lc-0009")["state"]
    back = attacker.get("/accounts/city/callback/", {"code": victims_code, "state": own_state})
    assert back.status_code == 400 and failures() == ["cityapp_refused"] and not signed_in_as(attacker)


def test_provider_unreachable_is_a_clear_message(world, cityapp, settings):
    settings.CITYAPP_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    back = Client().get("/accounts/city/start/")
    assert back.status_code == 400 and "暂时无法连接" in back.content.decode()


def test_cancelled_in_the_app(world, cityapp):
    client = Client()
    started = client.get("/accounts/city/start/")
    query = cityapp.authorize(started["Location"], "lc-0010")
    back = client.get("/accounts/city/callback/", {"state": query["state"], "error": "access_denied"})
    assert back.status_code == 400 and failures() == ["cityapp_cancelled"]


def test_finish_without_a_sign_in_is_refused(world, cityapp):
    assert Client().get("/accounts/city/finish/").status_code == 400


def test_unlink_needs_a_password_to_fall_back_on(world, cityapp):
    client = Client()
    approve(client, cityapp, "lc-0011", phone_number=NEW_PHONE, phone_number_verified=True)
    client.post("/accounts/city/finish/", {"real_name": "王五", "consent": "on"})
    user = User.objects.get(phone_hash=crypto.lookup_hash(NEW_PHONE))
    client.post("/accounts/me/city/unlink/")
    assert CityAppLink.objects.filter(user=user).exists()
    # A password first (My account offers it to an account the app made), then the unlink works.
    assert "data-first-password" in client.get("/accounts/me/").content.decode()
    client.post("/accounts/me/password/", {"password": "Pear-orchard-2026", "password2": "Pear-orchard-2027"})
    user.refresh_from_db()
    assert not user.has_usable_password()
    client.post("/accounts/me/password/", {"password": "Pear-orchard-2026", "password2": "Pear-orchard-2026"})
    user.refresh_from_db()
    assert user.check_password("Pear-orchard-2026") and signed_in_as(client) == str(user.pk)
    assert "data-first-password" not in client.get("/accounts/me/").content.decode()
    assert AuditEntry.objects.filter(action="set_password", actor=user).exists()
    assert client.post("/accounts/me/city/unlink/").status_code == 302
    assert not CityAppLink.objects.filter(user=user).exists()
    assert Client().post("/accounts/login/", {"phone": NEW_PHONE, "password": "Pear-orchard-2026"}).status_code == 302
    resident = world.users["resident"]
    own = Client()
    approve(own, cityapp, "lc-0012", phone_number=resident.phone, phone_number_verified=True)
    own.post("/accounts/city/finish/", {"password": PASSWORD})
    assert own.post("/accounts/me/city/unlink/").status_code == 302
    assert not CityAppLink.objects.filter(user=resident).exists()
    assert AuditEntry.objects.filter(action="cityapp_unlink", actor=resident).exists()


def test_own_data_export_shows_the_link_and_erasure_removes_it(world, cityapp):
    resident = world.users["resident"]
    client = Client()
    approve(client, cityapp, "lc-0013", phone_number=resident.phone, phone_number_verified=True)
    client.post("/accounts/city/finish/", {"password": PASSWORD})
    data = services.export_own_data(resident)
    assert data["city_app_links"][0]["provider"] == cityapp.url
    services.delete_own_data(resident, password=PASSWORD)
    assert not CityAppLink.objects.exists()


def test_the_api_says_whether_the_app_is_linked(world, cityapp):
    resident = world.users["resident"]
    client = Client()
    client.force_login(resident)
    assert client.get("/api/v1/me").json()["city_app_linked"] is False
    approve(client, cityapp, "lc-0014", phone_number=resident.phone, phone_number_verified=True)
    client.post("/accounts/city/finish/", {"password": PASSWORD})
    assert client.get("/api/v1/me").json()["city_app_linked"] is True


def test_the_demo_apps_approve_page_signs_a_person_in(world, cityapp):
    """`manage.py demo_cityapp` serves this provider: a person types a number on its page and approves."""
    client = Client()
    location = urlsplit(client.get("/accounts/city/start/")["Location"])
    conn = http.client.HTTPConnection(location.hostname, location.port, timeout=10)
    conn.request("GET", f"/authorize?{location.query}")
    page = conn.getresponse().read().decode()
    assert "同意并登录" in page
    conn.request("POST", "/authorize", urlencode({"query": location.query, "phone": NEW_PHONE, "name": "刘晓燕"}),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    back = urlsplit(answer.getheader("Location"))
    assert answer.status == 302 and back.path == "/accounts/city/callback/"
    assert client.get(f"{back.path}?{back.query}")["Location"] == "/accounts/city/finish/"
    assert client.post("/accounts/city/finish/", {"real_name": "刘晓燕", "consent": "on"}).status_code == 302
    assert User.objects.get(phone_hash=crypto.lookup_hash(NEW_PHONE)).real_name == "刘晓燕"
