"""Our OpenActive concepts are the real lists': every id data/activities.csv names was checked against
a copy of the OpenActive Activity List, every facility type of data/facility_activities.csv against the
Facility Type List (data/openactive_*checked.json say which copy and how), and an id that was not
fails."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quanmin.opendata import vocab

BOGUS = "00000000-0000-4000-8000-000000000000"


def _with(monkeypatch, **rows):
    known = dict(vocab.activities())
    for code, (scheme, concept, label, broader) in rows.items():
        known[code] = vocab.Activity(code=code, scheme=scheme, concept=concept, label_zh="试", label_en=label,
                                     broader=broader, note="")
    monkeypatch.setattr(vocab, "activities", lambda: known)


def _list(drop: str = "") -> dict:
    """A copy of the list holding just the checked concepts (less one), in the list's own form."""
    out = vocab.checked_list()
    out["concept"] = [c for c in out["concept"] if not c["id"].endswith(drop or "-")]
    return out


def test_every_openactive_concept_we_name_is_in_the_checked_copy_of_the_list():
    checked = vocab.checked()
    assert checked["concepts_in_list"] > 700 and len(checked["sha256"]) == 64 and checked["commit"]
    assert "creativecommons.org/licenses/by/4.0" in checked["license"]
    assert vocab.unchecked() == []
    # every concept the feeds can carry in `activity` is one of them, with the list's label
    for code in vocab.activities():
        for concept in vocab.concepts([code])[0]:
            uuid = concept["@id"].rpartition("#")[2]
            assert checked["concepts"][uuid] == concept["prefLabel"], code


def test_an_id_or_label_not_in_the_list_fails(monkeypatch):
    _with(monkeypatch, bogus=("openactive", BOGUS, "Curling on grass", ""),
          relabelled=("openactive", "72ddb2dc-7d75-424e-880a-d90eabe91381", "Jogging", ""),
          ours=("quanmin", "ours", "Our sport", BOGUS))
    problems = vocab.unchecked()
    assert any(p.startswith(BOGUS) and "bogus" in p and "ours" in p for p in problems)
    assert any(p.startswith("relabelled: label 'Jogging'") for p in problems)
    problems = vocab.check(_list())
    assert any(p.startswith(BOGUS) and "not in the OpenActive Activity List" in p for p in problems)
    assert any("'Running'" in p for p in problems)


def test_our_own_concept_with_a_label_the_list_has_fails(monkeypatch):
    _with(monkeypatch, copy=("quanmin", "copy", "running", ""))
    assert vocab.check(_list()) == ["copy: the list has 'running' (https://openactive.io/activity-list#"
                                    "72ddb2dc-7d75-424e-880a-d90eabe91381); use it"]


def test_the_check_command_records_a_copy_that_holds_our_concepts_and_refuses_one_that_does_not(tmp_path, monkeypatch):
    whole, short = tmp_path / "whole.jsonld", tmp_path / "short.jsonld"
    whole.write_text(json.dumps(_list()))
    short.write_text(json.dumps(_list(drop="984068a7-5b7b-4989-bb33-f96953d8960c")))  # Group Exercise
    target = tmp_path / "checked.json"
    monkeypatch.setitem(vocab.CHECKED, vocab.OPENACTIVE_LIST, target)
    with pytest.raises(CommandError, match=r"984068a7-5b7b-4989-bb33-f96953d8960c .*fitness.*not in the OpenActive Activity List"):
        call_command("opendata_activities", check=str(short), write=True)
    assert not target.exists()
    call_command("opendata_activities", check=str(whole), commit="c" * 40, write=True)
    written = json.loads(target.read_text())
    assert written["concepts"] == vocab.checked()["concepts"] and written["commit"] == "c" * 40


def test_facility_types_are_the_facility_type_lists_and_an_unknown_one_fails(monkeypatch):
    checked = vocab.checked(vocab.FACILITY_TYPES)
    assert checked["concepts_in_list"] > 30 and checked["commit"] and len(checked["sha256"]) == 64
    assert [c["prefLabel"] for c in vocab.facility_types("football_5")] == ["Futsal Court"]
    assert vocab.facility_types("swimming_pool") == []  # the list has no pool
    known = dict(vocab.facility_type_ids()) | {"gateball": (BOGUS,)}
    monkeypatch.setattr(vocab, "facility_type_ids", lambda: known)
    assert vocab.unchecked() == [f"{BOGUS} (gateball): not checked against the OpenActive Facility Type List"]
    listed = {"id": vocab.FACILITY_TYPES, "concept": [{"id": f"{vocab.FACILITY_TYPES}#{u}", "prefLabel": label}
                                                      for u, label in checked["concepts"].items()]}
    assert vocab.check(listed) == [f"{BOGUS} (gateball): not in the OpenActive Facility Type List"]
