"""Reads of the imported corpus: work, topic and institution pages, and the work-list shape
every page that lists works shares (authors in published order, venue joined in)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from bzpeer.compiled import FREE_KEY, CompiledRow
from works.models import (
    RESERVED_AUTHOR_IDS,
    Author,
    Authorship,
    AuthorshipOverride,
    CorpusVersion,
    Institution,
    Topic,
    Work,
    WorkTopic,
)
from works.names import name_fold

# Ids that are not real OpenAlex records (demo data) carry this marker: no openalex.org link.
DEMO_ID_MARKER = "DEMO"


def openalex_url(openalex_id: str) -> str:
    """The public OpenAlex page of a record, or "" for demo records OpenAlex never had."""
    if not openalex_id or DEMO_ID_MARKER in openalex_id.upper():
        return ""
    return f"https://openalex.org/{openalex_id}"


def ror_url(ror: str) -> str:
    """ROR ids arrive as full URLs from OpenAlex; accept a bare id too."""
    if not ror:
        return ""
    return ror if ror.startswith("http") else f"https://ror.org/{ror}"


# A work row on a list shows the first places of its byline (and the researcher's own, wherever
# they are): a consortium paper's thousands of names would otherwise be most of the page.
LIST_BYLINE_SHOWN = 20
# The work page shows this many places until the reader asks for all of them.
WORK_PAGE_BYLINE_SHOWN = 100


def _authorships_in_order(
    *, for_work_page: bool = False, shown: int | None = None, keep_author_id: int | None = None
) -> Prefetch:
    # One query for the author lists of a whole page of works. author_is_public lets the
    # template link every author except OpenAlex's reserved placeholders without a lookup.
    # author_repeats marks the places of a record that holds several places of the byline
    # (a correlated EXISTS on the (author, work) index, in the same query); a list shows
    # what was printed at those (printed_at_repeat) rather than the record's name twice.
    fields = [
        "work_id",
        "order",
        "position",
        "raw_author_name",
        "is_corresponding",
        "author__id",
        "author__openalex_id",
        "author__display_name",
    ]
    if for_work_page:
        # One work: its authors' other names are worth decoding (_printed_name_if_other).
        fields.append("author__display_name_alternatives")
    queryset = (
        Authorship.objects.select_related("author")
        # Only what a work row shows: author JSON fields would be decoded for every row.
        .only(*fields)
        .annotate(
            author_is_public=Case(
                When(author__openalex_id__in=RESERVED_AUTHOR_IDS, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            author_repeats=Exists(
                Authorship.objects.filter(
                    author=OuterRef("author_id"), work=OuterRef("work_id")
                ).exclude(order=OuterRef("order"))
            ),
        )
        .annotate(
            printed_at_repeat=Case(
                When(Q(author_repeats=True) & ~Q(raw_author_name=""), then="raw_author_name"),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .order_by("order")
    )
    if shown is not None:
        # A range of the (work, order) unique index; the kept author's places come from the
        # (author, work) index. past_shown marks those, so the row can show the gap.
        kept = Q(order__lt=shown)
        if keep_author_id is not None:
            kept |= Q(author_id=keep_author_id)
        queryset = queryset.filter(kept).annotate(
            past_shown=Case(
                When(order__gte=shown, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    if for_work_page:
        queryset = queryset.prefetch_related("institutions")
    return Prefetch("authorships", queryset=queryset)


def _byline_count(places: QuerySet[Authorship]) -> Coalesce:
    # A correlated COUNT in the work's own row (places filtered on work=OuterRef("pk")).
    counted = places.order_by().values("work").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def work_list_shape(queryset: QuerySet[Work], *, author_id: int | None = None) -> QuerySet[Work]:
    """The shape of a work row on any list: venue joined, the first LIST_BYLINE_SHOWN places
    of each byline (and author_id's, on their own page) prefetched in order, and
    authors_hidden, how many places are not shown; newest first. Two queries per page
    however many works or authors."""
    hidden = Authorship.objects.filter(work=OuterRef("pk"), order__gte=LIST_BYLINE_SHOWN)
    if author_id is not None:
        hidden = hidden.exclude(author_id=author_id)
    return (
        queryset.select_related("primary_source")
        .prefetch_related(_authorships_in_order(shown=LIST_BYLINE_SHOWN, keep_author_id=author_id))
        .annotate(authors_hidden=_byline_count(hidden))
        .order_by("-publication_year", "-publication_date", "id")
    )


@dataclass(frozen=True)
class WorkSlice:
    """One "Show more" step of a work list: no COUNT query, one extra row tells if more follow."""

    works: list[Work]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * settings.WORKS_PAGE_SIZE + 1


def work_slice_get(
    *, queryset: QuerySet[Work], number: int, author_id: int | None = None
) -> WorkSlice:
    size = settings.WORKS_PAGE_SIZE
    offset = (number - 1) * size
    # Slicing before the prefetch runs keeps the authorship query to this slice only.
    rows = list(work_list_shape(queryset, author_id=author_id)[offset : offset + size + 1])
    return WorkSlice(works=rows[:size], number=number, has_next=len(rows) > size)


# --- the corpus version ----------------------------------------------------------------------


def corpus_version_subquery() -> Subquery:
    """The corpus version (works.services.corpus_version_bump) as a column of another query:
    pages and computed results that depend on the corpus put it in their stamps."""
    return Subquery(CorpusVersion.objects.filter(pk=1).values("version")[:1])


_CORPUS_VERSION = CompiledRow(
    lambda pk: CorpusVersion.objects.filter(pk=pk).values_list("version"), free=FREE_KEY
)


def corpus_version_get() -> int:
    # Read for every cached corpus page: compiled once (bzpeer.compiled).
    row = _CORPUS_VERSION.get(1)
    return row[0] if row else 0


# --- work page ---------------------------------------------------------------------------


def _printed_name_if_other(authorship: Authorship) -> str:
    """What was printed at this place of the byline, when the reader cannot tell it is the
    record OpenAlex attributes it to, else "": when the record holds several places of this
    byline (its disambiguation folded printed names into it), a printed name other than the
    record's name; otherwise one that is none of the names OpenAlex knows for the record
    (its display name and alternatives). Case, accents, dots and hyphens aside, so "J. W.
    Mearman" and "J.W. Mearman" are one name."""
    printed = authorship.raw_author_name
    author = authorship.author
    known = [author.display_name]
    if not authorship.author_repeats:
        known += author.display_name_alternatives or []
    if not printed or _name_key(printed) in {_name_key(name) for name in known}:
        return ""
    return printed


def _name_key(name: str) -> str:
    return " ".join(name_fold(name).replace(".", " ").replace("-", " ").split())


def work_get_for_page(*, openalex_id: str, all_authors: bool = False) -> Work | None:
    """A work with its venue, authors in order (each with their institutions on this work
    and `printed_name`, see _printed_name_if_other) and topics by score: four queries. The
    byline stops after WORK_PAGE_BYLINE_SHOWN places unless all_authors; authors_n counts
    them all and authors_hidden those not shown."""
    shown = None if all_authors else WORK_PAGE_BYLINE_SHOWN
    work = (
        Work.objects.select_related("primary_source")
        .prefetch_related(
            _authorships_in_order(for_work_page=True, shown=shown),
            Prefetch(
                "work_topics",
                queryset=WorkTopic.objects.select_related("topic").order_by(
                    "-is_primary", "-score", "topic__display_name"
                ),
            ),
        )
        .annotate(authors_n=_byline_count(Authorship.objects.filter(work=OuterRef("pk"))))
        .filter(openalex_id=openalex_id)
        .first()
    )
    if work is not None:
        places = work.authorships.all()
        for authorship in places:
            authorship.printed_name = _printed_name_if_other(authorship)
        work.authors_hidden = work.authors_n - len(places)
    return work


def work_get_brief(*, openalex_id: str) -> Work | None:
    """A work's id and title, for an action on it (one query)."""
    return Work.objects.filter(openalex_id=openalex_id).only("id", "openalex_id", "title").first()


def authorship_get(*, authorship_id: int) -> Authorship | None:
    return Authorship.objects.filter(pk=authorship_id).only("id", "author_id").first()


def authorship_override_get(*, author: Author, override_id: int) -> AuthorshipOverride | None:
    """One correction of this record (any state), or None if it is another record's."""
    return AuthorshipOverride.objects.filter(pk=override_id, author=author).first()


# --- topic and institution pages -----------------------------------------------------------


def topic_get(*, openalex_id: str) -> Topic | None:
    return Topic.objects.filter(openalex_id=openalex_id).first()


def institution_get(*, openalex_id: str) -> Institution | None:
    return Institution.objects.filter(openalex_id=openalex_id).first()


def _paginate(queryset: QuerySet, number: str | None) -> Page:
    # get_page() turns a bad or out-of-range ?page= into the nearest real page, never a 500.
    return Paginator(queryset, settings.SEARCH_PAGE_SIZE).get_page(number)


def _researcher_rows(queryset: QuerySet[Author]) -> QuerySet[Author]:
    return queryset.public().prefetch_related("last_known_institutions")


def author_page_for_topic(*, topic: Topic, number: str | None) -> Page:
    """Researchers with works on this topic, the most such works first (count, page and
    their affiliations: three queries)."""
    on_topic = (
        Authorship.objects.filter(author=OuterRef("pk"), work__work_topics__topic=topic)
        .order_by()
        .values("author")
        .annotate(n=Count("work", distinct=True))
        .values("n")
    )
    queryset = _researcher_rows(
        Author.objects.filter(
            Exists(Authorship.objects.filter(author=OuterRef("pk"), work__work_topics__topic=topic))
        ).annotate(works_here=Subquery(on_topic))
    ).order_by("-works_here", "display_name", "id")
    return _paginate(queryset, number)


def work_page_for_topic(*, topic: Topic, number: str | None) -> Page:
    queryset = work_list_shape(
        Work.objects.filter(Exists(WorkTopic.objects.filter(work=OuterRef("pk"), topic=topic)))
    )
    return _paginate(queryset, number)


def author_page_for_institution(*, institution: Institution, number: str | None) -> Page:
    """Researchers who list this institution last, or wrote a work from it; most works from it
    first. Exists() rather than joins, so nobody appears twice, and works counted distinct,
    so a work that names them twice from it counts once."""
    here = Authorship.objects.filter(author=OuterRef("pk"), institutions=institution)
    works_here = (
        here.order_by().values("author").annotate(n=Count("work", distinct=True)).values("n")
    )
    last_known = Author.last_known_institutions.through.objects.filter(
        author=OuterRef("pk"), institution=institution
    )
    queryset = _researcher_rows(
        Author.objects.filter(Exists(here) | Exists(last_known)).annotate(
            works_here=Coalesce(Subquery(works_here), 0)
        )
    ).order_by("-works_here", "display_name", "id")
    return _paginate(queryset, number)


def work_page_for_institution(*, institution: Institution, number: str | None) -> Page:
    queryset = work_list_shape(
        Work.objects.filter(
            Exists(Authorship.objects.filter(work=OuterRef("pk"), institutions=institution))
        )
    )
    return _paginate(queryset, number)


# --- for the importer ----------------------------------------------------------------------


def excluded_pairs_among(*, work_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(work id, author id) pairs an owner has taken off their record, for the importer."""
    return set(
        AuthorshipOverride.objects.in_force()
        .exclusions()
        .filter(work_id__in=list(work_ids))
        .values_list("work_id", "author_id")
    )


@dataclass(frozen=True)
class Inclusion:
    """An owner's "This is mine" as the importer applies it: the place of the work's byline
    OpenAlex gives to from_author, printed raw_author_name at `order` when the owner chose it,
    goes to author_id."""

    author_id: int
    from_author_id: int
    order: int | None
    raw_author_name: str


def included_authors_among(*, work_ids: Iterable[int]) -> dict[int, list[Inclusion]]:
    """{work id: [Inclusion, ...]} for the importer: places an owner said are theirs."""
    included: dict[int, list[Inclusion]] = {}
    rows = (
        AuthorshipOverride.objects.in_force()
        .inclusions()
        .filter(work_id__in=list(work_ids))
        .order_by("created_at", "id")
        .values_list("work_id", "author_id", "from_author_id", "snapshot")
    )
    for work_id, author_id, from_id, snapshot in rows:
        included.setdefault(work_id, []).append(
            Inclusion(
                author_id=author_id,
                from_author_id=from_id,
                order=snapshot.get("order"),
                raw_author_name=snapshot.get("raw_author_name", ""),
            )
        )
    return included
