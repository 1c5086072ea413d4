"""Issue 15, item 11: `check --deploy` fails without a real QUANMIN_FIELD_KEY (every read of personal
data would otherwise fail at run time)."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def field_key_errors():
    return [m for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("quanmin.")]


@pytest.mark.parametrize("key", ["", "dev-only-field-key-never-use-in-production", "short-key"])
def test_deploy_check_refuses_a_missing_default_or_short_key(settings, key):
    settings.FIELD_ENCRYPTION_KEY = key
    errors = field_key_errors()
    assert [e.id for e in errors] == ["quanmin.E001"] and errors[0].level == checks.ERROR
    assert "QUANMIN_FIELD_KEY" in errors[0].msg
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_deploy_check_passes_with_a_long_key_of_its_own(settings):
    settings.FIELD_ENCRYPTION_KEY = "x7Q" * 16
    assert field_key_errors() == []
