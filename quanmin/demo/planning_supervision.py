"""The demo city's supervision (督查) of its plan, seed 000, which asks for 「定期和不定期、重点督查与全面督查、
日常检查与专项检查、明查与暗访相结合」 visits to the counties: the city's supervisor (陈静) visited the first
county in 2021 jointly with the people's congress and government supervision offices (跟踪调研; a
problem rectified and closed, a good practice), made an unannounced visit (暗访) to
the second in 2022 on the opening of school grounds (one item awaiting verification, one overdue),
a special check of the third in 2023 (returned for missing photos), a routine visit to the first
county a month ago (its township has one item overdue, one due and one whose deadline was extended),
followed the first county's "三个一" project (target T0-06) by tracking research with the people's
congress, CPPCC and supervision offices over three visits in 2022-2023, called off a special check planned for the third (the reason shown), and has an unannounced visit
planned that only supervisors see. The bulletin of 2021–2023 is published (staff of the city and its
counties read it); this year's is a draft. The first county's staff gave 赵红 of its people's congress
office (区人大办) the read-only oversight role: she reads that county's supervision and nothing else.
Called by quanmin/demo/planning.py."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts.models import Membership, Role
from quanmin.demo import accounts as accounts_demo
from quanmin.planning.models import Plan, Visit
from quanmin.planning.services import oversight, supervision
from quanmin.regions.models import Region

OVERSIGHT_PHONE, OVERSIGHT_NAME = "13800000008", "赵红"


def _person(role, region):
    found = Membership.objects.filter(role=role, region=region).select_related("user").order_by("pk").first()
    return found.user if found else None


def load(city, plan: Plan) -> None:
    supervisor = _person(Role.SUPERVISOR, city)
    if supervisor is None or Visit.objects.filter(plan=plan).exists():
        return
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    if len(counties) < 2:
        return
    third = counties[2] if len(counties) > 2 else counties[1]
    township = Region.objects.filter(parent=counties[0]).order_by("code").first() or counties[0]
    city_staff = _person(Role.CITY_STAFF, city)
    answerer = {c.code: _person(Role.COUNTY_STAFF, c) or city_staff for c in counties}
    answerer[township.code] = _person(Role.TOWNSHIP_STAFF, township) or answerer[counties[0].code]
    today = timezone.localdate()

    def visit(county, day, title, schedule, coverage, kind, manner, summary, joint_with=()):
        return supervision.plan_visit(supervisor, plan, division_code=county.code, title=title, schedule=schedule,
                                      coverage=coverage, kind=kind, manner=manner, planned_on=day, visited_on=day,
                                      team="市体育局督查组（陈静 等3人）", summary=summary, joint_with=list(joint_with))

    def problem(v, where, severity, place, text, requirement, deadline):
        finding = supervision.add_finding(supervisor, v, division_code=where.code, severity=severity, place=place,
                                          text=text)
        return supervision.add_rectification(supervisor, finding, requirement=requirement, deadline=deadline)

    def answer(item, text, photo=False):
        supervision.respond(answerer[item.division_code], item, text=text,
                            evidence=ContentFile(b"%PDF-1.4 demo rectification", name="整改佐证材料.pdf") if photo else None)

    first = visit(counties[0], date(2021, 6, 18), f"{counties[0].name}全民健身工作全面督查", "regular", "overall", "routine",
                  "announced", "听取汇报，查看全民健身中心、两处健身广场和一个社区健身站点。",
                  joint_with=("congress", "government_office"))
    item = problem(first, township, "major", f"{township.name}健身广场",
                   "健身路径3件器材损坏，未设置警示标识，点检记录缺失。",
                   "停用损坏器材并设置警示标识，30日内修复，建立日常点检台账。", date(2021, 7, 18))
    answer(item, "已更换损坏器材3件，设置警示标识，建立日常点检台账。", photo=True)
    supervision.verify(supervisor, item, close=True, text="现场复核，已整改到位。")
    supervision.add_finding(supervisor, first, kind="practice", place=f"{counties[0].name}全民健身中心",
                            text="全民健身中心全面实行线上预约，免费低收费开放时段在入口和平台同步公示。")

    track(counties[0], supervisor, plan, problem, answer)
    county_staff = _person(Role.COUNTY_STAFF, counties[0])
    if county_staff is not None:
        oversight.grant(county_staff, accounts_demo.account(OVERSIGHT_PHONE, OVERSIGHT_NAME, region=counties[0]),
                        counties[0].code)

    second = visit(counties[1], date(2022, 4, 12), "学校体育场地开放情况暗访", "unscheduled", "focused", "special",
                   "unannounced", "随机抽查4所中小学体育场地开放情况。")
    item = problem(second, counties[1], "serious", "城区两所中学",
                   "两所中学体育场地未按公布时段向社会开放，门卫不知晓开放制度。",
                   "落实学校体育场地开放制度，公示开放时段和预约方式。", date(2022, 5, 31))
    answer(item, "两所学校已公示开放时段，接入平台预约，门卫已培训。", photo=True)
    problem(second, counties[1], "minor", "社区健身站点", "社区健身站点未公示社会体育指导员服务时间。",
            "公示社会体育指导员姓名、等级和服务时间。", date(2022, 6, 30))

    special = visit(third, date(2023, 9, 20), "“两个一”健身设施建设专项督查", "regular", "focused", "special",
                    "announced", "抽查8个行政村的健身设施建设情况。")
    item = problem(special, third, "major", "抽查的8个行政村",
                   "2个行政村未建成“两个一”健身设施（一个篮球场、一套健身路径）。",
                   "年底前建成并报送竣工照片和验收材料。", date(2023, 12, 31))
    answer(item, "两个村的篮球场和健身路径已建成。")
    supervision.verify(supervisor, item, close=False, text="缺少竣工照片和验收材料，请补充。")

    recent = visit(counties[0], today - timedelta(days=30), f"{township.name}健身设施日常检查", "regular", "overall",
                   "routine", "announced", "查看健身步道、健身路径和社区运动场地。")
    problem(recent, township, "minor", "滨河健身步道", "健身步道两处照明损坏，夜间锻炼存在安全隐患。",
            "修复步道照明。", today - timedelta(days=3))
    problem(recent, township, "minor", "社区运动场", "篮球架篮网缺失，场地标线磨损。",
            "更换篮网，重新施划标线。", today + timedelta(days=30))
    item = problem(recent, township, "minor", "滨河公园", "公园内笼式足球场围网破损。",
                   "更换破损围网。", today - timedelta(days=1))
    supervision.extend_deadline(supervisor, item, deadline=today + timedelta(days=20),
                                reason="围网需定制，供货周期约三周，经核实同意延期。")
    called_off = supervision.plan_visit(
        supervisor, plan, division_code=third.code, title="社区健身站点专项检查", schedule="regular", coverage="focused",
        kind="special", manner="announced", planned_on=today + timedelta(days=7), team="市体育局督查组")
    supervision.cancel_visit(supervisor, called_off, reason="与省体育局年度检查时间冲突，另行安排。")

    supervision.plan_visit(supervisor, plan, division_code=counties[1].code, title="公共体育场馆免费低收费开放暗访",
                           schedule="unscheduled", coverage="focused", kind="special", manner="unannounced",
                           planned_on=today + timedelta(days=14), team="市体育局督查组")

    bulletin = supervision.write_bulletin(
        supervisor, plan, title="关于2021—2023年全民健身工作督查情况的通报", document_number="聊体督〔2024〕1号",
        period_start=date(2021, 1, 1), period_end=date(2023, 12, 31),
        foreword="按照《聊城市全民健身三年行动实施方案》“建立督查机制”的要求，市体育局对各县（市、区）全民健身工作"
                 "进行了督查。现将督查情况通报如下。")
    supervision.publish(supervisor, bulletin)
    supervision.write_bulletin(supervisor, plan, title=f"关于{today.year}年全民健身工作督查情况的通报",
                               period_start=date(today.year, 1, 1), period_end=today)


def track(county, supervisor, plan, problem, answer) -> None:
    """Tracking research (跟踪调研, seed 002 task 8) on the county's "三个一" project (T0-06): three visits
    with the people's congress, CPPCC and supervision offices, from a site not yet chosen to a centre in
    use."""
    target = plan.targets.filter(key="T0-06").first()
    if target is None:
        return
    steps = [
        (date(2022, 3, 22), "“三个一”工程建设跟踪调研（一）", ["congress", "cppcc"],
         "区人大办、区政协办随同调研，听取“三个一”工程推进情况汇报，查看全民健身中心拟选址地块。"),
        (date(2022, 9, 15), "“三个一”工程建设跟踪调研（二）", ["congress", "government_office"],
         "查看全民健身中心主体施工和体育公园建设现场。"),
        (date(2023, 4, 20), "“三个一”工程建设跟踪调研（三）", ["congress", "cppcc", "party_office", "government_office"],
         "全民健身中心已投入使用，体育公园开园，公共体育场改造完成过半。"),
    ]
    visits = [supervision.plan_visit(supervisor, plan, division_code=county.code, title=title, schedule="regular",
                                     coverage="focused", kind="tracking", manner="announced", planned_on=day,
                                     visited_on=day, team="市体育局、区人大办、区政协办联合调研组", summary=summary,
                                     joint_with=bodies, target_id=target.pk)
              for day, title, bodies, summary in steps]
    item = problem(visits[0], county, "major", "全民健身中心拟选址地块", "全民健身中心用地手续未办结，开工时间未确定。",
                   "协调自然资源部门办结用地手续，明确开工时间并报送进度计划。", date(2022, 6, 30))
    answer(item, "用地手续已办结，已于5月20日开工，进度计划已报送。", photo=True)
    supervision.verify(supervisor, item, close=True, text="第二次跟踪调研现场核实，已开工。")
    item = problem(visits[1], county, "minor", "体育公园", "体育公园健身步道铺装标准偏低，未设置无障碍坡道。",
                   "按无障碍设计规范增设坡道，提高步道铺装标准。", date(2022, 12, 31))
    answer(item, "已增设无障碍坡道2处，步道改用透水塑胶铺装。", photo=True)
    supervision.verify(supervisor, item, close=True, text="第三次跟踪调研现场核实，已整改到位。")
    supervision.add_finding(supervisor, visits[2], kind="practice", place="区全民健身中心",
                            text="全民健身中心建成后实行线上预约和免费低收费开放，每周开放不少于56小时。")
