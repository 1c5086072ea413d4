"""Permission rows for the instructor register (issue 18), and the helpers that make its objects.

The world holds no instructors: the path parameters make them on first use (cached on the world). In
each county an active instructor on duty at a station of the county's site, an application waiting
for review, and for each role a pending service log it may confirm. Approving is for county and city
staff ("county_staff"), promoting to second grade for city staff; everything else a division writer
may do. The neighbouring county's staff get their own county's objects (CROSS_COUNTY checks the 404).
"""

import datetime

from django.utils import timezone

from quanmin.demo.accounts import make_id_number


def _cache(w) -> dict:
    if not hasattr(w, "people"):
        w.people = {}
    return w.people


def _other(role) -> bool:
    return role == "other_county"


def _person(region, seq: int) -> dict:
    return {"real_name": "测试指导员", "id_number": make_id_number(region.code, "19700101", seq, True),
            "phone": f"1380000{seq:04d}", "region": region.code, "sports": ["taiji"]}


def instructor(w, other=False):
    from quanmin.people import services

    cache = _cache(w)
    key = f"active-{other}"
    if key not in cache:
        region, by = (w.other_community, w.users["other_county"]) if other else (w.community, w.users["county"])
        services.set_rule(w.city, "third", {"min_services": 0}, by=w.users["city"])
        found = services.apply(_person(region, 601 if other else 600), by=by)
        services.review(found, by=by)
        cache[key] = services.approve(found, by=by)
    return cache[key]


def applied(w, other=False):
    from quanmin.people import services

    cache = _cache(w)
    key = f"applied-{other}"
    if key not in cache:
        region, by = (w.other_community, w.users["other_county"]) if other else (w.community, w.users["county"])
        cache[key] = services.apply(_person(region, 611 if other else 610), by=by)
    return cache[key]


def station(w, other=False):
    from quanmin.people import stations

    cache = _cache(w)
    key = f"station-{other}"
    if key not in cache:
        site, region, by = ((w.other_site, w.other_community, w.users["other_county"]) if other
                            else (w.site, w.community, w.users["county"]))
        cache[key] = stations.save_station({"name": "测试指导站", "site": site.pk, "region": region.code,
                                            "sports": ["taiji"], "instructors": [instructor(w, other).pk]}, by=by)
    return cache[key]


def pending_log(w, role=None):
    """A fresh pending log for each role (each confirms its own), at distinct past hours."""
    from quanmin.people import logs

    cache = _cache(w)
    key = f"log-{role}"
    if key not in cache:
        other = _other(role)
        n = len([k for k in cache if k.startswith("log-")])
        end = timezone.now() - datetime.timedelta(hours=2 + 3 * n)
        person = instructor(w, other)
        st = station(w, other)
        cache[key] = logs.record(person, {"station": st.pk, "started_at": end - datetime.timedelta(hours=1),
                                          "ended_at": end, "activity": "晨练指导", "people_guided": 10},
                                 by=w.users["other_county" if other else "county"])
    return cache[key]


ROLE_ORDER = ["community", "township", "county", "other_county", "city", "supervisor", "superuser", "resident",
              "anonymous", "oversight"]


def own_log(w, role=None):
    """A pending log of the role's own: the role's account becomes an active instructor (its application
    from the apply row approved, or a new one) with one service recorded at a site."""
    from quanmin.people import logs, services
    from quanmin.people.models import Instructor

    cache = _cache(w)
    user, boss = w.users.get(role) or w.users["resident"], w.users["superuser"]  # strangers: someone's log
    key = f"own-log-{user.pk}"
    if key not in cache:
        services.set_rule(w.city, "third", {"min_services": 0}, by=w.users["city"])
        found = Instructor.objects.filter(user=user).first() or services.apply(
            _person(w.community, 640 + ROLE_ORDER.index(role)), user=user)
        if found.status == Instructor.Status.APPLIED:
            found = services.review(found, by=boss)
        if found.status == Instructor.Status.REVIEWED:
            found = services.approve(found, by=boss)
        end = timezone.now() - datetime.timedelta(hours=30)
        cache[key] = logs.record(found, {"site": w.site.pk, "started_at": end - datetime.timedelta(hours=1),
                                         "ended_at": end, "activity": "晨练"}, by=user)
    return cache[key]


def own_log_pk(w, role=None):
    return {"pk": own_log(w, role).pk}


def own_log_id(w, role=None):
    return {"log_id": own_log(w, role).pk}


