"""What the platform answers, listed from Django's URL resolver and django-ninja's routers themselves
(never from URL names or the OpenAPI document, which leave out unnamed patterns and operations
declared with `include_in_schema=False`), and which HTTP methods each page view accepts.

tests/test_permissions.py compares these lists with the rows of tests/permission_matrix.py.
"""

import dis
import functools
import inspect
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve

API_NAMESPACE = "api-1"
# Django's admin has its own test (test_admin_changelists); set_language is Django's i18n view.
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"set_language"}
# What a page view reads when it handles a form: a view without a method decorator takes POST too
# when it (or a helper of the project it calls) reads one of these.
_READS_FORM = re.compile(r"\brequest\.(POST|FILES|method)\b")


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name"; None for an unnamed pattern
    route: str  # the whole pattern from the root, e.g. "staff/facilities/sites/<int:pk>/edit/"
    view: object
    namespace: str  # the outermost namespace, "" for none


def walk(patterns=None, namespace="", prefix=""):
    """Every URL pattern under `patterns` (the root URLconf's by default), included ones too."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, inner, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            yield Route(name, prefix + str(p.pattern), p.callback, namespace.split(":")[0])


def pages(patterns=None) -> list[Route]:
    """The web pages: every pattern outside the admin and the API, named or not; but not the media
    files that the development server serves with DEBUG on (django.conf.urls.static: never in
    production, where the web server serves them)."""
    return [r for r in walk(patterns) if r.namespace not in SKIP_NAMESPACES | {API_NAMESPACE}
            and r.name not in SKIP_NAMES and r.view is not serve]


def api_path(route: str) -> str:
    """ "api/v1/units/<int:unit_id>" -> "/api/v1/units/{unit_id}", the form of the matrix's keys."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _path_view(view):
    """django-ninja's PathView behind a URL pattern's view (held in the view's closure), or None."""
    for name, cell in zip(view.__code__.co_freevars, view.__closure__ or ()) if hasattr(view, "__code__") else ():
        if name == "self" and hasattr(cell.cell_contents, "operations"):
            return cell.cell_contents
    return None


def api_operations(patterns=None, namespace=API_NAMESPACE) -> dict[str, bool | None]:
    """Every operation the API answers, "METHOD /path" -> whether the OpenAPI document shows it;
    None for django-ninja's own pages (its root, the OpenAPI document and its viewer), GET only."""
    found = {}
    for r in walk(patterns):
        if r.namespace != namespace:
            continue
        path_view = _path_view(r.view)
        if path_view is None:
            found[f"GET {api_path(r.route)}"] = None
            continue
        for operation in path_view.operations:
            for method in operation.methods:
                found[f"{method.upper()} {api_path(r.route)}"] = operation.include_in_schema
    return found


def _declared_methods(view):
    """The list given to require_http_methods (require_GET, require_POST, require_safe), if any."""
    for name, cell in zip(view.__code__.co_freevars, view.__closure__ or ()):
        if name == "request_method_list":
            return set(cell.cell_contents)
    return None


def _codes(code):
    yield code
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _codes(const)


def _reads_form(func, seen=None) -> bool:
    """Whether the view function, or a helper of its own module it calls by name, reads the
    request's form, files or method."""
    seen = set() if seen is None else seen
    if func in seen:
        return False
    seen.add(func)
    try:
        if _READS_FORM.search(inspect.getsource(func)):
            return True
    except (OSError, TypeError):
        return False
    names = {i.argval for code in _codes(func.__code__) for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
    called = (func.__globals__.get(n) for n in names)
    return any(_reads_form(f, seen) for f in called if inspect.isfunction(f) and f.__module__ == func.__module__)


def page_methods(view) -> set[str]:
    """The HTTP methods a page view accepts. A page declares POST-only (or GET-only) with Django's
    require_* decorators; one without a decorator answers GET, and POST too when it reads the form
    (its own code or a helper's): those are the methods the matrix must exercise. (PUT, PATCH and
    DELETE are not sent by a browser's forms; such a view answers them as GET, changing nothing.)"""
    while isinstance(view, functools.partial):
        view = view.func
    if hasattr(view, "view_class"):
        cls = view.view_class
        return {m.upper() for m in cls.http_method_names if hasattr(cls, m) and m not in ("head", "options")}
    func = view
    while True:
        declared = _declared_methods(func)
        if declared is not None:
            return declared - {"HEAD"}
        if not hasattr(func, "__wrapped__"):
            break
        func = func.__wrapped__
    return {"GET", "POST"} if _reads_form(func) else {"GET"}
