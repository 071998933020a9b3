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
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from bzpeer.compiled import CompiledRow
from profiles.models import Claim, Follow
from profiles.selectors.claims import Verification, author_verification_get, claim_live_subquery
from profiles.selectors.owner import owner_profile_subquery
from works.models import (
    RESERVED_AUTHOR_IDS,
    Author,
    Authorship,
    CoAuthorship,
    Institution,
    MergedId,
    Topic,
    Work,
)
from works.selectors import WorkSlice, corpus_version_subquery, openalex_url, work_slice_get

CLOSE_COLLABORATOR_MIN_SHARED = 2
COAUTHORS_SHOWN = 12
TOPICS_SHOWN = 20
INSTITUTIONS_SHOWN = 20
# The full co-author and topic lists, a "Show more" step at a time.
FULL_LIST_PAGE_SIZE = 100


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _count_subquery(queryset: QuerySet, column: str) -> Coalesce:
    # A correlated COUNT in the author's own row: several counts in one query, and no join
    # fan-out between them (joining follows and works together would multiply the rows).
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(n=Count(column))
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
        owner_hidden_at=owner_profile_subquery("hidden_at"),
        followers_count=_count_subquery(Follow.objects.filter(author=here), "id"),
        coauthors_count=_coauthors_count(),
        close_collaborators_count=_count_subquery(
            _public_coauthorships().filter(
                author=here, shared_works_count__gte=CLOSE_COLLABORATOR_MIN_SHARED
            ),
            "id",
        ),
    )


def _public_coauthorships() -> QuerySet[CoAuthorship]:
    # CoAuthorship.objects.public() by id: the placeholders' ids in a hashed subplan, not a
    # join to every co-author's row before counting or sorting (thousands for a prolific
    # author).
    placeholders = Author.objects.filter(openalex_id__in=RESERVED_AUTHOR_IDS).values("id")
    return CoAuthorship.objects.exclude(coauthor_id__in=placeholders)


def _coauthors_count() -> Coalesce:
    return _count_subquery(_public_coauthorships().filter(author=OuterRef("pk")), "id")


def _page_stamp_row(openalex_id: object) -> QuerySet:
    here = OuterRef("pk")
    return (
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
    )


# Asked on every request for a researcher page, cached or not.
_PAGE_STAMP = CompiledRow(_page_stamp_row)


def researcher_page_stamp(*, openalex_id: str) -> str | None:
    """Everything a cached researcher page depends on besides its id, as one string, in one
    query: the author row, the corpus version (any import), the follower count, when a claim
    of the record last changed and when its owner last edited their profile. (The trust score
    is not in the page: it loads as its own fragment.) None for unknown and reserved ids."""
    row = _PAGE_STAMP.get(openalex_id)
    if row is None:
        return None
    # Times as the driver gives them (datetimes, or text on SQLite): only equality matters.
    author_pk, version, followers, claims_at, profile_at = row
    return f"{author_pk}:{version or 0}:{followers}:{claims_at}:{profile_at}"


def author_get_for_page(*, openalex_id: str) -> Author | None:
    """The author with works/followers/co-author/close-collaborator counts and last known
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


def author_get_brief(*, openalex_id: str, coauthors_count: bool = False) -> Author | None:
    """Just enough of a public author for a fragment of their page (one query)."""
    queryset = (
        Author.objects.public()
        .filter(openalex_id=openalex_id)
        .only("id", "openalex_id", "display_name", "works_in_db")
        # The claim state rides along, so author_verification_get needs no query of its own.
        .annotate(
            claim_status=claim_live_subquery("status"),
            claim_level=claim_live_subquery("level"),
            owner_hidden_at=owner_profile_subquery("hidden_at"),
        )
    )
    if coauthors_count:
        queryset = queryset.annotate(coauthors_count=_coauthors_count())
    return queryset.first()


def author_brief_get_or_404(*, openalex_id: str, coauthors_count: bool = False) -> Author:
    """author_get_brief for a view (with coauthors_count if asked, in the same query): Http404
    for unknown and reserved ids."""
    author = author_get_brief(openalex_id=openalex_id, coauthors_count=coauthors_count)
    if author is None:
        raise Http404("No researcher with this id in our index.")
    return author


def _topics_of(author_id: int) -> QuerySet[Topic]:
    # IN (their works), not a join through authorships: a work that gives them two places of
    # its byline is one row, so works_n needs no DISTINCT. topics_total, a window over the
    # groups, is how many topics in all, in the same query as the first ones.
    their_works = Authorship.objects.filter(author_id=author_id).values("work_id")
    return (
        Topic.objects.filter(work_topics__work_id__in=their_works)
        .annotate(works_n=Count("work_topics"), topics_total=Window(Count("id")))
        .order_by("-works_n", "display_name", "id")
    )


def author_topic_list(*, author_id: int, limit: int = TOPICS_SHOWN) -> list[Topic]:
    """Topics over the author's works, each with works_n (how many of their works carry it)
    and topics_total (how many topics their works carry in all)."""
    return list(_topics_of(author_id)[:limit])


_CLOSEST_FIRST = ("-shared_works_count", F("last_year").desc(nulls_last=True), "coauthor_id")


def _coauthors_of(author_id: int, start: int, stop: int) -> QuerySet[CoAuthorship]:
    # The step is chosen on the (author, -shared_works_count, -last_year) index alone, then
    # only its rows are joined to their co-authors: joined first, every co-author's row
    # would be read before the sort (thousands when many share as many works).
    step = _public_coauthorships().filter(author_id=author_id).order_by(*_CLOSEST_FIRST)
    return (
        CoAuthorship.objects.filter(pk__in=step.values("pk")[start:stop])
        .select_related("coauthor")
        .order_by(*_CLOSEST_FIRST)
    )


def author_coauthor_list(*, author_id: int, limit: int = COAUTHORS_SHOWN) -> list[CoAuthorship]:
    return list(_coauthors_of(author_id, 0, limit))


@dataclass(frozen=True)
class ListSlice:
    """One "Show more" step of a full list: one extra row tells if more follow."""

    rows: list
    number: int
    has_next: bool
    size: int = FULL_LIST_PAGE_SIZE
    total: int | None = None  # how many in all, where the query tells

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1


def _list_slice(rows: list, number: int, total: int | None = None) -> ListSlice:
    # rows: the step plus one more row, if there is one.
    size = FULL_LIST_PAGE_SIZE
    return ListSlice(rows=rows[:size], number=number, has_next=len(rows) > size, total=total)


def _step_bounds(number: int) -> tuple[int, int]:
    start = (number - 1) * FULL_LIST_PAGE_SIZE
    return start, start + FULL_LIST_PAGE_SIZE + 1


def author_coauthor_slice(*, author_id: int, number: int) -> ListSlice:
    """All their co-authors, most shared works first, a step at a time: one query."""
    return _list_slice(list(_coauthors_of(author_id, *_step_bounds(number))), number)


def author_topic_slice(*, author_id: int, number: int) -> ListSlice:
    """All the topics of their works, most works first, a step at a time: one query. Its
    total is unknown (None) past the last step."""
    start, stop = _step_bounds(number)
    rows = list(_topics_of(author_id)[start:stop])
    return _list_slice(rows, number, total=rows[0].topics_total if rows else None)


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
    then the author lists of just those works, their own places always among them)."""
    return work_slice_get(queryset=_works_of(author_id), number=number, author_id=author_id)


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
    topics_count: int
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
        topics_count=topics[0].topics_total if topics else 0,
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
