"""A pytest plugin for `make mutants` (tests/mutants.py): which tests speak for a function, and how
long each one takes.

mutmut first runs every selected test once, noting the functions of the rule modules each test
calls; a mutant of a function then runs the tests that called it, one session, stopping at the
first failure (a surviving mutant runs all of them). It notes the calls of the whole test,
fixtures included: the shared `world` fixture books a court for two residents, so `hold`,
`confirm`, pricing and the rest were "called" by every booking test, pages and admin included,
and every surviving mutant of them ran the whole suite (the run did not end in an evening on a
shared machine). Here only the calls the test itself makes count: the calls made while fixtures
are set up are dropped before the test's body runs. A mutant that breaks a fixture still fails
the tests that call the function themselves, as they use the same fixtures.

mutmut also times only the test's body; a mutant's wall-clock limit is built from those times,
and setting the fixtures up (a database of divisions, people and courts) is most of a booking
test's time, so under load a surviving mutant was cut off as a timeout (neither killed nor
survived). The set-up and tear-down times are added here.

Off unless mutmut is collecting its stats (MUTANT_UNDER_TEST=stats).
"""

from __future__ import annotations

import os

import pytest


def _collecting() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    if _collecting():
        from mutmut.state import state

        state()._stats.clear()  # what the fixtures called


@pytest.hookimpl(trylast=True)
def pytest_runtest_makereport(item, call):
    if _collecting() and call.when in ("setup", "teardown"):
        from mutmut.state import state

        state().duration_by_test[item.nodeid] += call.duration
