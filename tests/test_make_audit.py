"""Issue 15, item 13: `make audit` checks the Python packages (pip-audit) and the npm lockfile (npm audit)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_audit_runs_pip_audit_and_npm_audit():
    plan = subprocess.run(["make", "-n", "audit"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "pip-audit --strict" in plan and "PIPAPI_PYTHON_LOCATION=" in plan
    assert "npm audit" in plan
    assert "make audit" in (ROOT / "README.md").read_text()
