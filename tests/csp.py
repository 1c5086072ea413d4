"""What a strict Content-Security-Policy refuses in a page (issue 15, item 10): the checker shared by
tests/web/test_csp.py (template files) and the permission matrix (every page, rendered)."""

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: inline scripts, handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._in_script, self._text = True, ""

    def handle_data(self, data):
        if self._in_script:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            self._in_script = False
            if self._text.strip():
                self.found.append(f"<script>{self._text.strip()[:60]}…")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def role_that_checks(audience: str, roles: dict) -> str | None:
    """The one role whose run of the matrix checks a page of this audience: each page is checked once,
    as the first of these roles that may open it."""
    for role in ("superuser", "county", "community", "resident", "anonymous"):
        if role in roles[audience]:
            return role
    return None


def policy_faults(response) -> list:
    """What is wrong with an HTML page as sent: a policy that allows inline scripts, inline code."""
    csp = response.get("Content-Security-Policy", "")
    wrong = []
    if "script-src 'self'" not in csp or "'unsafe-inline'" in csp.split("script-src", 1)[1].split(";", 1)[0]:
        wrong.append(("policy", csp))
    found = inline_code(response.content.decode())
    if found:
        wrong.append(found[:3])
    return wrong
