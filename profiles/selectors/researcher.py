"""Reads for the researcher page: the author with its counts, their topics, co-authors,
institutions and works, and the stamp the cached page depends on. Every function returns rows
or instances the templates walk without issuing further queries."""

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from profiles.models import Claim, Follow
from profiles.selectors.claims import Verification, author_verification_get, claim_live_subquery
from profiles.selectors.owner import owner_profile_subquery
from works.models import (
    Author,
    Authorship,
    CoAuthorship,
    Institution,
    MergedId,
    Topic,
    Work,
    WorkTopic,
)
from works.selectors import WorkSlice, corpus_version_subquery, openalex_url, work_slice_get

CLOSE_COLLABORATOR_MIN_SHARED = 2
COAUTHORS_SHOWN = 12
TOPICS_SHOWN = 20
INSTITUTIONS_SHOWN = 20


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _count_subquery(queryset: QuerySet, column: str, *, distinct: bool = False) -> Coalesce:
    # A correlated COUNT in the author's own row: several counts in one query, and no join
    # fan-out between them (joining follows and works together would multiply the rows).
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count(column, distinct=distinct))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _author_with_counts() -> QuerySet[Author]:
    here = OuterRef("pk")
    return Author.objects.public().annotate(
        claim_status=claim_live_subquery("status"),
        claim_level=claim_live_subquery("level"),
        owner_summary=owner_profile_subquery("summary"),
        owner_open=owner_profile_subquery("open_to_collaborate"),
        owner_institution_id=owner_profile_subquery("shown_institution_id"),
        followers_count=_count_subquery(Follow.objects.filter(author=here), "id"),
        topics_count=_count_subquery(
            WorkTopic.objects.filter(work__authorships__author=here), "topic", distinct=True
        ),
        close_collaborators_count=_count_subquery(
            CoAuthorship.objects.filter(
                author=here, shared_works_count__gte=CLOSE_COLLABORATOR_MIN_SHARED
            ).public(),
            "id",
        ),
    )


def researcher_page_stamp(*, openalex_id: str) -> str | None:
    """Everything a cached researcher page depends on besides its id, as one string, in one
    query: the author row, the corpus version (any import), the follower count, when a claim
    of the record last changed and when its owner last edited their profile. (The trust score
    is not in the page: it loads as its own fragment.) None for unknown and reserved ids."""
    here = OuterRef("pk")
    row = (
        Author.objects.public()
        .filter(openalex_id=openalex_id)
        .annotate(
            followers_n=_count_subquery(Follow.objects.filter(author=here), "id"),
            corpus_version=corpus_version_subquery(),
            # Every claim change touches updated_at: requests, proofs, decisions, releases.
            claims_at=Subquery(
                Claim.objects.filter(author=here).order_by("-updated_at").values("updated_at")[:1]
            ),
            profile_at=owner_profile_subquery("updated_at"),
        )
        .values_list("id", "corpus_version", "followers_n", "claims_at", "profile_at")
        .first()
    )
    if row is None:
        return None
    author_pk, version, followers, claims_at, profile_at = row
    claims = claims_at.timestamp() if claims_at else "none"
    profile = profile_at.timestamp() if profile_at else "none"
    return f"{author_pk}:{version or 0}:{followers}:{claims}:{profile}"


def author_get_for_page(*, openalex_id: str) -> Author | None:
    """The author with works/followers/topics/close-collaborator counts and last known
    institutions: two queries. None for unknown and reserved ids."""
    return (
        _author_with_counts()
        .prefetch_related("last_known_institutions")
        .filter(openalex_id=openalex_id)
        .first()
    )


def author_get_by_orcid(*, orcid: str) -> Author | None:
    # OpenAlex sometimes splits one person over records sharing an ORCID: take the fullest.
    return (
        Author.objects.public()
        .filter(orcid=orcid)
        .order_by("-works_count", "openalex_id")
        .only("openalex_id")
        .first()
    )


def author_get_brief(*, openalex_id: str) -> Author | None:
    """Just enough of a public author for a fragment of their page (one query)."""
    return (
        Author.objects.public()
        .filter(openalex_id=openalex_id)
        .only("id", "openalex_id", "display_name")
        # The claim state rides along, so author_verification_get needs no query of its own.
        .annotate(
            claim_status=claim_live_subquery("status"), claim_level=claim_live_subquery("level")
        )
        .first()
    )


def author_brief_get_or_404(*, openalex_id: str) -> Author:
    """author_get_brief for a view: Http404 for unknown and reserved ids."""
    author = author_get_brief(openalex_id=openalex_id)
    if author is None:
        raise Http404("No researcher with this id in our index.")
    return author


def author_topic_list(*, author_id: int, limit: int = TOPICS_SHOWN) -> list[Topic]:
    """Topics over the author's works, each with works_n (how many of their works carry it)."""
    return list(
        Topic.objects.filter(work_topics__work__authorships__author_id=author_id)
        .annotate(works_n=Count("work_topics__work", distinct=True))
        .order_by("-works_n", "display_name")[:limit]
    )


