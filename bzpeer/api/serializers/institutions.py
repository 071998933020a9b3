"""Institution records in OpenAlex's shape (what BZPEER imported of them)."""

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from bzpeer.api.filters import Filter, id_filter
from bzpeer.api.ids import ParsedId, openalex_id_url
from bzpeer.api.lists import Entity
from bzpeer.api.serializers.common import absolute, api_url, iso, ror_full
from works.models import Institution


def institution_queryset() -> QuerySet[Institution]:
    return Institution.objects.all()


def serialize_institutions(rows: list[Institution], request: HttpRequest) -> list[dict]:
    """No queries: everything is on the row."""
    records = []
    for i in rows:
        url = openalex_id_url(i.openalex_id)
        ror = ror_full(i.ror)
        records.append(
            {
                "id": url,
                "ror": ror,
                "display_name": i.display_name,
                "country_code": i.country_code or None,
                "type": i.type or None,
                "lineage": [url],
                "homepage_url": i.homepage_url or None,
                "ids": {"openalex": url, **({"ror": ror} if ror else {})},
                "works_api_url": api_url(
                    request, "works", f"filter=institutions.id:{i.openalex_id}"
                ),
                "updated_date": iso(i.updated_date),
                "created_date": None,
                "bzpeer": {
                    "page_url": absolute(
                        request, reverse("works:institution", args=[i.openalex_id])
                    )
                },
            }
        )
    return records


def _rors(parsed: list[ParsedId]) -> list[str]:
    # Stored as OpenAlex gives them (full URLs); a bare id may have been stored too.
    bare = [p.value for p in parsed if p.kind == "ror"]
    return [*bare, *(f"https://ror.org/{r}" for r in bare)]


def _lookup(parsed: ParsedId) -> Q:
    if parsed.kind == "ror":
        return Q(ror__in=_rors([parsed]))
    return Q(openalex_id=parsed.value)


def _by_ids(parsed: list[ParsedId]) -> Q:
    return Q(openalex_id__in=[p.value for p in parsed if p.kind == "openalex"]) | Q(
        ror__in=_rors(parsed)
    )


def _search(text: str) -> Q:
    q = Q()
    for word in text.split()[:10]:
        q &= Q(display_name__icontains=word)
    return q


INSTITUTIONS = Entity(
    name="institutions",
    queryset=institution_queryset,
    serialize=serialize_institutions,
    lookup=_lookup,
    filters={
        "openalex_id": id_filter("institutions", _by_ids),
        "openalex": id_filter("institutions", _by_ids),
        "ids.openalex": id_filter("institutions", _by_ids),
        "ror": id_filter("institutions", _by_ids),
        "country_code": Filter("text", field="country_code"),
        "type": Filter("text", field="type"),
        "display_name.search": Filter("search", build=_search),
        "default.search": Filter("search", build=_search),
    },
    search=_search,
    sorts={"display_name": F("display_name")},
)
