"""Author records: OpenAlex's shape over BZPEER's curated record (works_count counts the works
attached to it after its owner's corrections), with BZPEER's own view under "bzpeer". Pages
their owners hid are not served (profiles.selectors.visibility)."""

from collections import defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from bzpeer.api.filters import Filter, id_filter
from bzpeer.api.ids import ParsedId, openalex_id_url
from bzpeer.api.lists import Entity
from bzpeer.api.serializers.common import absolute, api_url, institution_brief, iso, topic_brief
from graph.models import TrustScore
from profiles.models import Follow
from profiles.selectors.claims import (
    Verification,
    author_verification_get,
    claim_live_subquery,
)
from profiles.selectors.owner import owner_profile_subquery
from profiles.selectors.visibility import exclude_hidden
from works.models import Author, AuthorshipOverride, Institution, WorkTopic
from works.names import name_fold

TOPICS_SHOWN = 25


def _followers_count() -> Coalesce:
    # A correlated COUNT in the author's own row, computed for the page's rows only.
    counted = (
        Follow.objects.filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def author_queryset() -> QuerySet[Author]:
    """Public, not hidden authors, with the claim, owner and follower columns the records
    show (subqueries in the row: no query per author)."""
    return exclude_hidden(Author.objects.public()).annotate(
        claim_status=claim_live_subquery("status"),
        claim_level=claim_live_subquery("level"),
        claim_disputed_at=claim_live_subquery("disputed_at"),
        owner_summary=owner_profile_subquery("summary"),
        owner_open=owner_profile_subquery("open_to_collaborate"),
        owner_institution_id=owner_profile_subquery("shown_institution_id"),
        followers_count=_followers_count(),
    )


def _orcid_url(orcid: str) -> str | None:
    return f"https://orcid.org/{orcid}" if orcid else None


def _institutions_of(authors: list[Author], proven: set[int]) -> dict[int, list[dict]]:
    """Last known institutions per author (one query), or the one a proven owner chose to show
    (one more, only when some did)."""
    through = Author.last_known_institutions.through
    rows = through.objects.filter(author_id__in=[a.id for a in authors]).values(
        "author_id",
        openalex_id=F("institution__openalex_id"),
        ror=F("institution__ror"),
        display_name=F("institution__display_name"),
        country_code=F("institution__country_code"),
        type=F("institution__type"),
    )
    by_author: dict[int, list[dict]] = defaultdict(list)
    for row in rows.order_by("author_id", "institution__display_name"):
        by_author[row.pop("author_id")].append(institution_brief(**row))
    chosen = {
        a.id: a.owner_institution_id for a in authors if a.owner_institution_id and a.id in proven
    }
    if chosen:
        found = Institution.objects.filter(pk__in=set(chosen.values())).values(
            "id", "openalex_id", "ror", "display_name", "country_code", "type"
        )
        briefs = {row.pop("id"): institution_brief(**row) for row in found}
        for author_id, institution_id in chosen.items():
            if institution_id in briefs:
                by_author[author_id] = [briefs[institution_id]]
    return by_author


def _topics_of(author_ids: list[int]) -> dict[int, list[dict]]:
    """The topics of each author's works with how many works carry each (one grouped query
    through the authorship and work-topic indexes)."""
    rows = (
        WorkTopic.objects.filter(work__authorships__author_id__in=author_ids)
        .values(
            author_id=F("work__authorships__author_id"),
            openalex_id=F("topic__openalex_id"),
            display_name=F("topic__display_name"),
            subfield=F("topic__subfield"),
            field=F("topic__field"),
            domain=F("topic__domain"),
        )
        .annotate(count=Count("work_id", distinct=True))
        .order_by("author_id", "-count", "display_name")
    )
    by_author: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        author_id = row.pop("author_id")
        if len(by_author[author_id]) < TOPICS_SHOWN:
            count = row.pop("count")
            by_author[author_id].append(topic_brief(**row, count=count))
    return by_author


def _trust_of(author_ids: list[int]) -> dict[int, dict]:
    rows = TrustScore.objects.filter(author_id__in=author_ids, computed_at__isnull=False).values(
        "author_id", "score", "label", "components", "computed_at", "is_stale"
    )
    return {
        row["author_id"]: {
            "score": row["score"],
            "label": row["label"],
            "components": row["components"],
            "computed_at": row["computed_at"],
            # The worker recomputes it when the page is next viewed with changed inputs.
            "is_stale": row["is_stale"],
        }
        for row in rows
    }


def _corrections_of(author_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        AuthorshipOverride.objects.in_force()
        .filter(author_id__in=author_ids)
        .values("author_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["author_id"]][row["kind"]] = row["n"]
    return counts


def _claim_state(verification: Verification) -> str:
    if verification.is_claimed:
        return "proven"
    return "pending" if verification.is_pending else "unclaimed"


def _bzpeer_view(
    a: Author,
    verification: Verification,
    trust: dict | None,
    corrections: dict[str, int],
    request: HttpRequest,
) -> dict:
    """BZPEER's own view of the record: who proved it is theirs, how far to trust it, and
    what its owner changed."""
    state = _claim_state(verification)
    return {
        "page_url": absolute(request, reverse("profiles:detail", args=[a.openalex_id])),
        "verification": {
            "level": verification.level,
            "label": verification.level_label,
            "status": verification.claim_status,
        },
        "claim": {
            "state": state,
            "level": verification.level if state != "unclaimed" else None,
            "disputed": a.claim_disputed_at is not None,
        },
        "owner": (
            {"summary": a.owner_summary or "", "open_to_collaborate": a.owner_open}
            if verification.is_claimed
            else None
        ),
        "trust": trust,
        "followers_count": a.followers_count,
        # OpenAlex's own count, over its whole corpus and before any correction.
        "openalex_works_count": a.works_count,
        "corrections": {
            "works_added_by_owner": corrections.get(AuthorshipOverride.Kind.INCLUDE, 0),
            "works_removed_by_owner": corrections.get(AuthorshipOverride.Kind.EXCLUDE, 0),
        },
    }


def serialize_authors(authors: list[Author], request: HttpRequest) -> list[dict]:
    """Records of a page of authors from author_queryset(): four queries (five when an owner
    chose the affiliation shown) however many authors."""
    if not authors:
        return []
    ids = [a.id for a in authors]
    verifications = {a.id: author_verification_get(author=a) for a in authors}
    proven = {a.id for a in authors if verifications[a.id].is_claimed}
    institutions = _institutions_of(authors, proven)
    topics = _topics_of(ids)
    trust = _trust_of(ids)
    corrections = _corrections_of(ids)
    records = []
    for a in authors:
        url = openalex_id_url(a.openalex_id)
        records.append(
            {
                "id": url,
                "orcid": _orcid_url(a.orcid),
                "display_name": a.display_name,
                "display_name_alternatives": a.display_name_alternatives,
                # The works attached to this record in BZPEER's index, after its owner's
                # corrections: what works?filter=author.id:… counts.
                "works_count": a.works_in_db,
                "cited_by_count": a.cited_by_count,
                "summary_stats": a.summary_stats or {},
                "ids": {"openalex": url, **({"orcid": _orcid_url(a.orcid)} if a.orcid else {})},
                "last_known_institutions": institutions.get(a.id, []),
                "topics": topics.get(a.id, []),
                "works_api_url": api_url(request, "works", f"filter=author.id:{a.openalex_id}"),
                "updated_date": iso(a.updated_date),
                "created_date": None,
                "bzpeer": _bzpeer_view(
                    a, verifications[a.id], trust.get(a.id), corrections.get(a.id, {}), request
                ),
            }
        )
    return records


def _lookup(parsed: ParsedId) -> Q:
    if parsed.kind == "orcid":
        return Q(orcid=parsed.value)
    return Q(openalex_id=parsed.value)


def _by_ids(parsed: list[ParsedId]) -> Q:
    openalex = [p.value for p in parsed if p.kind == "openalex"]
    orcids = [p.value for p in parsed if p.kind == "orcid"]
    return Q(openalex_id__in=openalex) | Q(orcid__in=orcids)


def _search(text: str) -> Q:
    # Every word somewhere in the folded name or its alternatives: the trigram index on
    # search_name serves each LIKE.
    q = Q()
    for word in name_fold(text).split()[:10]:
        q &= Q(search_name__contains=word)
    return q


def _has_orcid(value: bool) -> Q:
    return ~Q(orcid="") if value else Q(orcid="")


def _last_known(parsed: list[ParsedId]) -> Q:
    return Q(
        pk__in=Author.last_known_institutions.through.objects.filter(
            institution__openalex_id__in=[p.value for p in parsed]
        ).values("author_id")
    )


AUTHOR_FILTERS = {
    "openalex_id": id_filter("authors", _by_ids),
    "openalex": id_filter("authors", _by_ids),
    "ids.openalex": id_filter("authors", _by_ids),
    "orcid": id_filter("authors", _by_ids),
    "ids.orcid": id_filter("authors", _by_ids),
    "has_orcid": Filter("bool", build=_has_orcid),
    "last_known_institutions.id": id_filter("institutions", _last_known),
    "last_known_institution.id": id_filter("institutions", _last_known),
    "works_count": Filter("int", field="works_in_db"),
    "cited_by_count": Filter("int", field="cited_by_count"),
    "display_name.search": Filter("search", build=_search),
    "default.search": Filter("search", build=_search),
}

AUTHORS = Entity(
    name="authors",
    queryset=author_queryset,
    serialize=serialize_authors,
    lookup=_lookup,
    filters=AUTHOR_FILTERS,
    search=_search,
    sorts={
        "display_name": F("display_name"),
        "cited_by_count": F("cited_by_count"),
        "works_count": F("works_in_db"),
    },
)
