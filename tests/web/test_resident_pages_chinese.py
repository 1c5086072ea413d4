"""Every resident page in Chinese shows no English word and no raw code (issue 16): the text, the
attributes a person reads (title, placeholder, aria-label, alt) and the map's own controls, whose
titles come from the page (Leaflet's are English)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from quanmin.feedback import services as feedback

# Names that stay as they are in Chinese text: formats, standards, the language switch.
ALLOWED = {"API", "QR", "JPEG", "PNG", "WebP", "MB", "PAR", "ics", "English", "Leaflet", "ACSM", "eparmedx", "com",
           "Collaboration", "km", "JavaScript"}
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class Visible(HTMLParser):
    """The text a person reads, and the map settings' JSON."""

    def __init__(self):
        super().__init__()
        self.texts, self.maps, self._skip, self._json = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json" and "map" in (attrs.get("id") or ""):
            self._json = []
        elif tag in ("script", "style"):
            self._skip += 1
        self.texts += [attrs[a] for a in ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            self.maps.append(json.loads("".join(self._json)))
            self._json = None
        elif tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif not self._skip and data.strip():
            self.texts.append(data.strip())


def english(texts) -> list[str]:
    found = []
    for text in texts:
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text)
                 if w not in ALLOWED and not re.fullmatch(r"[A-Z0-9]{2,}", w)]  # tags and codes: 4G8GAHUW
        if words:
            found.append(text[:80])
    return found


@pytest.fixture
def pages(equipment, client_for):
    world = equipment
    resident = world.users["resident"]
    report = feedback.submit_report(category="hazard", description="扶手松动", equipment=world.pieces[0],
                                    reporter=resident)
    return client_for("resident"), [
        reverse("web:home"), reverse("accounts:me"), reverse("accounts:privacy"), reverse("facilities:finder"),
        reverse("facilities:site", args=[world.site.pk]), reverse("booking:site", args=[world.site.pk]),
        reverse("booking:slot", args=[world.slot.pk]), reverse("booking:booking", args=[world.booking.pk]),
        reverse("booking:mine"), reverse("booking:certificates"), reverse("physique:index"),
        reverse("physique:sessions"), reverse("physique:me"),
        reverse("feedback:report_equipment", args=[world.pieces[1].tag]),
        reverse("feedback:report_site", args=[world.site.pk]), reverse("feedback:report_map"),
        reverse("feedback:my_reports"), reverse("feedback:report", args=[report.token]),
        reverse("organizations:groups"), reverse("people:finder"), reverse("events:list"), reverse("events:mine"),
        reverse("surveys:open"), reverse("incentives:mine"), reverse("web:my_record"),
    ]


def test_resident_pages_are_chinese_throughout(pages):
    client, urls = pages
    maps = 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        page = Visible()
        page.feed(response.content.decode())
        assert english(page.texts) == [], url
        for conf in page.maps:
            maps += 1
            assert (conf["zoom_in"], conf["zoom_out"]) == ("放大", "缩小"), url
    assert maps >= 4  # the finder, the site, the report map, the stations