def course(w, other=False):
    from quanmin.people import training

    cache = _cache(w)
    key = f"course-{other}"
    if key not in cache:
        region, by = (w.other_community, w.users["other_county"]) if other else (w.community, w.users["county"])
        today = timezone.localdate()
        cache[key] = training.create_training({"title": "培训班", "organiser": "体育局", "region": region.code,
                                               "starts_on": today, "ends_on": today, "hours": 8}, by=by)
    return cache[key]


def enrollment(w, other=False):
    from quanmin.people import training

    cache = _cache(w)
    key = f"enrollment-{other}"
    if key not in cache:
        from quanmin.people.models import Enrollment

        by = w.users["other_county" if other else "county"]
        found = Enrollment.objects.filter(training=course(w, other), instructor=instructor(w, other)).first()
        cache[key] = found or training.enrol(course(w, other), instructor(w, other), by=by)
    return cache[key]


def question(w, other=False):
    from quanmin.people import pools

    cache = _cache(w)
    key = f"question-{other}"
    if key not in cache:
        cache[key] = pools.ask(station(w, other), w.users["other_resident" if other else "resident"],
                               {"message": "想学太极拳"})
    return cache[key]


def contest(w, other=False):
    from quanmin.people import pools

    cache = _cache(w)
    key = f"contest-{other}"
    if key not in cache:
        region, by = (w.other_community, w.users["other_county"]) if other else (w.community, w.users["county"])
        cache[key] = pools.create_contest({"title": "技能大比武", "region": region.code,
                                           "held_on": timezone.localdate()}, by=by)
    return cache[key]


def course_pk(w, role=None):
    return {"pk": course(w, _other(role)).pk}


def course_id(w, role=None):
    return {"training_id": course(w, _other(role)).pk}


def enrollment_pk(w, role=None):
    return {"pk": enrollment(w, _other(role)).pk}


def enrollment_id(w, role=None):
    return {"enrollment_id": enrollment(w, _other(role)).pk}


def question_pk(w, role=None):
    return {"pk": question(w, _other(role)).pk}


def question_id(w, role=None):
    return {"question_id": question(w, _other(role)).pk}


def contest_pk(w, role=None):
    return {"pk": contest(w, _other(role)).pk}


def contest_id(w, role=None):
    return {"contest_id": contest(w, _other(role)).pk}


def enrol_body(w, role=None):
    return {"instructor_id": instructor(w, _other(role)).pk}


def _place(w, role):
    return (w.other_community if _other(role) else w.community).code


def new_course(w, role=None):
    today = timezone.localdate().isoformat()
    return {"title": "新培训班", "organiser": "体育局", "region_code": _place(w, role), "starts_on": today,
            "ends_on": today, "hours": "8"}


def new_post(w, role=None):
    return {"kind": "sports_committee_member", "person_name": "体育委员", "region_code": _place(w, role),
            "appointed_on": timezone.localdate().isoformat()}


def new_supplier(w, role=None):
    return {"kind": "expert", "name": "专家", "region_code": _place(w, role)}


def new_contest(w, role=None):
    return {"title": "比武", "region_code": _place(w, role), "held_on": timezone.localdate().isoformat()}


def active_pk(w, role=None):
    return {"pk": instructor(w, _other(role)).pk}


def active_id(w, role=None):
    return {"instructor_id": instructor(w, _other(role)).pk}


def applied_action(w, role=None):
    return {"pk": applied(w, _other(role)).pk, "action": "review"}


def applied_id(w, role=None):
    return {"instructor_id": applied(w, _other(role)).pk}


def station_pk(w, role=None):
    return {"pk": station(w, _other(role)).pk}


def station_id(w, role=None):
    return {"station_id": station(w, _other(role)).pk}


def log_pk(w, role=None):
    return {"pk": pending_log(w, role).pk}


