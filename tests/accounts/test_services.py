import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from quanmin.accounts import crypto, services
from quanmin.accounts.errors import AccountError
from quanmin.accounts.models import AuditEntry, Consent, LoginThrottle, User
from quanmin.demo.accounts import make_id_number

from ..conftest import PASSWORD


def registration(world, **overrides):
    data = dict(phone="13512345678", password="Strong-pass-99", real_name="测试居民",
                id_number=make_id_number(world.community.code, "19900615", 7, True),
                home_region_code=world.community.code, consent_version=settings.PRIVACY_NOTICE_VERSION)
    data.update(overrides)
    return services.Registration(**data)


def test_register_resident_stores_personal_data_encrypted(world):
    reg = registration(world)
    user = services.register_resident(reg)
    assert user.birth_date == datetime.date(1990, 6, 15) and user.sex == "male"
    with connection.cursor() as cur:
        cur.execute("SELECT phone_hash, phone_enc, id_number_hash, id_number_enc FROM accounts_user WHERE id = %s",
                    [user.pk])
        row = " ".join(cur.fetchone())
    # A dump of the table alone reveals neither the phone nor the ID number.
    assert reg.phone not in row and reg.id_number not in row
    assert user.phone == reg.phone and user.id_number == reg.id_number
    assert Consent.objects.get(user=user).version == settings.PRIVACY_NOTICE_VERSION
    assert AuditEntry.objects.filter(action="register", actor=user).exists()


def test_register_needs_consent_of_current_version(world):
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, consent_version="2020-01"))
    assert exc.value.code == "consent_required"
    assert not User.objects.filter(phone_hash=crypto.lookup_hash("13512345678")).exists()


def test_child_under_14_needs_adult_guardian(world):
    today = datetime.date.today()
    child_birth = f"{today.year - 10}0101"
    child = make_id_number(world.community.code, child_birth, 3, False)
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, id_number=child))
    assert exc.value.code == "guardian_consent_required"
    teen_guardian = make_id_number(world.community.code, f"{today.year - 16}0101", 4, True)
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, id_number=child, guardian_name="父亲",
                                                guardian_id_number=teen_guardian))
    assert exc.value.code == "guardian_not_adult"
    guardian = make_id_number(world.community.code, "19800101", 5, True)
    user = services.register_resident(registration(world, id_number=child, guardian_name="王父",
                                                   guardian_relation="父亲", guardian_id_number=guardian))
    consent = user.consents.get()
    assert consent.guardian_name == "王父" and consent.guardian_id_hash == crypto.lookup_hash(guardian)


def test_duplicate_phone_and_id_number_rejected(world):
    services.register_resident(registration(world))
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, id_number=make_id_number(world.community.code, "19900101", 9, True)))
    assert exc.value.code == "phone_taken"
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, phone="13512345679"))
    assert exc.value.code == "id_number_taken"


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "abc", ""])
def test_bad_phone_rejected(world, phone):
    with pytest.raises(AccountError) as exc:
        services.register_resident(registration(world, phone=phone))
    assert exc.value.code == "phone_invalid"


def test_export_and_delete_own_data(world):
    user = services.register_resident(registration(world))
    data = services.export_own_data(user)
    assert data["account"]["id_number"] == user.id_number
    assert data["consents"][0]["version"] == settings.PRIVACY_NOTICE_VERSION
    services.delete_own_data(user, password="Strong-pass-99")
    user.refresh_from_db()
    assert not user.is_active and user.real_name == "" and user.id_number_enc == "" and user.phone_enc == ""
    assert not user.has_usable_password()
    # The number can register again once erased.
    services.register_resident(registration(world))


def test_failed_sign_ins_are_slowed_then_locked(world, settings):
    settings.LOGIN_SLOW_AFTER, settings.LOGIN_LOCK_AFTER = 3, 5
    client = Client()
    phone = "13700000007"
    codes = []
    for _ in range(3):
        codes.append(client.post("/api/v1/auth/login", {"phone": phone, "password": "wrong"},
                                 content_type="application/json").json()["code"])
    assert codes == ["login_failed"] * 3
    # The fourth try comes too soon: slowed, and even the right password waits.
    r = client.post("/api/v1/auth/login", {"phone": phone, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429 and r.json()["code"] == "login_slowed" and r.json()["retry_after"] >= 1
    # Let the waits pass, fail until the lock.
    for _ in range(2):
        LoginThrottle.objects.update(last_failure_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        client.post("/api/v1/auth/login", {"phone": phone, "password": "wrong"}, content_type="application/json")
    LoginThrottle.objects.update(last_failure_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    r = client.post("/api/v1/auth/login", {"phone": phone, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429 and r.json()["code"] == "login_locked"
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 5


def test_successful_sign_in_clears_failures_and_is_logged(world):
    client = Client()
    client.post("/api/v1/auth/login", {"phone": "13700000007", "password": "wrong"}, content_type="application/json")
    r = client.post("/api/v1/auth/login", {"phone": "137 0000 0007", "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 200 and r.json()["phone"] == "137****0007"
    assert not LoginThrottle.objects.filter(key__startswith="phone:").exists()
    assert AuditEntry.objects.filter(action="sign_in", actor=world.users["resident"]).exists()


def test_grant_membership_checks_level(world):
    with pytest.raises(AccountError) as exc:
        services.grant_membership(world.users["resident"], "county_staff", world.township)
    assert exc.value.code == "role_level_mismatch"
    with pytest.raises(AccountError) as exc:
        services.grant_membership(world.users["resident"], "operator", world.township)
    assert exc.value.code == "role_target_required"


def test_api_tokens_authenticate_and_revoke(world):
    user = world.users["county"]
    token, secret = services.create_api_token(user, "county data bridge")
    assert token.key_hash != secret and secret.startswith("qm_")
    client = Client()
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 200 and r.json()["id"] == user.pk
    services.revoke_api_token(user, token.pk)
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
