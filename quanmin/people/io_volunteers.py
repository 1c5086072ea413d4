"""Volunteer service out to Excel (B07): the register of brands and alliances, an activity's
sign-ups with the hours served, and the volunteers' hours per person in a year. Chinese headers
(the format offices exchange); cells starting with = + - @ are written as text (core.excel)."""

from django.utils import timezone
from django.utils.translation import override

from quanmin.core import excel

from .models import VolunteerActivity, VolunteerBrand, VolunteerSignup


def _labels(choices) -> dict:
    with override("zh-hans"):
        return {code: str(label) for code, label in choices}


def brands_response(qs):
    kinds = _labels(VolunteerBrand.Kind.choices)
    rows = [[b.pk, b.name, kinds[b.kind], b.region_id, b.region.name, b.organiser, b.founded_on or "", b.description,
             "在册" if b.active else "停用"] for b in qs.order_by("region_id", "name", "id")[:20000]]
    headers = ["系统编号", "名称", "类型", "区划代码", "区划", "发起单位", "成立日期", "简介", "状态"]
    return excel.xlsx_response(f"volunteer-brands-{timezone.localdate():%Y%m%d}.xlsx", [("志愿服务品牌", headers, rows)])


def signups_response(activity: VolunteerActivity):
    statuses = _labels(VolunteerSignup.Status.choices)
    rows = [[s.volunteer.real_name, s.volunteer_id, s.volunteer.region_id, statuses[s.status],
             s.log.hours if s.log and s.status == VolunteerSignup.Status.SERVED else "",
             timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M")]
            for s in activity.signups.select_related("volunteer", "log").order_by("created_at", "id")]
    headers = ["姓名", "系统ID", "区划代码", "状态", "服务时长（小时）", "报名时间"]
    return excel.xlsx_response(f"volunteers-{activity.pk}-{timezone.localdate():%Y%m%d}.xlsx",
                               [("志愿者报名", headers, rows)])


def hours_response(people, year: int):
    rows = [[p.real_name, p.pk, p.region_id, p.region.name, p.hours or 0, p.services, "是" if p.core else "否"]
            for p in people[:200000]]
    headers = ["姓名", "系统ID", "区划代码", "区划", f"{year}年志愿服务时长（小时）", "服务次数", "骨干"]
    return excel.xlsx_response(f"volunteer-hours-{year}.xlsx", [("志愿服务时长", headers, rows)])
