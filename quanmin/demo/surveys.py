"""Demo surveys for the demo city: the regular-exerciser survey of this autumn, finished (2,400
answers from every county, weighted by population: about 42 % exercise regularly, more in the
central districts and among the young and the old, fewer among people of working age), last
year's satisfaction survey, finished (1,200 answers: the satisfaction figure the plan's targets and
the evaluation read), and this year's open now (some 300 answers so far; equipment upkeep marked
lowest).

Made through the services (survey, questionnaire, quotas, opening and closing); the answers
themselves are written in bulk, each drawn from `rng` and read by the same rules an answer on the
phone page is (services.derived), under a look-up hash of a made-up ID number.
"""

import datetime
import random

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.core import bulk
from quanmin.regions import codes
from quanmin.regions.models import Region
from quanmin.surveys import services
from quanmin.surveys.models import Quota, Respondent, Response, Survey

from .accounts import make_id_number

EXERCISE_ANSWERS = 2400
SATISFACTION_ANSWERS = 300
LAST_SATISFACTION_ANSWERS = 1200  # last year's satisfaction survey, finished
# Share of each age band among respondents, and how much more (or less) likely it is to exercise regularly.
BANDS = (("under_20", 0.18, 0.10, 2010), ("20_39", 0.30, -0.06, 1995), ("40_59", 0.32, -0.05, 1975),
         ("60_plus", 0.20, 0.07, 1956))
ACTIVITIES = {"under_20": ("running", "ball_games", "swimming", "cycling"),
              "20_39": ("running", "ball_games", "gym", "cycling", "walking", "swimming"),
              "40_59": ("walking", "square_dance", "running", "cycling", "ball_games", "taiji"),
              "60_plus": ("walking", "square_dance", "taiji", "other")}
PLACES = {"under_20": ("school", "venue", "park"), "20_39": ("park", "venue", "path", "home"),
          "40_59": ("park", "path", "venue", "home"), "60_plus": ("park", "path", "home")}
# Satisfaction by topic: the mean mark residents give (equipment upkeep and guidance lowest).
TOPIC_MEANS = {"facilities": 3.9, "equipment": 3.4, "events": 3.8, "guidance": 3.5, "organizations": 3.7,
               "information": 3.6, "overall": 3.8}
SUGGESTIONS = ("小区附近的健身器材坏了很久没人修", "希望多建几个室内羽毛球馆", "学校操场周末能开放就好了",
               "希望社区多组织健步走活动", "篮球场晚上灯光不够亮", "多请社会体育指导员到广场教太极拳",
               "体育馆预约名额太少", "希望增加游泳馆的公益开放时段")


def _pick(rng, options):
    return rng.choice(options)


def _band(rng):
    x, total = rng.random(), 0.0
    for band in BANDS:
        total += band[1]
        if x < total:
            return band
    return BANDS[-1]


def _exercise_answers(rng, q: dict, regular: bool, band: str) -> dict:
    if regular:
        frequency, duration = rng.choice(("3", "3", "5")), rng.choice(("30_59", "30_59", "60_plus"))
        intensity = rng.choice(("moderate", "moderate", "vigorous"))
    else:
        frequency = rng.choice(("0", "0", "1", "2", "2", "3"))
        duration = rng.choice(("lt30", "lt30", "30_59")) if frequency == "3" else rng.choice(("lt30", "30_59"))
        # Three times a week but short or easy sessions: not a regular exerciser either.
        intensity = "light" if frequency == "3" and duration != "lt30" else rng.choice(("light", "light", "moderate"))
    answers = {q["frequency"]: frequency, q["duration"]: duration, q["intensity"]: intensity}
    if frequency != "0":
        answers[q["activities"]] = sorted(set(rng.sample(ACTIVITIES[band], k=min(len(ACTIVITIES[band]),
                                                                                  rng.choice((1, 1, 2, 3))))))
        answers[q["place"]] = _pick(rng, PLACES[band])
    return answers


