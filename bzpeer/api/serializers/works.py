"""Work records: OpenAlex's shape, with the byline as BZPEER holds it after owners' corrections
(a "Not me" took the place off that record; an added work sits on the owner's record), and
under "bzpeer" why each author is on it and whether they proved who they are."""

from collections import defaultdict
from datetime import date

from django.db.models import DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from bzpeer.api.filters import Filter, id_filter
from bzpeer.api.ids import ParsedId, openalex_id_url
from bzpeer.api.lists import Entity
from bzpeer.api.serializers.common import (
    absolute,
    institution_brief,
    inverted_index,
    iso,
    named,
)
from profiles.models import Claim
from works.models import RESERVED_AUTHOR_IDS, Authorship, AuthorshipOverride, Work, WorkTopic

# A list shows the first places of each byline, as OpenAlex's lists do
# ("is_authors_truncated"); a single work shows all of them.
LIST_BYLINE_SHOWN = 100


def work_queryset() -> QuerySet[Work]:
    return Work.objects.select_related("primary_source")


def _source(work: Work) -> dict | None:
    source = work.primary_source
    if source is None:
        return None
    return {
        "id": openalex_id_url(source.openalex_id),
        "display_name": source.display_name,
        "issn_l": source.issn_l or None,
        "type": source.type or None,
    }


def _bylines(work_ids: list[int], shown: int | None) -> dict[int, list[Authorship]]:
    """Places in published order, with their authors (one query) and institutions (one)."""
    places = Authorship.objects.filter(work_id__in=work_ids).select_related("author")
    if shown is not None:
        places = places.filter(order__lt=shown)  # a range of the (work, order) unique index
    places = list(
        places.only(
            "id", "work_id", "order", "position", "raw_author_name", "is_corresponding",
            "author__id", "author__openalex_id", "author__display_name", "author__orcid",
        ).order_by("work_id", "order")
    )  # fmt: skip
    # The same places by join (work, then order), not a list of thousands of place ids.
    named_places = Authorship.institutions.through.objects.filter(authorship__work_id__in=work_ids)
    if shown is not None:
        named_places = named_places.filter(authorship__order__lt=shown)
    institutions: dict[int, list[dict]] = defaultdict(list)
    for row in named_places.values(
        "authorship_id",
        openalex_id=F("institution__openalex_id"),
        ror=F("institution__ror"),
        display_name=F("institution__display_name"),
        country_code=F("institution__country_code"),
        type=F("institution__type"),
    ).order_by("authorship_id", "institution__display_name"):
        institutions[row.pop("authorship_id")].append(institution_brief(**row))
    by_work: dict[int, list[Authorship]] = defaultdict(list)
    for place in places:
        place.institution_briefs = institutions.get(place.id, [])
        by_work[place.work_id].append(place)
    return by_work


def _topics(work_ids: list[int]) -> dict[int, list[tuple[WorkTopic, dict]]]:
    rows = (
        WorkTopic.objects.filter(work_id__in=work_ids)
        .select_related("topic")
        .order_by("work_id", F("score").desc(nulls_last=True), "topic__display_name")
    )
    by_work: dict[int, list[tuple[WorkTopic, dict]]] = defaultdict(list)
    for row in rows:
        topic = row.topic
        by_work[row.work_id].append(
            (
                row,
                {
                    "id": openalex_id_url(topic.openalex_id),
                    "display_name": topic.display_name,
                    "score": row.score,
                    "subfield": named(topic.subfield),
                    "field": named(topic.field),
                    "domain": named(topic.domain),
                },
            )
        )
    return by_work


def _claims(author_ids: set[int]) -> dict[int, tuple[str, int]]:
    rows = (
        Claim.objects.live()
        .filter(author_id__in=author_ids)
        .values_list("author_id", "status", "level")
    )
    return {author_id: (status, level) for author_id, status, level in rows}


def _level(claim: tuple[str, int] | None) -> int:
    # As profiles.selectors.claims.author_verification_get: 1 unclaimed, 2 pending, 3-4 proven.
    if claim is None:
        return 1
    status, level = claim
    return level if status == Claim.Status.ACTIVE else 2


