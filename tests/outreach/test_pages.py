"""The pages: staff schedule a lecture in a form (a bad field shows the Chinese reason and writes
nothing); a resident signs up on the phone page; an article's body is shown escaped, never as HTML."""

from django.urls import reverse

from quanmin.outreach import services
from quanmin.outreach.models import Lecture, LectureSignup

from .conftest import lecture_data


def test_schedule_on_the_page_then_sign_up_on_the_phone(world, client_for):
    staff = client_for("township")
    url = reverse("outreach:lecture_new")
    assert staff.get(url).status_code == 200
    bad = staff.post(url, lecture_data(world.community, speaker=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "主讲人" in bad.content.decode() and not Lecture.objects.exists()
    done = staff.post(url, lecture_data(world.community, starts_at=lecture_data(world.community)["starts_at"]
                                        .replace(" ", "T")))
    assert done.status_code == 302
    lecture = Lecture.objects.get()
    assert "运动与慢性病防治" in staff.get(reverse("outreach:lectures")).content.decode()
    resident = client_for("resident")
    home = resident.get(reverse("outreach:home")).content.decode()
    assert "运动与慢性病防治" in home
    page = reverse("outreach:public_lecture", kwargs={"pk": lecture.pk})
    assert resident.post(reverse("outreach:signup", kwargs={"pk": lecture.pk})).status_code == 302
    assert LectureSignup.objects.filter(user=world.users["resident"]).exists()
    assert "signup/cancel" in resident.get(page).content.decode()
    anonymous = client_for(None)
    assert anonymous.get(page).status_code == 200
    assert anonymous.post(reverse("outreach:signup", kwargs={"pk": lecture.pk})).status_code == 302
    assert LectureSignup.objects.count() == 1


def test_article_body_is_escaped(world, client_for):
    county = world.users["county"]
    article = services.save_article(county, {"region": world.county.code, "title": "拉伸", "category": "method",
                                             "body": "<script>alert(1)</script>\n\n第二段"})
    services.publish_article(county, article)
    html = client_for(None).get(reverse("outreach:public_article", kwargs={"pk": article.pk})).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>第二段</p>" in html


def test_staff_pages_render(world, client_for):
    staff = client_for("county")
    for name in ("outreach:articles", "outreach:activities", "outreach:workplaces", "outreach:figures",
                 "outreach:import", "outreach:article_new", "outreach:activity_new", "outreach:workplace_new"):
        assert staff.get(reverse(name)).status_code == 200, name
    assert client_for("resident").get(reverse("outreach:lectures")).status_code == 403


def test_cancel_before_and_audience_after_on_the_lecture_page(world, client_for):
    county = world.users["county"]
    coming = services.save_lecture(county, lecture_data(world.community, title="将来"))
    held = services.save_lecture(county, lecture_data(world.community, days=-2, title="已办"))
    staff = client_for("county")
    page = staff.get(reverse("outreach:lecture", kwargs={"pk": coming.pk})).content.decode()
    assert reverse("outreach:lecture_cancel", kwargs={"pk": coming.pk}) in page
    staff.post(reverse("outreach:lecture_cancel", kwargs={"pk": coming.pk}), {"reason": "场地维修"})
    assert Lecture.objects.get(pk=coming.pk).cancelled
    page = staff.get(reverse("outreach:lecture", kwargs={"pk": held.pk})).content.decode()
    assert reverse("outreach:lecture_audience", kwargs={"pk": held.pk}) in page
    staff.post(reverse("outreach:lecture_audience", kwargs={"pk": held.pk}), {"audience": "１２０"})
    assert Lecture.objects.get(pk=held.pk).audience == 120
    bad = staff.post(reverse("outreach:lecture_audience", kwargs={"pk": held.pk}), {"audience": "很多"},
                     HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert "整数" in bad.content.decode() and Lecture.objects.get(pk=held.pk).audience == 120
    other = client_for("other_county")
    assert other.post(reverse("outreach:lecture_audience", kwargs={"pk": held.pk}), {"audience": "1"}).status_code == 404
