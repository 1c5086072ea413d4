"""Permission rows for science-fitness outreach (G10, F12): division staff of every level keep the
lectures, the column, the "five into" activities and the workplaces of their divisions (supervisors
read); residents read the column and the lectures to come and sign themselves up. The path
parameters make a record in the role's own scope (its community, or the other county's) on first
use; cancelling and signing up get a fresh lecture each time."""

import datetime
import itertools

from django.utils import timezone

from quanmin.outreach import services, services_online

P = "/api/v1/outreach"
_n = itertools.count(1)


def _where(w, role):
    return w.other_community if role == "other_county" else w.community


def _cache(w) -> dict:
    if not hasattr(w, "outreach"):
        w.outreach = {}
    return w.outreach


def lecture_body(w=None, role=None, days=30, capacity=50):
    start = timezone.localtime() + datetime.timedelta(days=days)
    return {"region": _where(w, role).code if w else "", "title": f"科学健身讲座{next(_n)}", "topic": "exercise",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "minutes": 90, "place": "社区文化活动中心",
            "speaker": "王医生", "organiser": "区体育局", "capacity": capacity}


def _lecture(w, role, days=30):
    return services.save_lecture(w.users["superuser"], lecture_body(w, role, days))


def lecture(w, role=None):
    cache = _cache(w)
    key = ("lecture", role == "other_county")
    if key not in cache:
        cache[key] = _lecture(w, role)
    return cache[key]


def lecture_pk(w, role=None):
    return {"pk": lecture(w, role).pk}


def lecture_id(w, role=None):
    return {"lecture_id": lecture(w, role).pk}


def fresh_lecture_pk(w, role=None):
    return {"pk": _lecture(w, role).pk}


def fresh_lecture_id(w, role=None):
    return {"lecture_id": _lecture(w, role).pk}


def past_lecture_pk(w, role=None):
    return {"pk": _lecture(w, role, days=-3).pk}


def past_lecture_id(w, role=None):
    return {"lecture_id": _lecture(w, role, days=-3).pk}


def _signed_up(w, role):
    """A fresh lecture the role's user holds a place at (any lecture for a stranger)."""
    found = _lecture(w, role)
    if role in w.users:
        services.sign_up(w.users[role], found)
    return found


def signed_up_pk(w, role=None):
    return {"pk": _signed_up(w, role).pk}


def signed_up_id(w, role=None):
    return {"lecture_id": _signed_up(w, role).pk}


def article_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "title": "夏季运动防中暑", "category": "knowledge",
            "summary": "", "body": "多喝水，避开正午。"}


def _article(w, role, publish=False):
    found = services.save_article(w.users["superuser"], article_body(w, role))
    return services.publish_article(w.users["superuser"], found) if publish else found


def article(w, role=None):
    cache = _cache(w)
    key = ("article", role == "other_county")
    if key not in cache:
        cache[key] = _article(w, role, publish=True)
    return cache[key]


def article_pk(w, role=None):
    return {"pk": article(w, role).pk}


def article_id(w, role=None):
    return {"article_id": article(w, role).pk}


def draft_pk(w, role=None):
    return {"pk": _article(w, role).pk}


def draft_id(w, role=None):
    return {"article_id": _article(w, role).pk}


def activity_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "setting": "community", "title": "健身气功进社区",
            "held_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(), "place": "社区广场",
            "organiser": "", "participants": 40}


def activity_pk(w, role=None):
    cache = _cache(w)
    key = ("activity", role == "other_county")
    if key not in cache:
        cache[key] = services.save_activity(w.users["superuser"], activity_body(w, role))
    return {"pk": cache[key].pk}


def workplace_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": "东昌府区人民医院", "headcount": 800,
            "participants": 500, "since": "2024-03-01", "active": True}


def workplace(w, role=None):
    cache = _cache(w)
    key = ("workplace", role == "other_county")
    if key not in cache:
        cache[key] = services.save_workplace(w.users["superuser"], workplace_body(w, role))
    return cache[key]


def workplace_pk(w, role=None):
    return {"pk": workplace(w, role).pk}


def workplace_id(w, role=None):
    return {"workplace_id": workplace(w, role).pk}



# ---------------------------------------------------------------- online fitness services

ON = f"{P}/online"


