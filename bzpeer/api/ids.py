"""Ids the way OpenAlex's API accepts them: "W2741809807", "https://openalex.org/W2741809807",
"openalex:W…", and for some entities an external id: "doi:10.7717/peerj.4375" or
"https://doi.org/10.…" for works, "orcid:0000-…" or "https://orcid.org/0000-…" for authors,
"ror:…" or "https://ror.org/…" for institutions."""

import re
from dataclasses import dataclass
from urllib.parse import unquote

from works.importer.normalize import normalize_doi
from works.orcid import orcid_normalize

OPENALEX_URL = "https://openalex.org/"
# OpenAlex's own ids and the demo data's ("ADEMO0001"): the entity's letter, then letters
# and digits. Stored upper-case; OpenAlex answers "w2741809807" too.
_SHORT = re.compile(r"^[A-Z][A-Z0-9]{1,31}$")
# A proxy that merges slashes turns "https://doi.org/…" into "https:/doi.org/…".
_SCHEME = re.compile(r"^https?:/{1,2}", re.IGNORECASE)

ENTITY_LETTERS = {
    "authors": "A", "works": "W", "institutions": "I", "topics": "T", "sources": "S",
}  # fmt: skip
EXTERNAL = {
    "authors": "orcid",
    "works": "doi",
    "institutions": "ror",
    "topics": None,
    "sources": None,
}


class IdError(ValueError):
    """Not an id of this entity in any form OpenAlex accepts (the message says which)."""


@dataclass(frozen=True)
class ParsedId:
    kind: str  # "openalex", "orcid", "doi" or "ror"
    value: str  # the short OpenAlex id, or the normalized external id


def openalex_id_url(short_id: str) -> str:
    return OPENALEX_URL + short_id


def _without_scheme(value: str) -> str:
    return _SCHEME.sub("", value).removeprefix("www.")


def _short_id(entity: str, value: str) -> str | None:
    bare = _without_scheme(value)
    for prefix in ("openalex.org/", "openalex:"):
        if bare.lower().startswith(prefix):
            bare = bare[len(prefix) :]
    short = bare.upper()
    if _SHORT.match(short) and short.startswith(ENTITY_LETTERS[entity]):
        return short
    return None


def _external(kind: str, value: str) -> str | None:
    bare = _without_scheme(value)
    lower = bare.lower()
    if kind == "orcid":
        # "orcid:…", "https://orcid.org/…", or the bare iD (in a filter's value).
        return orcid_normalize(bare.split(":", 1)[1] if lower.startswith("orcid:") else bare)
    if kind == "doi":
        for prefix in ("doi:", "doi.org/", "dx.doi.org/", ""):
            if lower.startswith(prefix):
                doi = normalize_doi(lower.removeprefix(prefix))
                return doi if doi.startswith("10.") else None
    if kind == "ror" and (lower.startswith("ror:") or lower.startswith("ror.org/")):
        ror = bare.split(":", 1)[1] if lower.startswith("ror:") else bare.split("/", 1)[1]
        return ror.lower() if re.fullmatch(r"0[a-z0-9]{6}[0-9]{2}", ror.lower()) else None
    return None


def id_parse(entity: str, raw: str) -> ParsedId:
    """The id `raw` names among `entity` ("works", ...), or IdError with OpenAlex's words."""
    value = unquote(raw).strip()
    short = _short_id(entity, value)
    if short is not None:
        return ParsedId("openalex", short)
    kind = EXTERNAL[entity]
    if kind is not None:
        external = _external(kind, value)
        if external is not None:
            return ParsedId(kind, external)
    shown = value if len(value) <= 100 else value[:100] + "…"
    forms = f"an OpenAlex {entity[:-1]} id" + (f" or a {kind.upper()}" if kind else "")
    raise IdError(f"'{shown}' is not a valid OpenAlex ID: expected {forms}.")
