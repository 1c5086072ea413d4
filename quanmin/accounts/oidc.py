"""OpenID Connect with the city's app (我的聊城): the protocol side, no database writes.

Authorization code with PKCE (S256): `begin()` makes the state, nonce and code verifier the session
keeps and the address the resident is sent to; `finish()` checks the state, trades the code at the
provider's token endpoint (client secret, code verifier) and checks the ID token it answers with:
RS256 only (never "none", never a shared-secret algorithm), signed by a key of the provider's JWKS,
issued by the configured issuer, for our client id, not expired, carrying our nonce. The claims it
returns are what services.city_sign_in acts on.

The provider is configured by settings (CITYAPP_ISSUER, CITYAPP_CLIENT_ID, CITYAPP_CLIENT_SECRET);
its discovery document and keys are fetched over HTTP and kept in the cache for an hour (a key the
cache does not know is fetched again once: the provider rotated its keys).
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .errors import CityAppError

TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 1_000_000
CACHE_SECONDS = 3600
FLOW_SECONDS = 600  # a sign-in started more than ten minutes ago is stale
LEEWAY_SECONDS = 60  # clocks differ


def enabled() -> bool:
    return bool(settings.CITYAPP_ISSUER and settings.CITYAPP_CLIENT_ID and settings.CITYAPP_CLIENT_SECRET)


def app_name() -> str:
    return settings.CITYAPP_NAME


def redirect_uri() -> str:
    """The address the provider sends the resident back to: it must be registered with the provider
    exactly, so it is built from the public address, not from the request's Host."""
    return f"{settings.PUBLIC_URL}{reverse('accounts:city_callback')}"


def _fail(code: str, message) -> CityAppError:
    return CityAppError(code, message % {"app": app_name()} if "%(app)s" in str(message) else message)


def _unreachable() -> CityAppError:
    return _fail("cityapp_unreachable", _("%(app)s cannot be reached just now: try again in a few minutes, "
                                          "or sign in with your mobile number and password."))


def _http_json(url: str, *, data: dict | None = None, headers: dict | None = None) -> dict:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise _unreachable()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raw = exc.read(MAX_RESPONSE_BYTES + 1)
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {}
        error = answer.get("error") if isinstance(answer, dict) else None
        raise _fail("cityapp_refused", _("%(app)s refused this sign-in (%(error)s): start again.")
                    % {"app": app_name(), "error": str(error or exc.code)[:60]}) from None
    except (OSError, ValueError):
        raise _unreachable() from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise _unreachable()
    try:
        answer = json.loads(raw)
    except ValueError:
        raise _unreachable() from None
    if not isinstance(answer, dict):
        raise _unreachable()
    return answer


def discovery() -> dict:
    key = f"cityapp:discovery:{settings.CITYAPP_ISSUER}"
    doc = cache.get(key)
    if doc is None:
        doc = _http_json(f"{settings.CITYAPP_ISSUER}/.well-known/openid-configuration")
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if any(not isinstance(doc.get(name), str) for name in needed):
            raise _unreachable()
        if doc["issuer"].rstrip("/") != settings.CITYAPP_ISSUER:
            # The document must name the issuer it was fetched from (OIDC Discovery §4.3).
            raise _fail("cityapp_issuer", _("%(app)s's sign-in service is not the one configured here."))
        cache.set(key, doc, CACHE_SECONDS)
    return doc


