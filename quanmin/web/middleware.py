"""The Content-Security-Policy of every page (issue 15, item 10).

Scripts come only from this site: no inline <script> and no on*= handlers anywhere (the shared ones
are bound by web/static/web/site.js through data attributes; each page's own script is a static file
of its app), no eval, and htmx, Leaflet and ECharts are served locally (never a CDN). Styles may still
be inline: htmx and Leaflet set them, and a style cannot run code. Images may come from the map's
tile servers (facilities.basemap, from settings), as data: URLs (Leaflet) and blobs (chart downloads).
A response that sets its own policy (an uploaded file: `default-src 'none'; sandbox`) keeps it.
"""

from quanmin.facilities import basemap


def policy() -> str:
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
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy()
        return response