def _authorship(place: Authorship) -> dict:
    author = place.author
    public = author.openalex_id not in RESERVED_AUTHOR_IDS
    return {
        "author_position": place.position or None,
        "author": {
            "id": openalex_id_url(author.openalex_id) if public else None,
            "display_name": author.display_name if public else place.raw_author_name,
            "orcid": f"https://orcid.org/{author.orcid}" if author.orcid else None,
        },
        "institutions": place.institution_briefs,
        "countries": sorted(
            {i["country_code"] for i in place.institution_briefs if i["country_code"]}
        ),
        "is_corresponding": place.is_corresponding,
        "raw_author_name": place.raw_author_name or author.display_name,
    }


def _bzpeer_view(
    work: Work,
    places: list[Authorship],
    claims: dict[int, tuple[str, int]],
    added: set[tuple[int, int]],
    request: HttpRequest,
) -> dict:
    """Why each author is on the work (OpenAlex's authorship, or its owner added it), and
    whether they proved who they are."""
    return {
        "page_url": absolute(request, reverse("works:detail", args=[work.openalex_id])),
        "authorships": [
            {
                "author": openalex_id_url(p.author.openalex_id),
                "author_position": p.position or None,
                "attached": "added_by_owner" if (work.id, p.author_id) in added else "openalex",
                "verification_level": _level(claims.get(p.author_id)),
            }
            for p in places
            if p.author.openalex_id not in RESERVED_AUTHOR_IDS
        ],
    }


def serialize_works(
    works: list[Work], request: HttpRequest, *, shown: int | None = None
) -> list[dict]:
    """Records of a page of works: five queries (places, their institutions, topics, the
    claims of their authors, owners' additions) however many works."""
    ids = [w.id for w in works]
    if not ids:
        return []
    bylines = _bylines(ids, shown)
    topics = _topics(ids)
    author_ids = {p.author_id for places in bylines.values() for p in places}
    claims = _claims(author_ids)
    added = set(
        AuthorshipOverride.objects.in_force()
        .inclusions()
        .filter(work_id__in=ids)
        .values_list("work_id", "author_id")
    )
    records = []
    for w in works:
        url = openalex_id_url(w.openalex_id)
        doi = f"https://doi.org/{w.doi}" if w.doi else None
        places = bylines.get(w.id, [])
        work_topics = topics.get(w.id, [])
        primary = next((t for row, t in work_topics if row.is_primary), None)
        source = _source(w)
        records.append(
            {
                "id": url,
                "doi": doi,
                "title": w.title or None,
                "display_name": w.title or None,
                "publication_year": w.publication_year,
                "publication_date": iso(w.publication_date),
                "ids": {"openalex": url, **({"doi": doi} if doi else {})},
                "language": w.language or None,
                "primary_location": {
                    "is_oa": w.is_oa,
                    "landing_page_url": doi,
                    "pdf_url": None,
                    "source": source,
                },
                "type": w.type or None,
                "open_access": {
                    "is_oa": w.is_oa,
                    "oa_status": w.oa_status or ("closed" if not w.is_oa else None),
                    "oa_url": None,
                    "any_repository_has_fulltext": None,
                },
                "authorships": [_authorship(p) for p in places],
                "is_authors_truncated": shown is not None and w.byline_size > shown,
                "cited_by_count": w.cited_by_count,
                "primary_topic": primary or (work_topics[0][1] if work_topics else None),
                "topics": [t for _, t in work_topics],
                "abstract_inverted_index": inverted_index(w.abstract),
                "updated_date": iso(w.updated_date),
                "created_date": None,
                "bzpeer": _bzpeer_view(w, places, claims, added, request),
            }
        )
    return records


def serialize_work_list(works: list[Work], request: HttpRequest) -> list[dict]:
    return serialize_works(works, request, shown=LIST_BYLINE_SHOWN)


def _lookup(parsed: ParsedId) -> Q:
    if parsed.kind == "doi":
        return Q(doi=parsed.value)
    return Q(openalex_id=parsed.value)


def _by_ids(parsed: list[ParsedId]) -> Q:
    return Q(openalex_id__in=[p.value for p in parsed if p.kind == "openalex"]) | Q(
        doi__in=[p.value for p in parsed if p.kind == "doi"]
    )


def _by_authors(parsed: list[ParsedId]) -> Q:
    # Works of these authors as the index holds them (after owners' corrections): an IN over
    # the (author, work) index.
    openalex = [p.value for p in parsed if p.kind == "openalex"]
    orcids = [p.value for p in parsed if p.kind == "orcid"]
    places = Authorship.objects.filter(
        Q(author__openalex_id__in=openalex) | Q(author__orcid__in=orcids)
    )
    return Q(pk__in=places.values("work_id"))


