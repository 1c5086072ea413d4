"""The five seed plans load from their data files with the counts of REQUIREMENTS.md D, each
lead-unit convention honoured, and every quote found in its seed file."""

import tomllib
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quanmin.planning import deadlines, units
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Department, Plan, Target, TaskItem, TaskUnit
from quanmin.planning.services import loading

# A copy of the five seed files (public government documents), so that the check runs wherever the
# tests do; test_seed_copies_are_the_seeds compares them with the shared originals where present.
SEEDS = Path(__file__).parent / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
COUNTS = {"000": (29, 16), "001": (27, 21), "002": (19, 19), "003": (21, 28), "004": (6, 0)}


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_seed_copies_are_the_seeds():
    copies = sorted(SEEDS.glob("*.txt"))
    assert len(copies) == 5
    for copy in copies:
        original = SHARED_SEEDS / copy.name
        if original.is_file():
            assert original.read_bytes() == copy.read_bytes()


def plan_files():
    return {path.name[:3]: path for path in loading.data_files()}


def test_one_file_per_seed():
    assert sorted(plan_files()) == sorted(COUNTS)


@pytest.mark.parametrize("seed", sorted(COUNTS))
def test_every_quote_is_in_its_seed(seed):
    data = tomllib.loads(plan_files()[seed].read_text(encoding="utf-8"))
    text = seed_text(data["plan"]["seed"])
    texts = [data["plan"].get("quote", "")]
    texts += [p["quote"] for p in data.get("phases", [])]
    texts += [t["quote"] for t in data.get("targets", [])]
    for task in data.get("tasks", []):
        texts += [task["title"], task.get("content", ""), task.get("group", ""), task.get("subgroup", ""),
                  task.get("lead_text", ""), task.get("responsible_text", ""), task.get("cooperating_text", ""),
                  task.get("deadline_text", "")]
        texts += task.get("lead", []) + task.get("responsible", []) + task.get("cooperating", [])
    missing = [quote for quote in texts if quote and quote not in text]
    assert missing == []
    assert len(data.get("targets", [])) == COUNTS[seed][0]
    assert len(data.get("tasks", [])) == COUNTS[seed][1]


@pytest.mark.django_db
def test_load_plans_counts_and_is_idempotent():
    out = StringIO()
    call_command("load_plans", stdout=out)
    call_command("load_plans", stdout=StringIO())  # again: nothing doubles
    assert Plan.objects.count() == 5
    for seed, (targets, tasks) in COUNTS.items():
        plan = Plan.objects.get(source__startswith=f"seed {seed}_")
        assert (plan.targets.count(), plan.tasks.count()) == (targets, tasks), seed
    assert Target.objects.count() == 102 and TaskItem.objects.count() == 84
    assert "29 targets, 16 tasks" in out.getvalue()


def _roles(plan_key: str, number: str) -> dict:
    task = TaskItem.objects.get(plan__key=plan_key, number=number)
    found = {}
    for unit in task.units.select_related("department"):
        found.setdefault(unit.role, []).append(unit.department.name)
    return found


@pytest.mark.django_db
def test_lead_unit_conventions():
    call_command("load_plans", stdout=StringIO())
    # 000: 牵头单位 and 责任单位 as written.
    assert _roles("liaocheng-2021-2023", "(一)1") == {
        "lead": ["市教育体育局"], "responsible": ["市自然资源和规划局", "市住房城乡建设局", "市城管局"]}
    assert _roles("liaocheng-2021-2023", "(一)3") == {"lead": ["市教育体育局"]}
    # 001: the first listed unit leads (列第一位的为牵头单位), (六)1 led by 市教育局.
    assert _roles("jiaxing-2021-2025", "(六)1") == {"lead": ["市教育局"], "responsible": ["市体育局"]}
    first = _roles("jiaxing-2021-2025", "(一)1")
    assert first["lead"] == ["市体育局"] and "各县〔市、区〕政府" in first["responsible"]
    # 002: responsible departments only, no lead.
    assert _roles("yufeng-pilot-2018-2020", "12") == {"responsible": ["区教育局", "区文体新局", "区财政局"]}
    assert not TaskUnit.objects.filter(task__plan__key="yufeng-pilot-2018-2020", role="lead").exists()
    # 003: responsible and cooperating units; 等部门 dropped from the name.
    assert _roles("hunnan-2021-2025", "12") == {"responsible": ["区体育局", "各街道办事处"],
                                                "cooperating": ["区教育局", "区民族和宗教局", "区残联"]}
    # One register entry per unit name and division; division groups told apart.
    assert Department.objects.get(division_code="210112000000", name="各街道办事处").kind == "divisions"
    assert Department.objects.get(division_code="210112000000", name="区体育局").kind == "department"


