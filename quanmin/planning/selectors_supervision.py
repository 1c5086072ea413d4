"""What supervision's pages, API and exports read: the visits, findings, rectification items and
bulletins a user may see (the rules of permissions.py as queries), and a bulletin's content — the
counties ranked by the plan's targets (selectors.dashboard, live) and the findings of its period."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from quanmin.accounts import scoping
from quanmin.regions import codes

from . import permissions, selectors
from .models import Bulletin, Finding, Rectification, Visit

OPEN = (Rectification.Status.OPEN, Rectification.Status.SUBMITTED, Rectification.Status.RETURNED)


def _within(field: str, prefixes) -> Q:
    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(**{f"{field}__within": p})
    return q


def visits_for(user):
    """Supervisors see every visit of their subtrees; division staff those of their divisions (or
    with a finding in one of them) that took place or were announced (an unannounced visit stays
    unknown to the visited until it is done)."""
    found = Visit.objects.select_related("plan")
    if scoping.is_superuser(user):
        return found
    prefixes = permissions.supervision_reader_prefixes(user)
    shown = Q(status=Visit.Status.DONE) | Q(manner=Visit.Manner.ANNOUNCED)
    theirs = _within("division_code", prefixes) | Exists(
        Finding.objects.filter(_within("division_code", prefixes), visit=OuterRef("pk")))
    return found.filter(_within("division_code", permissions.supervisor_prefixes(user)) | (theirs & shown))


def _chain_order(queryset):
    return queryset.annotate(day_=Coalesce("visited_on", "planned_on")).order_by("day_", "pk")


def _with_counts(queryset):
    return queryset.annotate(
        problems=Count("findings", filter=Q(findings__kind=Finding.Kind.PROBLEM), distinct=True),
        items_open=Count("findings__rectifications", filter=Q(findings__rectifications__status__in=OPEN),
                         distinct=True))


def chain_of(user, visit: Visit) -> list[Visit]:
    """The tracking research visits the user may see on the piece of work `visit` follows, in the
    order they took place (or are planned), `visit` among them; [] for a visit that follows none."""
    if visit.kind != Visit.Kind.TRACKING or (visit.target_id is None and visit.task_id is None):
        return []
    found = visits_for(user).filter(kind=Visit.Kind.TRACKING, target_id=visit.target_id, task_id=visit.task_id)
    return list(_with_counts(_chain_order(found)))


MAX_CHAIN_VISITS = 1000


def tracking_chains(user) -> list[dict]:
    """Tracking research as the user may see it: one chain per piece of work followed (a target or a
    task of a plan), its visits in order with each one's problems and open rectification items, the
    chains with the latest visit first."""
    found = visits_for(user).filter(kind=Visit.Kind.TRACKING).select_related("target", "task")
    chains: dict[tuple, dict] = {}
    for v in _with_counts(_chain_order(found))[:MAX_CHAIN_VISITS]:
        key = (v.target_id, v.task_id)
        chain = chains.setdefault(key, {"plan": v.plan, "target": v.target, "task": v.task, "visits": []})
        chain["visits"].append(v)
    for chain in chains.values():
        visits = chain["visits"]
        chain.update(first=visits[0].day, last=visits[-1].day, divisions=sorted({v.division_name for v in visits}),
                     done=sum(v.status == Visit.Status.DONE for v in visits),
                     items_open=sum(v.items_open for v in visits))
    return sorted(chains.values(), key=lambda c: (c["last"], c["first"]), reverse=True)


def findings_for(user, visit: Visit):
    """The visit's findings in the user's scope (all of them for its supervisors)."""
    found = visit.findings.select_related("target", "task").prefetch_related("rectifications__department")
    if permissions.can_supervise(user, visit.division_code):
        return found
    return found.filter(_within("division_code", permissions.supervision_reader_prefixes(user)))


def rectifications_for(user):
    """Items of the user's divisions (supervised or staffed), or of their department."""
    found = Rectification.objects.select_related("finding__visit__plan", "department")
    if scoping.is_superuser(user):
        return found
    q = _within("division_code", [*permissions.supervisor_prefixes(user),
                                  *permissions.supervision_reader_prefixes(user)])
    mine = permissions.department_ids(user)
    if mine:
        q |= Q(department_id__in=mine)
    return found.filter(q)


def rectification_rows(queryset, today: date) -> list[dict]:
    """The items of `queryset` as plain rows for lists (the page, the API): their own columns with
    the visit's title and the responsible unit's name read in the same query, the status labelled
    and overdue worked out here once, so that a list of hundreds builds no model instances (an item
    would carry its finding, visit and plan) and its template only prints."""
    statuses = {value: str(label) for value, label in Rectification.Status.choices}
    rows = list(queryset.values("id", "finding_id", "division_code", "division_name", "requirement", "deadline",
                                "status", "closed_on", visit_title=F("finding__visit__title"),
                                department_name=F("department__name")))
    for r in rows:
        r["responsible"] = r.pop("department_name") or r["division_name"]
        r["status_label"] = statuses.get(r["status"], "")
        r["overdue"] = r["status"] in OPEN and r["deadline"] < today
    return rows


