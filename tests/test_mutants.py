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
    assert (result["killed"], result["survived"], result["other"]) == (2, 1, 2)
    assert result["score"] == round(2 / 3, 3)
    assert result["survivors"] == ["quanmin.booking.services.x_cancel__mutmut_2"]
    assert result["modules"]["quanmin/booking/pricing.py"] == {"killed": 0, "survived": 0, "other": 0}


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