def _respondents(rng, survey, counties, count, seq_start, day_span):
    """(community code, sex, band, birth year, person hash, day) for `count` people, more from the
    central districts than their population would give (so the weighting has work to do)."""
    communities = {c.code: list(Region.objects.filter(code__within=c.prefix, level="community")
                                .values_list("code", flat=True)) for c in counties}
    per_county = [count // len(counties)] * len(counties)
    per_county[0] += count - sum(per_county)
    people, seen = [], set()
    seq = seq_start
    for county, n in zip(counties, per_county, strict=True):
        for _ in range(n):
            band = _band(rng)
            code = rng.choice(communities[county.code] or [county.code])
            male = rng.random() < 0.49
            year = band[3] + rng.randint(-3, 3)
            birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            person = ""
            while not person or person in seen:  # a made-up ID number can come round twice
                seq += 1
                person = crypto.lookup_hash(make_id_number(code, birth, seq, male))
            seen.add(person)
            day = survey.opens_on + datetime.timedelta(days=rng.randint(0, day_span))
            people.append((county, code, "male" if male else "female", band, person, day))
    return people


def _write(survey, rows: list[tuple]) -> None:
    """rows: (person hash, Response) — respondents and answers in bulk, then the counters."""
    bulk.insert_rows([Respondent(survey=survey, person_hash=person) for person, _ in rows])
    bulk.insert_rows([response for _, response in rows])
    Survey.objects.filter(pk=survey.pk).update(response_count=len(rows))
    for quota in survey.quotas.all():
        taken = sum(1 for _, r in rows if codes.contains(quota.region_id, r.region_id)
                    and quota.sex in ("", r.sex) and quota.age_band in ("", r.age_band))
        Quota.objects.filter(pk=quota.pk).update(filled=taken)


def _exercise_survey(city, counties, actor, rng) -> Survey:
    survey = services.create_survey({
        "title": "2026年聊城市经常参加体育锻炼人数比例抽样调查", "kind": "regular_exercise", "region": city.code,
        "opens_on": datetime.date(2026, 9, 1), "closes_on": datetime.date(2026, 10, 31), "weighting": "county",
        "sample_target": EXERCISE_ANSWERS,
        "introduction": "本次调查了解全市7岁及以上居民参加体育锻炼的情况，约需3分钟，实名作答、每人一次，答卷与身份分开保存。"},
        actor=actor)
    for county in counties:
        services.add_quota(survey, {"region": county.code, "target": EXERCISE_ANSWERS // len(counties) + 60},
                           actor=actor)
    services.set_status(survey, "open", actor=actor)
    questions = list(survey.questions.all())
    q = {x.key: str(x.pk) for x in questions}
    rows = []
    central = set(counties[:2])  # the central districts: more facilities, more exercisers
    for county, code, sex, band, person, day in _respondents(rng, survey, counties, EXERCISE_ANSWERS, 7000, 60):
        central_bonus = 0.07 if county in central else -0.02
        chance = 0.40 + central_bonus + band[2] + (0.02 if sex == "male" else -0.02)
        answers = _exercise_answers(rng, q, rng.random() < chance, band[0])
        regular, score = services.derived(survey, questions, answers)
        rows.append((person, Response(survey=survey, region_id=code, sex=sex, age_band=band[0], answers=answers,
                                      regular=regular, score=score, submitted_on=day)))
    _write(survey, rows)
    services.set_status(survey, "closed", actor=actor)
    Survey.objects.filter(pk=survey.pk).update(
        closed_at=timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 0)))
    return survey


def _satisfaction_survey(city, counties, actor, rng, *, title: str, opens_on: datetime.date,
                         closes_on: datetime.date, answers: int, seq_start: int) -> Survey:
    """A satisfaction survey with `answers` answers from its opening day up to today or its closing
    day; closed the day after when that day has passed (last year's), else left open."""
    today = timezone.localdate()
    survey = services.create_survey({
        "title": title, "kind": "satisfaction", "region": city.code, "opens_on": opens_on, "closes_on": closes_on,
        "weighting": "county", "sample_target": 1600,
        "introduction": "请为身边的全民健身公共服务打分，您的意见将纳入年度绩效评估，约需2分钟。"}, actor=actor)
    for county in counties:
        services.add_quota(survey, {"region": county.code, "target": 1600 // len(counties)}, actor=actor)
    services.set_status(survey, "open", actor=actor)
    questions = list(survey.questions.all())
    rows = []
    last = min(today, closes_on)
    for _county, code, sex, band, person, day in _respondents(rng, survey, counties, answers, seq_start,
                                                               (last - opens_on).days):
        mood = rng.gauss(0, 0.6)
        marks = {}
        for question in questions:
            if question.kind == "scale":
                marks[str(question.pk)] = max(1, min(5, round(TOPIC_MEANS[question.key] + mood + rng.gauss(0, 0.7))))
            elif question.key == "suggestions" and rng.random() < 0.3:
                marks[str(question.pk)] = rng.choice(SUGGESTIONS)
        _regular, score = services.derived(survey, questions, marks)
        rows.append((person, Response(survey=survey, region_id=code, sex=sex, age_band=band[0], answers=marks,
                                      regular=None, score=score, submitted_on=min(day, last))))
    _write(survey, rows)
    if closes_on < today:
        services.set_status(survey, "closed", actor=actor)
        Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.make_aware(
            datetime.datetime.combine(closes_on + datetime.timedelta(days=1), datetime.time(9))))
    return survey


def load(city: Region, rng: random.Random) -> None:
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if not counties or actor is None:
        return
    _exercise_survey(city, counties, actor, rng)
    today = timezone.localdate()
    last_year = today.year - 1
    _satisfaction_survey(city, counties, actor, rng, title=f"{last_year}年度全民健身公共服务社会满意度调查",
                         opens_on=datetime.date(last_year, 11, 1), closes_on=datetime.date(last_year, 12, 15),
                         answers=LAST_SATISFACTION_ANSWERS, seq_start=12000)
    _satisfaction_survey(city, counties, actor, rng, title="2026年度全民健身公共服务社会满意度调查",
                         opens_on=today - datetime.timedelta(days=14), closes_on=today + datetime.timedelta(days=25),
                         answers=SATISFACTION_ANSWERS, seq_start=9000)
