"""Handing grouped rows to every division asked for (regions.subtrees), on real division codes."""

from quanmin.regions import codes, subtrees

CITY, COUNTY, TOWNSHIP, COMMUNITY = "371500000000", "371502000000", "371502001000", "371502001001"
OTHER_COUNTY, OTHER_COMMUNITY = "371503000000", "371503001001"


def test_upward_runs_up_to_the_province():
    assert codes.upward(COMMUNITY) == [COMMUNITY, TOWNSHIP, COUNTY, CITY, "370000000000"]
    assert codes.upward(CITY) == [CITY, "370000000000"]


def test_the_covering_prefix_is_the_smallest_common_division():
    assert subtrees.covering_prefix([COMMUNITY, TOWNSHIP]) == "371502001"
    assert subtrees.covering_prefix([COMMUNITY, OTHER_COMMUNITY]) == "3715"
    assert subtrees.covering_prefix([CITY, COMMUNITY]) == "3715"
    assert subtrees.covering_prefix([COMMUNITY, "330402001001"]) == ""  # two provinces: no division holds both
    assert subtrees.covering_prefix([]) == ""


def test_each_row_counts_for_its_division_and_every_one_above_it_asked_for():
    rows = [(COMMUNITY, 1), (TOWNSHIP, 10), (COUNTY, 100), (OTHER_COMMUNITY, 1000), ("330402001001", 7)]
    found = subtrees.sum_up(rows, [CITY, COUNTY, COMMUNITY, OTHER_COUNTY], lambda code: [0],
                            add=lambda total, row: total.__setitem__(0, total[0] + row[1]))
    assert found == {CITY: [1111], COUNTY: [111], COMMUNITY: [1], OTHER_COUNTY: [1000]}


def test_summed_adds_a_column_up_each_subtree_asked_for():
    rows = [(COMMUNITY, 1, None), (TOWNSHIP, 10, 5), (COUNTY, 100, 0), (OTHER_COMMUNITY, 1000, 2), ("330402001001", 7, 9)]
    assert subtrees.summed(rows, [CITY, COUNTY, COMMUNITY, OTHER_COUNTY]) == {
        CITY: 1111, COUNTY: 111, COMMUNITY: 1, OTHER_COUNTY: 1000}
    assert subtrees.summed(rows, [CITY, COMMUNITY], column=2) == {CITY: 7, COMMUNITY: 0}  # a None adds nothing
    assert subtrees.summed([], [CITY]) == {CITY: 0}


def test_distinct_rolled_up_counts_each_value_once_per_subtree(world):
    from quanmin.regions.models import Region

    # Every division's level: the city's subtree holds all four levels, a township's two.
    found = subtrees.distinct_rolled_up(Region.objects.filter(code__within="3715").values_list("code", "level"))
    assert found[CITY] == 4 and found[world.township.code] == 2 and found[world.community.code] == 1
