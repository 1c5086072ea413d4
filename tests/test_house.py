"""The house rules of DESIGN.md that the tree itself can show.

The layers and the no-cycles rule are import-linter's (`make lint`); these are the rest: module
size, imports inside functions (each one a way to hide an edge from a reader), and pointers to tests.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "quanmin"
MAX_LINES = 700
# An import inside a function says on its line why it is there: a heavy module loaded only where it
# is used ("# lazy: ..."), or a registration Django wants done once the apps are loaded ("registers").
EXPLAINED = re.compile(r"#.*\b(lazy:|registers\b)")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_no_module_is_over_700_lines():
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"cut these along their seams (DESIGN.md, 'Layout inside an app'): {long}"


def _function_level_project_imports(path: Path):
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text)
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import | ast.ImportFrom) and EXPLAINED.search(lines[node.lineno - 1]):
                continue
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("quanmin")):
                yield node.lineno, node.module or "."
            elif isinstance(node, ast.Import) and any(a.name.startswith("quanmin") for a in node.names):
                yield node.lineno, node.names[0].name


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from quanmin.core import bulk\n    from . import x\n"
                      "    from .kernels import k  # lazy: Numba\n    import quanmin.api\n")
    assert list(_function_level_project_imports(sample)) == [(4, "quanmin.core"), (5, "."), (7, "quanmin.api")]


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_project_modules_are_imported_at_module_level(path):
    """An import of the project's own code inside a function hides an edge (often a cycle) from
    the reader. import-linter counts such imports anyway, so the layers and no-cycles contracts
    already hold with them; this keeps them where a reader looks, unless the line says why
    (EXPLAINED). Third-party imports inside a function are not checked."""
    assert list(_function_level_project_imports(path)) == []


# Libraries that take seconds to load: a module imports them where they are used (# lazy: ...), so a
# process (a test worker's first test, a web worker) does not pay for them unless it needs them.
HEAVY = ("scipy", "pandas")


def _module_level_heavy_imports(path: Path):
    for node in ast.parse(path.read_text()).body:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        yield from (n for n in names if n.split(".")[0] in HEAVY)


def test_heavy_libraries_are_imported_where_used(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import numpy as np\nfrom scipy import stats\n\ndef f():\n    import pandas  # lazy: pandas\n")
    assert list(_module_level_heavy_imports(sample)) == ["scipy"]
    found = {str(p.relative_to(ROOT)): n for p in _modules() if (n := list(_module_level_heavy_imports(p)))}
    assert found == {}


TESTS = ROOT / "tests"
# A test that releases many clients at once (tests/races.py, or its own barrier).
RACE = re.compile(r"Barrier\(|from tests import races|races\.run_(threads|processes)")


def test_every_race_test_is_marked_and_says_where_it_bites():
    """Race tests only bite on PostgreSQL (SQLite serialises writers): each is marked `race` and its
    module's docstring says it runs in the PostgreSQL pass of .ci/run (DESIGN.md, rule 5)."""
    wrong = []
    for path in sorted(TESTS.rglob("test_*.py")):
        text = path.read_text()
        if path == Path(__file__) or not RACE.search(text):
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if "pytest.mark.race" not in text or "PostgreSQL" not in doc:
            wrong.append(str(path.relative_to(ROOT)))
    assert wrong == [], ("mark these race tests `pytest.mark.race` and say in the module docstring that "
                         f"they run in the PostgreSQL pass of .ci/run: {wrong}")


# A test module the source points a reader to ("tests/web/test_audit_page.py checks ...").
TEST_POINTER = re.compile(r"\btests/[\w/]+\.py\b")


def test_every_test_the_source_points_to_exists():
    """A docstring or comment that sends a reader to a test module names one that is there."""
    stale = {f"{p.relative_to(ROOT)}: {m}" for p in _modules() for m in TEST_POINTER.findall(p.read_text())
             if not (ROOT / m).is_file()}
    assert stale == set()
