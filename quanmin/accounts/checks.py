"""System checks of accounts: `check --deploy` refuses to pass without a real field key."""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEV_FIELD_KEY = "dev-only-field-key-never-use-in-production"
MIN_FIELD_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def field_key(app_configs, **kwargs):
    """QUANMIN_FIELD_KEY encrypts ID numbers, phones and health data: without it every read of personal
    data fails at run time; the development key is public."""
    key = settings.FIELD_ENCRYPTION_KEY or ""
    if key and key != DEV_FIELD_KEY and len(key) >= MIN_FIELD_KEY_LENGTH:
        return []
    return [Error(
        "QUANMIN_FIELD_KEY is missing, too short or the public development key.",
        hint=f"Set QUANMIN_FIELD_KEY to a random secret of at least {MIN_FIELD_KEY_LENGTH} characters "
             "(python -c 'import secrets; print(secrets.token_urlsafe(48))'); keep it apart from the "
             "database backups: changing it makes stored personal data unreadable.",
        id="quanmin.E001",
    )]
