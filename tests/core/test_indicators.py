"""The indicator registry: declaring, discovering, computing; and every indicator's query count."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from quanmin.analytics.circle.standard import DEFAULT_SPEED_KMH
from quanmin.analytics.models import CircleRun
from quanmin.booking import services as bs
from quanmin.core import indicators
from quanmin.core.errors import NotFound
from quanmin.core.indicators import IndicatorError, Registry
from quanmin.events.models import Competition, Games
from quanmin.facilities import services as fs
from quanmin.heritage.models import Base, Holder, Item, Route
from quanmin.incentives.models import PointsEntry, Voucher, VoucherCampaign
from quanmin.inclusive.models import Activity, Fitting, Institution
from quanmin.maintenance.models import InspectionPlan, InspectionRound, WorkOrder
from quanmin.organizations.models import Grading, Organization
from quanmin.outreach.models import Lecture, SkillActivity, Workplace
from quanmin.people.models import Instructor
from quanmin.physique.figures import PHYSIQUE, STUDENT
from quanmin.regions.models import Region
from quanmin.residential.models import ResidentialProject
from quanmin.safety.models import Hazard, SafetyCheck, VenueSafety
from tests.conftest import make_user
from tests.physique.test_figures import Maker

AS_OF = datetime.date(2026, 6, 30)
# Indicators whose data build_city does not make yet (their query counts are still checked).
# build_city holds no survey and no funding record (tests/funding checks those figures' values).
# Nor any test of the National Physical Exercise Standard (tests/physique checks those figures), nor any
# school or term return (tests/youth checks those figures by hand counts).
NO_DATA_HERE = {"regular_exerciser_rate", "weekly_exerciser_rate", "satisfaction_score", "lottery_fund_fitness_share",
                "funding_social_share", "exercise_standard_coverage", "exercise_standard_pass_rate",
                "exercise_standard_good_rate", "student_daily_pe_hours", "students_pe_both_hours_share",
                "students_two_skills_share", "youth_intervention_share", "school_grounds_open_share"}
KEYS = {
    "grounds", "area_per_resident", "new_grounds", "trail_km_per_10000", "county_trio_share",
    "township_pair_share", "community_square_share", "smart_facilities", "new_basketball_courts",
    "new_badminton_courts", "new_multi_sport_courts", "new_ball_grounds", "new_fitness_venues",
    "new_path_equipment", "fitness_centres", "public_venues_free_low_fee_share", "public_venue_hours_share",  # facilities
    "bookable_online_share",  # booking
    "inspection_completion", "repairs_on_time_share",  # maintenance
    "physique_tests_per_year", "physique_pass_share", "student_good_share", "exercise_standard_coverage",
    "exercise_standard_pass_rate", "exercise_standard_good_rate",  # physique
    "sport_medicine_sites", "sport_medicine_pilots", "prescription_practitioners_per_10000",
    "sport_medicine_referrals_completed", "monitoring_network_levels", "monitoring_network_coverage", "counties_regular_testing",
    "lectures_held", "counties_meeting_lecture_norm", "five_into_township_share", "workplaces_with_exercise",
    "workplace_exercise_share", "online_channels", "new_online_channels", "online_courses_published",  # outreach
    "elderly_care_equipped_share", "rehab_centres_equipped_share", "preschool_places_equipped_share",
    "ethnic_villages_equipped_share", "elderly_activities", "disabled_activities", "preschool_activities",
    "ethnic_activities",  # inclusive
    "residential_norm_share",  # residential
    "venue_safety_record_share", "hazards_rectified_on_time_share",  # safety
    "tourism_routes", "tourism_bases_national", "tourism_bases_provincial", "tourism_bases_city",
    "heritage_items",  # heritage
    "sports_modern_counties", "fitness_model_counties",  # planning: county titles
    "typical_cases", "site_meetings",  # planning: experience exchange
    "instructors", "instructors_per_1000", "instructors_per_10000", "community_instructor_share", "guidance_rate",
    "instructors_trained", "guidance_stations", "volunteer_hours", "core_instructors",
    "community_sports_staff_share", "special_training_classes", "four_teams_present", "supplier_kinds",
    "community_instructor_assigned_share", "community_stable_instructor_share", "instructors_serving_disabled",
    "fitness_stations",  # people
    "games_meeting_level_rule", "city_games_sports_rule", "city_games_span_rule", "county_games_sports_rule",
    "county_games_span_rule", "person_times", "community_games_held", "townships_with_three_activities",
    "communities_with_games", "brand_events",
    "mass_events", "target_group_events", "association_events", "participants_per_10000", "employee_leagues",
    "joint_events", "youth_competitions", "promoted_sports", "county_games_in_cycle",
    "associations_with_events", "townships_with_brand", "communities_with_brand", "associations_with_brand",  # events
    "units_with_brand",  # events
    "organizations_registered", "organizations_filed", "organizations_total", "one_plus_25_share",
    "federation_coverage_county", "federation_coverage_township", "federation_coverage_community",
    "instructor_associations", "instructor_association_coverage",
    "sports_communities", "graded_4a_plus", "graded_3a_plus_share", "associations", "sports_clubs",
    "fitness_points", "county_single_sport_associations",  # organizations
    "points_earned", "points_redeemed", "points_active_residents", "vouchers_claimed", "vouchers_redeemed",
    "voucher_consumption", "voucher_leverage",  # incentives
    "regular_exerciser_rate", "weekly_exerciser_rate", "satisfaction_score",  # surveys
    "lottery_fund_fitness_share", "funding_social_share",  # funding
    "walk_10_minute_share", "walk_15_minute_share",  # analytics
    "joint_meetings", "counties_with_plan", "counties_reporting_share", "evaluations_held", "platform_community_coverage",  # planning
    "four_inclusions_share",  # planning: the four inclusions (四纳入)
    "student_daily_pe_hours", "students_pe_both_hours_share", "students_two_skills_share",
    "youth_intervention_share", "school_grounds_open", "school_grounds_open_share",  # youth
}


# --- the registry ---------------------------------------------------------------------------------

def test_the_decorator_registers_the_function_and_returns_it_unchanged():
    registry, calls = Registry(), []

    @registry.indicator("code_length", unit="count", levels=("city", "county"), label="Length",
                        description="Digits")
    def code_length(codes, as_of):
        calls.append(list(codes))
        return {code: Decimal(len(code)) for code in codes if code != "x"}

    assert code_length(["12"], AS_OF) == {"12": 2}
    found = registry.get("code_length")
    assert (found.key, found.unit, found.levels, found.label, found.description) == (
        "code_length", "count", ("city", "county"), "Length", "Digits")
    calls.clear()
    # Every code once, in the order asked; one call for all of them; a code left out answers None.
    assert list(registry.compute("code_length", ["123", "x", "1", "123"], AS_OF).items()) == [
        ("123", 3), ("x", None), ("1", 1)]
    assert calls == [["123", "x", "1"]]
    assert registry.compute("code_length", [], AS_OF) == {} and len(calls) == 1
    assert registry.compute_many(["code_length"], ["12"], AS_OF) == {"code_length": {"12": 2}}


def test_a_key_declared_twice_is_refused_naming_both():
    registry = Registry()
    registry.indicator("twice", unit="percent", levels=("city",), label="Once")(lambda codes, as_of: {})

    def again(codes, as_of):
        return {}

    with pytest.raises(IndicatorError, match=r"'twice' is declared twice.*test_indicators\..*again"):
        registry.indicator("twice", unit="percent", levels=("city",), label="Again")(again)
    assert registry.get("twice").label == "Once"


@pytest.mark.parametrize("unit, levels", [("furlongs", ("city",)), ("count", ("province",)), ("count", ())])
def test_an_unknown_unit_or_level_is_refused(unit, levels):
    with pytest.raises(IndicatorError):
        Registry().indicator("odd", unit=unit, levels=levels, label="Odd")


def test_an_unknown_key_is_a_clear_error():
    with pytest.raises(NotFound) as caught:
        indicators.compute("no_such_indicator", ["371500000000"], AS_OF)
    assert caught.value.code == "indicator_unknown"


def test_discovery_runs_once_on_the_first_read():
    runs = []
    registry = Registry(lambda: runs.append(1))
    assert runs == []
    registry.all()
    registry.all()
    assert runs == [1]


def test_discovery_finds_every_apps_indicators_module():
    found = {i.function.__module__ for i in indicators.registry().values()}
    # quanmin.core is an app too (it keeps the upkeep's lease); its indicators module is the framework.
    modules = {f"{app.name}.indicators" for app in apps.get_app_configs()
               if module_has_submodule(app.module, "indicators") and app.name != "quanmin.core"}
    assert found == modules
    assert {"quanmin.facilities.indicators", "quanmin.booking.indicators", "quanmin.maintenance.indicators",
            "quanmin.physique.indicators"} <= modules
    assert set(indicators.registry()) == KEYS


def test_every_indicator_reads_as_words_in_both_languages():
    for found in indicators.registry().values():
        texts = (found.label, found.description, found.unit_label)
        with translation.override("en"):
            english = [str(t) for t in texts]
        with translation.override("zh-hans"):
            chinese = [str(t) for t in texts]
        assert all(english) and found.key not in english, found.key
        assert all(c != e for c, e in zip(chinese, english, strict=True) if e != "%"), (found.key, chinese)


def test_the_helpers_round_and_count_a_year():
    assert indicators.percent(1, 3) == Decimal("33.3") and indicators.percent(2, 3, 2) == Decimal("66.67")
    assert indicators.percent(1, 0) is None
    assert indicators.decimal(0.1) == Decimal("0.1") and indicators.decimal(2 / 3, 4) == Decimal("0.6667")
    assert indicators.decimal(None) is None
    assert indicators.year_ending(datetime.date(2024, 12, 31)) == (datetime.date(2024, 1, 2), datetime.date(2024, 12, 31))
    assert indicators.year_ending(datetime.date(2026, 6, 30)) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))


# --- a whole city's tree in a few queries ---------------------------------------------------------

def build_city(prefix: str, counties: int, townships: int, communities: int, inspector, maker) -> Region:
    """A city whose every community holds a square with a bookable court, an inspection round, a
    repair, two tests (physique, student) and an instructor; every township a fitness centre; every
    county a stadium and a county games; the city a city games."""
    city = Region.objects.create(code=f"{prefix}00000000", name=f"{prefix}市", level="city", population=10 ** 6)

    def ground(region, kind, **extra):
        site = fs.create_site({"name": f"{region.name}{kind}", "lon": 116.0, "lat": 36.4, "region": region})
        return fs.add_facility(site, {"type": kind, "area_m2": "500", "year_built": 2022, **extra})

    start = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    campaign = VoucherCampaign.objects.create(region=city, name="券", budget=10**6, face_value=30, total=10**4,
                                              claim_starts_at=start, claim_ends_at=start + datetime.timedelta(days=9),
                                              use_until=start + datetime.timedelta(days=90))
    games = Games.objects.create(name="市运会", level="city", region=city, year=AS_OF.year, organizer="体育局",
                                 status="published")
    Competition.objects.create(games=games, sport="athletics", name="田径", starts_at=start,
                               ends_at=start + datetime.timedelta(hours=3), closes_at=start)
    for i in range(1, counties + 1):
        county = Region.objects.create(code=f"{prefix}{i:02}000000", name=f"县{i}", level="county", parent=city,
                                       population=10 ** 5)
        ground(county, "stadium")
        Lecture.objects.create(region=county, title="科学健身讲座", topic="exercise", place="文化馆", speaker="医生",
                               organiser="体育局", capacity=0, starts_at=datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.UTC))
        games = Games.objects.create(name=f"县{i}运动会", level="county", region=county, year=AS_OF.year,
                                     organizer="体育局", status="published")
        start = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
        Competition.objects.create(games=games, sport="athletics", name="田径", starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=3), closes_at=start)
        # heritage: a route, a base named at each level, a museum with an item
        Route.objects.create(region=county, name="环湖健步走", length_km=Decimal(12), opened_on=datetime.date(2025, 5, 1))
        for level in ("national", "provincial", "city"):
            Base.objects.create(region=county, name=f"{county.code}{level}基地", unit="管委会", level=level,
                                year_awarded=2024)
        museum = Holder.objects.create(region=county, name="体育博物馆", kind="museum")
        Item.objects.create(holder=museum, region=county, catalogue_no="1", title="奖章", kind="medal",
                            acquired_on=datetime.date(2025, 1, 1), acquisition="purchase")
        for j in range(1, townships + 1):
            township = Region.objects.create(code=f"{prefix}{i:02}{j:03}000", name=f"镇{i}-{j}",
                                             level="township", parent=county)
            ground(township, "fitness_centre")
            for k in range(1, communities + 1):
                community = Region.objects.create(code=f"{prefix}{i:02}{j:03}{k:03}", name=f"村{i}-{j}-{k}",
                                                  level="community", parent=township, population=1000)
                court = ground(community, "multi_sport_court", access="low_fee")
                # incentives: points earned there and a voucher redeemed at the court
                PointsEntry.objects.create(user=inspector, kind="credit", points=10, fact="check_in",
                                           source_key=f"test:{community.code}", region_code=community.code,
                                           day=start.date())
                Voucher.objects.create(campaign=campaign, user=inspector, person_key=community.code, nth=1,
                                       claimed_at=start, expires_at=start, status="redeemed", redeemed_at=start,
                                       site=court.site, spend=100, discount=30)
                bs.create_unit(court, name="场地", payment_provider="on_site")
                plan = InspectionPlan.objects.create(name="巡检", kind="daily", region=community,
                                                     inspector=inspector, starts_on=datetime.date(2025, 1, 1))
                InspectionRound.objects.create(plan=plan, kind="daily", region=community, inspector=inspector,
                                               scheduled_for=datetime.date(2026, 3, 1),
                                               due_on=datetime.date(2026, 3, 2), status="done")
                when = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
                WorkOrder.objects.create(number=f"WO-{community.code}", region=community, description="坏了",
                                         status="done", due_at=when, done_at=when)
                Instructor.objects.create(real_name="指导员", id_number_hash=community.code, id_number_enc="",
                                          region=community, status="active")
                org = Organization.objects.create(name=f"{community.name}协会", kind="association",
                                                  status="registered", region=community)
                Grading.objects.create(organization=org, grade=3, assessed_on=datetime.date(2025, 1, 1),
                                       valid_until=datetime.date(2030, 1, 1), assessor="民政局")
                # inclusive: one institution of each kind, fitted, and an activity for each group
                for kind, fitting, group in (("elderly_care", "elderly_equipment", "elderly"),
                                             ("rehab_centre", "rehab_equipment", "disabled"),
                                             ("preschool", "preschool_equipment", "preschool"),
                                             ("ethnic_village", "outdoor_basketball", "ethnic")):
                    place = Institution.objects.create(region=community, name=f"{community.name}{kind}", kind=kind,
                                                       ethnic_group="回族" if kind == "ethnic_village" else "")
                    Fitting.objects.create(institution=place, kind=fitting, fitted_on=datetime.date(2026, 3, 1),
                                           region=community)
                    Activity.objects.create(region=community, group=group, title="活动", participants=20,
                                            held_on=datetime.date(2026, 3, 1))
                # outreach: a five-into activity and a workplace doing workplace exercise
                SkillActivity.objects.create(region=community, setting="community", title="健身技能进社区",
                                             held_on=datetime.date(2026, 3, 1), place="广场", participants=40)
                Workplace.objects.create(region=community, name=f"{community.name}单位", headcount=50, participants=30,
                                         since=datetime.date(2025, 1, 1))
                # residential: a new residential area approved since 2021, meeting the norm
                ResidentialProject.objects.create(region=community, name=f"{community.name}小区", residents=1000,
                                                  indoor_area=Decimal(100), status="approved",
                                                  approved_on=datetime.date(2025, 6, 1), compliant=True)
                # safety: the court's venue has a complete record, and a hazard rectified on time
                VenueSafety.objects.create(site=court.site, responsible_unit="居委会", responsible_person="李",
                                           safety_officer="王", emergency_plan_on=datetime.date(2025, 1, 1),
                                           fire_check_on=datetime.date(2026, 3, 1),
                                           insured_until=datetime.date(2027, 1, 1))
                check = SafetyCheck.objects.create(site=court.site, checked_on=datetime.date(2026, 3, 1),
                                                   checked_by=inspector)
                Hazard.objects.create(safety_check=check, site=court.site, description="出口堵塞",
                                      deadline=datetime.date(2026, 3, 31), status="closed",
                                      rectified_on=datetime.date(2026, 3, 20), confirmed_at=when)
                for standard, rating in ((PHYSIQUE, "pass"), (STUDENT, "good")):
                    maker.make(participant=maker.person(community), session=maker.session(community),
                                              region=community, standard=standard, sex="male", age_group="20-29",
                                              passed=True, rating=rating, total=0, tested_at=when)
    shares = {"10": {"share": 0.5}, "15": {"share": 0.75}}
    CircleRun.objects.create(region=city, minutes=[10, 15], speed_kmh=DEFAULT_SPEED_KMH, data_version="v",
                             status="done", finished_at=start, result={"divisions": [
                                 {"region_code": city.code, "minutes": shares}]})
    return city


def queries(found: indicators.Indicator, city: Region) -> tuple[int, dict]:
    codes = list(Region.objects.filter(code__within=city.prefix, level__in=found.levels)
                 .values_list("code", flat=True))
    with CaptureQueriesContext(connection) as captured:
        values = found.compute(codes, AS_OF)
    return len(captured), values


def test_every_indicator_computes_a_whole_city_in_a_few_queries(db, settings):
    settings.QUANMIN_FIGURE_TARGETS = {p: {"plan": "计划", "since": "2021-01-01", "targets": []}
                                       for p in ("4101", "4102")}
    inspector, maker = make_user("13700000099", "巡检员", seq=99), Maker()
    small = build_city("4101", 1, 1, 2, inspector, maker)  # 5 divisions
    big = build_city("4102", 3, 3, 3, inspector, maker)  # 40 divisions
    for found in indicators.registry().values():
        # Anything a first call caches: organisations keep each division tree until their data
        # changes, so the count compared is the warm one for both cities.
        queries(found, small)
        queries(found, big)
        n_small, small_values = queries(found, small)
        n_big, big_values = queries(found, big)
        assert n_small == n_big <= 8, (found.key, n_small, n_big)
        # the values are real figures, one for every division asked for
        assert len(big_values) == sum(1 for r in Region.objects.filter(code__startswith="4102")
                                      if r.level in found.levels)
        if found.key in NO_DATA_HERE:
            continue
        assert big_values[big.code] is not None and small_values[small.code] is not None, found.key
