"""Honours and selections (F04): staff open a selection, residents nominate (reviewed) and staff
nominate (accepted), the public votes once per real-name person, staff publish the winners; the
phone pages, the staff pages, the API and the Excel list; bad input changes nothing; one person's
votes at once count once (both databases: this file runs in the PostgreSQL pass too)."""

import io

import openpyxl
import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from quanmin.accounts.models import User
from quanmin.core.errors import ServiceError
from quanmin.incentives import honours
from quanmin.incentives.models import Nomination, Selection, Vote
from tests import races

from .conftest import residents


def _code(fn, *args, **kwargs):
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _voting(world):
    """A city selection with two accepted nominees, open for the vote."""
    city = world.users["city"]
    selection = honours.create(city, world.city, {"kind": "family", "name": "健身最美家庭", "year": 2026, "places": 1})
    selection = honours.advance(city, selection)
    a = honours.nominate(city, selection, {"nominee": "张家", "region": world.community.code, "citation": "三代同练"})
    b = honours.nominate(city, selection, {"nominee": "李家", "citation": "亲子跑"})
    return honours.advance(city, selection), a, b


def test_nominate_review_vote_and_publish(world):
    city, resident = world.users["city"], world.users["resident"]
    selection = honours.create(city, world.city, {"kind": "fitness_star", "name": "健身达人", "year": 2026, "places": 2})
    assert _code(honours.nominate, resident, selection, {"nominee": "甲", "citation": "x"}) == "not_found"  # a draft
    selection = honours.advance(city, selection)
    assert selection.status == "nominating"
    assert _code(honours.advance, city, selection) == "no_nominees"
    mine = honours.nominate(resident, selection, {"nominee": "王阿姨", "citation": "每天带跳广场舞"})
    assert mine.status == "pending"
    assert _code(honours.nominate, resident, selection, {"nominee": "王阿姨", "citation": "again"}) == "already_nominated"
    assert _code(honours.nominate, resident, selection, {"nominee": "甲", "citation": "x",
                                                         "region": "110000000000"}) == "invalid_input"
    assert _code(honours.review, world.users["other_county"], mine, accept=True) == "not_found"
    honours.review(city, mine, accept=True)
    assert _code(honours.review, city, mine, accept=False) == "nomination_reviewed"
    selection = honours.advance(city, selection)
    assert selection.status == "voting"
    honours.vote(resident, mine.pk)
    assert _code(honours.vote, resident, mine.pk) == "already_voted"
    honours.vote(world.users["other_resident"], mine.pk)
    mine.refresh_from_db()
    assert mine.votes == 2 == Vote.objects.filter(nomination=mine).count()
    assert _code(honours.publish, city, selection, []) == "winners_invalid"
    assert _code(honours.publish, city, selection, [mine.pk, 999999]) == "winners_invalid"
    honours.publish(city, selection, [mine.pk])
    assert _code(honours.vote, resident, mine.pk) == "voting_closed"
    assert list(Nomination.objects.filter(winner=True).values_list("nominee", flat=True)) == ["王阿姨"]


def test_bad_input_changes_nothing(world):
    city = world.users["city"]
    assert _code(honours.create, city, world.city, {"kind": "nope", "name": "x"}) == "invalid_input"
    assert _code(honours.create, city, world.city, {"kind": "family", "name": " "}) == "invalid_input"
    assert _code(honours.create, city, world.city, {"kind": "family", "name": "x", "places": "-1"}) == "invalid_input"
    assert _code(honours.create, world.users["county"], world.city, {"kind": "family", "name": "x"}) == "not_found"
    assert not Selection.objects.exists()
    selection, a, _b = _voting(world)
    someone = User.objects.create_user(phone="13912340000", password="x", real_name="")
    assert _code(honours.vote, someone, a.pk) == "real_name_required"
    assert _code(honours.publish, city, selection, [a.pk, _b.pk]) == "winners_invalid"  # one place
    assert not Nomination.objects.filter(winner=True).exists() and Selection.objects.get().status == "voting"


def _vote(user_id, nomination_id):
    try:
        honours.vote(User.objects.get(pk=user_id), nomination_id)
        return "ok"
    except ServiceError as exc:
        return exc.code
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.race
def test_one_persons_votes_at_once_count_once(world):
    _selection, a, b = _voting(world)
    person = residents(world, 1)[0]
    results = races.run_threads(_vote, [(person.pk, a.pk), (person.pk, b.pk), (person.pk, a.pk), (person.pk, b.pk)])
    assert sorted(results) == ["already_voted"] * 3 + ["ok"], results
    assert sum(Nomination.objects.values_list("votes", flat=True)) == 1 == Vote.objects.count()


def test_phone_pages_staff_pages_api_and_excel(world):
    city, resident = world.users["city"], world.users["resident"]
    staff = _client(city)
    page = staff.post(reverse("incentives:staff_honours"), {"region": world.city.code, "kind": "sports_star",
                                                            "name": "运动达人", "year": "2026", "places": "3"})
    selection = Selection.objects.get()
    assert page.status_code == 302 and page.url == reverse("incentives:staff_honour", args=[selection.pk])
    assert _client(resident).get(reverse("incentives:honour", args=[selection.pk])).status_code == 404  # a draft
    staff.post(reverse("incentives:staff_honour_advance", args=[selection.pk]))
    me = _client(resident)
    sent = me.post(reverse("incentives:honour_nominate", args=[selection.pk]),
                   {"nominee": "赵大哥", "region": world.community.code, "citation": "马拉松"}, follow=True)
    assert "提名已提交" in sent.content.decode()
    pending = Nomination.objects.get()
    staff.post(reverse("incentives:staff_honour_review", args=[pending.pk]), {"accept": "1"})
    staff.post(reverse("incentives:staff_honour_advance", args=[selection.pk]))
    assert Selection.objects.get().status == "voting"
    listing = Client().get(reverse("incentives:honours")).content.decode()
    assert "运动达人" in listing and "公众投票" in listing
    voted = me.post(reverse("incentives:honour_vote", args=[pending.pk]), follow=True).content.decode()
    assert "投票已计入" in voted and "您的投票" in voted
    again = me.post(f"/api/v1/incentives/honours/nominees/{pending.pk}/vote")
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    public = Client().get(f"/api/v1/incentives/honours/{selection.pk}/nominees").json()
    assert [(n["nominee"], n["votes"]) for n in public] == [("赵大哥", 1)]
    sheet = openpyxl.load_workbook(io.BytesIO(staff.get(reverse("incentives:staff_honour_xlsx", args=[selection.pk]))
                                              .getvalue())).active
    assert [c.value for c in sheet[2]][:4] == ["赵大哥", world.community.name, "马拉松", 1]
    done = staff.post(f"/api/v1/incentives/staff/honours/{selection.pk}/publish", {"winners": [pending.pk]},
                      content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "published"
    assert "获奖" in Client().get(reverse("incentives:honour", args=[selection.pk])).content.decode()
