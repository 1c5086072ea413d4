"""How an evaluation scores: pure functions over decimals (no database).

An item is scored 0–100 for a division. Computed from a target, the score is 100 when the value
meets the goal, else the share of the way it went:

- at least / above: value ÷ goal × 100;
- at most / below: goal ÷ value × 100;
- equal to: (1 − |value − goal| ÷ |goal|) × 100;
- achieved (yes or no), or no goal to divide by: 0;
- "every division must meet it": the share of the division's own divisions that meet it;
- no value at all: 0 (a register or a figure that is missing earns nothing).

A division's total is Σ weight × score ÷ 100 over the items, the weights summing to 100; each score
and total is rounded half up to two decimals.
"""

from decimal import ROUND_HALF_UP, Decimal

from .progress import satisfies

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def rounded(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal) -> Decimal:
    return rounded(min(max(Decimal(value), Decimal(0)), HUNDRED))


def target_score(value, comparator: str, goal) -> Decimal:
    """The score (0–100) of a value against a target's goal."""
    if value is None:
        return rounded(0)
    value = Decimal(value)
    if satisfies(value, comparator, goal):
        return rounded(HUNDRED)
    if comparator == "yes" or goal is None:
        return rounded(0)
    goal = Decimal(goal)
    if comparator in (">=", ">", "up"):
        return clamp(value / goal * HUNDRED) if goal > 0 else rounded(0)
    if comparator in ("<=", "<"):
        return clamp(goal / value * HUNDRED) if value > 0 and goal >= 0 else rounded(0)
    if goal == 0:
        return rounded(0)
    return clamp((1 - abs(value - goal) / abs(goal)) * HUNDRED)


def share_score(share) -> Decimal:
    """The score of an "every division must meet it" target: the share (%) that meets it."""
    return rounded(0) if share is None else clamp(share)


def total(weighted: list[tuple[Decimal, Decimal | None]]) -> Decimal:
    """Σ weight × score ÷ 100 over (weight, score) pairs; a missing score counts 0."""
    return rounded(sum((Decimal(w) * (s or 0) / HUNDRED for w, s in weighted), Decimal(0)))
