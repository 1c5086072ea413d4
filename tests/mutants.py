"""`make mutants`: mutation testing of the modules that hold the platform's rules (issue 25, part 6).

mutmut (PyPI, 3.x) changes one thing at a time in a rule module (`<` into `<=`, a constant, a
condition dropped…) and runs the tests that cover that function; a change no test notices is a
*surviving* mutant: a bug the suite would let through. The run happens in a scratch copy of the
tree (nothing is written here), and ends with one JSON line:

    {"killed": 212, "survived": 9, "other": 3, "score": 0.959, "modules": {...}, "survivors": [...]}

`killed` and `survived` count mutants; `other` counts those with no covering test, timeouts and
suspicious exits; `score` is killed / (killed + survived). Each survivor is named as mutmut names it
(`quanmin.booking.services.x_refund_due__mutmut_4`): `mutmut show NAME` in the scratch copy (its path
is printed first) shows the change. Not part of `make test` (it takes tens of minutes); run it
before resolving an issue that changes rules, and list the survivors you leave in the note.

    python -m tests.mutants                      # every rule module below
    python -m tests.mutants quanmin/booking/services.py   # one or more of them
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules that hold the rules, and the tests that speak for them. Browser and race tests are left
# out: one starts a browser, the other many threads or processes, for every mutant.
RULES = {
    "quanmin/booking/services.py": ["tests/booking"],
    "quanmin/booking/pricing.py": ["tests/booking"],
    "quanmin/accounts/scoping.py": ["tests/accounts", "tests/test_permissions.py"],
    "quanmin/feedback/services.py": ["tests/feedback"],
    # A report becomes a work order through maintenance.services.open_for_report: feedback's tests call it.
    "quanmin/maintenance/services.py": ["tests/maintenance", "tests/feedback"],
    "quanmin/physique/scoring.py": ["tests/physique"],
    "quanmin/events/services_entries.py": ["tests/events"],
    "quanmin/organizations/memberships.py": ["tests/organizations"],
    # The points ledger (crediting, caps, reversal, expiry), spending's rate and cap, and vouchers'
    # claiming limits and redemption.
    "quanmin/incentives/points.py": ["tests/incentives"],
    "quanmin/incentives/spending.py": ["tests/incentives"],
    "quanmin/incentives/vouchers.py": ["tests/incentives"],
    # A course's places and enrolment.
    "quanmin/people/training.py": ["tests/people"],
}
KILLED, SURVIVED = {1, 3}, {0}
# Generous: the runs are niced and the machine shared, and a timed-out mutant counts as neither
# killed nor survived.
TIMEOUT_FACTOR, SESSION_SECONDS = 10, 10


def scratch_copy(modules: list[str]) -> Path:
    """The tracked tree in a temporary directory, with a [tool.mutmut] section for `modules`."""
    where = Path(tempfile.mkdtemp(prefix="quanmin-mutants-"))
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = where / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    for shared in (".venv", "node_modules"):
        (where / shared).symlink_to(ROOT / shared)
    tests = sorted({t for m in modules for t in RULES[m]})
    section = {
        "source_paths": ["quanmin"],
        "only_mutate": modules,
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:xdist", "-p", "no:cacheprovider", "-p", "tests.mutants_db",
                                "-p", "tests.mutants_stats",
                                "-m", "not browser and not race"],
        # A mutant's tests may run TIMEOUT_FACTOR times as long as the clean run's (plus a session's
        # start: a copy of the database, collection), in wall time; mutmut allows twice that in CPU.
        "timeout_multiplier": TIMEOUT_FACTOR,
        "timeout_constant": SESSION_SECONDS,
        "also_copy": ["manage.py", "locale", "node_modules"],
    }
    lines = ["", "[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in section.items()]
    with open(where / "pyproject.toml", "a") as f:
        f.write("\n".join(lines) + "\n")
    return where


def tally(where: Path, modules: list[str]) -> dict:
    per_module, survivors = {}, []
    for module in modules:
        meta = where / "mutants" / f"{module}.meta"
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
        counts = Counter("killed" if c in KILLED else "survived" if c in SURVIVED else "other" for c in codes.values())
        per_module[module] = {k: counts.get(k, 0) for k in ("killed", "survived", "other")}
        survivors += sorted(name for name, c in codes.items() if c in SURVIVED)
    total = Counter()
    for counts in per_module.values():
        total.update(counts)
    checked = total["killed"] + total["survived"]
    return {"killed": total["killed"], "survived": total["survived"], "other": total["other"],
            "score": round(total["killed"] / checked, 3) if checked else None,
            "modules": per_module, "survivors": survivors}


def main(argv: list[str]) -> int:
    modules = argv or list(RULES)
    unknown = [m for m in modules if m not in RULES]
    if unknown:
        print(f"not a rule module: {unknown}; the rule modules are {list(RULES)}", file=sys.stderr)
        return 2
    where = scratch_copy(modules)
    print(f"mutants: scratch copy in {where}", file=sys.stderr)
    mutmut = ROOT / ".venv" / "bin" / "mutmut"
    # Each mutant's pytest session starts from a copy of one migrated database (tests/mutants_db.py).
    env = {**os.environ, "QUANMIN_DEBUG": "1", "QUANMIN_MUTANTS_DB": str(where / "migrated.sqlite3")}
    run = subprocess.run([str(mutmut), "run", "--max-children", str(os.cpu_count() or 2)], cwd=where, env=env,
                         stdout=subprocess.DEVNULL)
    if run.returncode not in (0, 1):
        print(f"mutmut stopped with exit code {run.returncode}", file=sys.stderr)
        return run.returncode
    print(json.dumps(tally(where, modules), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