def _by_institutions(parsed: list[ParsedId]) -> Q:
    openalex = [p.value for p in parsed if p.kind == "openalex"]
    rors = [p.value for p in parsed if p.kind == "ror"]
    places = Authorship.institutions.through.objects.filter(
        Q(institution__openalex_id__in=openalex)
        | Q(institution__ror__in=[*rors, *(f"https://ror.org/{r}" for r in rors)])
    )
    return Q(pk__in=places.values("authorship__work_id"))


def _by_topics(parsed: list[ParsedId]) -> Q:
    rows = WorkTopic.objects.filter(topic__openalex_id__in=[p.value for p in parsed])
    return Q(pk__in=rows.values("work_id"))


def _by_primary_topic(parsed: list[ParsedId]) -> Q:
    rows = WorkTopic.objects.filter(
        topic__openalex_id__in=[p.value for p in parsed], is_primary=True
    )
    return Q(pk__in=rows.values("work_id"))


def _by_source(parsed: list[ParsedId]) -> Q:
    return Q(primary_source__openalex_id__in=[p.value for p in parsed])


def _is_oa(value: bool) -> Q:
    return Q(is_oa=value)


def _has_doi(value: bool) -> Q:
    return ~Q(doi="") if value else Q(doi="")


def _has_abstract(value: bool) -> Q:
    return ~Q(abstract="") if value else Q(abstract="")


def _search(text: str) -> Q:
    # Every word in the title or the abstract.
    q = Q()
    for word in text.split()[:10]:
        q &= Q(title__icontains=word) | Q(abstract__icontains=word)
    return q


def _title_search(text: str) -> Q:
    q = Q()
    for word in text.split()[:10]:
        q &= Q(title__icontains=word)
    return q


_authors = id_filter("authors", _by_authors)
_institutions = id_filter("institutions", _by_institutions)
_topics_filter = id_filter("topics", _by_topics)
WORK_FILTERS = {
    "openalex_id": id_filter("works", _by_ids),
    "openalex": id_filter("works", _by_ids),
    "ids.openalex": id_filter("works", _by_ids),
    "doi": id_filter("works", _by_ids),
    "author.id": _authors,
    "authorships.author.id": _authors,
    "author.orcid": _authors,
    "authorships.author.orcid": _authors,
    "institutions.id": _institutions,
    "authorships.institutions.id": _institutions,
    "institution.id": _institutions,
    "authorships.institutions.ror": _institutions,
    "topics.id": _topics_filter,
    "topic.id": _topics_filter,
    "primary_topic.id": id_filter("topics", _by_primary_topic),
    "primary_location.source.id": id_filter("sources", _by_source),
    "publication_year": Filter("int", field="publication_year"),
    "from_publication_date": Filter("date", field="publication_date", lookup="gte"),
    "to_publication_date": Filter("date", field="publication_date", lookup="lte"),
    "publication_date": Filter("date", field="publication_date"),
    "cited_by_count": Filter("int", field="cited_by_count"),
    "type": Filter("text", field="type"),
    "language": Filter("text", field="language"),
    "is_oa": Filter("bool", build=_is_oa),
    "open_access.is_oa": Filter("bool", build=_is_oa),
    "oa_status": Filter("text", field="oa_status"),
    "open_access.oa_status": Filter("text", field="oa_status"),
    "has_doi": Filter("bool", build=_has_doi),
    "has_abstract": Filter("bool", build=_has_abstract),
    "title.search": Filter("search", build=_title_search),
    "display_name.search": Filter("search", build=_title_search),
    "default.search": Filter("search", build=_search),
    "abstract.search": Filter("search", build=lambda t: Q(abstract__icontains=t)),
}

WORKS = Entity(
    name="works",
    queryset=work_queryset,
    serialize=serialize_work_list,
    lookup=_lookup,
    filters=WORK_FILTERS,
    search=_search,
    serialize_one=serialize_works,  # the whole byline
    sorts={
        "cited_by_count": F("cited_by_count"),
        # Never NULL, for the keyset: works without a year or date sort as the oldest.
        "publication_year": Coalesce(F("publication_year"), Value(0)),
        "publication_date": Coalesce(
            F("publication_date"), Value(date.min, output_field=DateField())
        ),
        "display_name": F("title"),
        "title": F("title"),
    },
)