@pytest.mark.django_db
def test_deadlines_targets_and_phases():
    call_command("load_plans", stdout=StringIO())
    yufeng = Plan.objects.get(key="yufeng-pilot-2018-2020")
    assert [p.name for p in yufeng.phases.all()] == ["启动阶段", "实施阶段", "提升阶段"]
    task = yufeng.tasks.get(number="10")
    assert (task.deadline_text, task.deadline, task.recurrence) == ("2019年11月底前", date(2019, 11, 30), "")
    assert yufeng.tasks.get(number="2").recurrence == "ongoing"
    hunnan = Plan.objects.get(key="hunnan-2021-2025")
    assert hunnan.tasks.get(number="6").recurrence == "yearly"
    assert hunnan.tasks.get(number="10").deadline == date(2022, 12, 31)
    liaocheng = Plan.objects.get(key="liaocheng-2021-2023")
    assert liaocheng.tasks.get(number="(一)1").deadline == date(2023, 12, 31)  # the plan's end
    instructors = liaocheng.targets.get(key="T0-11")
    assert (instructors.value, instructors.unit, instructors.indicator) == (
        Decimal("37"), "per_10000_residents", "instructors_per_10000")
    assert Plan.objects.get(key="yuncheng-2023").document_number == "运体字〔2023〕7号"


def _plan_data(**target):
    row = {"key": "X-1", "name": "人均体育场地面积", "comparator": ">=", "value": "2.7", "unit": "m2_per_resident",
           "year": 2023, "level": "city", "kind": "ratio", "quote": "人均体育场地面积2.7平方米以上"}
    row.update(target)
    return {"plan": {"key": "bad-plan", "title": "试验计划", "division_code": "371500000000", "division_name": "聊城市",
                     "starts_on": date(2021, 1, 1), "ends_on": date(2023, 12, 31)},
            "targets": [row],
            "tasks": [{"number": "1", "title": "任务", "lead": ["市教育体育局"], "deadline_text": "2022年底前"}]}


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "code"), [
    ({"indicator": "instructors_per_1000"}, "target_indicator_unit"),  # an indicator of another unit
    ({"indicator": "no_such_indicator"}, "target_indicator_unknown"),
    ({"year": 2020}, "target_deadline_before_plan"),
    ({"value": ""}, "target_value_missing"),
    ({"value": "NaN"}, "not_a_number"),
    ({"level": "province"}, "plan_file_bad_choice"),
])
def test_bad_target_writes_nothing(target, code):
    with pytest.raises(PlanningError) as caught:
        loading.load(_plan_data(**target))
    assert caught.value.code == code
    assert not Plan.objects.exists() and not Department.objects.exists()


