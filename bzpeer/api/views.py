"""The read API's views: a list and a single record for each entity, in OpenAlex's shapes
(bzpeer/api/lists.py, serializers/). Every view is read-only, anonymous, rate-limited and
CORS-open (responses.api_view)."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

from bzpeer.api.ids import IdError, id_parse
from bzpeer.api.lists import Entity, list_payload, select_fields
from bzpeer.api.responses import api_view, bad_request, not_found
from bzpeer.api.serializers.authors import AUTHORS
from bzpeer.api.serializers.institutions import INSTITUTIONS
from bzpeer.api.serializers.topics import TOPICS
from bzpeer.api.serializers.works import WORKS
from works.models import MergedId

SINGLE_PARAMETERS = {"select", "mailto", "api_key"}
_SINGULAR = {"authors": "author", "works": "work", "institutions": "institution", "topics": "topic"}


def _single(
    request: HttpRequest, entity: Entity, raw_id: str
) -> dict | HttpResponsePermanentRedirect:
    for name in request.GET:
        if name not in SINGLE_PARAMETERS:
            raise bad_request(f"{name[:100]} is not a valid parameter for a single record.")
    try:
        parsed = id_parse(entity.name, raw_id)
    except IdError as exc:
        raise bad_request(str(exc)) from None
    rows = entity.queryset().filter(entity.lookup(parsed))
    # OpenAlex sometimes splits one person over records sharing an ORCID: the fullest first.
    order = ("-works_count", "openalex_id") if parsed.kind == "orcid" else ("pk",)
    row = rows.order_by(*order).first()
    if row is None:
        if parsed.kind == "openalex":
            # A merged-away id leads to the record it was merged into, as OpenAlex answers.
            new_id = (
                MergedId.objects.filter(entity=entity.name, old_id=parsed.value)
                .values_list("new_id", flat=True)
                .first()
            )
            if new_id:
                url = reverse(f"api:{_SINGULAR[entity.name]}", args=[new_id])
                return HttpResponsePermanentRedirect(url)
        raise not_found()
    records = (entity.serialize_one or entity.serialize)([row], request)
    return select_fields(records, request)[0]


@api_view
def api_root(request: HttpRequest) -> dict:
    return {
        "msg": "BZPEER's read API, in the shapes of OpenAlex's (api.openalex.org).",
        "endpoints": [request.build_absolute_uri(reverse(f"api:{name}")) for name in _SINGULAR],
        "documentation_url": "https://docs.openalex.org/how-to-use-the-api/api-overview",
    }


@api_view
def api_not_found(request: HttpRequest, rest: str) -> dict:
    # Any other path under /api/ (OpenAlex's sources, funders, ...): its 404, in JSON.
    raise not_found()


@api_view
def author_list(request: HttpRequest) -> dict:
    return list_payload(request, AUTHORS)


@api_view
def author_detail(request: HttpRequest, author_id: str) -> dict:
    return _single(request, AUTHORS, author_id)


@api_view
def work_list(request: HttpRequest) -> dict:
    return list_payload(request, WORKS)


@api_view
def work_detail(request: HttpRequest, work_id: str) -> dict:
    return _single(request, WORKS, work_id)


@api_view
def institution_list(request: HttpRequest) -> dict:
    return list_payload(request, INSTITUTIONS)


@api_view
def institution_detail(request: HttpRequest, institution_id: str) -> dict:
    return _single(request, INSTITUTIONS, institution_id)


@api_view
def topic_list(request: HttpRequest) -> dict:
    return list_payload(request, TOPICS)


@api_view
def topic_detail(request: HttpRequest, topic_id: str) -> dict:
    return _single(request, TOPICS, topic_id)
