"""The `make mutants` tooling: its tally of mutmut's results and its scratch copy's configuration."""

import json
import shutil
import tomllib

from tests import mutants


def test_tally_counts_killed_survived_and_the_rest(tmp_path):
    meta = tmp_path / "mutants" / "quanmin" / "booking" / "services.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {"quanmin.booking.services.x_cancel__mutmut_1": 1, "quanmin.booking.services.x_cancel__mutmut_2": 0,
             "quanmin.booking.services.x_hold__mutmut_1": 3, "quanmin.booking.services.x_hold__mutmut_2": None,
             "quanmin.booking.services.x_hold__mutmut_3": 36}
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    result = mutants.tally(tmp_path, ["quanmin/booking/services.py", "quanmin/booking/pricing.py"])
    # Not run yet (None) is counted apart from the timeouts and suspicious exits (36).
    assert (result["killed"], result["survived"], result["other"], result["not_run"]) == (2, 1, 1, 1)
    assert result["score"] == round(2 / 3, 3)
    assert result["survivors"] == ["quanmin.booking.services.x_cancel__mutmut_2"]
    assert result["modules"]["quanmin/booking/pricing.py"] == {"killed": 0, "survived": 0, "other": 0, "not_run": 0}


def test_every_rule_module_and_its_tests_exist():
    for module, tests in mutants.RULES.items():
        assert (mutants.ROOT / module).is_file(), module
        assert all((mutants.ROOT / t).exists() for t in tests), tests


def test_the_scratch_copy_mutates_only_the_asked_modules():
    where = mutants.scratch_copy(["quanmin/booking/pricing.py"])
    try:
        config = tomllib.loads((where / "pyproject.toml").read_text())["tool"]["mutmut"]
        assert config["only_mutate"] == ["quanmin/booking/pricing.py"]
        assert config["pytest_add_cli_args_test_selection"] == ["tests/booking"]
        # Each mutant's session starts from one migrated database instead of migrating its own.
        assert "tests.mutants_db" in config["pytest_add_cli_args"]
        assert (where / "tests" / "mutants_db.py").is_file()
        assert (where / "quanmin" / "booking" / "pricing.py").is_file() and (where / ".venv").is_symlink()
    finally:
        shutil.rmtree(where)


def test_wilson_interval_holds_the_score_and_narrows_with_the_sample():
    # Hand values: 50 of 60 killed gives 0.833, interval 0.720..0.907 (Wilson, z = 1.96).
    assert mutants.wilson(50, 60) == [0.72, 0.907]
    assert mutants.wilson(0, 0) is None
    assert mutants.wilson(60, 60)[1] == 1.0 and mutants.wilson(60, 60)[0] < 1.0
    low, high = mutants.wilson(500, 600)
    assert 0.72 < low < 50 / 60 < high < 0.907


def test_a_sampled_tally_counts_only_the_drawn_mutants(tmp_path):
    meta = tmp_path / "mutants" / "quanmin" / "booking" / "pricing.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {f"quanmin.booking.pricing.x_price__mutmut_{i}": None for i in range(1, 11)}
    codes.update({"quanmin.booking.pricing.x_price__mutmut_1": 1, "quanmin.booking.pricing.x_price__mutmut_2": 0,
                  "quanmin.booking.pricing.x_price__mutmut_3": 3})
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    drawn = {"quanmin/booking/pricing.py": ["quanmin.booking.pricing.x_price__mutmut_1",
                                            "quanmin.booking.pricing.x_price__mutmut_2",
                                            "quanmin.booking.pricing.x_price__mutmut_3"]}
    result = mutants.tally(tmp_path, ["quanmin/booking/pricing.py"], drawn)
    # The 7 mutants not drawn (not run) are not "other": they are outside the sample.
    assert (result["killed"], result["survived"], result["other"]) == (2, 1, 0)
    module = result["modules"]["quanmin/booking/pricing.py"]
    assert (module["mutants"], module["drawn"]) == (10, 3)
    assert module["interval"] == mutants.wilson(2, 3) == result["interval"]
    assert result["sampled"] is True and result["survivors"] == ["quanmin.booking.pricing.x_price__mutmut_2"]


def test_the_draw_generates_every_mutant_and_picks_the_same_ones_for_a_seed():
    where = mutants.scratch_copy(["quanmin/booking/pricing.py"])
    try:
        first = mutants.draw(where, ["quanmin/booking/pricing.py"], 5, seed=7)
        everything = mutants.exit_codes(where, "quanmin/booking/pricing.py")
        assert len(everything) > 50  # pricing.py has over a hundred mutants
        drawn = first["quanmin/booking/pricing.py"]
        assert len(drawn) == 5 and set(drawn) <= set(everything)
        assert mutants.draw(where, ["quanmin/booking/pricing.py"], 5, seed=7) == first
        assert mutants.draw(where, ["quanmin/booking/pricing.py"], 5, seed=8) != first
    finally:
        shutil.rmtree(where)


def test_decorated_functions_are_rewritten_so_that_they_are_mutated(tmp_path):
    source = tmp_path / "services.py"
    source.write_text(
        "import functools\n\n"
        "def twice(f):\n    @functools.wraps(f)\n    def inner(x):\n        return f(x) * 2\n    return inner\n\n"
        "def plus(n):\n    def deco(f):\n        return lambda x: f(x) + n\n    return deco\n\n"
        "@twice\n@plus(1)\ndef rule(x):\n    return x + 10\n\n"
        "def plain(x):\n    return x\n")
    assert mutants.undecorate(source) == 1
    text = source.read_text()
    assert "@twice" not in text and "rule = twice(plus(1)(rule))" in text
    namespace = {}
    exec(compile(text, str(source), "exec"), namespace)
    # Decorators apply bottom-up, as with the @ form: (5 + 10 + 1) * 2.
    assert namespace["rule"](5) == 32 and namespace["plain"](3) == 3


def test_the_scratch_copy_unwraps_the_atomic_writers_of_the_mutated_module():
    where = mutants.scratch_copy(["quanmin/maintenance/services.py"])
    try:
        copied = (where / "quanmin/maintenance/services.py").read_text()
        original = (mutants.ROOT / "quanmin/maintenance/services.py").read_text()
        assert "@transaction.atomic\ndef " in original and "@transaction.atomic\ndef " not in copied
        assert "\ncomplete = transaction.atomic(complete)" in copied
        # Other modules are copied as they are.
        assert (where / "quanmin/feedback/services.py").read_text() == \
            (mutants.ROOT / "quanmin/feedback/services.py").read_text()
    finally:
        shutil.rmtree(where)
