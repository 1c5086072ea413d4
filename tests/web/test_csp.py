"""A Content-Security-Policy without 'unsafe-inline' for scripts, and pages that satisfy it (issue 15,
item 10): no inline <script>, no on*= handler, no javascript: address, anywhere.

Three checks, each enumerating what is there rather than a list kept by hand: every template file of
every app (here); every page of the permission matrix, rendered for a role that may open it (in
tests/test_permissions.py, which renders them all anyway: a run of its own cost 50 s of the suite);
and the main pages in Chromium (here), where the browser itself reports any violation of the policy
it was sent.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD, open_page
from tests.csp import inline_code

TEMPLATES = sorted(p for p in Path(settings.BASE_DIR, "quanmin").glob("**/templates/**/*.html"))


TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def test_the_checker_finds_inline_code():
    assert inline_code('<button onclick="x()">a</button>') == ["<button onclick=…>"]
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<a href="javascript:alert(1)">a</a>')
    assert inline_code('<script src="/static/a.js"></script><script type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_holds_inline_script(path):
    # Template tags are blanked first: a tag inside an attribute is not markup.
    assert inline_code(TEMPLATE_TAG.sub("", path.read_text())) == []


def test_the_policy_has_no_inline_script():
    from quanmin.web.middleware import policy

    directives = dict(d.strip().split(" ", 1) for d in policy().split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-eval'" not in policy() and "script-src 'unsafe-inline'" not in policy()
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


# -- in the browser -------------------------------------------------------------------------------------

VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber));
"""


def _visit(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate("window.__csp")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_break_no_policy_in_the_browser(world, live_server, browser):
    """Chromium loads the main pages under the policy the server sends and reports no violation and
    no script error; the shared behaviours (phone menu) and a chart still work."""
    from playwright.sync_api import expect

    w = world
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_init_script(VIOLATIONS)
    base = live_server.url
    public = ["/", reverse("facilities:finder"), reverse("facilities:site", args=[w.site.pk]),
              reverse("accounts:login"), reverse("organizations:groups"), reverse("events:list")]
    for path in public:
        assert _visit(page, base + path) == [], path
    # The phone menu opens and closes through site.js.
    page.goto(base + "/")
    toggle = page.locator(".menu-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bopen\b"))
    expect(toggle).to_have_attribute("aria-expanded", "true")

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", w.users["county"].phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    staff = ["/", reverse("facilities:figures_region", args=[w.county.code]),
             reverse("booking:staff_figures_region", args=[w.county.code]),
             reverse("booking:staff_visits", args=[w.site.pk]), reverse("booking:staff_check_in"),
             reverse("maintenance:figures_region", args=[w.county.code]), "/api/docs"]
    for path in staff:
        assert _visit(page, base + path) == [], path
    page.goto(base + reverse("facilities:figures_region", args=[w.county.code]))
    expect(page.locator("canvas").first).to_be_visible()
    assert errors == []
    context.close()
