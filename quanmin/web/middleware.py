"""The Content-Security-Policy of every page (issue 15, item 10).

Scripts come only from this site: no inline <script> and no on*= handlers anywhere (the shared ones
are bound by web/static/web/site.js through data attributes; each page's own script is a static file
of its app), no eval, and htmx, Leaflet and ECharts are served locally (never a CDN). Styles may still
be inline: htmx and Leaflet set them, and a style cannot run code. Images may come from the map's
tile servers (facilities.basemap, from settings), as data: URLs (Leaflet) and blobs (chart downloads).
A response that sets its own policy (an uploaded file: `default-src 'none'; sandbox`) keeps it.

Framing (F08): no page may be framed (frame-ancestors 'none', and X-Frame-Options DENY for old
browsers), except the residents' pages when settings.FRAME_ANCESTORS names the city's app and
portal: those pages allow exactly those origins and drop X-Frame-Options (it knows no list). Staff,
admin and API paths stay 'none' whatever the setting. Which paths are the residents' is below, by
prefix, with the staff corners inside them carved out; tests/web/test_framing.py checks every page
the permission matrix gives to staff against it.
"""

from http.cookies import Morsel

from django.conf import settings

from quanmin.facilities import basemap

# The residents' pages, by path prefix ("/" itself is the home page).
RESIDENT_PREFIXES = (
    "/accounts/", "/find/", "/sites/", "/booking/", "/physique/", "/me/", "/r/", "/groups/", "/instructors/",
    "/events/", "/surveys/", "/incentives/", "/honours/", "/inclusive/", "/outreach/", "/tourism/", "/i18n/",
)
# Staff corners inside those prefixes: never framed.
STAFF_PARTS = ("/staff/", "/figures/", "/counter/", "/evidence/", "/instructors/logs/")


def framable(path: str) -> bool:
    """Whether `path` is a residents' page, which the allow-listed origins may frame."""
    if path == "/":
        return True
    return path.startswith(RESIDENT_PREFIXES) and not any(part in path for part in STAFF_PARTS)


class PartitionedMorsel(Morsel):
    """A cookie with the Partitioned attribute (CHIPS), which Python's cookies (before 3.14) cannot write."""

    def OutputString(self, attrs=None):
        return super().OutputString(attrs) + "; Partitioned"


def partition_cookies(response) -> None:
    """Browsers that block third-party cookies (Chromium now does by default, Safari long has) drop
    a framed page's cookies however SameSite=None they are, unless they are Partitioned: then they
    are kept apart for the site that frames us, and the resident stays signed in inside the frame."""
    for name, morsel in list(response.cookies.items()):
        if morsel["samesite"] == "None" and morsel["secure"] and not isinstance(morsel, PartitionedMorsel):
            partitioned = PartitionedMorsel()
            partitioned.set(morsel.key, morsel.value, morsel.coded_value)
            partitioned.update(morsel)
            dict.__setitem__(response.cookies, name, partitioned)


def policy(frame_ancestors: str = "'none'") -> str:
    images = " ".join(["'self'", "data:", "blob:", *basemap.tile_origins()])
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.FRAME_ANCESTORS and response.cookies:
            partition_cookies(response)
        if "Content-Security-Policy" not in response:
            allowed = settings.FRAME_ANCESTORS
            if allowed and framable(request.path):
                response["Content-Security-Policy"] = policy(" ".join(allowed))
                if "X-Frame-Options" in response:
                    del response["X-Frame-Options"]
            else:
                response["Content-Security-Policy"] = policy()
        return response
