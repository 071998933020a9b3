"""ORCID iDs: the one implementation of their check (16 digits, the last an ISO 7064 MOD 11-2
check character), used by the importer, the researcher URLs and every form or model field
where an iD is typed."""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError

# "0000-0002-1825-0097", "https://orcid.org/0000-…" (also url-encoded, or with its slashes
# merged by a proxy), without dashes, lower-case x.
_ORCID_RE = re.compile(
    r"^(?:(?:https?:/{1,2})?(?:www\.)?orcid\.org/)?"
    r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])/?$",
    re.IGNORECASE,
)


def orcid_check_character(base: str) -> str:
    """The check character of the first 15 digits, as ORCID specifies it (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_normalize(value: str) -> str | None:
    """The "0000-0002-1825-0097" form of a valid ORCID iD written any lenient way, else None
    (malformed, or a wrong check character)."""
    match = _ORCID_RE.match(unquote(str(value)).strip())
    if match is None:
        return None
    digits = "".join(match.groups()).upper()
    if orcid_check_character(digits[:15]) != digits[15]:
        return None
    return "-".join(match.groups()).upper()


def validate_orcid(value: str) -> None:
    """Django validator for a typed ORCID iD (form and model fields)."""
    if value and orcid_normalize(value) != value:
        raise ValidationError(
            "Enter an ORCID iD as 0000-0002-1825-0097: 16 digits, the last may be X, "
            "with a valid check character.",
            code="invalid_orcid",
        )
