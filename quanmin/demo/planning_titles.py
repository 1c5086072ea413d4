"""County titles for the demo city (G16): Liaocheng's 全民健身运动模范县（市、区） creation (seed 000).

The main county (李明's, 东昌府区 in the demo) applied in 2023, answered every criterion, was scored
by the city's evaluator (杨磊) and awarded the title by the city (孙建国) early in 2024. The
neighbouring county (王芳's) was returned in 2025 for missing evidence and applied again this year:
submitted, scored in part, awaiting the evaluator's remaining scores and the city's decision. The
indicators' values of the day are kept beside each criterion when submitted, as in use.

Made through planning's title services by the demo's accounts; nothing when they are missing.
"""

import datetime

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.planning.models import TitleApplication
from quanmin.planning.services import titles

TITLE = "fitness_model_county"
CITY, MAIN, NEIGHBOUR, EVALUATOR = "13800000001", "13800000002", "13800000003", "13800000007"
NOTES = {True: ("已达标，见统计年报", "资料齐全", "经第三方核查"), False: ("正在推进，预计年底完成", "部分乡镇尚未覆盖")}


def _user(phone: str):
    return User.objects.filter(phone_hash=crypto.lookup_hash(phone)).first()


def _answer(user, application, rng, misses: int = 0):
    criteria = list(application.criteria.all())
    missed = {c.key for c in rng.sample(criteria, misses)}
    titles.save_answers(user, application, [{"key": c.key, "met": c.key not in missed,
                                             "note": rng.choice(NOTES[c.key not in missed])} for c in criteria])


def _score(user, application, rng, share: float = 1.0, low: int = 80):
    criteria = list(application.criteria.all())
    chosen = criteria[:round(len(criteria) * share)]
    titles.save_scores(user, application, [{"key": c.key, "score": str(rng.randint(low, 98)),
                                            "note": "查阅资料、实地核查"} for c in chosen])


def load(city, rng):
    users = {phone: _user(phone) for phone in (CITY, MAIN, NEIGHBOUR, EVALUATOR)}
    if None in users.values() or TitleApplication.objects.filter(division_code__within=city.prefix).exists():
        return
    main, neighbour = (m.region_id for m in (users[MAIN].memberships.first(), users[NEIGHBOUR].memberships.first()))
    today = timezone.localdate()
    first = titles.open_application(users[MAIN], title=TITLE, division_code=main, year=today.year - 3)
    _answer(users[MAIN], first, rng)
    titles.submit(users[MAIN], first)
    _score(users[EVALUATOR], first, rng, low=84)
    titles.decide(users[CITY], first, decision="award", note="经评估，授予全民健身运动模范县（市、区）称号",
                  awarded_on=datetime.date(today.year - 2, 1, 15))
    earlier = titles.open_application(users[NEIGHBOUR], title=TITLE, division_code=neighbour, year=today.year - 1)
    _answer(users[NEIGHBOUR], earlier, rng, misses=3)
    titles.submit(users[NEIGHBOUR], earlier)
    titles.decide(users[CITY], earlier, decision="return", note="“两个一”工程和社区运动会佐证材料不全，请补充后重新申报")
    again = titles.open_application(users[NEIGHBOUR], title=TITLE, division_code=neighbour, year=today.year)
    _answer(users[NEIGHBOUR], again, rng, misses=1)
    titles.submit(users[NEIGHBOUR], again)
    _score(users[EVALUATOR], again, rng, share=0.6, low=70)
