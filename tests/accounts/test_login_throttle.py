"""Issue 15, item 3: sign-in throttling that holds. Forwarded headers count only from configured
proxies (QUANMIN_TRUSTED_PROXIES, none by default), and the check and the count are one atomic step:
40 attempts at once on one account check at most the limit's worth of passwords.

The forty attempts are a race test: it runs in both passes of .ci/run; on PostgreSQL the attempts
really overlap, which is where a check-then-count would let more than the limit through."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, RequestFactory

from quanmin.accounts import audit, services
from quanmin.accounts.models import AuditEntry, LoginThrottle
from quanmin.demo.accounts import make_id_number

ATTEMPTS = 40
RIGHT_AT = 37


def login(client: Client, phone: str, password: str, **headers):
    return client.post("/api/v1/auth/login", {"phone": phone, "password": password},
                       content_type="application/json", headers=headers)


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    factory = RequestFactory()
    forged = factory.get("/", headers={"X-Forwarded-For": "203.0.113.9"}, REMOTE_ADDR="198.51.100.7")
    settings.TRUSTED_PROXIES = []
    assert audit.client_ip(forged) == "198.51.100.7"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert audit.client_ip(forged) == "198.51.100.7"  # the peer is not one of ours
    proxied = factory.get("/", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7, 10.1.2.3"},
                          REMOTE_ADDR="127.0.0.1")
    # From the right: our proxies are skipped, the first address they did not add is the client's.
    assert audit.client_ip(proxied) == "198.51.100.7"
    junk = factory.get("/", headers={"X-Forwarded-For": "not-an-address"}, REMOTE_ADDR="127.0.0.1")
    assert audit.client_ip(junk) == "127.0.0.1"


def test_rotating_forwarded_for_does_not_escape_the_address_limit(world):
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = []
    for n in range(15):  # a different account and a forged address each time
        r = login(client, f"1370000{n + 100:04d}", "wrong-password", **{"X-Forwarded-For": f"203.0.113.{n}"})
        codes.append(r.json()["code"])
    assert codes[:settings.LOGIN_SLOW_AFTER] == ["login_failed"] * settings.LOGIN_SLOW_AFTER
    assert "login_slowed" in codes
    ips = set(AuditEntry.objects.filter(action="sign_in_failed").values_list("ip", flat=True))
    assert ips == {"198.51.100.7"}  # the audit keeps the real peer, not the forged address


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_forty_attempts_at_once_check_at_most_the_limit(world, settings):
    # The production hasher: checking a password takes long enough for the attempts to overlap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    phone, right = "13612340000", "Right-pass-2026"
    services.create_user(phone=phone, password=right, real_name="目标",
                         id_number=make_id_number(world.community.code, "19900101", 90, True), home_region=world.community)
    results = [None] * ATTEMPTS
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(i):
        barrier.wait()
        try:
            r = login(Client(), phone, right if i == RIGHT_AT else f"guess-{i}")
            results[i] = (r.status_code, r.json().get("code"))
        except Exception as exc:
            results[i] = (500, type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = [r for r in results if r[1] in ("login_failed", None)]
    assert {r[0] for r in results} <= {200, 400, 429}, results
    assert len(checked) <= settings.LOGIN_LOCK_AFTER, results
    assert AuditEntry.objects.filter(action__in=["sign_in_failed", "sign_in"]).count() == len(checked)
    assert LoginThrottle.objects.filter(key__startswith="ip:").exists()