def author_coauthor_list(*, author_id: int, limit: int = COAUTHORS_SHOWN) -> list[CoAuthorship]:
    # The (author, -shared_works_count, -last_year) index serves this as one range scan.
    return list(
        CoAuthorship.objects.filter(author_id=author_id)
        .public()
        .select_related("coauthor")
        .order_by("-shared_works_count", F("last_year").desc(nulls_last=True), "coauthor_id")[
            :limit
        ]
    )


@dataclass(frozen=True)
class InstitutionRow:
    institution: Institution
    is_last_known: bool
    works_n: int


def author_institution_list(
    *, author: Author, limit: int = INSTITUTIONS_SHOWN
) -> list[InstitutionRow]:
    """Last known institutions first (already prefetched on author), then the institutions
    named on their authorships by how many works: one query."""
    on_works = {
        inst.id: inst
        for inst in Institution.objects.filter(authorships__author_id=author.id)
        .annotate(works_n=Count("authorships__work", distinct=True))
        .order_by("-works_n", "display_name")[:limit]
    }
    rows = [
        InstitutionRow(
            institution=inst,
            is_last_known=True,
            works_n=on_works.pop(inst.id).works_n if inst.id in on_works else 0,
        )
        for inst in author.last_known_institutions.all()
    ]
    rows += [
        InstitutionRow(institution=inst, is_last_known=False, works_n=inst.works_n)
        for inst in on_works.values()
    ]
    return rows


def author_summary_line(*, author: Author, topics: list[Topic]) -> str:
    """A factual one-liner: their most frequent topics; failing that, their works and venues
    (one more query, only for authors without topics)."""
    if topics:
        return f"Works on {_join_names([t.display_name for t in topics[:3]])}"
    if not author.works_in_db:
        return "No works by this researcher are in BZPEER's index yet."
    by_venue = list(
        _works_of(author.id)
        .values("primary_source__display_name")
        .annotate(n=Count("id"), first=Min("publication_year"), last=Max("publication_year"))
        .order_by("-n", "primary_source__display_name")
    )
    works = "1 work" if author.works_in_db == 1 else f"{author.works_in_db} works"
    line = f"Author of {works} in BZPEER's index"
    years = [y for row in by_venue for y in (row["first"], row["last"]) if y]
    if years:
        first, last = min(years), max(years)
        line += f", {first}" if first == last else f", {first}–{last}"
    venues = [row["primary_source__display_name"] for row in by_venue]
    venues = [v for v in venues if v][:2]
    if venues:
        line += f"; published in {_join_names(venues)}"
    return line + "."


def author_work_slice(*, author_id: int, number: int) -> WorkSlice:
    """Their works newest first, WORKS_PAGE_SIZE at a time: two queries (works with venue,
    then the author lists of just those works)."""
    return work_slice_get(queryset=_works_of(author_id), number=number)


def _works_of(author_id: int) -> QuerySet[Work]:
    # EXISTS, not a join on authorships: a work that gives them two places of its byline
    # is one row.
    return Work.objects.filter(
        Exists(Authorship.objects.filter(work=OuterRef("pk"), author_id=author_id))
    )


@dataclass
class ResearcherPage:
    author: Author
    verification: Verification
    summary: str
    topics: list[Topic]
    coauthors: list[CoAuthorship]
    institutions: list[InstitutionRow]
    works: WorkSlice
    openalex_url: str
    affiliations: list[Institution] = field(default_factory=list)  # shown in the header
    close_collaborator_min: int = field(default=CLOSE_COLLABORATOR_MIN_SHARED)


def researcher_page_get(*, openalex_id: str, works_number: int = 1) -> ResearcherPage | None:
    """Everything on a researcher page except the per-visitor bits and the trust score:
    seven queries whatever the size of the record (eight for an author without topics)."""
    author = author_get_for_page(openalex_id=openalex_id)
    if author is None:
        return None
    topics = author_topic_list(author_id=author.id)
    verification = author_verification_get(author=author)
    institutions = author_institution_list(author=author)
    # The owner's summary and chosen affiliation count while their claim is proven.
    owned = verification.is_claimed
    affiliations = list(author.last_known_institutions.all())
    chosen = [
        r.institution for r in institutions if r.institution.id == author.owner_institution_id
    ]
    if owned and chosen:
        affiliations = chosen
    return ResearcherPage(
        author=author,
        verification=verification,
        summary=(owned and author.owner_summary)
        or author_summary_line(author=author, topics=topics),
        topics=topics,
        coauthors=author_coauthor_list(author_id=author.id),
        institutions=institutions,
        works=author_work_slice(author_id=author.id, number=works_number),
        openalex_url=openalex_url(author.openalex_id),
        affiliations=affiliations,
    )


def author_merged_into(*, openalex_id: str) -> str | None:
    """The id a merged-away author record leads to now, if any (one query)."""
    return (
        MergedId.objects.filter(entity="authors", old_id=openalex_id)
        .values_list("new_id", flat=True)
        .first()
    )
