"""The Chinese translation is complete: nothing untranslated, nothing fuzzy, nothing stale."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

from tests.needs import need

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for e in polib.pofile(str(PO)).translated_entries():
        # Chinese has one plural form: it translates the plural ("every %(n)s days"), count included.
        source, translated = (e.msgid_plural, e.msgstr_plural[0]) if e.msgid_plural else (e.msgid, e.msgstr)
        assert sorted(pattern.findall(source)) == sorted(pattern.findall(translated)), e.msgid


def test_compiled_catalogue_matches_the_po():
    with open(MO, "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    for e in polib.pofile(str(PO)).translated_entries():
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural:
            assert catalog.get((key, 0)) == e.msgstr_plural[0], f"django.mo is stale ({e.msgid!r})"
        else:
            assert catalog.get(key) == e.msgstr, f"django.mo is stale: run `make messages` ({e.msgid!r})"


def test_source_has_no_string_missing_from_the_po(tmp_path):
    """Extract the strings afresh (needs GNU gettext, which CI installs) and compare."""
    need(shutil.which("xgettext") is not None, "GNU gettext (xgettext) is not installed: cannot extract strings here")
    base = Path(settings.BASE_DIR)
    shutil.copytree(base / "quanmin", tmp_path / "quanmin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans",
         "--no-obsolete", "--no-location"],
        cwd=tmp_path, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "quanmin.settings", "QUANMIN_DEBUG": "1"},
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - known) == [], "new strings: run `make messages` and translate them"


def test_gnu_msgfmt_accepts_the_catalogue():
    """`make messages` runs GNU gettext over this file: a line it cannot parse (a stray `#|` comment
    left by a merge) or a format flag the translation breaks stops every later extraction."""
    need(shutil.which("msgfmt") is not None, "GNU gettext (msgfmt) is not installed: cannot check the catalogue")
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
