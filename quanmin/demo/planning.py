"""The demo city's plans: seed 000 (聊城市全民健身三年行动实施方案) is the city's own, and the four
other seed plans load beside it so the register shows every convention of the seeds. Two department
staff (市教育体育局, which leads all 16 measures, and 市卫生健康委, responsible with it for 体医融合)
report on their tasks; the city reviews some; the rest stay overdue, as the home page then says. The
joint meeting of 2021 sits once and makes one decision a task of the plan; the first county writes
its measures for the current three years from the city's plan and its working group meets this year. The city's supervisor
visits the counties, sets rectification items and publishes a bulletin (demo/planning_supervision.py);
the counties record their four inclusions and the city confirms them (demo/planning_inclusions.py).
The first county writes its own implementation plan from scratch (seed 004: 时间表、路线图、任务书、
优先序) through the authoring services: three phases, three targets, four tasks in a priority order.
The indicators of the city's targets are snapshotted at the last 12 month ends and today for the city
and its counties, so the dashboard shows a trend from the first day and reads today's values (the
monthly command adds the rest; indicators whose register keeps no history have today's only)."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts import services as accounts
from quanmin.accounts.models import Membership, Role, User
from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning_inclusions, planning_supervision
from quanmin.planning.models import Department, Plan, TaskPeriod
from quanmin.planning.services import authoring, loading, meetings, snapshots, tasks
from quanmin.regions import codes
from quanmin.regions.models import Region

STAFF = [("13800000040", "孙建国", "市教育体育局"), ("13800000041", "刘晓燕", "市卫生健康委")]
REPORTS = {
    "(一)1": ("已完成全市健身场地设施现状调查，公布可用于建设健身设施的非体育用地目录。", True, True),
    "(一)2": ("新布设全民健身路径、新增篮球场和羽毛球场，进度见附表。", True, False),
    "(一)4": ("建立日常、定期和专项点检制度，公开监督举报电话。", False, False),
    "(五)2": ("东昌府区处方库、高新区健身气功与康养、冠县体医康复中心三个试点已启动。", False, False),
}


def load(city, rng):
    for path in loading.data_files():
        loading.load_file(path)
    plan = Plan.objects.get(division_code=city.code)
    tasks.ensure_periods(plan)
    staff = {}
    for phone, name, department_name in STAFF:
        department = Department.objects.get(division_code=city.code, name=department_name)
        user = accounts_demo.account(phone, name, region=city)
        accounts.grant_membership(user, Role.DEPARTMENT_STAFF, city, target=department)
        staff[department_name] = user
    reviewer = User.objects.filter(is_superuser=True).first()
    lead = staff["市教育体育局"]
    for number, (text, done, accepted) in REPORTS.items():
        period = TaskPeriod.objects.filter(task__plan=plan, task__number=number).first()
        if period is None or period.entries.exists():
            continue
        tasks.report(lead, period, text=text, percent=100 if done else rng.choice((40, 60, 80)), done=done,
                     evidence=ContentFile(b"%PDF-1.4 demo evidence", name="进展材料.pdf") if done else None)
        if accepted and reviewer is not None:
            tasks.review(reviewer, period, decision="accepted", text="材料齐全，同意。")
    period = TaskPeriod.objects.filter(task__plan=plan, task__number="(五)2").first()
    if period is not None and not period.entries.filter(kind="comment").exists():
        tasks.comment(staff["市卫生健康委"], period, text="市卫生健康委已安排冠县人民医院配合康复中心建设。")
    if reviewer is not None and not plan.meetings.exists():
        meeting = meetings.record(reviewer, plan, held_on=plan.starts_on.replace(month=3, day=15),
                                  title="聊城市全民健身工作联席会议2021年第一次会议", place="市政府第一会议室",
                                  member_ids=[d.pk for d in meetings.departments_of(plan)
                                              if d.name in ("市教育体育局", "市卫生健康委", "市财政局")],
                                  minutes="传达全民健身三年行动实施方案，明确年度重点任务分工。")
        sport = Department.objects.get(division_code=city.code, name="市教育体育局")
        meetings.decide(reviewer, meeting, text="年底前完成全市健身设施点检并通报结果", lead_id=sport.pk,
                        deadline=plan.starts_on.replace(month=12, day=31))
    today = timezone.localdate()
    this_year = min(today, today.replace(month=3, day=15))
    if reviewer is not None and not plan.meetings.filter(held_on__year=today.year).exists():
        meetings.record(reviewer, plan, held_on=this_year, title=f"聊城市全民健身工作联席会议{today.year}年第一次会议",
                        place="市政府第一会议室",
                        member_ids=[d.pk for d in meetings.departments_of(plan)
                                    if d.name in ("市教育体育局", "市财政局", "市住房城乡建设局")],
                        minutes="通报三年行动完成情况，研究健身设施补短板和赛事活动安排。")
    if reviewer is not None:
        _county_plan(reviewer, city, plan, this_year)
    keys = sorted({t.indicator for t in plan.targets.exclude(indicator="")})
    dates = snapshots.month_ends(today.replace(year=today.year - 1, day=1), today)
    snapshots.take(dates, scope=codes.prefix(city.code), keys=keys, levels=("city", "county"))
    planning_supervision.load(city, plan)
    planning_inclusions.load(city, plan)
    county_plan(city, today)


COUNTY_TARGETS = [
    {"name": "体育场地数量", "quote": "全县（市、区）体育场地达到{n}块", "comparator": ">=", "unit": "count",
     "kind": "count", "indicator": "grounds"},
    {"name": "经常参加体育锻炼人数比例", "quote": "经常参加体育锻炼人数比例达到40%", "comparator": ">=", "value": "40",
     "unit": "percent", "kind": "ratio"},
    {"name": "乡镇（街道）全民健身中心全覆盖", "quote": "每个乡镇（街道）建有全民健身中心", "comparator": "yes",
     "unit": "count", "kind": "yes_no", "level": "township", "each": True},
]
COUNTY_TASKS = [
    ("新建改建社区健身广场和多功能运动场", "体育局", "住房城乡建设局、自然资源局", 0, 1),
    ("每年举办全民健身运动会和系列赛事活动", "体育局", "各乡镇（街道）", "每年", 2),
    ("推进体医融合，建设运动促进健康服务点", "卫生健康局", "体育局", 1, 3),
    ("加强社会体育指导员队伍建设和科学健身指导", "体育局", "", "持续实施", None),
]


def county_plan(city, today):
    """The first county's own plan for this year and the next two, written through the services
    (once: a second load finds it)."""
    county = Region.objects.filter(parent=city, level="county").order_by("code").first()
    staff = Membership.objects.filter(role=Role.COUNTY_STAFF, region=county).select_related("user").first()
    if county is None or staff is None:
        return None
    title = f"{county.name}全民健身实施计划（{today.year}—{today.year + 2}年）"
    found = Plan.objects.filter(division_code=county.code, title=title).first()
    if found is not None:
        return found
    user, year = staff.user, today.year
    plan = authoring.create_plan(user, {"title": title, "division_code": county.code, "issuer": f"{county.name}人民政府",
                                        "starts_on": today.replace(month=1, day=1),
                                        "ends_on": today.replace(year=year + 2, month=12, day=31)})
    for name, first, last in (("启动阶段", (year, 1, 1), (year, 6, 30)), ("实施阶段", (year, 7, 1), (year + 1, 12, 31)),
                              ("提升阶段", (year + 2, 1, 1), (year + 2, 12, 31))):
        authoring.add_phase(user, plan, {"name": name, "starts_on": today.replace(year=first[0], month=first[1],
                                                                                   day=first[2]),
                                         "ends_on": today.replace(year=last[0], month=last[1], day=last[2])})
    grounds = 1.2 * float(indicators.compute("grounds", [county.code], today).get(county.code) or 100)
    for number, row in enumerate(COUNTY_TARGETS, start=1):
        value = row.get("value", str(int(grounds)))
        authoring.add_target(user, plan, {**row, "key": f"T{number}", "value": value, "year": year + number - 1,
                                          "quote": row["quote"].format(n=value)})
    prefix = county.name[-1]  # 区 or 县: the county's own departments
    for title, lead, responsible, deadline, priority in COUNTY_TASKS:
        if isinstance(deadline, int):
            deadline = f"{year + deadline}年底前"
        authoring.add_task(user, plan, {
            "title": title, "lead": f"{prefix}{lead}", "priority": priority, "deadline_text": deadline,
            "responsible": "、".join(n if n.startswith("各") else f"{prefix}{n}" for n in responsible.split("、") if n)})
    return plan


def _county_plan(author, city, template: Plan, held_on) -> None:
    """The first county's measures for the current three years, written from the city's plan as
    its template, and this year's meeting of its working group (工作专班): a county with a plan of
    its own (T4-02) and a county meeting (T0-25)."""
    county = Region.objects.filter(parent=city, level="county").order_by("code").first()
    if county is None or Plan.objects.filter(division_code=county.code).exists():
        return
    year = held_on.year
    county_plan = authoring.create_plan(author, {
        "division_code": county.code, "title": f"{county.name}全民健身三年行动实施措施（{year - 2}-{year}年）",
        "issuer": f"{county.name}人民政府办公室", "starts_on": date(year - 2, 1, 1), "ends_on": date(year, 12, 31)},
        template=template)
    meetings.record(author, county_plan, held_on=held_on, title=f"{county.name}全民健身工作专班{year}年第一次会议",
                    place=f"{county.name}政府第三会议室",
                    member_ids=[d.pk for d in meetings.departments_of(county_plan)][:3],
                    minutes="研究本区实施措施年度任务分工，部署社区运动会和健身设施补短板工作。")


def describe() -> list[tuple[str, str]]:
    out = []
    for phone, _name, department in STAFF:
        user = User.objects.filter(phone_hash=crypto.lookup_hash(phone)).first()
        if user is not None:
            out.append((phone, f"{user.real_name}: {Role.DEPARTMENT_STAFF.label}（{department}）"))
    person = User.objects.filter(phone_hash=crypto.lookup_hash(planning_supervision.OVERSIGHT_PHONE)).first()
    if person is not None:
        out.append((planning_supervision.OVERSIGHT_PHONE, f"{person.real_name}: {Role.OVERSIGHT.label}（区人大办）"))
    return out
