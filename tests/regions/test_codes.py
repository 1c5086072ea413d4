"""regions/codes.py, the one home of division-code arithmetic, checked as properties.

The codes are real ones, read from the division data the app loads (four cities chosen for
their shapes: Liaocheng, the demo city; Beijing, a municipality; Dongguan, a city without
counties whose towns hang under the city; Jinan, with development zones coded 71-79), and
generated ones: any province 11-82 with any non-zero segment below it.
"""

import bisect
import csv
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from quanmin.regions import codes, sources

CITIES = ("3715", "1101", "4419", "3701")
DIVISIONS = [d for city in CITIES for d in sources.iter_city_divisions(city, Path(settings.NODE_MODULES))]
CENSUS = Path(codes.__file__).parent / "data" / "liaocheng_census2020.csv"
with open(CENSUS, encoding="utf-8") as fh:
    CENSUS_CODES = [row["region_code"] for row in csv.DictReader(line for line in fh if not line.startswith("#"))]
REAL = sorted({d.code12 for d in DIVISIONS} | set(CENSUS_CODES))

SEGMENTS = (("province", 11, 82, 2), ("city", 1, 99, 2), ("county", 1, 99, 2), ("township", 1, 999, 3),
            ("community", 1, 999, 3))


@st.composite
def generated_codes(draw) -> str:
    """A well-formed code: non-zero segments down to a drawn level, zeros below."""
    deepest = draw(st.sampled_from(codes.LEVELS))
    digits = ""
    for level, low, high, width in SEGMENTS:
        digits += f"{draw(st.integers(low, high)):0{width}d}"
        if level == deepest:
            break
    return codes.pad(digits)


real_codes = st.sampled_from(REAL)
any_codes = st.one_of(real_codes, generated_codes())


def subtree_of(code: str) -> list[str]:
    """The real codes in the subtree of `code`, found by bisecting the sorted list (no codes.py)."""
    p = codes.prefix(code)
    start = bisect.bisect_left(REAL, p)
    end = start
    while end < len(REAL) and REAL[end][: len(p)] == p:
        end += 1
    return REAL[start:end]


@st.composite
def related_sets(draw) -> list[str]:
    """A few real codes that share some ancestor: drawn from under one real division."""
    top = draw(real_codes)
    return draw(st.lists(st.sampled_from(subtree_of(top)), min_size=1, max_size=6))


def depth(code: str) -> int:
    return len(codes.prefix(code))


def test_the_real_codes_are_many_and_of_every_level():
    assert len(REAL) > 15_000
    assert {codes.level(c) for c in REAL} == {"city", "county", "township", "community"}


def test_level_and_parent_agree_with_the_bureaus_tree():
    for d in DIVISIONS:
        assert codes.level(d.code12) == d.level, d
        if d.parent_code12 is not None:
            assert codes.parent(d.code12) == d.parent_code12, d
        else:
            assert codes.level(codes.parent(d.code12)) == "province"


@given(generated_codes())
def test_generated_code_level_and_prefix(code):
    assert codes.is_code(code)
    assert len(codes.prefix(code)) == codes.PREFIX_LENGTH[codes.level(code)]
    assert codes.pad(codes.prefix(code)) == code
    assert codes.normalise(codes.prefix(code)) == code
    assert codes.ancestor_at(code, codes.level(code)) == code


@given(any_codes)
def test_parent_is_a_prefix_ancestor(code):
    above = codes.parent(code)
    assert above is not None and above != code
    assert code.startswith(codes.prefix(above))
    assert depth(above) < depth(code)
    assert codes.contains(above, code) and not codes.contains(code, above)


@given(any_codes)
def test_ancestors_run_from_the_province_down_each_the_parent_of_the_next(code):
    chain = codes.ancestors(code)
    assert codes.level(chain[0]) == "province"
    assert codes.parent(chain[0]) is None
    for above, below in zip(chain, [*chain[1:], code], strict=True):
        assert codes.parent(below) == above
        assert depth(above) < depth(below)
        assert codes.contains(above, code)
        assert codes.ancestor_at(code, codes.level(above)) == above
    assert code not in chain
    assert codes.upward(code) == [code, *reversed(chain)]


@given(any_codes, any_codes)
def test_a_code_lies_in_the_range_of_its_ancestors_and_itself_and_no_other(code, other):
    for above in codes.upward(code):
        low, high = codes.subtree_range(codes.prefix(above))
        assert low <= code <= high
        assert codes.in_subtree(code, codes.prefix(above))
    low, high = codes.subtree_range(codes.prefix(other))
    inside = other in codes.upward(code)
    assert (low <= code <= high) == inside
    assert codes.contains(other, code) == inside
    half_open = codes.subtree_bounds(codes.prefix(other))
    assert (half_open[0] <= code and (half_open[1] is None or code < half_open[1])) == inside


@given(st.lists(any_codes, min_size=1, max_size=6) | related_sets(), st.randoms())
def test_common_prefix_is_the_deepest_ancestor_or_self_of_all(group, rnd):
    shared = set.intersection(*(set(codes.upward(c)) for c in group))
    found = codes.common_prefix(group)
    assert found == (max(shared, key=depth) if shared else "")
    if found:
        assert all(codes.contains(found, c) for c in group)
    rnd.shuffle(group)
    assert codes.common_prefix(group) == found


def test_common_prefix_examples():
    assert codes.common_prefix([]) == ""
    assert codes.common_prefix(["371502001001"]) == "371502001001"
    assert codes.common_prefix(["371502001001", "371502001002"]) == "371502001000"
    assert codes.common_prefix(["371502001001", "371503001001"]) == "371500000000"
    assert codes.common_prefix(["371500000000", "371502001001"]) == "371500000000"
    assert codes.common_prefix(["371502001001", "370102001001"]) == "370000000000"
    assert codes.common_prefix(["371502001001", "110101001001"]) == ""


@given(st.lists(any_codes, max_size=8))
def test_outermost_keeps_the_prefixes_no_other_covers(group):
    prefixes = [codes.prefix(c) for c in group]
    kept = codes.outermost(prefixes)
    assert all(any(codes.in_subtree(p, q) for q in kept) for p in prefixes)
    assert not any(p != q and codes.in_subtree(p, q) for p in kept for q in kept)


@given(any_codes)
def test_integer_codes_cut_like_strings(code):
    for level in codes.PREFIX_LENGTH:
        assert codes.number_at(int(code), level) == int(codes.ancestor_at(code, level))


def test_levels_step_both_ways():
    for level in codes.PREFIX_LENGTH:
        below = codes.child_level(level)
        assert below is None or codes.parent_level(below) == level
    assert codes.child_level("community") is None and codes.parent_level("province") is None


@pytest.mark.parametrize("text,ok", [("37", True), ("3715", True), ("371502", True), ("371502001", True),
                                     ("371502001001", True), ("371", False), ("3715020010010", False),
                                     ("", False), ("37x5", False)])
def test_is_prefix(text, ok):
    assert codes.is_prefix(text) == ok