def overdue(queryset, today: date):
    return queryset.filter(status__in=OPEN, deadline__lt=today)


def overdue_to_answer(user, today: date) -> int:
    """Items past their deadline that this user's divisions or departments answer (the home page's warning)."""
    if not scoping.is_division_staff(user, write=True) and not permissions.is_department_staff(user):
        return 0
    q = _within("division_code", scoping.division_prefixes(user, write=True))
    mine = permissions.department_ids(user)
    if mine:
        q |= Q(department_id__in=mine)
    if scoping.is_superuser(user):
        q = Q()
    return overdue(Rectification.objects.filter(q), today).count()


def bulletins_for(user):
    """Drafts of the user's supervised divisions, and the published bulletins they may read."""
    found = Bulletin.objects.select_related("plan")
    if scoping.is_superuser(user):
        return found
    q = _within("division_code", permissions.supervisor_prefixes(user))
    readable = Q(pk__in=[])
    for p in permissions.supervision_reader_prefixes(user):
        readable |= Q(division_code__within=p)
        above = codes.parent(codes.pad(p))
        if above:
            readable |= Q(division_code=above)
    return found.filter(q | (Q(status=Bulletin.Status.PUBLISHED) & readable))


def _number(value) -> str | None:
    return None if value is None else str(value)


def bulletin_content(bulletin: Bulletin, today: date) -> dict:
    """The bulletin's ranking (the plan's division's children ranked by the targets they meet, as the
    plan's dashboard ranks them) with each one's findings and rectification counts, and the findings
    of the visits carried out in its period (problems first): plain values, so that publishing can
    freeze them."""
    plan = bulletin.plan
    board = selectors.dashboard(plan, today)
    visits = list(Visit.objects.filter(plan=plan, status=Visit.Status.DONE, visited_on__gte=bulletin.period_start,
                                       visited_on__lte=bulletin.period_end).order_by("visited_on", "pk"))
    findings = list(Finding.objects.filter(visit__in=visits).select_related("visit")
                    .prefetch_related("rectifications").order_by("-kind", "division_code", "visit__visited_on", "pk"))
    kids = {code: name for code, name in selectors.children(plan)}

    def child_of(code: str) -> str | None:
        return next((k for k in kids if codes.contains(k, code)), None)

    counts = defaultdict(lambda: {"problems": 0, "practices": 0, "items": 0, "closed": 0, "overdue": 0})
    rows = []
    for f in findings:
        items = list(f.rectifications.all())
        key = child_of(f.division_code) or f.division_code
        c = counts[key]
        c["problems" if f.kind == Finding.Kind.PROBLEM else "practices"] += 1
        c["items"] += len(items)
        c["closed"] += sum(r.status == Rectification.Status.CLOSED for r in items)
        c["overdue"] += sum(r.status in OPEN and r.deadline < today for r in items)
        rows.append({
            "division": f.division_name, "kind": f.kind, "severity": f.severity, "place": f.place, "text": f.text,
            "visited_on": f.visit.visited_on.isoformat(), "visit_kind": f.visit.kind, "manner": f.visit.manner,
            "rectifications": [{"requirement": r.requirement, "responsible": r.responsible_name(),
                                "deadline": r.deadline.isoformat(), "status": r.status} for r in items],
        })
    ranking = [{"place": r["place"], "code": r["code"], "name": r["name"], "met": r["met"],
                "applicable": r["applicable"], "share": _number(r["share"]), **counts[r["code"]]}
               for r in board["ranking"]]
    return {"as_of": today.isoformat(), "visits": len(visits), "ranking": ranking, "findings": rows,
            "targets": len(board["rows"]), "problems": sum(r["kind"] == Finding.Kind.PROBLEM for r in rows),
            "practices": sum(r["kind"] == Finding.Kind.PRACTICE for r in rows)}


def content_of(bulletin: Bulletin, today: date) -> dict:
    """What the bulletin says: as published, or (a draft) as it would be published today; its codes
    kept as codes and labelled here, in the reader's language."""
    content = bulletin.content if bulletin.status == Bulletin.Status.PUBLISHED else bulletin_content(bulletin, today)
    labels = {"kind": dict(Finding.Kind.choices), "severity": dict(Finding.Severity.choices),
              "visit_kind": dict(Visit.Kind.choices), "manner": dict(Visit.Manner.choices)}
    statuses = dict(Rectification.Status.choices)
    findings = [{**f, **{f"{name}_label": str(labels[name].get(f[name], "")) for name in labels},
                 "rectifications": [{**r, "status_label": str(statuses.get(r["status"], ""))}
                                    for r in f["rectifications"]]}
                for f in content.get("findings", [])]
    return {**content, "findings": findings}

