"""The outreach services: a lecture's places (full, one each, closed at the start instant), its
cancelling and audience; the column's draft → published; the "five into" activities and the
workplaces; bad input is a coded error in the user's language and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from quanmin.accounts.models import AuditEntry
from quanmin.outreach import services
from quanmin.outreach.errors import OutreachError
from quanmin.outreach.models import Article, Lecture, LectureSignup, SkillActivity, Workplace
from tests.conftest import make_user

from .conftest import lecture_data


def _code(call) -> str:
    with pytest.raises(OutreachError) as exc:
        call()
    return exc.value.code


def test_schedule_in_city_time_and_audit(world, lecture):
    local = timezone.localtime(lecture.starts_at)
    assert (local.hour, local.minute) == (9, 30) and str(local.tzinfo) == "Asia/Shanghai"
    assert AuditEntry.objects.filter(action="outreach.lecture_create", target_id=str(lecture.pk)).exists()


def test_capacity_full_then_a_place_given_back_is_free_again(world, lecture):
    first = make_user("13800000101", "甲", home=world.community, seq=101)
    services.sign_up(first, lecture)
    services.sign_up(world.users["resident"], lecture)
    third = make_user("13800000102", "乙", home=world.community, seq=102)
    assert _code(lambda: services.sign_up(third, lecture)) == "lecture_full"
    services.cancel_signup(first, lecture)
    services.sign_up(third, lecture)
    assert LectureSignup.objects.filter(lecture=lecture, cancelled_at__isnull=True).count() == 2


def test_one_place_each_and_again_after_giving_it_back(world, lecture):
    resident = world.users["resident"]
    services.sign_up(resident, lecture)
    assert _code(lambda: services.sign_up(resident, lecture)) == "already_signed_up"
    services.cancel_signup(resident, lecture)
    assert _code(lambda: services.cancel_signup(resident, lecture)) == "not_signed_up"
    services.sign_up(resident, lecture)
    assert LectureSignup.objects.filter(lecture=lecture, user=resident).count() == 2


def test_sign_up_closes_at_the_very_instant_of_the_start(world, lecture, monkeypatch):
    resident = world.users["resident"]
    just_before = lecture.starts_at - datetime.timedelta(microseconds=1)
    monkeypatch.setattr(timezone, "now", lambda: just_before)
    services.sign_up(resident, lecture)
    monkeypatch.setattr(timezone, "now", lambda: lecture.starts_at)
    assert _code(lambda: services.cancel_signup(resident, lecture)) == "lecture_started"
    other = world.users["other_resident"]
    assert _code(lambda: services.sign_up(other, lecture)) == "lecture_started"
    assert LectureSignup.objects.filter(lecture=lecture).count() == 1


def test_no_sign_up_when_no_places_are_offered_or_cancelled(world):
    county = world.users["county"]
    walk_in = services.save_lecture(county, lecture_data(world.community, capacity=0, title="八段锦讲座"))
    assert _code(lambda: services.sign_up(world.users["resident"], walk_in)) == "signup_not_offered"
    lecture = services.save_lecture(county, lecture_data(world.community, title="科学健身讲座"))
    services.sign_up(world.users["resident"], lecture)
    services.cancel_lecture(county, lecture, "场地维修")
    assert not LectureSignup.objects.filter(lecture=lecture, cancelled_at__isnull=True).exists()
    assert _code(lambda: services.sign_up(world.users["other_resident"], lecture)) == "lecture_cancelled"
    assert _code(lambda: services.save_lecture(county, lecture_data(world.community), lecture)) == "lecture_cancelled"


def test_places_cannot_drop_below_the_sign_ups(world, lecture):
    services.sign_up(world.users["resident"], lecture)
    services.sign_up(world.users["other_resident"], lecture)
    assert _code(lambda: services.save_lecture(world.users["county"], lecture_data(world.community, capacity=1),
                                               lecture)) == "capacity_below_signups"
    assert Lecture.objects.get(pk=lecture.pk).capacity == 2


def test_audience_only_once_started_and_cancel_only_before(world, lecture, monkeypatch):
    county = world.users["county"]
    assert _code(lambda: services.record_audience(county, lecture, 40)) == "lecture_not_started"
    monkeypatch.setattr(timezone, "now", lambda: lecture.starts_at)
    assert services.record_audience(county, lecture, "４０人").audience == 40
    assert _code(lambda: services.cancel_lecture(county, lecture)) == "lecture_started"


def test_scope_and_bad_input_change_nothing(world):
    other = world.users["other_county"]
    assert _code(lambda: services.save_lecture(other, lecture_data(world.community))) == "region_out_of_scope"
    with translation.override("zh-hans"):
        with pytest.raises(OutreachError) as exc:
            services.save_lecture(world.users["county"], lecture_data(world.community, starts_at="9999-01-01 09:00"))
        assert exc.value.code == "starts_at_invalid" and "2100" in str(exc.value.message)
        with pytest.raises(OutreachError) as exc:
            services.save_lecture(world.users["county"], lecture_data(world.community, topic="<b>x</b>"))
        assert exc.value.code == "topic_unknown" and "运动与慢性病防治" in str(exc.value.message)
    assert _code(lambda: services.save_lecture(world.users["county"], lecture_data(
        world.community, title="a\x00" * 130))) == "title_too_long"
    with pytest.raises(PermissionDenied):
        services.save_lecture(world.users["resident"], lecture_data(world.community))
    assert not Lecture.objects.exists()


def test_the_same_lecture_twice_is_a_conflict(world, lecture):
    assert _code(lambda: services.save_lecture(world.users["county"], lecture_data(world.community))) == "lecture_exists"


def test_article_draft_then_published_then_back(world):
    county = world.users["county"]
    article = services.save_article(county, {"region": world.county.code, "title": "跑步前后如何拉伸",
                                             "category": "method", "body": "<script>alert(1)</script>\n第二段"})
    assert article.status == "draft" and article.published_at is None
    article = services.publish_article(county, article)
    assert article.status == "published" and article.published_at is not None
    assert _code(lambda: services.publish_article(county, article)) == "article_already"
    article = services.publish_article(county, article, publish=False)
    assert Article.objects.get().status == "draft" and Article.objects.get().published_at is None


def test_five_into_activity_and_workplace_rules(world):
    county = world.users["county"]
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {"region": world.community.code, "setting": "enterprise", "title": "健身技能进企业", "held_on": future,
            "place": "鲁西化工集团", "participants": "120"}
    assert _code(lambda: services.save_activity(county, data)) == "held_on_future"
    assert _code(lambda: services.save_activity(county, {**data, "held_on": "2026-01-05",
                                                         "setting": "home"})) == "setting_unknown"
    found = services.save_activity(county, {**data, "held_on": "2026-01-05"})
    assert found.participants == 120 and SkillActivity.objects.count() == 1
    unit = {"region": world.county.code, "name": "东昌府区人民医院", "headcount": 800, "participants": 801,
            "since": "2024-03-01"}
    assert _code(lambda: services.save_workplace(county, unit)) == "participants_over_headcount"
    services.save_workplace(county, {**unit, "participants": 500})
    assert _code(lambda: services.save_workplace(county, {**unit, "participants": 1})) == "workplace_exists"
    assert Workplace.objects.get().participants == 500
