"""D10 in the demo city's plan (seed 000): 纳入政府民生实事加以推进和考核 — three tasks the city government
counts among its livelihood projects (场地设施供给, 三级联动赛事, 智慧化服务), each assessed every year by
the city with a result, a note and the assessment sheet; and 纳入经济社会发展核心指标体系 — the targets it
counts among the core indicators of economic and social development (people per m² of sports
ground, the ten-minute fitness circle, instructors)."""

from django.core.files.base import ContentFile

from quanmin.accounts.models import User
from quanmin.planning.models import LivelihoodAssessment, Plan
from quanmin.planning.services import authoring, livelihood

CORE_TARGETS = ("T0-03", "T0-04", "T0-11")
# task number -> {year: (result, note)}
LIVELIHOOD = {
    "(一)2": {2021: ("good", "新建多功能运动场76片、健身路径210条，2处体育公园开工"),
              2022: ("excellent", "新建体育公园3个、多功能运动场81片，超额完成年度任务"),
              2023: ("good", "新建多功能运动场61片；2个县（市、区）体育公园建设滞后，已督办")},
    "(二)1": {2021: ("pass", "受疫情影响，线下赛事活动压减，线上活动覆盖12万人次"),
              2022: ("good", "市县乡三级举办赛事活动486场，参与群众31万人次"),
              2023: ("excellent", "举办第十二届市全民健身运动会，带动县乡赛事活动620场")},
    "(四)1": {2022: ("pass", "全民健身智慧服务平台上线，场馆预约覆盖率偏低"),
              2023: ("good", "公共体育场馆全部接入网上预约，智能健身驿站新增24处")},
}


def _sheet(number: str, year: int):
    return ContentFile(b"%PDF-1.4 demo livelihood assessment", name=f"{year}年民生实事考核表{number}.pdf")


def load(city, rng):
    plan = Plan.objects.filter(division_code=city.code, key__startswith="liaocheng").first()
    owner = User.objects.filter(is_superuser=True).first()
    if plan is None or owner is None:
        return
    for target in plan.targets.filter(key__in=CORE_TARGETS):
        authoring.mark_core_indicator(owner, target, True)
    if LivelihoodAssessment.objects.filter(task__plan=plan).exists():
        return
    for task in plan.tasks.filter(number__in=LIVELIHOOD):
        livelihood.mark(owner, task, True)
        for year, (result, note) in LIVELIHOOD[task.number].items():
            livelihood.assess(owner, task, year=year, result=result, note=note, evidence=_sheet(task.number, year))
