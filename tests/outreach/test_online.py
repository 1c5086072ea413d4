"""Online fitness services (F11): the register of online channels and its indicators counted by
hand, the online courses (links only, to the allowed video sites), a resident's "done" mark, the
API over real HTTP with scoping (404 outside), and the channel register's Excel round trip."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from quanmin.outreach import figures, indicators, io_online, services_online
from quanmin.outreach.errors import OutreachError
from quanmin.outreach.models import Channel, Course, CourseCompletion

ON = "/api/v1/outreach/online"
YEAR = timezone.localdate().year


def channel_data(region, **extra):
    data = {"region": region.code, "kind": "wechat", "name": "聊城体育 微信公众号", "owner": "聊城市教育和体育局",
            "opened_year": YEAR - 3, "closed_year": None, "link": "https://mp.weixin.qq.com/", "account": "lcty"}
    data.update(extra)
    return data


def course_data(region, **extra):
    data = {"region": region.code, "title": "亲子跳绳课", "kind": "video", "sport": "跳绳", "level": "beginner",
            "minutes": 20, "scene": "home", "audience": "family", "teacher": "李老师", "provider": "东昌府区教育和体育局",
            "summary": "家长和孩子一起跳", "link": "https://www.bilibili.com/video/BV1GJ411x7h7"}
    data.update(extra)
    return data


def published(world, region=None, **extra):
    staff = world.users["county"]
    return services_online.publish_course(staff, services_online.save_course(staff, course_data(
        region or world.community, **extra)))


# ---------------------------------------------------------------- services


def test_channel_years_are_checked_and_a_closed_one_leaves_the_count(world):
    staff = world.users["county"]
    with pytest.raises(OutreachError) as err:
        services_online.save_channel(staff, channel_data(world.county, opened_year=YEAR + 1))
    assert err.value.code == "year_future"
    with pytest.raises(OutreachError) as err:
        services_online.save_channel(staff, channel_data(world.county, closed_year=YEAR - 4))
    assert err.value.code == "closed_before_opened"
    with pytest.raises(OutreachError) as err:
        services_online.save_channel(staff, channel_data(world.county, link="javascript:alert(1)"))
    assert err.value.code == "link_invalid"
    with pytest.raises(OutreachError) as err:
        services_online.save_channel(staff, channel_data(world.other_county))
    assert err.value.code == "region_out_of_scope" and not Channel.objects.exists()
    made = services_online.save_channel(staff, channel_data(world.county))
    with pytest.raises(OutreachError) as err:
        services_online.save_channel(staff, channel_data(world.county))
    assert err.value.code == "channel_exists"
    services_online.save_channel(staff, channel_data(world.county, closed_year=YEAR), made)
    made.refresh_from_db()
    assert not made.in_service and made.in_service_in(YEAR - 1) and not made.in_service_in(YEAR)


def test_a_course_links_only_to_an_allowed_video_site_and_a_live_one_has_a_time(world):
    staff = world.users["county"]
    for bad, code in (("http://www.bilibili.com/video/x", "link_host"), ("https://evil.example.com/v.mp4", "link_host"),
                      ("https://bilibili.com.evil.cn/x", "link_host"), ("", "link_required"),
                      ("https://www.bilibili.com/ video", "link_invalid")):
        with pytest.raises(OutreachError) as err:
            services_online.save_course(staff, course_data(world.community, link=bad))
        assert err.value.code == code, bad
    with pytest.raises(OutreachError) as err:
        services_online.save_course(staff, course_data(world.community, kind="live"))
    assert err.value.code == "starts_at_required" and not Course.objects.exists()
    live = services_online.save_course(staff, course_data(world.community, kind="live", starts_at="2030-05-01 19:30",
                                                          link="https://live.bilibili.com/21452505"))
    assert timezone.localtime(live.starts_at).hour == 19 and live.status == "draft"
    video = services_online.save_course(staff, course_data(world.community, kind="video",
                                                           starts_at="2030-05-01 19:30"))
    assert video.starts_at is None


def test_a_resident_marks_a_published_course_done_once_and_a_live_class_once_started(world):
    staff, me = world.users["county"], world.users["resident"]
    draft = services_online.save_course(staff, course_data(world.community))
    with pytest.raises(OutreachError) as err:
        services_online.mark_done(me, draft)
    assert err.value.code == "course_not_published"
    course = services_online.publish_course(staff, draft)
    services_online.mark_done(me, course)
    with pytest.raises(OutreachError) as err:
        services_online.mark_done(me, course)
    assert err.value.code == "already_done" and CourseCompletion.objects.filter(user=me).count() == 1
    services_online.unmark_done(me, course)
    with pytest.raises(OutreachError) as err:
        services_online.unmark_done(me, course)
    assert err.value.code == "not_done"
    soon = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    live = published(world, kind="live", starts_at=soon, link="https://live.bilibili.com/1")
    with pytest.raises(OutreachError) as err:
        services_online.mark_done(me, live)
    assert err.value.code == "course_not_started"


# ---------------------------------------------------------------- indicators and figures, counted by hand


def test_channel_and_course_figures_match_a_hand_count(world):
    staff, city = world.users["county"], world.users["city"]
    services_online.save_channel(city, channel_data(world.city, opened_year=YEAR - 2))          # city, old
    services_online.save_channel(staff, channel_data(world.county, name="东昌府区全民健身", kind="mini_program",
                                                     opened_year=YEAR))                         # county, new
    services_online.save_channel(staff, channel_data(world.community, name="东关社区直播间", kind="live_room",
                                                     opened_year=YEAR))                         # community, new
    services_online.save_channel(staff, channel_data(world.township, name="古楼街道视频号", kind="video_account",
                                                     opened_year=YEAR - 2, closed_year=YEAR))   # closed this year
    services_online.save_channel(world.users["other_county"], channel_data(
        world.other_county, name="茌平体育", opened_year=YEAR - 1))                             # other county
    wanted = [world.city.code, world.county.code, world.township.code, world.other_county.code]
    today = timezone.localdate()
    assert indicators.online_channels(wanted, today) == {
        world.city.code: 4, world.county.code: 2, world.township.code: 1, world.other_county.code: 1}
    assert indicators.new_online_channels(wanted, today) == {
        world.city.code: 2, world.county.code: 2, world.township.code: 1, world.other_county.code: 0}
    last_year = today.replace(year=YEAR - 1, month=12, day=31)
    assert indicators.online_channels(wanted, last_year)[world.county.code] == 1  # the street's, open then
    assert indicators.new_online_channels(wanted, last_year)[world.city.code] == 1  # 茌平体育

    published(world)                                              # family, home
    published(world, title="办公室肩颈操", scene="office", audience="workplace")
    services_online.save_course(staff, course_data(world.community, title="草稿"))  # a draft: not counted
    done = published(world, title="八段锦", scene="any", audience="elderly")
    services_online.mark_done(world.users["resident"], done)
    assert indicators.online_courses_published(wanted, today)[world.county.code] == 3
    rows = {r.region: r for r in figures.online_rollup(world.city, today)}
    county = rows[world.county.code]
    assert (county.channels, county.new_channels, county.courses_published, county.scene_courses,
            county.family_courses, county.live_courses, county.completions) == (2, 2, 3, 2, 1, 0, 1)
    assert rows[world.city.code].channels == 4 and rows[world.other_county.code].courses_published == 0


# ---------------------------------------------------------------- API


def test_api_staff_publish_and_a_resident_browses_filters_and_marks_done(world, client_for):
    staff = client_for("county")
    made = staff.post(f"{ON}/courses", course_data(world.community), content_type="application/json")
    assert made.status_code == 201, made.content
    course = made.json()
    assert course["status"] == "draft" and course["scene_label"] and course["audience_label"]
    resident = client_for("resident")
    assert resident.get(f"{ON}/public/courses").json()["count"] == 0
    assert resident.get(f"{ON}/public/courses/{course['id']}").status_code == 404
    assert staff.post(f"{ON}/courses/{course['id']}/publish", {"publish": True},
                      content_type="application/json").status_code == 200
    assert [c["id"] for c in resident.get(f"{ON}/public/courses?audience=family").json()["items"]] == [course["id"]]
    assert resident.get(f"{ON}/public/courses?scene=office").json()["count"] == 0
    assert resident.get(f"{ON}/public/courses?scene=nonsense").json()["count"] == 0
    # The other county's resident does not see this county's course.
    assert client_for("other_resident").get(f"{ON}/public/courses").json()["count"] == 0
    done = resident.post(f"{ON}/public/courses/{course['id']}/done")
    assert done.status_code == 201 and done.json()["done_by_me"]
    again = resident.post(f"{ON}/public/courses/{course['id']}/done", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 409 and again.json()["code"] == "already_done"
    assert client_for(None).post(f"{ON}/public/courses/{course['id']}/done").status_code == 401
    assert staff.get(f"{ON}/courses/{course['id']}").json()["done_count"] == 1
    assert resident.delete(f"{ON}/public/courses/{course['id']}/done").status_code == 204
    figures_rows = staff.get(f"{ON}/figures").json()
    assert figures_rows[0]["region"] == world.county.code and figures_rows[0]["courses_published"] == 1


def test_api_bad_input_is_a_coded_chinese_400_and_other_counties_get_404(world, client_for):
    staff = client_for("county")
    answer = staff.post(f"{ON}/courses", course_data(world.community, link="https://example.com/a.mp4"),
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and answer.json()["code"] == "link_host" and "bilibili.com" in answer.json()["message"]
    answer = staff.post(f"{ON}/channels", channel_data(world.county, kind="telegraph"), content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and answer.json()["code"] == "kind_unknown" and "请从" in answer.json()["message"]
    assert not Course.objects.exists() and not Channel.objects.exists()
    channel = staff.post(f"{ON}/channels", channel_data(world.county), content_type="application/json").json()
    course = published(world)
    other = client_for("other_county")
    assert other.get(f"{ON}/channels/{channel['id']}").status_code == 404
    assert other.put(f"{ON}/channels/{channel['id']}", channel_data(world.other_county),
                     content_type="application/json").status_code == 404
    assert other.get(f"{ON}/courses/{course.pk}").status_code == 404
    assert other.post(f"{ON}/courses/{course.pk}/publish", {"publish": False},
                      content_type="application/json").status_code == 404
    assert other.get(f"{ON}/channels").json()["count"] == 0
    # The township's staff read the county's channel? No: it is above them.
    assert client_for("township").get(f"{ON}/channels/{channel['id']}").status_code == 404
    assert client_for("resident").get(f"{ON}/channels").status_code == 403


# ---------------------------------------------------------------- Excel


def _sheet(rows, headers=io_online.HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "channels.xlsx"
    return out


def test_channel_register_round_trip_and_all_or_nothing(world, client_for):
    staff = world.users["county"]
    services_online.save_channel(staff, channel_data(world.county))
    services_online.save_channel(staff, channel_data(world.community, kind="live_room", name="东关社区直播间",
                                                     opened_year=YEAR, link="", note="=HYPERLINK(1)"))
    exported = client_for("county").get(f"{ON}/channels/export.xlsx")
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == io_online.HEADERS and len(rows) == 3
    sheet.cell(2, 4).value = "东昌府区教育和体育局"  # a corrected owner
    sheet.append([world.township.code, "城市服务APP", "古楼街道 爱山东", "古楼街道办事处", YEAR, None,
                  "https://www.example.cn/app", None, None])
    edited = io.BytesIO()
    book.save(edited)
    edited.seek(0)
    edited.name = "channels.xlsx"
    report = io_online.import_channels(staff, edited, dry_run=False)
    assert report.applied and report.counts == {"rows": 3, "new": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    assert Channel.objects.get(name="聊城体育 微信公众号").owner == "东昌府区教育和体育局"
    assert Channel.objects.get(name="古楼街道 爱山东").kind == "city_app"
    # A bad row rejects the file: nothing written, the line named.
    before = list(Channel.objects.values_list("pk", "owner", "closed_year").order_by("pk"))
    bad = [[world.county.code, "微信公众号", "聊城体育 微信公众号", "新单位", YEAR - 3, YEAR, "", "", ""],
           [world.other_county.code, "网站", "茌平体育网", "茌平区体育局", YEAR, None, "", "", ""],
           [world.county.code, "微信公众号", "东昌府发布", "区融媒体中心", YEAR + 2, None, "", "", ""]]
    report = io_online.import_channels(staff, _sheet(bad), dry_run=False)
    assert not report.applied and [r.line for r in report.rejected] == [3, 4]
    assert list(Channel.objects.values_list("pk", "owner", "closed_year").order_by("pk")) == before
    answer = client_for("county").post(f"{ON}/channels/import", {"file": _sheet(bad), "dry_run": "false"},
                                       HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and answer.json()["code"] == "import_row_invalid"
    # The export neutralises a formula.
    exported = client_for("county").get(f"{ON}/channels/export.xlsx")
    cells = [c for r in load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active.iter_rows()
             for c in r]
    assert all(c.data_type != "f" for c in cells) and any(c.value == "=HYPERLINK(1)" for c in cells)
