"""The online services' pages: staff register a channel and publish a course in their scope (the
other county's staff get 404), the import page with its template, the figures of a year; residents
browse the course list on the phone, filter it, open a course (a view counted) and mark it done;
and the demo city's online services."""

import io
import random

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import online as demo
from quanmin.outreach import services_online
from quanmin.outreach.models import Channel, Course, CourseCompletion
from tests.conftest import small_city

from .test_online import YEAR, channel_data, course_data, published


def test_staff_register_a_channel_and_publish_a_course_in_their_scope(world, client_for):
    staff = client_for("county")
    answer = staff.post(reverse("outreach:channel_new"), channel_data(world.county, closed_year=""))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    channel = Channel.objects.get()
    assert channel.closed_year is None
    page = staff.get(reverse("outreach:channels"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "聊城体育 微信公众号" in page and "微信公众号" in page and "在用" in page
    bad = staff.post(reverse("outreach:course_new"), course_data(world.community, link="https://example.com/x"),
                     HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "请链接到以下网站之一" in bad.content.decode() and not Course.objects.exists()
    made = staff.post(reverse("outreach:course_new"), {**course_data(world.community), "starts_at": ""})
    assert made.status_code == 302
    course = Course.objects.get()
    assert staff.post(reverse("outreach:course_publish", args=[course.pk]), {"publish": "1"}).status_code == 302
    course.refresh_from_db()
    assert course.status == "published"
    other = client_for("other_county")
    assert other.get(reverse("outreach:course", args=[course.pk])).status_code == 404
    assert other.get(reverse("outreach:channel", args=[channel.pk])).status_code == 404
    assert other.post(reverse("outreach:course_publish", args=[course.pk]), {"publish": "0"}).status_code == 404
    assert "亲子跳绳课" not in other.get(reverse("outreach:courses")).content.decode()
    figures = staff.get(reverse("outreach:online_figures"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新开通渠道" in figures and "东昌府区" in figures


def test_import_page_and_template(world, client_for):
    staff = client_for("county")
    template = staff.get(reverse("outreach:channel_template"))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["区划代码", "渠道类型", "渠道名称"]
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "template.xlsx"
    answer = staff.post(reverse("outreach:channel_import"), {"file": out, "apply": "1"})
    assert answer.status_code == 200 and Channel.objects.get().name == "东昌府区体育 微信公众号"


def test_a_resident_filters_the_list_opens_a_course_and_marks_it_done(world, client_for):
    family = published(world)
    office = published(world, title="办公室肩颈放松操", sport="健身操", scene="office", audience="workplace")
    me = client_for("resident")
    listed = me.get(reverse("outreach:online"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "亲子跳绳课" in listed and "办公室肩颈放松操" in listed and "云健身课程" in listed
    only = me.get(reverse("outreach:online") + "?audience=family").content.decode()
    assert "亲子跳绳课" in only and "办公室肩颈放松操" not in only
    assert "亲子跳绳课" not in client_for("other_resident").get(reverse("outreach:online")).content.decode()
    page = me.get(reverse("outreach:public_course", args=[family.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'href="https://www.bilibili.com/video/BV1GJ411x7h7"' in page.content.decode() and "观看视频" in page.content.decode()
    assert Course.objects.get(pk=family.pk).views == 1
    assert me.post(reverse("outreach:course_done", args=[family.pk])).status_code == 302
    assert CourseCompletion.objects.filter(user=world.users["resident"], course=family).exists()
    assert "已完成" in me.get(reverse("outreach:online"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert me.post(reverse("outreach:course_done", args=[family.pk]), {"undo": "1"}).status_code == 302
    assert not CourseCompletion.objects.exists()
    services_online.publish_course(world.users["county"], office, publish=False)
    assert me.get(reverse("outreach:public_course", args=[office.pk])).status_code == 404
    assert client_for(None).post(reverse("outreach:course_done", args=[family.pk])).status_code == 302  # sign in
    assert not CourseCompletion.objects.exists()
    services_online.save_channel(world.users["county"], channel_data(world.county))
    assert "聊城体育 微信公众号" in me.get(reverse("outreach:public_channels")).content.decode()


def test_demo_online_services(db):
    root = small_city(streets=1, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    out = demo.load(root, rng)
    assert out["online channels"] == Channel.objects.count() >= 10
    today = timezone.localdate()
    new = indicators.compute("new_online_channels", [root.code], today)[root.code]
    assert new >= 1 and Channel.objects.filter(closed_year__isnull=False).count() == 1
    assert Course.objects.filter(status="published", audience="family").exists()
    assert Course.objects.filter(status="published", kind="live", starts_at__gt=timezone.now()).exists()
    assert Course.objects.filter(status="draft").count() == 2
    assert Channel.objects.filter(opened_year=YEAR).exists()
    assert demo.load(root, rng) == {}  # a second run adds nothing
