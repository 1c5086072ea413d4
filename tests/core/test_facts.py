"""core.facts: facts one app keeps about another app's objects, read by key."""

import datetime

import pytest

from quanmin.core import facts

DAY = datetime.date(2026, 6, 30)


def test_the_keepers_declare_what_organisations_read():
    assert {"events", "event_participants"} <= set(facts.about("organizations.Organization"))
    assert facts.subset_of("accounts.User", "active_instructor") is not None
    assert facts.subset_of("accounts.User", "no_such_subset") is None


def test_an_undeclared_fact_reads_as_nothing_and_a_key_is_declared_once():
    assert facts.compute("organizations.Organization", "no_such_fact", [1, 2], DAY, DAY) == {}
    assert facts.compute("organizations.Organization", "events", [], DAY, DAY) == {}
    with pytest.raises(ValueError, match="declared twice"):
        facts.fact("organizations.Organization", "events", label="again")(lambda ids, first, last: {})