def _jwks(refresh: bool = False) -> list[dict]:
    key = f"cityapp:jwks:{settings.CITYAPP_ISSUER}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        doc = _http_json(discovery()["jwks_uri"])
        keys = [k for k in doc.get("keys", []) if isinstance(k, dict)]
        cache.set(key, keys, CACHE_SECONDS)
    return keys


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def begin(next_url: str = "") -> tuple[dict, str]:
    """(what the session keeps for the callback, the provider's address to send the resident to)."""
    flow = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
            "verifier": secrets.token_urlsafe(64), "next": next_url, "at": int(time.time())}
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": settings.CITYAPP_CLIENT_ID, "redirect_uri": redirect_uri(),
        "scope": settings.CITYAPP_SCOPES, "state": flow["state"], "nonce": flow["nonce"],
        "code_challenge": _b64(flow["verifier"]), "code_challenge_method": "S256",
    })
    endpoint = discovery()["authorization_endpoint"]
    return flow, f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def finish(flow: dict | None, params) -> dict:
    """The verified claims of the resident the provider sent back; CityAppError on anything wrong."""
    state = params.get("state", "")
    if not flow or not state or not hmac.compare_digest(str(flow.get("state", "")), state):
        raise _fail("cityapp_state", _("This sign-in was not started here, or was already used: start again."))
    if time.time() - flow.get("at", 0) > FLOW_SECONDS:
        raise _fail("cityapp_stale", _("The sign-in took too long: start again."))
    if params.get("error"):
        raise _fail("cityapp_cancelled", _("%(app)s did not sign you in (cancelled or refused)."))
    code = params.get("code", "")
    if not code:
        raise _fail("cityapp_state", _("This sign-in was not started here, or was already used: start again."))
    doc = discovery()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri(),
            "code_verifier": flow["verifier"]}
    headers = {}
    methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" not in methods and "client_secret_post" in methods:
        data.update(client_id=settings.CITYAPP_CLIENT_ID, client_secret=settings.CITYAPP_CLIENT_SECRET)
    else:
        pair = (f"{urllib.parse.quote(settings.CITYAPP_CLIENT_ID, safe='')}:"
                f"{urllib.parse.quote(settings.CITYAPP_CLIENT_SECRET, safe='')}")
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    tokens = _http_json(doc["token_endpoint"], data=data, headers=headers)
    claims = verify_id_token(tokens.get("id_token"), nonce=flow["nonce"])
    if "phone_number" not in claims and isinstance(doc.get("userinfo_endpoint"), str) and tokens.get("access_token"):
        try:
            info = _http_json(doc["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"})
        except CityAppError:
            info = {}  # no number: a linked resident still signs in, a new one is asked to register
        if info.get("sub") == claims["sub"]:  # a userinfo answer about someone else is ignored (OIDC §5.3.2)
            for name in ("phone_number", "phone_number_verified", "name"):
                if name in info and name not in claims:
                    claims[name] = info[name]
    return claims


def _bad_signature() -> CityAppError:
    return _fail("cityapp_signature", _("The sign-in answer was not signed by %(app)s: start again."))


def _public_key(jwk: dict):
    try:
        n = int.from_bytes(_unb64(jwk["n"]), "big")
        e = int.from_bytes(_unb64(jwk["e"]), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, TypeError, ValueError):
        return None


def _signing_key(kid):
    for refresh in (False, True):
        keys = [k for k in _jwks(refresh) if k.get("kty") == "RSA" and k.get("use", "sig") == "sig"
                and k.get("alg", "RS256") == "RS256"]
        if kid is not None:
            keys = [k for k in keys if k.get("kid") == kid]
        if len(keys) == 1:
            return _public_key(keys[0])
    return None


def verify_id_token(token, *, nonce: str) -> dict:
    """The ID token's claims, once its signature, issuer, audience, times and nonce are right."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise _bad_signature()
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, TypeError):
        raise _bad_signature() from None
    if not isinstance(header, dict) or not isinstance(claims, dict) or header.get("alg") != "RS256":
        raise _bad_signature()  # "none", HS256 (signed with a public key as secret) and the rest: refused
    key = _signing_key(header.get("kid"))
    if key is None:
        raise _bad_signature()
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise _bad_signature() from None
    if claims.get("iss") != settings.CITYAPP_ISSUER:
        raise _fail("cityapp_issuer", _("The sign-in answer came from another service than %(app)s: start again."))
    audience = claims.get("aud")
    audience = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if settings.CITYAPP_CLIENT_ID not in audience or (
            len(audience) > 1 and claims.get("azp") != settings.CITYAPP_CLIENT_ID):
        raise _fail("cityapp_audience", _("The sign-in answer was meant for another service: start again."))
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat", now)
    if (not isinstance(exp, int | float) or exp < now - LEEWAY_SECONDS
            or not isinstance(iat, int | float) or iat > now + LEEWAY_SECONDS):
        raise _fail("cityapp_expired", _("The sign-in answer from %(app)s has expired: start again."))
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise _fail("cityapp_nonce", _("The sign-in answer does not belong to this sign-in: start again."))
    if not isinstance(claims.get("sub"), str) or not claims["sub"] or len(claims["sub"]) > 255:
        raise _bad_signature()
    return claims
