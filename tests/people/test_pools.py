import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.people import pools
from quanmin.people.errors import PeopleError
from quanmin.people.models import ContestResult, GuidanceRequest, Post, Supplier


def test_resident_asks_a_station_and_staff_answer(people, client_for):
    w = people
    page = client_for("other_resident").post(reverse("people:ask", args=[w.station.pk]),
                                             {"sport": "taiji", "message": "零基础可以学太极拳吗？"})
    assert page.status_code == 302
    asked = GuidanceRequest.objects.get()
    assert asked.region_id == w.community.code
    assert client_for("other_county").get(reverse("people:requests")).content.decode().count(asked.message) == 0
    staff = client_for("community")
    assert asked.message in staff.get(reverse("people:requests")).content.decode()
    staff.post(reverse("people:request_answer", args=[asked.pk]), {"answer": "可以，每天早上来。"})
    assert GuidanceRequest.objects.get().status == "answered"
    for _n in range(3):
        pools.ask(w.station, w.users["resident"], {"message": "还有问题"})
    with pytest.raises(PeopleError) as exc:
        pools.ask(w.station, w.users["resident"], {"message": "第四个"})
    assert exc.value.code == "too_many_requests"


def test_posts_suppliers_and_contests(people):
    w = people
    today = timezone.localdate()
    post = pools.appoint({"kind": "instructor", "instructor": w.instructor.pk, "region": w.community.code,
                          "appointed_on": today}, by=w.users["community"])
    assert post.person_name == w.instructor.real_name
    with pytest.raises(PeopleError) as exc:
        pools.appoint({"kind": "instructor", "region": w.community.code, "appointed_on": today}, by=w.users["community"])
    assert exc.value.code == "instructor_required"
    pools.appoint({"kind": "sports_committee_member", "person_name": "赵委员", "region": w.community.code,
                   "appointed_on": today}, by=w.users["community"])
    with pytest.raises(PeopleError) as exc:
        pools.appoint({"kind": "sports_committee_member", "person_name": "x", "region": w.other_community.code,
                       "appointed_on": today}, by=w.users["community"])
    assert exc.value.code == "region_out_of_scope"
    assert Post.objects.count() == 2
    pools.save_supplier({"kind": "expert", "name": "李教授", "region": w.county.code, "sports": ["taiji"]},
                        by=w.users["county"])
    assert Supplier.objects.get().sports == ",taiji,"
    contest = pools.create_contest({"title": "技能大比武", "region": w.county.code,
                                    "held_on": today - datetime.timedelta(days=1)}, by=w.users["county"])
    pools.record_contest_result(contest, w.instructor, rank=1, award="一等奖", by=w.users["county"])
    with pytest.raises(PeopleError) as exc:
        pools.record_contest_result(contest, w.instructor, rank=2, by=w.users["county"])
    assert exc.value.code == "already_recorded" and ContestResult.objects.count() == 1


def test_staff_pages_of_the_programmes(people, client_for):
    w = people
    client = client_for("county")
    today = timezone.localdate()
    made = client.post(reverse("people:trainings"), {
        "title": "培训班", "kind": "grade", "grade": "third", "organiser": "体育局", "region": w.county.code,
        "starts_on": today.isoformat(), "ends_on": today.isoformat(), "hours": "8", "capacity": 10})
    assert made.status_code == 302
    detail = made["Location"]
    client.post(detail, {"instructor": w.instructor.pk})
    assert w.instructor.real_name in client.get(detail).content.decode()
    for name in ("people:posts", "people:suppliers", "people:contests"):
        assert client.get(reverse(name)).status_code == 200
