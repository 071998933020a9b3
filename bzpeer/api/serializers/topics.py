"""Topic records in OpenAlex's shape (what BZPEER imported of them)."""

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from bzpeer.api.filters import Filter, id_filter
from bzpeer.api.ids import ParsedId, openalex_id_url
from bzpeer.api.lists import Entity
from bzpeer.api.serializers.common import absolute, api_url, iso, topic_brief
from works.models import Topic


def topic_queryset() -> QuerySet[Topic]:
    return Topic.objects.all()


def serialize_topics(rows: list[Topic], request: HttpRequest) -> list[dict]:
    """No queries: everything is on the row."""
    return [
        {
            **topic_brief(
                openalex_id=t.openalex_id,
                display_name=t.display_name,
                subfield=t.subfield,
                field=t.field,
                domain=t.domain,
            ),
            "ids": {"openalex": openalex_id_url(t.openalex_id)},
            "works_api_url": api_url(request, "works", f"filter=topics.id:{t.openalex_id}"),
            "updated_date": iso(t.updated_date),
            "created_date": None,
            "bzpeer": {"page_url": absolute(request, reverse("works:topic", args=[t.openalex_id]))},
        }
        for t in rows
    ]


def _lookup(parsed: ParsedId) -> Q:
    return Q(openalex_id=parsed.value)


def _by_ids(parsed: list[ParsedId]) -> Q:
    return Q(openalex_id__in=[p.value for p in parsed])


def _search(text: str) -> Q:
    q = Q()
    for word in text.split()[:10]:
        q &= Q(display_name__icontains=word)
    return q


TOPICS = Entity(
    name="topics",
    queryset=topic_queryset,
    serialize=serialize_topics,
    lookup=_lookup,
    filters={
        "openalex_id": id_filter("topics", _by_ids),
        "openalex": id_filter("topics", _by_ids),
        "ids.openalex": id_filter("topics", _by_ids),
        "subfield.display_name": Filter("text", field="subfield"),
        "field.display_name": Filter("text", field="field"),
        "domain.display_name": Filter("text", field="domain"),
        "display_name.search": Filter("search", build=_search),
        "default.search": Filter("search", build=_search),
    },
    search=_search,
    sorts={"display_name": F("display_name")},
)
