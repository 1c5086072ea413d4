"""The demo city's performance evaluation (绩效评估) of its plan (seed 000): an indicator system of
three items computed from the plan's targets and two scored by the city's evaluator (杨磊) with
evidence; the annual evaluation of 2022, every county's result approved; the final evaluation of
2023 with a third party (聊城大学全民健身评估中心, its evaluator 周敏) scoring beside the evaluator,
some counties approved and the rest still being scored. The plan's annual reports of 2022 and 2023
then show targets, tasks and these results."""

from django.core.files.base import ContentFile
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import Role, User
from quanmin.demo import accounts as accounts_demo
from quanmin.planning import selectors_evaluation
from quanmin.planning.models import CountyScore, Evaluation, EvaluationItem, Plan
from quanmin.planning.services import evaluation

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


def describe() -> list[tuple[str, str]]:
    user = User.objects.filter(phone_hash=crypto.lookup_hash(THIRD_PARTY[0])).first()
    if user is None:
        return []
    return [(THIRD_PARTY[0], f"{user.real_name}: {Role.THIRD_PARTY.label}（{AGENCY}）")]
