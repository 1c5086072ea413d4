"""System checks of accounts: `check --deploy` refuses to pass without a real field key."""

import re

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


ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


@register(Tags.security)
def frame_ancestors(app_configs, **kwargs):
    """QUANMIN_FRAME_ANCESTORS goes into the residents' pages' CSP as it is: only plain origins, never
    a wildcard, a scheme alone or 'self'-style keywords (any of those would let other sites frame them)."""
    bad = [origin for origin in settings.FRAME_ANCESTORS if not ORIGIN.match(origin)]
    if not bad:
        return []
    return [Error(
        f"QUANMIN_FRAME_ANCESTORS holds what is not an origin: {', '.join(bad)}.",
        hint="List origins only, comma-separated: https://app.example.gov.cn,https://sports.example.gov.cn:8443",
        id="quanmin.E002",
    )]


@register(Tags.security, deploy=True)
def city_app_over_https(app_configs, **kwargs):
    """The city app's provider and the framing sites must be reached over HTTPS in production: a
    client secret and ID tokens over plain HTTP can be read on the way."""
    plain = [url for url in [settings.CITYAPP_ISSUER, settings.CITYAPP_MESSAGE_URL, *settings.FRAME_ANCESTORS]
             if url.startswith("http://")]
    if not plain:
        return []
    return [Error(
        f"Plain HTTP where HTTPS is needed: {', '.join(plain)}.",
        hint="Use https:// in QUANMIN_CITYAPP_ISSUER, QUANMIN_CITYAPP_MESSAGE_URL and QUANMIN_FRAME_ANCESTORS.",
        id="quanmin.E003",
    )]