def channel_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "kind": "wechat", "name": f"社区健身 微信公众号{next(_n)}",
            "owner": "东关社区居委会", "opened_year": timezone.localdate().year - 1, "closed_year": None,
            "link": "https://mp.weixin.qq.com/", "account": "", "note": ""}


def channel(w, role=None):
    cache = _cache(w)
    key = ("channel", role == "other_county")
    if key not in cache:
        cache[key] = services_online.save_channel(w.users["superuser"], channel_body(w, role))
    return cache[key]


def channel_pk(w, role=None):
    return {"pk": channel(w, role).pk}


def channel_id(w, role=None):
    return {"channel_id": channel(w, role).pk}


def course_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "title": f"居家八段锦{next(_n)}", "kind": "video",
            "sport": "八段锦", "level": "beginner", "minutes": 15, "scene": "home", "audience": "elderly",
            "teacher": "张老师", "provider": "聊城市社会体育指导员协会", "summary": "",
            "link": "https://www.bilibili.com/video/BV1xx411c7mD", "starts_at": None}


def _course(w, role, publish=True):
    found = services_online.save_course(w.users["superuser"], course_body(w, role))
    return services_online.publish_course(w.users["superuser"], found) if publish else found


def course(w, role=None):
    cache = _cache(w)
    key = ("course", role == "other_county")
    if key not in cache:
        cache[key] = _course(w, role)
    return cache[key]


def course_pk(w, role=None):
    return {"pk": course(w, role).pk}


def course_id(w, role=None):
    return {"course_id": course(w, role).pk}


def draft_course_pk(w, role=None):
    return {"pk": _course(w, role, publish=False).pk}


def draft_course_id(w, role=None):
    return {"course_id": _course(w, role, publish=False).pk}


def fresh_course_pk(w, role=None):
    return {"pk": _course(w, role).pk}


def fresh_course_id(w, role=None):
    return {"course_id": _course(w, role).pk}


def _done(w, role):
    """A fresh published course the role's user marked done (any course for a stranger)."""
    found = _course(w, role)
    if role in w.users:
        services_online.mark_done(w.users[role], found)
    return found


def done_pk(w, role=None):
    return {"pk": _done(w, role).pk}


def done_id(w, role=None):
    return {"course_id": _done(w, role).pk}

