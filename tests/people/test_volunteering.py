"""Volunteer service (B07): brands and alliances, activities online and offline, sign-ups (a resident
without a record joins the register as a fitness volunteer), the hours served as a confirmed
volunteer service, a person's hours and the hours per person, pages and Excel."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.demo.accounts import make_id_number
from quanmin.people import indicators, selectors, volunteering
from quanmin.people.errors import PeopleError
from quanmin.people.models import DutyLog, Instructor, VolunteerBrand, VolunteerSignup


def resident(world, seq: int, name: str = "孙丽"):
    return accounts.create_user(phone=f"1370000{seq:04d}", password="x-Pass-1234", real_name=name,
                                id_number=make_id_number(world.community.code, "19880808", seq, False),
                                home_region=world.community)


def activity(w, *, days=2, hours=3, places=2, **extra):
    start = timezone.now() + datetime.timedelta(days=days)
    data = {"title": "东昌湖健步走赛事志愿服务", "region": w.county.code, "organiser": "东昌府区体育局",
            "site": w.site.pk, "starts_at": start, "ends_at": start + datetime.timedelta(hours=hours),
            "places": places, **extra}
    return volunteering.create_activity(data, by=w.users["county"])


@pytest.fixture
def brand(people):
    return volunteering.save_brand({"name": "“运动家”志愿服务联盟", "kind": "alliance", "region": people.county.code,
                                    "organiser": "东昌府区文明办"}, by=people.users["county"])


def test_brands_and_activities_are_checked(people, brand):
    w = people
    with pytest.raises(PeopleError) as exc:
        volunteering.save_brand({"name": brand.name, "region": w.county.code, "organiser": "x"}, by=w.users["county"])
    assert exc.value.code == "brand_taken"
    with pytest.raises(PeopleError) as exc:
        volunteering.save_brand({"name": "新华志愿队", "region": w.other_county.code, "organiser": "x"},
                                by=w.users["county"])
    assert exc.value.code == "region_out_of_scope"
    with pytest.raises(PeopleError) as exc:
        activity(w, mode="online", site=None)
    assert exc.value.code == "link_required"
    with pytest.raises(PeopleError) as exc:
        activity(w, site=None)
    assert exc.value.code == "place_required"
    with pytest.raises(PeopleError) as exc:
        activity(w, hours=-1)
    assert exc.value.code == "time_invalid"
    online = activity(w, mode="online", site=None, link="https://live.example.cn/yundongjia", brand=brand.pk,
                      purpose="recruit")
    assert online.brand == brand and online.get_purpose_display()
    with pytest.raises(PeopleError) as exc:
        activity(w, brand=brand.pk, region=w.other_county.code)
    assert exc.value.code == "region_out_of_scope"


def test_sign_up_join_the_register_places_and_withdraw(people):
    w = people
    found = activity(w, places=2)
    newcomer = resident(w, 11)
    signup = volunteering.sign_up(found, newcomer)
    person = Instructor.objects.get(user=newcomer)
    assert (person.kind, person.status, signup.volunteer_id) == ("volunteer", "applied", person.pk)
    with pytest.raises(PeopleError) as exc:
        volunteering.sign_up(found, newcomer)
    assert exc.value.code == "already_signed_up"
    volunteering.sign_up(found, w.users["resident"])  # the instructor, with the record they have
    with pytest.raises(PeopleError) as exc:
        volunteering.sign_up(found, resident(w, 12, "周敏"))
    assert exc.value.code == "activity_full"
    volunteering.withdraw(signup, newcomer)
    assert VolunteerSignup.objects.get(pk=signup.pk).status == "withdrawn"
    volunteering.sign_up(found, newcomer)  # the place is free again, the same sign-up taken back
    assert VolunteerSignup.objects.get(pk=signup.pk).status == "signed_up"
    nameless = accounts.create_user(phone="13700009999", password="x-Pass-1234")
    with pytest.raises(PeopleError) as exc:
        volunteering.sign_up(activity(w), nameless)
    assert exc.value.code == "identity_required"
    with pytest.raises(PeopleError) as exc:
        volunteering.sign_up(found, w.users["other_resident"], now=found.starts_at)
    assert exc.value.code == "activity_started"


def test_hours_served_are_a_confirmed_volunteer_service(people):
    w = people
    found = activity(w, days=-1, hours=4)  # held yesterday
    volunteer = volunteering.add_volunteer(found, w.instructor, by=w.users["county"])
    other = volunteering.add_volunteer(found, Instructor.objects.create(
        real_name="钱进", id_number_hash="v2", id_number_enc="", region=w.community, kind="volunteer",
        status="active"), by=w.users["county"])
    with pytest.raises(PeopleError) as exc:
        volunteering.record_service(volunteer, served=True, hours="5", by=w.users["county"])
    assert exc.value.code == "hours_invalid"  # more than the activity's four hours
    with pytest.raises(PeopleError) as exc:
        volunteering.record_service(volunteer, served=True, hours="2", by=w.users["other_county"])
    assert exc.value.code == "region_out_of_scope"
    volunteering.record_service(volunteer, served=True, hours="3.5", by=w.users["county"])
    volunteering.record_service(other, served=False, by=w.users["county"])
    log = VolunteerSignup.objects.get(pk=volunteer.pk).log
    assert (log.status, log.volunteer, log.hours, log.region_id) == ("confirmed", True, 3.5, w.county.code)
    assert selectors.volunteer_hours_of(w.instructor)["total"] == 3.5
    assert Instructor.objects.get(pk=w.instructor.pk).last_service_at == found.starts_at
    as_of = timezone.localdate()
    assert indicators.volunteer_hours([w.county.code], as_of)[w.county.code] == 3.5
    # Corrected to two hours, then marked absent: one log, turned down, and the hours count no more.
    volunteering.record_service(volunteer, served=True, hours="2", by=w.users["county"])
    assert DutyLog.objects.get(pk=log.pk).hours == 2 and DutyLog.objects.count() == 1
    volunteering.record_service(volunteer, served=False, by=w.users["county"])
    assert DutyLog.objects.get(pk=log.pk).status == "rejected"
    assert indicators.volunteer_hours([w.county.code], as_of)[w.county.code] == 0
    assert Instructor.objects.get(pk=w.instructor.pk).last_service_at is None
    rows = list(selectors.volunteer_hours_by_person(w.users["county"], as_of.year))
    assert [p.real_name for p in rows] == ["钱进"]  # an active volunteer is listed even without hours


def test_resident_and_staff_pages(people, brand, client_for):
    w = people
    county = client_for("county")
    start = timezone.localtime() + datetime.timedelta(days=3)
    made = county.post(reverse("people:volunteering_staff"), {
        "title": "全民健身日线上志愿服务", "purpose": "service", "mode": "online", "brand": brand.pk,
        "region": w.county.code, "organiser": "东昌府区体育局", "link": "https://live.example.cn/a",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "places": 5})
    assert made.status_code == 302
    pk = int(made["Location"].rstrip("/").rsplit("/", 1)[1])
    bad = county.post(reverse("people:volunteering_staff"), {"title": "x", "purpose": "service", "mode": "online",
                                                             "region": w.county.code, "organiser": "y",
                                                             "starts_at": "2030-01-01T08:00",
                                                             "ends_at": "2030-01-01T09:00", "places": 5})
    assert bad.status_code == 400
    phone = client_for("resident")
    listed = phone.get(reverse("people:volunteering")).content.decode()
    assert "全民健身日线上志愿服务" in listed and "运动家" in listed
    page = phone.get(reverse("people:volunteering_activity", args=[pk])).content.decode()
    assert "https://live.example.cn/a" not in page  # the link is for those signed up
    phone.post(reverse("people:volunteering_sign_up", args=[pk]))
    assert "https://live.example.cn/a" in phone.get(reverse("people:volunteering_activity", args=[pk])).content.decode()
    mine = phone.get(reverse("people:volunteering_mine")).content.decode()
    assert "全民健身日线上志愿服务" in mine
    staff = county.get(reverse("people:volunteering_staff_activity", args=[pk])).content.decode()
    assert w.instructor.real_name in staff
    assert client_for("other_county").get(reverse("people:volunteering_staff_activity", args=[pk])).status_code == 404
    book = county.get(reverse("people:volunteering_signups_xlsx", args=[pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(book.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:2] == (w.instructor.real_name, w.instructor.pk)
    brands = county.get(reverse("people:volunteering_brands_xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(brands.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][1] == "“运动家”志愿服务联盟"
    county.post(reverse("people:volunteering_core", args=[w.instructor.pk]), {"core": "1"})
    assert Instructor.objects.get(pk=w.instructor.pk).core
    hours = county.get(reverse("people:volunteering_hours"))
    assert hours.status_code == 200
    made_brand = county.post(reverse("people:volunteering_brands"), {"name": "东昌府区体育志愿服务队", "kind": "brand",
                                                                     "region": w.county.code, "organiser": "团区委"})
    assert made_brand.status_code == 302 and VolunteerBrand.objects.count() == 2
