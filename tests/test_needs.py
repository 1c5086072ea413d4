"""A missing tool skips a test on a developer's machine and fails it in CI (QUANMIN_REQUIRE_ALL=1)."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import needs


def test_a_missing_tool_skips_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv("QUANMIN_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no such tool"):
        needs.need(False, "no such tool")
    needs.need(True, "present")  # nothing happens


def test_a_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("QUANMIN_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="QUANMIN_REQUIRE_ALL=1"):
        needs.need(False, "Debian's Chromium is not installed")
    with pytest.raises(pytest.fail.Exception, match="no_such_package_here"):
        needs.need_module("no_such_package_here")
    assert needs.need_module("json").dumps([]) == "[]"


def _skip(nodeid, reason):
    return SimpleNamespace(nodeid=nodeid, skipped=True, longrepr=("t.py", 1, f"Skipped: {reason}"))


def test_only_the_skips_by_design_are_allowed():
    reports = [
        _skip("tests/regions/test_within.py::icu", "ICU collations are PostgreSQL's"),
        _skip("tests/web/test_x.py::browser", "Debian's Chromium is not installed at /usr/bin/chromium"),
        SimpleNamespace(nodeid="tests/a.py::passed", skipped=False, longrepr=None),
    ]
    assert needs.unexpected_skips(reports) == [
        "tests/web/test_x.py::browser: Debian's Chromium is not installed at /usr/bin/chromium"]


def test_a_run_with_an_unexpected_skip_fails_in_ci(tmp_path):
    # A real pytest run, with this suite's conftest, of a test that skips for a missing tool.
    probe = tmp_path / "test_probe.py"
    probe.write_text("from tests.needs import need\n\ndef test_probe():\n    need(False, 'a tool is missing')\n")
    # The probe lies outside tests/, so no conftest applies: only the plugin that pyproject's addopts loads.
    base = [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist",
            str(probe)]  # tests.needs comes from addopts
    calm = subprocess.run(base, capture_output=True, text=True, env=_env(require=False))
    assert calm.returncode == 0, calm.stdout + calm.stderr
    assert "SKIPPED" in calm.stdout and "a tool is missing" in calm.stdout
    strict = subprocess.run(base, capture_output=True, text=True, env=_env(require=True))
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "QUANMIN_REQUIRE_ALL=1" in strict.stdout and "a tool is missing" in strict.stdout


def _env(*, require):
    import os
    env = {k: v for k, v in os.environ.items() if k != "QUANMIN_REQUIRE_ALL"}
    if require:
        env["QUANMIN_REQUIRE_ALL"] = "1"
    return env


def test_a_plain_skip_outside_the_skips_by_design_fails_the_run_in_ci(tmp_path):
    # A test that skips by itself (not through need()) passes need()'s check; the session's end must
    # still fail the run and name it.
    probe = tmp_path / "test_probe.py"
    probe.write_text("import pytest\n\ndef test_probe():\n    pytest.skip('not on this database')\n")
    root = Path(__file__).resolve().parent.parent  # so that pyproject's addopts load the plugin
    base = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(root),
            "-c", str(root / "pyproject.toml"), str(probe)]
    strict = subprocess.run(base, capture_output=True, text=True, env=_env(require=True), cwd=root)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "Traceback" not in strict.stderr, strict.stderr
    assert "QUANMIN_REQUIRE_ALL=1 and tests were skipped" in strict.stdout and "not on this database" in strict.stdout
