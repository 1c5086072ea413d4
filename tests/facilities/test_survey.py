"""The statistics survey's facility categories and the annual survey table export (体育场地统计调查)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quanmin.facilities import services, survey, types

# The categories as the survey's published results write them (体育总局 2022年全国体育场地统计调查数据,
# 湖北省 2020, 河北省 2021 bulletins), typed here from those texts.
SURVEY_NAMES = {
    "设有400米环形跑道的田径场地", "其他田径场地", "室外游泳池", "室内游泳馆", "天然游泳场", "十一人制足球场地",
    "七人制足球场地", "五人制足球场地", "沙滩足球场", "室外篮球场", "室外三人篮球场", "室内篮球馆", "排球场", "排球馆",
    "沙滩排球场", "室外乒乓球场地", "乒乓球馆", "全民健身路径", "健身房", "健身步道",
}


def test_every_type_maps_to_one_survey_category():
    for info in types.TYPES.values():
        assert info.survey in types.SURVEY and info.survey_indoor in types.SURVEY, info.code
    assert SURVEY_NAMES <= {c.name_zh for c in types.SURVEY.values()}


def test_the_missing_survey_categories_exist_as_types():
    assert types.survey_category("natural_swimming").name_zh == "天然游泳场"
    assert types.survey_category("beach_football").name_zh == "沙滩足球场"
    assert types.survey_category("athletics_ground").name_zh == "其他田径场地"
    assert types.survey_category("athletics_stadium").name_zh == "设有400米环形跑道的田径场地"
    # the indoor/outdoor split: a type marked indoor counts under the survey's hall
    assert types.survey_category("basketball").name_zh == "室外篮球场"
    assert types.survey_category("basketball", indoor=True).name_zh == "室内篮球馆"
    assert types.survey_category("swimming_pool", indoor=True).name_zh == "室内游泳馆"
    assert types.survey_category("no-such-type").code == "other"


def test_local_planning_types_stay_as_subtypes():
    local = {t.name_zh for t in types.TYPES.values() if t.local}
    assert {"笼式足球场", "灯光篮球场", "气排球场", "智能健身驿站", "体育公园"} <= local
    assert types.survey_category("cage_football").name_zh == "五人制足球场地"
    assert types.survey_category("basketball_lit").name_zh == "室外篮球场"


def test_every_census_type_code_is_in_exactly_one_category():
    # 第六次全国体育场地普查 type codes 1-84, as the census data-entry tool lists them.
    found = [c for cat in types.SURVEY.values() for c in cat.census_codes]
    assert sorted(found, key=int) == [str(i) for i in range(1, 85)]
    for cat in types.SURVEY.values():
        assert len(cat.census_codes) == len(cat.census_names), cat.code


def _survey(client, **params):
    response = client.get(reverse("facilities:export"), {"format": "survey", **params})
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_survey_table_of_a_county(world, client_for):
    services.add_facility(world.site, {"type": "basketball", "area_m2": "600", "indoor": True})
    services.add_facility(world.site, {"type": "cage_football", "area_m2": "300"})
    services.add_facility(world.site, {"type": "fitness_trail", "length_km": "2.5"})
    book = _survey(client_for("county"), region="371502")
    assert book.sheetnames == ["体育场地统计调查表", "分区划", "说明"]
    ws = book["体育场地统计调查表"]
    assert ws["A1"].value == "东昌府区体育场地统计调查表"
    rows = {r[3]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["室外篮球场"][5:7] == (1, 420.0)     # the world's basketball court
    assert rows["室内篮球馆"][5:7] == (1, 600.0)
    assert rows["五人制足球场地"][5:7] == (1, 300.0)  # 笼式足球场 counts as 5-a-side
    assert rows["健身步道"][5] == 1 and rows["健身步道"][7] == 2.5
    assert rows["天然游泳场"][5] == 0
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "合计")
    assert total[5:7] == (4, 1320.0)
    per_capita = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "人均体育场地面积（平方米）")
    assert per_capita[5] == round(1320 / 1229768, 2)
    children = list(book["分区划"].iter_rows(values_only=True))
    assert children[0][:3] == ("区划代码", "区划名称", "常住人口（人）")
    township = next(r for r in children[1:] if r[0] == "371502001000")
    assert township[3] == 4
    notes = "\n".join(str(r[0]) for r in book["说明"].iter_rows(values_only=True))
    assert "笼式足球场：1 个，计入 五人制足球场地" in notes


def test_survey_table_is_scoped(world, client_for):
    # the other county's fitness square is not in this county's table, and its table is not ours to read
    book = _survey(client_for("county"))
    assert book["体育场地统计调查表"]["A1"].value == "东昌府区体育场地统计调查表"
    rows = {r[3]: r for r in book["体育场地统计调查表"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["其他体育场地"][5] == 0
    response = client_for("county").get(reverse("facilities:export"), {"format": "survey", "region": "371503"})
    assert response.status_code == 404
    city = _survey(client_for("city"), region="371503")
    rows = {r[3]: r for r in city["体育场地统计调查表"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["其他体育场地"][5:7] == (1, 1500.0)  # 健身广场, a local type, under 其他体育场地


@pytest.mark.parametrize("region", ["abc", "9" * 40, "371599"])
def test_survey_table_bad_region_is_not_found(world, client_for, region):
    response = client_for("city").get(reverse("facilities:export"), {"format": "survey", "region": region})
    assert response.status_code == 404


def test_survey_table_text_is_never_a_formula(world):
    world.county.name = "=HYPERLINK(\"x\")"
    world.county.save()
    ws = load_workbook(survey.workbook(survey.survey_table(world.county)))["体育场地统计调查表"]
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("=HYPERLINK")
