"""The demo city's performance evaluation (绩效评估) of its plan (seed 000): an indicator system of
three items computed from the plan's targets and two scored by the city's evaluator (杨磊) with
evidence; the annual evaluation of 2022, every county's result approved; the final evaluation of
2023 with a third party (聊城大学全民健身评估中心, its evaluator 周敏) scoring beside the evaluator,
some counties approved and the rest still being scored. The plan's annual reports of 2022 and 2023
then show targets, tasks and these results.

2022's results are published for the public (/plans/evaluations/). Three special evaluations (专项评估):
of the target 人均体育场地面积, ordered by the city government's inspection office and carried out by
the university's centre, concluded and published; of the task 加大全民健身场地设施供给, by the city's
bureau, concluded, not published; and of a funded project, a county fitness centre, still open."""

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import Role, User
from quanmin.demo import accounts as accounts_demo
from quanmin.planning import selectors_evaluation
from quanmin.planning.models import CountyScore, Evaluation, EvaluationItem, Plan
from quanmin.planning.services import evaluation, special

THIRD_PARTY = ("13800000047", "周敏")
AGENCY = "聊城大学全民健身评估中心"
EVALUATOR = "13800000007"  # 杨磊, the city's evaluator (accounts demo)
ITEMS = [
    {"name": "人均体育场地面积", "weight": "25", "method": "computed", "target": "T0-03",
     "criteria": "达到2.7平方米得满分，未达到按实际值与目标值之比计分"},
    {"name": "每万人社会体育指导员数", "weight": "20", "method": "computed", "target": "T0-11",
     "criteria": "达到万分之三十七得满分，未达到按比例计分"},
    {"name": "社区运动会覆盖率", "weight": "20", "method": "computed", "target": "T0-17",
     "criteria": "所辖社区（村）举办社区运动会的比例"},
    {"name": "社会满意度", "weight": "20", "method": "entered", "criteria": "依据社会满意度调查结果评分"},
    {"name": "组织保障与督查落实", "weight": "15", "method": "entered",
     "criteria": "工作专班、经费保障、督查整改落实情况，查阅资料评分"},
]
NOTES = ["资料齐全，工作扎实", "经费保障到位", "督查问题整改及时", "部分资料不完整", "满意度调查样本充足"]


def _evidence():
    return ContentFile(b"%PDF-1.4 demo evaluation evidence", name="评分依据.pdf")


def _score_entered(evaluator, result, rng, third_party=None):
    county = result.county
    for row in result.items:
        if not row.computed:
            evaluation.score(evaluator, county, row.item, value=str(rng.randint(70, 98)), note=rng.choice(NOTES),
                             evidence=_evidence())
        if third_party is not None:
            base = row.score if row.score is not None else 80
            value = max(0, min(100, int(base) + rng.randint(-8, 5)))
            evaluation.score(third_party, county, row.item, value=str(value), third_party=True,
                             note="实地核查：" + rng.choice(NOTES))


def load(city, rng):
    plan = Plan.objects.filter(division_code=city.code, key__startswith="liaocheng").first()
    owner = User.objects.filter(is_superuser=True).first()
    evaluator = User.objects.filter(phone_hash=crypto.lookup_hash(EVALUATOR)).first()
    if plan is None or owner is None or evaluator is None or Evaluation.objects.filter(plan=plan).exists():
        return
    evaluation.set_items(owner, plan, ITEMS)
    annual = evaluation.open_evaluation(owner, plan, kind=Evaluation.Kind.ANNUAL, year=2022)
    today = timezone.localdate()
    for result in selectors_evaluation.results(annual, today):
        _score_entered(evaluator, result, rng)
    for county in CountyScore.objects.filter(evaluation=annual):
        evaluation.approve(owner, county)
    _specials(plan, owner, annual)
    final = evaluation.open_evaluation(owner, plan, kind=Evaluation.Kind.FINAL, year=plan.ends_on.year,
                                       third_party=AGENCY)
    agency = accounts_demo.account(THIRD_PARTY[0], THIRD_PARTY[1], region=city)
    evaluation.add_third_party(owner, final, agency)
    results = selectors_evaluation.results(final, today)
    for n, result in enumerate(results):
        if n % 3 == 2:  # a third of the counties still wait for the evaluator
            continue
        _score_entered(evaluator, result, rng, third_party=agency if n % 2 == 0 else None)
    for county in CountyScore.objects.filter(evaluation=final).order_by("division_code")[:3]:
        if not EvaluationItem.objects.filter(plan=plan, method="entered").exclude(
                scores__county=county, scores__source="official").exists():
            evaluation.approve(owner, county)


SPECIALS = [
    ({"title": "人均体育场地面积目标专项评估", "subject": "target", "target": "T0-03", "ordered_by": "聊城市人民政府督查室",
      "ordered_on": "2023-09-15", "scope": "全市及8个县（市、区）人均体育场地面积目标完成情况，含场地普查数据核验和实地抽查",
      "evaluator": AGENCY, "third_party": True},
     {"findings": "全市人均体育场地面积2.74平方米，较2020年增加0.41平方米；抽查的42处场地与登记一致39处，"
                  "3处为临时场地已纳入核减。农村地区场地分布仍不均衡。",
      "conclusion": "人均体育场地面积目标如期完成，数据真实可靠。建议下一阶段重点补齐乡镇（街道）和行政村场地短板。",
      "grade": "excellent"}, True),
    ({"title": "场地设施供给任务专项评估", "subject": "task", "task": "(一)2", "ordered_by": "聊城市全民健身工作联席会议",
      "ordered_on": "2023-10-10", "scope": "2021—2023年新建、改扩建体育场地设施任务的推进情况和资金使用情况",
      "evaluator": "聊城市教育和体育局"},
     {"findings": "三年新建体育公园6个、多功能运动场218片，任务总体完成；2个县（市、区）体育公园建设滞后于计划。",
      "conclusion": "任务基本完成，建议对进度滞后的县（市、区）挂牌督办。", "grade": "good"}, False),
    ({"title": "县级全民健身中心建设项目专项评估", "subject": "project", "project": "东昌府区全民健身中心建设项目",
      "ordered_by": "聊城市财政局", "ordered_on": "2024-03-20",
      "scope": "项目建设进度、资金到位和使用绩效、建成后开放服务情况", "evaluator": AGENCY, "third_party": True},
     {"findings": "主体工程已完工，室内游泳馆尚在设备调试。"}, None),
]


def _specials(plan, owner, annual) -> None:
    """2022's approved results published; three special evaluations in their three states."""
    special.publish(owner, annual)
    for data, found, publish in SPECIALS:
        item = special.open_special(owner, plan, data)
        special.record(owner, item, found, evidence=_evidence() if publish is not None else None)
        if publish is None:
            continue
        item = special.conclude(owner, item)
        if publish:
            special.publish(owner, item)


def describe() -> list[tuple[str, str]]:
    user = User.objects.filter(phone_hash=crypto.lookup_hash(THIRD_PARTY[0])).first()
    if user is None:
        return []
    return [(THIRD_PARTY[0], f"{user.real_name}: {Role.THIRD_PARTY.label}（{AGENCY}）")]
