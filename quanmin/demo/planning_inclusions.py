"""The demo city's "four inclusions" (四纳入, D11): each county's sports staff recorded last year's four
inclusions with the document behind each (the government's standing meeting, the budget report, the
government work report, the performance assessment scheme) and the city's staff (孙建国) confirmed
most of them; one county did not put national fitness into its performance assessment, one budget
record still awaits confirmation and one record was returned for a missing page. This year the first
counties have recorded their agenda, budget and work report, awaiting confirmation. The city's
supervisor (陈静) carried out last year's annual supervision (一督查) in the first three counties, so the
overview shows the others without one. The counties
beyond the two with demo accounts get a sports-staff account of their own here (not listed by
`make run`). Called by quanmin/demo/planning.py, after supervision (the overview reads its visits)."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Membership, Role
from quanmin.demo import accounts as accounts_demo
from quanmin.planning.models import Inclusion
from quanmin.planning.services import inclusions, supervision
from quanmin.regions.models import Region

NAMES = ["赵磊", "钱丽", "周强", "吴静", "郑涛", "冯雪", "陈刚", "褚敏", "卫东", "蒋华", "沈洁", "韩冰"]


def _staff(county, index: int):
    found = Membership.objects.filter(role=Role.COUNTY_STAFF, region=county).select_related("user").first()
    if found is not None:
        return found.user
    user = accounts_demo.account(f"13800001{index:03d}", NAMES[index % len(NAMES)], region=county)
    accounts.grant_membership(user, Role.COUNTY_STAFF, county)
    return user


def _documents(name: str, year: int, n: int) -> dict:
    return {
        "agenda": (f"{name}人民政府第{n + 3}次常务会议（研究全民健身工作）", date(year, 3, 6 + n)),
        "budget": (f"关于{name}{year - 1}年预算执行情况和{year}年预算草案的报告", date(year, 1, 8 + n)),
        "work_report": (f"{year}年{name}人民政府工作报告", date(year, 1, 6 + n)),
        "performance": (f"{name}{year}年度经济社会发展综合绩效考核实施方案", date(year, 4, 10 + n)),
    }


def load(city, plan) -> None:
    confirmer = Membership.objects.filter(role=Role.CITY_STAFF, region=city).select_related("user").first()
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if confirmer is None or not counties or Inclusion.objects.filter(division_code__in=[c.code for c in counties]).exists():
        return
    confirmer = confirmer.user
    today = timezone.localdate()
    last, this = today.year - 1, today.year

    def put(county, staff, year, kind, n, included=True, note="", confirm=True, reason=""):
        document, dated = _documents(county.name, year, n)[kind]
        made = inclusions.record(staff, county.code, year, kind, included=included,
                                 document=document if included else "", dated=min(dated, today) if included else None,
                                 note=note, evidence=ContentFile(b"%PDF-1.4 demo inclusion", name=f"{document}.pdf")
                                 if included else None)
        if confirm or reason:
            inclusions.decide(confirmer, made, confirm=confirm, reason=reason)

    for n, county in enumerate(counties):
        staff = _staff(county, n)
        for kind in ("agenda", "budget", "work_report", "performance"):
            if n == 1 and kind == "performance":
                put(county, staff, last, kind, n, included=False,
                    note="全民健身工作尚未列入区综合绩效考核指标，拟于下一年度纳入。")
            elif n == 2 and kind == "budget":
                put(county, staff, last, kind, n, confirm=False)
            elif n == 3 and kind == "performance":
                put(county, staff, last, kind, n, confirm=False,
                    reason="上传的考核方案未包含全民健身相关指标页，请补充附件后重新提交。")
            else:
                put(county, staff, last, kind, n)
        if n < 3:
            _supervise(county, plan, last, n)
            for kind in ("agenda", "budget", "work_report"):
                put(county, staff, this, kind, n, confirm=(n == 1 and kind == "work_report"))


def _supervise(county, plan, year: int, n: int) -> None:
    """The county's annual supervision of the year (列入区政府年度督查内容), by the city's supervisor."""
    found = Membership.objects.filter(role=Role.SUPERVISOR, region_id=plan.division_code).select_related("user").first()
    if found is None:
        return
    day = date(year, 10, 12 + n)
    supervision.plan_visit(found.user, plan, division_code=county.code, title=f"{county.name}{year}年度全民健身工作督查",
                           schedule="regular", coverage="overall", kind="routine", manner="announced", planned_on=day,
                           visited_on=day, team="市体育局督查组",
                           summary="按年度督查计划，听取四纳入落实情况汇报，查阅政府常务会议纪要和预算文件。")