WEB = {
    "outreach:home": ("public", None, "get", None),
    "outreach:public_lecture": ("public", lecture_pk, "get", None),
    "outreach:signup": ("signed_in", fresh_lecture_pk, "post", {}),
    "outreach:signup_cancel": ("signed_in", signed_up_pk, "post", {}),
    "outreach:column": ("public", None, "get", None),
    "outreach:public_article": ("public", article_pk, "get", None),
    "outreach:lectures": ("division_reader", None, "get", None),
    # A lecture of no division: 400 with the form again.
    "outreach:lecture_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:lecture": ("division_reader", lecture_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:lecture_cancel": ("division_writer", fresh_lecture_pk, "post", {"reason": "天气原因"}),
    "outreach:lecture_audience": ("division_writer", past_lecture_pk, "post", {"audience": "60"}),
    "outreach:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:export": ("division_reader", None, "get", None),
    "outreach:articles": ("division_reader", None, "get", None),
    "outreach:article_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:article": ("division_reader", article_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:article_publish": ("division_writer", draft_pk, "post", {"publish": "1"}),
    "outreach:activities": ("division_reader", None, "get", None),
    "outreach:activity_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:activity": ("division_reader", activity_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:workplaces": ("division_reader", None, "get", None),
    "outreach:workplace_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:workplace": ("division_reader", workplace_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:figures": ("division_reader", None, "get", None),
    "outreach:online": ("public", None, "get", None),
    "outreach:public_course": ("public", course_pk, "get", None),
    "outreach:course_done": ("signed_in", fresh_course_pk, "post", {}),
    "outreach:public_channels": ("public", None, "get", None),
    "outreach:channels": ("division_reader", None, "get", None),
    # A channel of no division: 400 with the form again.
    "outreach:channel_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:channel": ("division_reader", channel_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:channel_import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:channel_template": ("division_writer", None, "get", None),
    "outreach:channel_export": ("division_reader", None, "get", None),
    "outreach:courses": ("division_reader", None, "get", None),
    "outreach:course_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "outreach:course": ("division_reader", course_pk, "get", None, {"post": ({}, 400, "division_writer")}),
    "outreach:course_publish": ("division_writer", draft_course_pk, "post", {"publish": "1"}),
    "outreach:online_figures": ("division_reader", None, "get", None),
}

API = {
    f"GET {P}/lectures": ("division_reader", None, None),
    f"POST {P}/lectures": ("division_writer", None, {**lecture_body(), "region": "000000000000"}, 400),
    f"GET {P}/lectures/{{lecture_id}}": ("division_reader", lecture_id, None),
    f"PUT {P}/lectures/{{lecture_id}}": ("division_writer", fresh_lecture_id, lecture_body),
    f"POST {P}/lectures/{{lecture_id}}/cancel": ("division_writer", fresh_lecture_id, {"reason": ""}, 200),
    f"PUT {P}/lectures/{{lecture_id}}/audience": ("division_writer", past_lecture_id, {"audience": 55}),
    f"GET {P}/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/import": ("division_writer", None, None, 400),
    f"GET {P}/upcoming": ("public", None, None),
    f"POST {P}/upcoming/{{lecture_id}}/signup": ("signed_in", fresh_lecture_id, None),
    f"DELETE {P}/upcoming/{{lecture_id}}/signup": ("signed_in", signed_up_id, None),
    f"GET {P}/articles": ("division_reader", None, None),
    f"POST {P}/articles": ("division_writer", None, article_body),
    f"PUT {P}/articles/{{article_id}}": ("division_writer", article_id, article_body),
    f"POST {P}/articles/{{article_id}}/publish": ("division_writer", draft_id, {"publish": True}, 200),
    f"GET {P}/column": ("public", None, None),
    f"GET {P}/column/{{article_id}}": ("public", article_id, None),
    f"GET {P}/activities": ("division_reader", None, None),
    f"POST {P}/activities": ("division_writer", None, activity_body),
    f"GET {P}/workplaces": ("division_reader", None, None),
    f"POST {P}/workplaces": ("division_writer", None, {**workplace_body(), "region": "000000000000"}, 400),
    f"PUT {P}/workplaces/{{workplace_id}}": ("division_writer", workplace_id, workplace_body),
    f"GET {P}/figures": ("division_reader", None, None),
    f"GET {ON}/channels": ("division_reader", None, None),
    f"POST {ON}/channels": ("division_writer", None, channel_body),
    f"GET {ON}/channels/{{channel_id}}": ("division_reader", channel_id, None),
    f"PUT {ON}/channels/{{channel_id}}": ("division_writer", channel_id, channel_body),
    f"GET {ON}/channels/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {ON}/channels/import": ("division_writer", None, None, 400),
    f"GET {ON}/public/channels": ("public", None, None),
    f"GET {ON}/courses": ("division_reader", None, None),
    f"POST {ON}/courses": ("division_writer", None, course_body),
    f"GET {ON}/courses/{{course_id}}": ("division_reader", course_id, None),
    f"PUT {ON}/courses/{{course_id}}": ("division_writer", course_id, course_body),
    f"POST {ON}/courses/{{course_id}}/publish": ("division_writer", draft_course_id, {"publish": True}, 200),
    f"GET {ON}/public/courses": ("public", None, None),
    f"GET {ON}/public/courses/{{course_id}}": ("public", course_id, None),
    f"POST {ON}/public/courses/{{course_id}}/done": ("signed_in", fresh_course_id, None),
    f"DELETE {ON}/public/courses/{{course_id}}/done": ("signed_in", done_id, None),
    f"GET {ON}/figures": ("division_reader", None, None),
}

CROSS_COUNTY = [
    ("web", "outreach:lecture", lecture_pk, None, 200),
    ("api", f"GET {P}/lectures/{{lecture_id}}", lecture_id, None, 200),
    ("api", f"PUT {P}/workplaces/{{workplace_id}}", workplace_id, workplace_body, 200),
    ("api", f"PUT {ON}/channels/{{channel_id}}", channel_id, channel_body, 200),
    ("web", "outreach:channel", channel_pk, None, 200),
    ("web", "outreach:course", course_pk, None, 200),
    ("api", f"GET {ON}/courses/{{course_id}}", course_id, None, 200),
]
