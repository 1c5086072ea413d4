"""`make mutants`: mutation testing of the modules that hold the platform's rules (issue 25, part 6).

mutmut (PyPI, 3.x) changes one thing at a time in a rule module (`<` into `<=`, a constant, a
condition dropped…) and runs the tests that cover that function; a change no test notices is a
*surviving* mutant: a bug the suite would let through. The run happens in a scratch copy of the
tree (nothing is written here), and ends with one JSON line:

    {"killed": 212, "survived": 9, "other": 3, "score": 0.959, "modules": {...}, "survivors": [...]}

`killed` and `survived` count mutants; `other` counts those with no covering test, timeouts and
suspicious exits; `not_run` those a stopped run never reached; `score` is killed / (killed +
survived). `killed_by` counts the kills by the error that failed the first test (`AssertionError`
for a check that caught the change, a TypeError or FieldError for code the change broke; an
`OperationalError` would be the database failing, not a test catching anything; `unrecorded` a
kill with no failed test written down). Each survivor is named as mutmut names it
(`quanmin.booking.services.x_refund_due__mutmut_4`): `mutmut show NAME` in the scratch copy (its path
is printed first) shows the change. Not part of `make test` (it takes tens of minutes); run it
before resolving an issue that changes rules, and list the survivors you leave in the note.

    python -m tests.mutants                      # every rule module below
    python -m tests.mutants quanmin/booking/services.py   # one or more of them
    python -m tests.mutants --sample 60          # 60 mutants drawn at random from each module

A whole run is about 7,700 mutants, each a pytest session: many hours on a 2-core machine. With
`--sample N` (`make mutants SAMPLE=N`) every module's mutants are still all generated, and N of them,
drawn with a fixed seed (`--seed`), are run: the JSON line then also gives, per module and in all,
how many mutants there are, how many were drawn, and the score's 95 % Wilson interval, the range the
whole run's score lies in with 95 % confidence. Survivors are named as in a whole run.

    python -m tests.mutants --resume /tmp/quanmin-mutants-abc123 quanmin/booking/services.py

`--resume` goes on in the scratch copy of a run that was stopped (a deadline): the mutants it judged
keep their verdicts and its test statistics are kept; the rest are run.

Each module's mutants are judged by its own tests in RULES only, whichever modules run together
(mutmut would otherwise test a mutant with every selected test that calls its function, so a
module's figures would depend on the company it keeps). mutmut's clean pass of the whole selection
is skipped: the statistics pass in the same scratch copy ran the same tests and mutmut stops when
one fails, and a resumed copy's tests have not changed (tests added to it get a statistics pass).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
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
    # Where a report goes, its response and resolution deadlines, overdue and escalation.
    "quanmin/feedback/routing.py": ["tests/feedback"],
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


def undecorate(path: Path) -> int:
    """Rewrite `path`'s decorated top-level functions so that mutmut mutates them; the count rewritten.

    mutmut 3.8 leaves every decorated function alone (it would copy the decorator for each mutant),
    so `@transaction.atomic` writers, most of feedback's and maintenance's services, were never
    mutated. In the scratch copy only, each becomes the same function undecorated, followed by the
    decorators applied in the same order (`f = transaction.atomic(f)`): the same object at import,
    and mutmut's trampoline is what gets wrapped. `staticmethod`/`classmethod` are methods, not
    top-level functions, and mutmut handles them itself.
    """
    import libcst as cst  # mutmut's own dependency; only the mutants' tooling needs it

    module = cst.parse_module(path.read_text())
    body, rewritten = [], 0
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.decorators:
            wrapped = cst.Name(statement.name.value)
            for decorator in reversed(statement.decorators):
                wrapped = cst.Call(func=decorator.decorator, args=[cst.Arg(wrapped)])
            body += [statement.with_changes(decorators=[]),
                     cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(statement.name.value))], wrapped)])]
            rewritten += 1
        else:
            body.append(statement)
    path.write_text(module.with_changes(body=body).code)
    return rewritten


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
    for module in modules:
        undecorate(where / module)
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


# Run in the scratch copy instead of mutmut's own entry point (the `tests` package is not imported
# there: mutmut's forked sessions import the copy under mutants/). QUANMIN_MUTANTS_RULES maps each
# module ("quanmin.booking.services") to its test paths.
LAUNCHER = """
import json, os, sys
import mutmut.__main__ as mm
from mutmut.workers import isolation

rules = json.loads(os.environ["QUANMIN_MUTANTS_RULES"])


def own_tests(function, tests):
    module = next((m for m in rules if function.startswith(m + ".")), None)
    if module is None:
        return tests
    return {t for t in tests if any(t.split("::")[0] == p or t.startswith(p.rstrip("/") + "/") for p in rules[module])}


load = mm.collect_or_load_stats
def collect_or_load_stats(*args, **kwargs):
    load(*args, **kwargs)
    by_function = mm.state().tests_by_mangled_function_name
    for function in list(by_function):
        by_function[function] = own_tests(function, by_function[function])
mm.collect_or_load_stats = collect_or_load_stats

isolation.ForkRunner.run_clean_tests = lambda self, tests: 0
sys.argv = ["mutmut", *sys.argv[1:]]
mm.cli()
"""


def exit_codes(where: Path, module: str) -> dict[str, int | None]:
    """mutmut's result for every mutant of `module` (None: not run yet)."""
    meta = where / "mutants" / f"{module}.meta"
    return json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}


