"""The deployment recipe (issue 24): deploy/quanmin.env lists every QUANMIN_* variable settings.py
reads, with a comment saying what it means, and names none that settings.py does not read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""os\.environ(?:\.get)?\(\s*["'](QUANMIN_[A-Z0-9_]+)|env_(?:bool|list)\(\s*["'](QUANMIN_[A-Z0-9_]+)""")
LISTED = re.compile(r"^#?(QUANMIN_[A-Z0-9_]+)=", re.M)


def test_env_template_lists_every_setting_with_its_meaning():
    read = {a or b for a, b in READ.findall((ROOT / "quanmin/settings.py").read_text())}
    assert {"QUANMIN_SECRET_KEY", "QUANMIN_REDIS_URL", "QUANMIN_METRICS_TOKEN"} <= read  # the pattern finds them
    template = (ROOT / "deploy/quanmin.env").read_text()
    listed = LISTED.findall(template)
    assert sorted(read - set(listed)) == []
    assert sorted(set(listed) - read) == []
    lines = template.splitlines()
    for name in listed:
        at = next(i for i, line in enumerate(lines) if re.match(rf"#?{name}=", line))
        # Its meaning: a comment just above it (or above the group of variables it belongs to).
        above = lines[max(0, at - 4):at]
        assert any(line.startswith("# ") for line in above), name
