"""Who may do what with plans: the `can_*` rules that pages, API, imports and commands share.

Division staff read the plans of their divisions and of the divisions above them (a county works to
the city's plan), supervisors and evaluators read them too; division staff whose scope holds a
plan's division own it: they edit it, enter figures, review task reports and approve figures.
A department's staff (Role.DEPARTMENT_STAFF, bound to a planning Department) see the tasks their
department leads or cooperates on and report on them; they see nothing else of the plan register.
"""

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.regions import codes

DEPARTMENT_MODEL = "planning.Department"


def department_ids(user) -> list[int]:
    """The departments whose staff this user is."""
    return scoping.targets(user, {Role.DEPARTMENT_STAFF}, DEPARTMENT_MODEL)


def is_department_staff(user) -> bool:
    return bool(department_ids(user))


def can_read(user) -> bool:
    """The plans register: division staff, supervisors, evaluators."""
    return scoping.is_division_staff(user)


def can_create(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_read_plan(user, plan) -> bool:
    """A plan of the user's divisions, or of a division above one of them."""
    if scoping.is_superuser(user):
        return True
    return any(codes.in_subtree(plan.division_code, p) or codes.contains(plan.division_code, codes.pad(p))
               for p in scoping.division_prefixes(user))


def can_manage(user, plan) -> bool:
    """The plan's owners: division staff whose scope holds the plan's division."""
    return scoping.can_write_region(user, plan.division_code)


def can_see_tasks(user) -> bool:
    return can_read(user) or is_department_staff(user)


# Supervision (督查, models/supervision.py): supervisors act; division staff read and answer.

def supervisor_prefixes(user) -> list[str]:
    """The subtrees this user supervises: those of their supervisor roles."""
    return codes.outermost(codes.prefix(m.region_id) for m in scoping.memberships(user) if m.role == Role.SUPERVISOR)


def is_supervisor(user) -> bool:
    return scoping.is_superuser(user) or bool(supervisor_prefixes(user))


def can_supervise(user, division_code: str) -> bool:
    """Visits, findings, rectification items and bulletins of a division: its supervisors."""
    if scoping.is_superuser(user):
        return True
    return any(codes.in_subtree(division_code, p) for p in supervisor_prefixes(user))


def can_answer(user, rectification) -> bool:
    """A rectification item is answered by staff of its own division (or above it) or of its responsible unit."""
    return (scoping.can_write_region(user, rectification.division_code)
            or (rectification.department_id is not None and rectification.department_id in department_ids(user)))


# The people's congress, CPPCC and supervision offices (Role.OVERSIGHT, bound to a division; seed 002:
# 「建立与区人大、区政协和区委督查室、区政府督查室协调联动的重大体育工作跟踪调研和督查机制」) read the supervision of
# their division as its staff do (visits, findings, rectification items, tracking research, published
# bulletins) and nothing else; the division's staff grant the role by mobile number (supervisors, a
# read-only role of accounts, do not).

def oversight_prefixes(user) -> list[str]:
    return codes.outermost(codes.prefix(m.region_id) for m in scoping.memberships(user) if m.role == Role.OVERSIGHT)


def supervision_reader_prefixes(user) -> list[str]:
    """The subtrees whose supervision this user reads as the visited do: division staff's, supervisors'
    and evaluators' divisions, and the oversight offices'."""
    return codes.outermost([*scoping.division_prefixes(user), *oversight_prefixes(user)])


def can_read_supervision(user) -> bool:
    return can_see_tasks(user) or bool(oversight_prefixes(user))


def can_manage_oversight(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_grant_oversight(user, division_code: str) -> bool:
    return scoping.can_write_region(user, division_code)


def can_read_bulletin(user, bulletin) -> bool:
    """A draft: its supervisors. Published: anyone if public; else staff (supervisors and evaluators
    too) of its division or above it and of the divisions right under it (a city's and its counties')."""
    if can_supervise(user, bulletin.division_code):
        return True
    if bulletin.status != "published":
        return False
    if bulletin.public:
        return True
    return any(codes.in_subtree(bulletin.division_code, p) or codes.parent(codes.pad(p)) == bulletin.division_code
               for p in supervision_reader_prefixes(user))


# County returns (统计监测): a round belongs to the division that opens it; its returns are its
# children's. The round's readers are the division's staff, supervisors and evaluators; its owners
# the division's staff. A return is read by the round's readers and by its own division's staff,
# and filled in by its own division's staff only (the city reviews, it does not fill in).

def can_open_rounds(user) -> bool:
    return scoping.is_division_staff(user, write=True)


def can_read_round(user, rnd) -> bool:
    return scoping.can_read_region(user, rnd.division_code)


def can_manage_round(user, rnd) -> bool:
    return scoping.can_write_region(user, rnd.division_code)


def can_read_return(user, ret) -> bool:
    return can_read_round(user, ret.round) or scoping.can_read_region(user, ret.division_code)


def can_fill_return(user, ret) -> bool:
    return scoping.can_write_region(user, ret.division_code) and not can_manage_round(user, ret.round)


# Evaluation (绩效评估). The plan's owners keep its indicator system, open evaluations, approve each
# county's result and name the third party's people; an evaluator (Role.EVALUATOR, bound to a
# division) scores the entered items of the counties in their scope; a third-party evaluator
# (Role.THIRD_PARTY, bound to one evaluation) sees that evaluation only and scores beside them.
EVALUATION_MODEL = "planning.Evaluation"


def third_party_evaluation_ids(user) -> list[int]:
    """The evaluations this user scores for a third party."""
    return scoping.targets(user, {Role.THIRD_PARTY}, EVALUATION_MODEL)


def is_third_party(user) -> bool:
    return bool(third_party_evaluation_ids(user))


def can_read_evaluation(user, evaluation) -> bool:
    return can_read_plan(user, evaluation.plan) or evaluation.pk in third_party_evaluation_ids(user)


def can_score(user, division_code: str) -> bool:
    """An evaluator whose division holds the county scores its entered items (only the role: a
    division's own staff do not mark themselves)."""
    return any(m.role == Role.EVALUATOR and codes.in_subtree(division_code, codes.prefix(m.region_id))
               for m in scoping.memberships(user))


def can_score_third_party(user, evaluation) -> bool:
    return evaluation.pk in third_party_evaluation_ids(user)


def can_record_special(user, plan) -> bool:
    """A special evaluation's findings: the plan's owners, or an evaluator whose division holds the plan's."""
    return can_manage(user, plan) or can_score(user, plan.division_code)


# Titles (G16: 体育现代化县, 全民健身运动模范县). A county's own staff open and answer its application;
# the evaluators of its division score it (can_score above); the staff of the division right above
# it (the city) decide. Staff of the county and of the city, supervisors and evaluators read it.

def can_read_application(user, application) -> bool:
    return scoping.can_read_region(user, application.division_code)


def staff_above(user, division_code: str) -> bool:
    """Staff of the division right above `division_code` (the city's for a county)."""
    above = codes.parent(division_code)
    return above is not None and scoping.can_write_region(user, above)


def can_decide_title(user, division_code: str) -> bool:
    return staff_above(user, division_code)


def can_fill_application(user, division_code: str) -> bool:
    """The county's own staff (the city decides, it does not fill in)."""
    return scoping.can_write_region(user, division_code) and not can_decide_title(user, division_code)


# The four inclusions (四纳入, models/inclusions.py): a division's own sports staff record its
# inclusions; the staff of the division right above confirm or return them; staff, supervisors and
# evaluators of the division or above read them (the yearly overview of a city's counties).

def can_record_inclusion(user, division_code: str) -> bool:
    """The division's own staff (the level above confirms, it does not record)."""
    return scoping.can_write_region(user, division_code) and not staff_above(user, division_code)


def can_confirm_inclusion(user, division_code: str) -> bool:
    return staff_above(user, division_code)


def can_read_inclusions(user, division_code: str) -> bool:
    return scoping.can_read_region(user, division_code)


def can_import_inclusions(user) -> bool:
    return scoping.is_division_staff(user, write=True)


# Experience exchange (经验交流, E05, models/exchange.py): a county's own staff send its experience
# cases; the staff of the division right above it (the city) recommend or return them and record
# the on-site meetings (现场会) they hold; a recommended case is read by the staff of every division
# of that city, which is what the exchange is for.

def can_send_case(user, division_code: str) -> bool:
    return codes.level(division_code) == "county" and can_fill_application(user, division_code)


def can_review_case(user, division_code: str) -> bool:
    return staff_above(user, division_code)


def exchange_prefixes(user) -> list[str]:
    """The subtrees whose recommended cases the user reads: the city around each of their divisions."""
    around = []
    for p in scoping.division_prefixes(user):
        code = codes.pad(p)
        deeper = codes.level(code) not in ("province", "city")
        around.append(codes.prefix_at(code, "city") if deeper else p)
    return codes.outermost(around)


def can_read_case(user, case) -> bool:
    if scoping.can_read_region(user, case.division_code):
        return True
    return case.status == "recommended" and any(codes.in_subtree(case.division_code, p)
                                                for p in exchange_prefixes(user))


def can_hold_site_meeting(user, division_code: str) -> bool:
    """A city's staff record its on-site meetings."""
    return codes.level(division_code) == "city" and scoping.can_write_region(user, division_code)
