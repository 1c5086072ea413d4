"""Tests that check only a status code (issue 25, part 5): a scan to read, not a gate.

A test whose every assertion looks at a response's status (``r.status_code == 404``,
``status in (200, 302)``) is listed, with its file and line. Many are right as they are: a 404 for
another county's object *is* the point of a scoping test. A test whose name promises more (the
content, a row changed or not, a filter applied) must check that too; read the list with that in
mind.

    python -m tests.status_only            # every test module under tests/
    python -m tests.status_only tests/booking
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _is_status(node: ast.AST) -> bool:
    """`r.status_code`, `response.status_code` or a bare `status`."""
    return (isinstance(node, ast.Attribute) and node.attr == "status_code") or \
        (isinstance(node, ast.Name) and node.id == "status") or \
        (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_status(node.func.value))


def _reads_status_only(check: ast.AST) -> bool:
    """The assertion compares a status with a code and nothing else (`r.status_code in (200, 302)`).

    `r.status_code == 302 and "/login/" in r["Location"]` reads more, and so does any other test."""
    if isinstance(check, ast.BoolOp):
        return all(_reads_status_only(value) for value in check.values)
    if isinstance(check, ast.Compare):
        sides = [check.left, *check.comparators]
        return any(_is_status(side) for side in sides) and all(
            _is_status(side) or not any(isinstance(n, ast.Attribute | ast.Subscript | ast.Call) for n in ast.walk(side))
            for side in sides)
    return False


def _checks(func: ast.FunctionDef) -> list[ast.AST]:
    """What the test asserts: `assert` statements, `pytest.raises` blocks and Playwright `expect`s."""
    checks: list[ast.AST] = []
    for sub in ast.walk(func):
        if isinstance(sub, ast.Assert):
            checks.append(sub.test)
        elif isinstance(sub, ast.Call):
            callee = sub.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            if name in {"raises", "expect", "error", "assertContains", "assertNotContains", "assertRedirects"} \
                    or "assert" in name.lower() or name.startswith(("check_", "_check")):
                checks.append(sub)
    return checks


def status_only(func: ast.FunctionDef) -> bool:
    checks = _checks(func)
    if not checks:
        return False
    for check in checks:
        if isinstance(check, ast.Call):
            return False
        if not _reads_status_only(check):
            return False
    return True


def scan(paths: list[Path]) -> list[tuple[str, int, str]]:
    found = []
    for path in paths:
        files = sorted(path.rglob("test_*.py")) if path.is_dir() else [path]
        for file in files:
            tree = ast.parse(file.read_text(), filename=str(file))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_") \
                        and status_only(node):
                    found.append((str(file.relative_to(ROOT)), node.lineno, node.name))
    return found


def main(argv: list[str]) -> int:
    paths = [ROOT / p for p in argv] or [ROOT / "tests"]
    found = scan(paths)
    for file, line, name in found:
        print(f"{file}:{line}: {name}")
    print(f"{len(found)} tests check only a status", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