def wilson(killed: int, checked: int, z: float = 1.96) -> list[float] | None:
    """The 95 % Wilson score interval of killed / checked: where the whole population's score lies."""
    if not checked:
        return None
    p = killed / checked
    centre = (p + z * z / (2 * checked)) / (1 + z * z / checked)
    half = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked)) / (1 + z * z / checked)
    return [round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)]


def _error_class(message: str) -> str:
    """"AssertionError" for pytest's "assert …" lines, else the exception's class name."""
    head = message.split(":")[0].strip()
    if head.startswith("assert ") or head == "assert" or head.startswith("AssertionError"):
        return "AssertionError"
    return head.rsplit(".", 1)[-1] if head.replace(".", "").replace("_", "").isalnum() else "other"


def first_errors(where: Path) -> dict[str, str]:
    """Each mutant's first recorded failure (tests/mutants_db.py writes them), by its class name."""
    first = {}
    path = where / "failures.jsonl"
    for line in path.read_text().splitlines() if path.exists() else []:
        failure = json.loads(line)
        first.setdefault(failure["mutant"], _error_class(failure["error"]))
    return first


def tally(where: Path, modules: list[str], drawn: dict[str, list[str]] | None = None) -> dict:
    """Counts per module and in all; with `drawn` (a sample per module) only the drawn mutants count."""
    per_module, survivors, killed_by, errors = {}, [], Counter(), first_errors(where)
    for module in modules:
        codes = exit_codes(where, module)
        if drawn is not None:
            codes = {name: codes.get(name) for name in drawn[module]}
        counts = Counter("not_run" if c is None else "killed" if c in KILLED else "survived" if c in SURVIVED
                         else "other" for c in codes.values())
        per_module[module] = {k: counts.get(k, 0) for k in ("killed", "survived", "other", "not_run")}
        if drawn is not None:
            per_module[module].update(mutants=len(exit_codes(where, module)), drawn=len(codes),
                                      interval=wilson(counts["killed"], counts["killed"] + counts["survived"]))
        survivors += sorted(name for name, c in codes.items() if c in SURVIVED)
        killed_by.update(errors.get(name, "unrecorded") for name, c in codes.items() if c in KILLED)
    total = Counter()
    for counts in per_module.values():
        total.update({k: counts[k] for k in ("killed", "survived", "other", "not_run")})
    checked = total["killed"] + total["survived"]
    result = {"killed": total["killed"], "survived": total["survived"], "other": total["other"],
              "not_run": total["not_run"], "score": round(total["killed"] / checked, 3) if checked else None,
              "killed_by": dict(killed_by.most_common())}
    if drawn is not None:
        result["sampled"] = True
        result["interval"] = wilson(total["killed"], checked)
    return {**result, "modules": per_module, "survivors": survivors}


# mutmut 3.8 (pinned in requirements-dev.txt) has no command that only generates the mutants; these
# are the first steps of its own `run`, which writes every module's mutant names into its .meta file.
GENERATE = """
import os
from mutmut.__main__ import create_mutants, store_lines_covered_by_tests
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
set_mutant_under_test("mutant_generation")
os.makedirs("mutants", exist_ok=True)
copy_src_dir(); copy_also_copy_files(); setup_source_paths(); store_lines_covered_by_tests()
create_mutants(os.cpu_count() or 2)
"""


def draw(where: Path, modules: list[str], size: int, seed: int) -> dict[str, list[str]]:
    """`size` mutant names per module, drawn at random with `seed` from all of that module's mutants."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", GENERATE], cwd=where, check=True,
                   stdout=subprocess.DEVNULL)
    rng = random.Random(seed)
    drawn = {}
    for module in modules:
        names = sorted(exit_codes(where, module))
        drawn[module] = sorted(rng.sample(names, min(size, len(names))))
    return drawn


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="rule modules (default: all of them)")
    parser.add_argument("--sample", type=int, default=0, help="run this many mutants per module, drawn at random")
    parser.add_argument("--seed", type=int, default=25, help="the draw's seed (default 25)")
    parser.add_argument("--resume", type=Path, help="go on in this stopped run's scratch copy")
    args = parser.parse_args(argv)
    modules = args.modules or list(RULES)
    unknown = [m for m in modules if m not in RULES]
    if unknown:
        print(f"not a rule module: {unknown}; the rule modules are {list(RULES)}", file=sys.stderr)
        return 2
    where = args.resume or scratch_copy(modules)
    print(f"mutants: scratch copy in {where}", file=sys.stderr)
    # Each mutant's pytest session starts from a copy of one migrated database (tests/mutants_db.py).
    env = {**os.environ, "QUANMIN_DEBUG": "1", "QUANMIN_MUTANTS_DB": str(where / "migrated.sqlite3"),
           "QUANMIN_MUTANTS_RULES": json.dumps({m.removesuffix(".py").replace("/", "."): RULES[m] for m in modules})}
    drawn = draw(where, modules, args.sample, args.seed) if args.sample > 0 else None
    names = [name for module in modules for name in drawn[module]] if drawn else []
    # mutmut's own report goes to a log in the scratch copy: when it stops early (a covering test that
    # fails on the unmutated code, no test reaching the module) it says why there, and exits 1.
    log = where / "mutmut.log"
    with open(log, "w") as out:
        run = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", LAUNCHER, "run", "--max-children",
                              str(os.cpu_count() or 2), *names], cwd=where, env=env, stdout=out,
                             stderr=subprocess.STDOUT)
    if run.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        print(f"mutmut stopped with exit code {run.returncode} (its log: {log})", file=sys.stderr)
        return run.returncode
    print(json.dumps(tally(where, modules, drawn), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
