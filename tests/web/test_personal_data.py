"""Issue 16, item 4: "download all my data" is all the data, and the erasure reaches every part.

The first test walks every model with a reference to the user and fails on one that
quanmin.web.personal_data does not answer for. The second gives a resident a row in every one of
them, then checks that the export lists each (as many as the tables hold) and that the erasure
does what the table says (deleted or unlinked: no row left; kept: the rows stay, the account
anonymous)."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.errors import AccountError
from quanmin.accounts.models import AuditEntry, Notification, Role
from quanmin.booking import services as booking
from quanmin.booking.models import Booking, Certificate, Strike
from quanmin.core.notify import notify
from quanmin.events import services_alerts, services_entries, services_results
from quanmin.feedback import services as feedback
from quanmin.incentives import honours, points, vouchers
from quanmin.organizations import amateur, memberships
from quanmin.people import pools
from quanmin.web import personal_data
from tests.conftest import PASSWORD
from tests.events.conftest import make_games, residents
from tests.incentives.conftest import make_campaign
from tests.matrix import events as em
from tests.matrix import organizations as om
from tests.matrix import outreach as ou
from tests.matrix import people as pe
from tests.matrix import physique as pm
from tests.matrix import sportmed as sm


def references_to_user():
    user = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user:
                yield model, field.name, f"{model._meta.label}.{field.name}"


def test_every_reference_to_a_person_is_exported_and_erased_by_rule():
    table = personal_data.covers()
    found = {ref for _model, _field, ref in references_to_user()}
    assert found - table.keys() == set(), "a model refers to a person and the export does not cover it"
    assert table.keys() - found == set(), "the table names a reference that no longer exists"
    assert {action for _where, action in table.values()} <= {"delete", "unlink", "keep"}


@pytest.fixture
def full_resident(world, settings, tmp_path):
    """The resident with a row in every table that refers to a person (as the resident, not staff)."""
    settings.MEDIA_ROOT = tmp_path
    w, me = world, world.users["resident"]
    accounts.grant_membership(me, Role.COMMUNITY_STAFF, w.community)  # also a community worker
    accounts.create_api_token(me, "我的脚本")
    notify(me, "测试", "一条消息")
    accounts._link(me, accounts.CityIdentity("https://id.example.cn", "sub-0001"), None)  # signs in from the city app
    # Bookings: the fixture's one (future, confirmed), one checked in and marked no-show in the past.
    past = w.unit.slots.filter(start__lt=timezone.now()).order_by("-start").first() or w.unit.slots.order_by("start")[0]
    missed = Booking.objects.create(slot=past, user=me, status="no_show", price=20, companions=[{"name": "张三"}])
    Strike.objects.create(user=me, booking=missed)
    full = w.unit.slots.order_by("start")[30]
    booking.book(w.users["other_resident"], full.pk)
    booking.join_waitlist(me, full.pk)
    name = "certificates/test/me.gif"
    default_storage.save(name, ContentFile(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
    Certificate.objects.create(user=me, kind="senior", image=name, region=me.home_region)
    # A report with a phone, a physique result (with the health consent), an instructor record.
    feedback.submit_report(category="facility", description="篮球架松动", phone="13912345678", site=w.site,
                           reporter=me)
    pm.result_of(w, "resident")
    sm.referral(w)  # referred by a health check-up to a sport–medicine site
    pe.instructor(w)  # the world's instructor is the resident's account
    apps.get_model("people", "Instructor").objects.filter(pk=pe.instructor(w).pk).update(user=me)
    pools.ask(pe.station(w), me, {"message": "想学太极拳", "sport": "taiji"})
    # A group and an amateur grade.
    group = om.org(w)
    memberships.join(me, group.pk, message="想参加")
    amateur.award(group, phone=me.phone, sport="basketball", level=3, actor=w.users["superuser"])
    # Entries (one pending with a delegation, one open), a result and the games' reward cards.
    made = em._made(w)
    games = made["county"]["games"]
    entry = made["mine"]["resident"]
    competition = apps.get_model("events", "Entry").objects.get(pk=entry).competition
    services_results.record_result(w.users["superuser"], competition,
                                   apps.get_model("events", "Entry").objects.get(pk=entry).bib, value="90")
    services_results.issue_awards(w.users["superuser"], games)
    setup = make_games(w)  # a team the resident plays in, entered by its captain
    captain = residents(w, 1)[0]
    services_entries.enter(captain, setup.team.pk, team_name="东关队", members=[me])
    # An event alert, and the notice of a games it told of.
    services_alerts.add_alert(me, sport="", region_code=w.county.code)
    apps.get_model("events", "Notice").objects.create(games=games, user=me)
    # Points for the physique test, and a sports voucher claimed.
    points.save_rule(w.city, {"fact": "physique_test", "points": 50}, by=w.users["superuser"])
    points.credit(now=timezone.now() + datetime.timedelta(days=1))
    vouchers.claim(me, make_campaign(w).pk, device="my-phone", address="192.0.2.9")
    # A nominee put forward for an honour, and a vote.
    city = w.users["city"]
    selection = honours.create(city, w.city, {"kind": "fitness_star", "name": "健身达人评选", "year": 2026})
    selection = honours.advance(city, selection)
    honours.nominate(me, selection, {"nominee": "李大爷", "citation": "每天晨练"})
    star = honours.nominate(city, selection, {"nominee": "王阿姨", "citation": "广场舞领队"})
    honours.advance(city, selection)
    honours.vote(me, star.pk)
    # A place taken at a fitness lecture.
    ou.signed_up_pk(w, "resident")
    # An online course marked done.
    ou.done_pk(w, "resident")
    return me


def _rows(ref, user) -> int:
    label, field = ref.rsplit(".", 1)
    return apps.get_model(label).objects.filter(**{field: user}).count()


def _listed(data, where) -> int:
    part, key = where
    value = data[key] if part is None else data[part].get(key) if part != "work_as_staff" else data[part].get(key, 0)
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return 1
    return len(value or [])


def test_export_lists_every_row_and_erasure_does_what_it_says(full_resident, client_for, world):
    me = full_resident
    table = personal_data.covers()
    response = client_for("resident").get(reverse("web:my_data_export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    before = {}
    for ref, (where, _action) in table.items():
        if where[0] == "work_as_staff":
            assert data["work_as_staff"].get(ref, 0) == _rows(ref, me)
            continue
        before[ref] = _rows(ref, me)
        assert before[ref] > 0, f"the test gives the resident no {ref}: add one"
        assert _listed(data, where) >= before[ref], f"{ref}: {before[ref]} rows, export lists {_listed(data, where)}"
    assert data["account"]["real_name"] == me.real_name and data["account"]["phone"] == me.phone
    assert data["feedback"]["reports"][0]["description"] == "篮球架松动"
    assert {b["status"] for b in data["booking"]["bookings"]} >= {"confirmed", "no_show"}
    assert any(e["action"] == "export_own_data" for e in json.loads(
        client_for("resident").get(reverse("web:my_data_export")).content)["audit_log"])

    future = Booking.objects.filter(user=me, status="confirmed").count()
    assert future
    answer = client_for("resident").post(reverse("web:my_data_delete"), {"password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == reverse("web:home")
    me.refresh_from_db()
    assert not me.is_active and me.real_name == "" and me.phone_enc == "" and me.id_number_enc == ""
    for ref, (_where, action) in table.items():
        if ref not in before:
            continue
        after = _rows(ref, me)
        if action in ("delete", "unlink"):
            assert after == 0, f"{ref}: {after} rows left after erasure ({action})"
        else:
            # (the erasure's own steps add to the audit log: cancellations, withdrawals, the erasure)
            assert after >= before[ref], f"{ref}: kept rows went ({before[ref]} → {after})"
    # Future bookings are cancelled (places freed), the rest keep no companions' names.
    assert not Booking.objects.filter(user=me, status__in=("held", "confirmed")).exists()
    assert not Booking.objects.filter(user=me).exclude(companions=[]).exists()
    assert not Notification.objects.filter(user=me).exists()
    assert not AuditEntry.objects.filter(target_type="accounts.user", target_id=str(me.pk)).exclude(target_repr="").exists()
    report = apps.get_model("feedback", "Report").objects.get(description="篮球架松动")
    assert report.reporter is None and report.phone_masked == "" and report.phone_encrypted == ""
    assert not apps.get_model("incentives", "Voucher").objects.filter(user=me).exclude(device_key="", address_key="").exists()
    assert not apps.get_model("events", "Entry").objects.filter(
        user=me, status__in=("pending", "confirmed"), competition__starts_at__gt=timezone.now()).exists()


def _untouched(user, name: str) -> bool:
    user.refresh_from_db()
    return user.is_active and user.real_name == name and user.phone_enc != "" and not AuditEntry.objects.filter(
        action="delete_own_data", actor=user).exists()


def test_a_wrong_password_erases_nothing_on_the_page_the_api_or_the_service(world, client_for):
    me = world.users["resident"]
    client = client_for("resident")
    answer = client.post(reverse("web:my_data_delete"), {"password": "wrong"})
    assert answer.status_code == 302 and answer["Location"] == reverse("accounts:me")
    assert "密码错误，未删除任何数据" in client.get(reverse("accounts:me")).content.decode()
    answer = client.post("/api/v1/me/delete", {"password": "wrong"}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "password_wrong"
    with pytest.raises(AccountError) as err:
        personal_data.delete_own_data(me, password="")
    assert err.value.code == "password_wrong"
    assert _untouched(me, "居民")
    assert client.get(reverse("accounts:me")).status_code == 200  # still signed in


def test_the_right_password_erases_through_the_api(world, client_for):
    me = world.users["resident"]
    client = client_for("resident")
    answer = client.post("/api/v1/me/delete", {"password": PASSWORD}, content_type="application/json")
    assert answer.status_code == 204
    me.refresh_from_db()
    assert not me.is_active and me.real_name == "" and me.phone_enc == ""
    assert AuditEntry.objects.filter(action="delete_own_data", actor=me).exists()


def test_an_account_the_city_app_made_confirms_erasure_with_the_password_it_sets(world, client_for):
    """Such an account has no password (accounts.register_from_city_app): nothing proves the person is
    at the keyboard, so erasing waits until they set one on My account, and then takes it."""
    me = accounts.create_user(phone="13700000099", password=None, real_name="城市APP居民")
    client = client_for(None)
    client.force_login(me)
    page = client.get(reverse("accounts:me")).content.decode()
    assert "data-erase-needs-password" in page and reverse("web:my_data_delete") not in page
    assert "data-first-password" in page
    client.post(reverse("web:my_data_delete"), {"password": ""})
    with pytest.raises(AccountError) as err:
        personal_data.delete_own_data(me, password="anything")
    assert err.value.code == "password_needed"
    assert _untouched(me, "城市APP居民")

    client.post(reverse("accounts:first_password"), {"password": "Another-pass-77", "password2": "Another-pass-77"})
    me.refresh_from_db()
    assert me.has_usable_password()
    assert reverse("web:my_data_delete") in client.get(reverse("accounts:me")).content.decode()
    client.post(reverse("web:my_data_delete"), {"password": "Another-pass-77"})
    me.refresh_from_db()
    assert not me.is_active and me.real_name == ""