@pytest.mark.django_db
def test_bad_task_deadline_writes_nothing():
    data = _plan_data()
    data["tasks"][0]["deadline_text"] = "2019年底前"
    with pytest.raises(PlanningError) as caught:
        loading.load(data)
    assert caught.value.code == "task_deadline_before_plan"
    data["tasks"][0]["deadline_text"] = "尽快"
    with pytest.raises(PlanningError) as caught:
        loading.load(data)
    assert caught.value.code == "task_deadline_unreadable"
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_per_1000_and_per_10000_bind_to_either(tmp_path):
    plan = loading.load(_plan_data(name="社会体育指导员", unit="per_1000_residents", value="3.7",
                                   indicator="instructors_per_10000", kind="ratio", quote="万分之三十七"))
    assert plan.targets.get().indicator == "instructors_per_10000"
    bad = tmp_path / "bad.toml"
    bad.write_text("[plan\nkey=", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_plans", str(bad), stdout=StringIO())


@pytest.mark.parametrize(("text", "expected"), [
    ("2018年12月底", (date(2018, 12, 31), "")),
    ("2018年12月底前", (date(2018, 12, 31), "")),
    ("2019年11月底前", (date(2019, 11, 30), "")),
    ("2022年底前", (date(2022, 12, 31), "")),
    ("2025年前", (date(2025, 12, 31), "")),
    ("２０２２年６月３０日前", (date(2022, 6, 30), "")),
    ("2023", (date(2023, 12, 31), "")),
    ("每年", (None, "yearly")),
    ("持续实施", (None, "ongoing")),
    ("长期坚持", (None, "ongoing")),
    ("", (None, "")),
])
def test_deadline_texts(text, expected):
    assert deadlines.parse(text) == expected


def test_unreadable_deadline():
    with pytest.raises(ValueError):
        deadlines.parse("尽快完成")
    with pytest.raises(ValueError):
        deadlines.parse("2022年13月")


@pytest.mark.parametrize(("text", "expected"), [
    ("区体育局、各街道办事处", ["区体育局", "各街道办事处"]),
    ("市体育局，各县〔市、区〕政府", ["市体育局", "各县〔市、区〕政府"]),
    ("区教育局\n区残联等部门", ["区教育局", "区残联"]),
    ("市委宣传部（市网信办）, 市公安局；市公安局", ["市委宣传部（市网信办）", "市公安局"]),
    ("", []),
])
def test_unit_cells(text, expected):
    assert units.split(text) == expected


# The targets each bound to the indicator that measures them (REQUIREMENTS.md D.1): the plain ones,
# those restated as a share of divisions with their quote kept, and the yes/no ones backed by a
# measured figure (achieved when it is at least 1).
BINDINGS = {
    "T2-03": ("promoted_sports", ">=", "count"), "T2-06": ("employee_leagues", ">=", "count"),
    "T2-14": ("joint_events", ">=", "count"), "T2-12": ("community_sports_staff_share", ">=", "percent"),
    "T0-07": ("township_pair_share", ">=", "percent"), "T0-12": ("city_games_sports_rule", ">=", "percent"),
    "T0-13": ("city_games_span_rule", ">=", "percent"), "T0-14": ("county_games_sports_rule", ">=", "percent"),
    "T0-15": ("county_games_span_rule", ">=", "percent"),
    "T0-16": ("townships_with_three_activities", ">=", "percent"),
    "T0-24": ("instructor_association_coverage", ">=", "percent"), "T1-22": ("units_with_brand", ">=", "percent"),
    "T0-26": ("federation_coverage_county", ">=", "percent"), "T2-07": ("communities_with_games", ">=", "percent"),
    "T3-19": ("satisfaction_score", "yes", "percent"), "T3-20": ("employee_leagues", "yes", "count"),
    "T3-21": ("mass_events", "yes", "count"), "T1-25": ("lottery_fund_fitness_share", "up", "percent"),
    "T1-24": ("exercise_standard_coverage", "up", "percent"),
    "T0-04": ("walk_10_minute_share", ">=", "percent"), "T1-03": ("walk_10_minute_share", ">=", "percent"),
    "T0-05": ("walk_15_minute_share", "up", "percent"), "T2-19": ("walk_15_minute_share", "up", "percent"),
    "T0-10": ("smart_facilities", ">=", "count"), "T3-15": ("smart_facilities", "up", "count"),
    "T0-18": ("new_path_equipment", ">=", "count"), "T0-19": ("new_basketball_courts", ">=", "count"),
    "T0-20": ("new_badminton_courts", ">=", "count"), "T0-21": ("new_multi_sport_courts", ">=", "count"),
    "T0-22": ("new_ball_grounds", ">=", "count"), "T1-11": ("new_fitness_venues", ">=", "count"),
    "T2-04": ("county_games_in_cycle", ">=", "percent"), "T3-05": ("associations_with_events", ">=", "percent"),
    "T3-07": ("weekly_exerciser_rate", ">=", "percent"), "T2-16": ("special_training_classes", ">=", "count"),
    "T2-10": ("lectures_held", ">=", "count"), "T2-11": ("joint_meetings", ">=", "count"), "T3-18": ("joint_meetings", "yes", "count"),
    "T0-25": ("joint_meetings", "yes", "count"), "T4-02": ("counties_with_plan", "yes", "count"),
    "T1-27": ("evaluations_held", "yes", "count"), "T2-18": ("evaluations_held", ">=", "count"),
    "T0-23": ("student_daily_pe_hours", ">=", "hours"), "T1-16": ("student_daily_pe_hours", ">=", "hours"),
    "T3-13": ("student_daily_pe_hours", ">=", "hours"), "T1-15": ("students_two_skills_share", ">=", "percent"),
    "T2-13": ("school_grounds_open", ">=", "count"), "T2-09": ("public_venues_free_low_fee_share", ">=", "percent"),
    "T0-27": ("sport_medicine_pilots", ">=", "count"), "T1-14": ("monitoring_network_levels", ">=", "count"),
    "T1-02": ("sports_modern_counties", ">=", "count"),
    "T1-09": ("residential_norm_share", ">=", "percent"), "T1-10": ("residential_norm_share", ">=", "percent"),
    "T1-01": ("platform_community_coverage", ">=", "percent"),
    "T0-28": ("monitoring_network_levels", ">=", "count"), "T2-15": ("community_games_held", ">=", "count"),
    "T2-17": ("four_teams_present", ">=", "count"), "T3-14": ("fitness_centres", ">=", "count"),
    "T3-16": ("fitness_centres", ">=", "count"), "T3-17": ("supplier_kinds", ">=", "count"),
    "T4-03": ("counties_reporting_share", ">=", "percent"), "T4-06": ("counties_regular_testing", ">=", "percent"),
}


def bound_count() -> tuple[int, int]:
    """(targets, targets bound to an indicator) over every plan file."""
    rows = [t for path in loading.data_files() for t in tomllib.loads(path.read_text(encoding="utf-8"))["targets"]]
    return len(rows), sum(bool(t.get("indicator")) for t in rows)


@pytest.mark.django_db
def test_targets_bound_to_their_indicators():
    call_command("load_plans", stdout=StringIO())
    found = {t.key: t for t in Target.objects.filter(key__in=BINDINGS)}
    assert {key: (t.indicator, t.comparator, t.unit) for key, t in found.items()} == BINDINGS
    # A restated target keeps its document's words and a goal of every division.
    assert found["T0-13"].quote == "时间跨度不少于６个月" and found["T0-13"].value == 100
    assert found["T0-07"].quote == "乡镇（街道）普遍建有“两个一”工程" and found["T0-07"].each
    total, bound = bound_count()
    assert total == 102 and bound == 94
