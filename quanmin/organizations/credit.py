"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters.

1 the registering authority (5 = civil affairs), 2 the kind of body (1 social group, 2 private
non-enterprise unit, 3 foundation…), 3-8 the division code of the registering office, 9-17 the
organisation code of GB 11714 (its 9th character a check digit of its own), 18 the check character.
The alphabet leaves out I, O, S, V and Z. Both check characters are computed here as the standards
give them; a code whose checks fail is mistyped.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i) mod 31
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714
CIVIL_AFFAIRS = "5"


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100, 4.3: weights 3^(i-1) mod 31)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_digit(first8: str) -> str:
    """The 9th character of a GB 11714 organisation code (digits and letters A=10 … Z=35)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def normalise(code: str) -> str:
    return "".join(str(code or "").split()).upper()


def problem(code: str) -> str | None:
    """None for a well-formed code, otherwise what is wrong: length, alphabet, org_check, check."""
    if len(code) != 18:
        return "length"
    if any(c not in VALUES for c in code):
        return "alphabet"
    org = code[8:17]
    if org[:8].isalnum() and org[8] in "0123456789X" and org_check_digit(org[:8]) != org[8]:
        return "org_check"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def make(kind: str, division6: str, serial: int) -> str:
    """A well-formed code for a civil-affairs registration (demo data and tests): 5, kind, the
    division's six digits, an organisation code built from the serial, both check characters."""
    org8 = f"M{serial:07d}"[-8:]
    first17 = f"{CIVIL_AFFAIRS}{kind}{division6}{org8}{org_check_digit(org8)}"
    return first17 + check_character(first17)
