"""Tools a test needs, and what happens when one is missing.

On a developer's machine a missing tool (Debian's Chromium, GNU gettext, an optional package)
skips the tests that need it, saying so. In CI (`QUANMIN_REQUIRE_ALL=1`, set by `.ci/run`) the same
test fails instead, and the run fails on any skip but the ones listed in SKIPS_BY_DESIGN: a CI
without a browser must not go green on the strength of skipped browser tests.
"""

from __future__ import annotations

import importlib
import os

import pytest

# Skips that are right even when everything is installed: the ICU-collation test is PostgreSQL's,
# so the SQLite pass skips it; the demo-file scan reads a SQLite file whatever the pass, so the
# PostgreSQL pass leaves it to the SQLite pass instead of loading the demo a second time.
SKIPS_BY_DESIGN = ("ICU collations are PostgreSQL's", "the demo file is SQLite's")


def required() -> bool:
    return os.environ.get("QUANMIN_REQUIRE_ALL") == "1"


def need(present: bool, reason: str) -> None:
    """Skip (or, in CI, fail) the calling test unless `present`."""
    if present:
        return
    if required():
        pytest.fail(f"{reason} (QUANMIN_REQUIRE_ALL=1: a missing tool fails the run)", pytrace=False)
    pytest.skip(reason)


def need_module(name: str, reason: str = ""):
    """The module, imported; skip (or, in CI, fail) when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        need(False, reason or f"the {name} package is not installed")


def skip_reason(report) -> str:
    """The reason a skipped test report gives (pytest keeps it as (path, line, 'Skipped: why'))."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def unexpected_skips(reports) -> list[str]:
    """The skipped tests among `reports` whose reason is not one of SKIPS_BY_DESIGN."""
    return [f"{r.nodeid}: {skip_reason(r)}" for r in reports
            if r.skipped and not any(skip_reason(r).startswith(ok) for ok in SKIPS_BY_DESIGN)]


# The plugin's hooks (registered by tests/conftest.py): collect skips, and in CI fail on the unexpected.
_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report)


def pytest_sessionfinish(session, exitstatus):
    if not required() or hasattr(session.config, "workerinput"):
        return  # an xdist worker's reports reach the controller, which decides
    unexpected = unexpected_skips(_skipped)
    if unexpected:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            "QUANMIN_REQUIRE_ALL=1 and tests were skipped:\n  " + "\n  ".join(unexpected), red=True)
        session.exitstatus = 1