def log_photo_pk(w, role=None):
    """The role's pending log, with a photo (the instructor has no account here: staff only)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    log = pending_log(w, role)
    if not log.photo:
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(buf, "PNG")
        log.photo.save("photo.png", ContentFile(buf.getvalue()), save=True)
    return {"pk": log.pk}


def log_id(w, role=None):
    return {"log_id": pending_log(w, role).pk}


def own_division(w, role=None):
    place = {"community": w.community, "township": w.township, "other_county": w.other_county}.get(role, w.county)
    return {"code": place.code}


def county_code(w, role=None):
    return {"code": w.county.code}


def new_person(w, role=None):
    seq = 620 + ROLE_ORDER.index(role or "anonymous")
    region = w.other_community if _other(role) else w.community
    body = _person(region, seq)
    body["region_code"] = body.pop("region")
    return body


def new_station(w, role=None):
    region = w.other_community if _other(role) else w.community
    return {"name": "新指导站", "region_code": region.code, "sports": ["walking"]}


def own_apply(w, role=None):
    return {"region_code": w.community.code, "sports": ["taiji"]}


def log_body(w, role=None):
    end = timezone.now() - datetime.timedelta(hours=1)
    return {"station_id": station(w).pk, "started_at": (end - datetime.timedelta(hours=1)).isoformat(),
            "ended_at": end.isoformat(), "activity": "晨练"}


def volunteer_activity(w, other=False):
    """A volunteer activity five days ahead in the community (or the neighbouring county's)."""
    from quanmin.people import volunteering

    cache = _cache(w)
    key = f"volunteering-{other}"
    if key not in cache:
        site, region, by = ((w.other_site, w.other_community, w.users["other_county"]) if other
                            else (w.site, w.community, w.users["county"]))
        start = timezone.now() + datetime.timedelta(days=5)
        cache[key] = volunteering.create_activity({
            "title": "健步走志愿服务", "region": region.code, "organiser": "体育局", "site": site.pk, "places": 50,
            "starts_at": start, "ends_at": start + datetime.timedelta(hours=2)}, by=by)
    return cache[key]


def volunteer_activity_pk(w, role=None):
    return {"pk": volunteer_activity(w, _other(role)).pk}


def volunteer_activity_id(w, role=None):
    return {"activity_id": volunteer_activity(w, _other(role)).pk}


def signup(w, role=None):
    """The county's instructor on the role's county's activity (staff record the service)."""
    from quanmin.people import volunteering

    cache = _cache(w)
    other = _other(role)
    key = f"signup-{other}"
    if key not in cache:
        cache[key] = volunteering.add_volunteer(volunteer_activity(w, other), instructor(w, other),
                                                by=w.users["superuser"])
    return cache[key]


def signup_pk(w, role=None):
    return {"pk": signup(w, role).pk}


def signup_id(w, role=None):
    return {"signup_id": signup(w, role).pk}


def own_signup_pk(w, role=None):
    """A sign-up of the role's own account (its record in the register made when it has none)."""
    from quanmin.people import services, volunteering
    from quanmin.people.models import Instructor

    cache = _cache(w)
    user = w.users.get(role) or w.users["resident"]
    key = f"own-signup-{user.pk}"
    if key not in cache:
        found = Instructor.objects.filter(user=user).first() or services.apply(
            _person(w.community, 660 + ROLE_ORDER.index(role)), user=user)
        activity = volunteer_activity(w)  # the sign-up row may have signed the role up already
        cache[key] = (activity.signups.filter(volunteer=found).first()
                      or volunteering.add_volunteer(activity, found, by=w.users["superuser"]))
    return {"pk": cache[key].pk}


def new_volunteer_activity(w, role=None):
    start = timezone.now() + datetime.timedelta(days=6)
    return {"title": "线上健身指导志愿服务", "mode": "online", "link": "https://live.example.cn/v",
            "region_code": _place(w, role), "organiser": "体育局", "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat()}


def new_brand(w, role=None):
    return {"name": f"运动家志愿服务联盟{role}", "region_code": _place(w, role), "organiser": "文明办"}


# A supervisor posting to a page that lists and adds is sent back with a message (they change nothing).
def supervisors_redirected(role):
    return 302 if role == "supervisor" else 200


WEB = {
    "people:finder": ("public", None, "get", None),
    "people:station": ("public", station_pk, "get", None),
    "people:card": ("public", active_pk, "get", None),
    "people:me": ("signed_in", None, "get", None, {"post": ({}, 200)}),
    "people:log_new": ("signed_in", None, "get", None, {"post": ({}, 302), "status": 302}),
    # The instructor's own pending log (each role is made one); an empty post shows the form again.
    "people:log_edit": ("signed_in", own_log_pk, "get", None, {"post": ({}, 200)}),
    "people:staff_list": ("division_reader", None, "get", None),
    "people:staff_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "people:staff_detail": ("division_reader", active_pk, "get", None),
    "people:staff_action": ("division_writer", applied_action, "post", {}),
    "people:staff_export": ("division_reader", None, "get", None),
    "people:staff_template": ("division_writer", None, "get", None),
    "people:staff_import": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "people:rules": ("city_staff", None, "get", None, {"post": ({}, 200)}),
    "people:confirm": ("division_writer", None, "get", None),
    "people:log_photo": ("division_reader", log_photo_pk, "get", None),
    "people:confirm_log": ("division_writer", log_pk, "post", {"decision": "confirm"}),
    "people:stations_staff": ("division_reader", None, "get", None),
    "people:station_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "people:stations_import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "people:stations_export": ("division_reader", None, "get", None),
    "people:stations_template": ("division_writer", None, "get", None),
    "people:station_staff": ("division_reader", station_pk, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:session_add": ("division_writer", station_pk, "post", {}),
    "people:ask": ("signed_in", station_pk, "post", {"message": "想学八段锦"}),
    "people:requests": ("division_writer", None, "get", None),
    "people:request_answer": ("division_writer", question_pk, "post", {"answer": "欢迎"}),
    "people:trainings": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:training": ("division_reader", course_pk, "get", None, {"post": ({}, 200)}),
    "people:training_result": ("division_writer", enrollment_pk, "post", {}),
    "people:posts": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:suppliers": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:contests": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:contest": ("division_reader", contest_pk, "get", None, {"post": ({}, 200)}),
    "people:contest_import": ("division_writer", contest_pk, "get", None, {"post": ({}, 400)}),
    "people:contest_export": ("division_reader", contest_pk, "get", None),
    "people:volunteering": ("public", None, "get", None),
    "people:volunteering_activity": ("public", volunteer_activity_pk, "get", None),
    "people:volunteering_sign_up": ("signed_in", volunteer_activity_pk, "post", {}),
    "people:volunteering_withdraw": ("signed_in", own_signup_pk, "post", {}),
    "people:volunteering_mine": ("signed_in", None, "get", None),
    "people:volunteering_staff": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:volunteering_staff_activity": ("division_reader", volunteer_activity_pk, "get", None, {"post": ({}, 200)}),
    "people:volunteering_signups_xlsx": ("division_reader", volunteer_activity_pk, "get", None),
    "people:volunteering_served": ("division_writer", signup_pk, "post", {"served": "0"}),
    "people:volunteering_brands": ("division_reader", None, "get", None, {"post": ({}, supervisors_redirected)}),
    "people:volunteering_brands_xlsx": ("division_reader", None, "get", None),
    "people:volunteering_hours": ("division_reader", None, "get", None),
    "people:volunteering_hours_xlsx": ("division_reader", None, "get", None),
    "people:volunteering_core": ("division_writer", active_pk, "post", {"core": "1"}),
    "people:figures": ("division_reader", None, "get", None, 302),
    "people:figures_region": ("division_reader", own_division, "get", None),
    "people:figures_export": ("division_reader", own_division, "get", None),
}

P = "/api/v1/people"
API = {
    f"GET {P}/instructors": ("division_reader", None, None),
    f"POST {P}/instructors": ("division_writer", None, new_person),
    f"GET {P}/instructors/export.xlsx": ("division_reader", None, None),
    f"GET {P}/instructors/template.xlsx": ("division_writer", None, None),
    f"POST {P}/instructors/import": ("division_writer", None, None, 400),
    f"GET {P}/instructors/{{instructor_id}}": ("division_reader", active_id, None),
    f"PATCH {P}/instructors/{{instructor_id}}": ("division_writer", active_id, {"note": "matrix"}),
    f"POST {P}/instructors/{{instructor_id}}/review": ("division_writer", applied_id, None, 200),
    f"POST {P}/instructors/{{instructor_id}}/approve": ("county_staff", applied_id, {}, 200),
    f"POST {P}/instructors/{{instructor_id}}/reject": ("division_writer", applied_id, {"reason": ""}, 400),
    f"POST {P}/instructors/{{instructor_id}}/promote": ("city_staff", active_id, {"grade": "second"}, 409),
    f"POST {P}/instructors/{{instructor_id}}/status": ("division_writer", applied_id, {"status": "lapsed"}, lambda role: 409 if role in ("community", "township") else 200),
    f"POST {P}/instructors/{{instructor_id}}/reveal": ("division_writer", active_id, {"purpose": "check"}, 200),
    f"GET {P}/me": ("signed_in", None, None),
    f"POST {P}/me/apply": ("signed_in", None, own_apply),
    f"GET {P}/me/logs": ("signed_in", None, None),
    f"POST {P}/me/logs": ("signed_in", None, log_body, 409),
    f"PATCH {P}/me/logs/{{log_id}}": ("signed_in", own_log_id, {"activity": "更正"}, 200),
    f"GET {P}/logs": ("division_writer", None, None),
    f"POST {P}/logs/{{log_id}}/decide": ("division_writer", log_id, {"confirm": True}, 200),
    f"GET {P}/stations": ("public", None, None),
    f"POST {P}/stations": ("division_writer", None, new_station),
    f"GET {P}/stations/{{station_id}}": ("public", station_id, None),
    f"PATCH {P}/stations/{{station_id}}": ("division_writer", station_id, {"times": "每天 7:00-8:30"}),
    f"POST {P}/stations/{{station_id}}/sessions": ("division_writer", station_id,
                                                   {"weekday": 2, "start": "07:00", "end": "08:00"}),
    f"GET {P}/cards/{{instructor_id}}": ("public", active_id, None),
    f"GET {P}/figures/{{code}}": ("division_reader", own_division, None),
    f"GET {P}/trainings": ("division_reader", None, None),
    f"POST {P}/trainings": ("division_writer", None, new_course),
    f"GET {P}/trainings/{{training_id}}/enrollments": ("division_reader", course_id, None),
    f"POST {P}/trainings/{{training_id}}/enrollments": ("division_writer", course_id, enrol_body),
    f"POST {P}/enrollments/{{enrollment_id}}/result": ("division_writer", enrollment_id, {"attended_hours": "8"}, 200),
    f"POST {P}/stations/{{station_id}}/ask": ("signed_in", station_id, {"message": "想学太极拳"}),
    f"GET {P}/me/questions": ("signed_in", None, None),
    f"GET {P}/questions": ("division_writer", None, None),
    f"POST {P}/questions/{{question_id}}/answer": ("division_writer", question_id, {"answer": "欢迎"}, 200),
    f"GET {P}/posts": ("division_reader", None, None),
    f"POST {P}/posts": ("division_writer", None, new_post),
    f"GET {P}/suppliers": ("public", None, None),
    f"POST {P}/suppliers": ("division_writer", None, new_supplier),
    f"GET {P}/contests": ("division_reader", None, None),
    f"POST {P}/contests": ("division_writer", None, new_contest),
    f"POST {P}/contests/{{contest_id}}/results": ("division_writer", contest_id, enrol_body),
    f"GET {P}/contests/{{contest_id}}/results": ("division_reader", contest_id, None),
    f"GET {P}/volunteering/activities": ("public", None, None),
    f"POST {P}/volunteering/activities/{{activity_id}}/sign-up": ("signed_in", volunteer_activity_id, None,
                                                                 (201, 409)),
    f"GET {P}/volunteering/me": ("signed_in", None, None),
    f"POST {P}/volunteering/activities": ("division_writer", None, new_volunteer_activity),
    f"POST {P}/volunteering/sign-ups/{{signup_id}}/service": ("division_writer", signup_id, {"served": False}, 409),
    f"GET {P}/volunteering/brands": ("division_reader", None, None),
    f"POST {P}/volunteering/brands": ("division_writer", None, new_brand),
}

CROSS_COUNTY = [
    ("web", "people:log_photo", lambda w, role=None: log_photo_pk(w, "county"), None, 200),
    ("web", "people:staff_detail", active_pk, None, 200),
    ("web", "people:station_staff", station_pk, None, 200),
    ("api", f"GET {P}/instructors/{{instructor_id}}", active_id, None, 200),
    ("api", f"POST {P}/instructors/{{instructor_id}}/reveal", active_id, {"purpose": "check"}, 200),
    ("api", f"PATCH {P}/instructors/{{instructor_id}}", active_id, {"note": "x"}, 200),
    ("api", f"GET {P}/figures/{{code}}", county_code, None, 200),
    ("web", "people:training", course_pk, None, 200),
    ("web", "people:contest", contest_pk, None, 200),
    ("web", "people:contest_import", contest_pk, None, 200),
    ("web", "people:volunteering_staff_activity", volunteer_activity_pk, None, 200),
    ("api", f"GET {P}/contests/{{contest_id}}/results", contest_id, None, 200),
    ("api", f"GET {P}/trainings/{{training_id}}/enrollments", course_id, None, 200),
]
