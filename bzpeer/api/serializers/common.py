"""Pieces every record shares: OpenAlex's "dehydrated" institution and topic objects, absolute
URLs, and the abstract as OpenAlex's inverted index."""

from datetime import date

from django.http import HttpRequest
from django.urls import reverse

from bzpeer.api.ids import openalex_id_url


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def api_url(request: HttpRequest, entity: str, query: str = "") -> str:
    return absolute(request, reverse(f"api:{entity}")) + (f"?{query}" if query else "")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def ror_full(ror: str) -> str | None:
    if not ror:
        return None
    return ror if ror.startswith("http") else f"https://ror.org/{ror}"


def institution_brief(*, openalex_id: str, ror: str, display_name: str, country_code: str,
                      type: str) -> dict:  # fmt: skip
    url = openalex_id_url(openalex_id)
    return {
        "id": url,
        "display_name": display_name,
        "ror": ror_full(ror),
        "country_code": country_code or None,
        "type": type or None,
        "lineage": [url],
    }


def named(name: str) -> dict | None:
    # Our topics keep the names of their subfield, field and domain, not OpenAlex's ids.
    return {"id": None, "display_name": name} if name else None


def topic_brief(*, openalex_id: str, display_name: str, subfield: str, field: str,
                domain: str, **extra: object) -> dict:  # fmt: skip
    return {
        "id": openalex_id_url(openalex_id),
        "display_name": display_name,
        **extra,
        "subfield": named(subfield),
        "field": named(field),
        "domain": named(domain),
    }


def inverted_index(abstract: str) -> dict[str, list[int]] | None:
    """OpenAlex's abstract_inverted_index of a text: each word and its positions (the
    importer stored the abstract rebuilt from that index, words joined by spaces)."""
    words = abstract.split()
    if not words:
        return None
    index: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        index.setdefault(word, []).append(position)
    return index
