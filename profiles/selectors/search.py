"""Reads for finding researchers: search by name, browse, and the home page's starting
points, each row with its top topics."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from works.models import Author, Authorship
from works.names import SEARCH_NAME_SEPARATOR, name_fold

ROW_TOPICS_SHOWN = 3
FEATURED_SHOWN = 8


@dataclass(frozen=True)
class TopicCount:
    openalex_id: str
    display_name: str
    works_n: int


def topics_by_author(
    *, author_ids: list[int], per_author: int = ROW_TOPICS_SHOWN
) -> dict[int, list[TopicCount]]:
    """Each author's most frequent topics, for a page of result rows: one query, the
    per-author cut done by a window function in the database."""
    if not author_ids:
        return {}
    rows = (
        Authorship.objects.filter(author_id__in=author_ids, work__work_topics__isnull=False)
        .values(
            "author_id",
            "work__work_topics__topic__openalex_id",
            "work__work_topics__topic__display_name",
        )
        .annotate(n=Count("work_id", distinct=True))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("author_id"),
                order_by=[F("n").desc(), F("work__work_topics__topic__display_name").asc()],
            )
        )
        .filter(rank__lte=per_author)
        .order_by("author_id", "rank")
    )
    result: dict[int, list[TopicCount]] = {}
    for row in rows:
        result.setdefault(row["author_id"], []).append(
            TopicCount(
                openalex_id=row["work__work_topics__topic__openalex_id"],
                display_name=row["work__work_topics__topic__display_name"],
                works_n=row["n"],
            )
        )
    return result


def _attach_row_topics(authors: list[Author]) -> list[Author]:
    # Rows carry their top topics as an attribute so the row template is one plain loop.
    topics = topics_by_author(author_ids=[a.id for a in authors])
    for author in authors:
        author.top_topics = topics.get(author.id, [])
    return authors


def _whole_name_q(needle: str) -> Q:
    # search_name is "name | alternative | ...": the query equals one of the names.
    sep = SEARCH_NAME_SEPARATOR
    return (
        Q(search_name=needle)
        | Q(search_name__startswith=f"{needle}{sep}")
        | Q(search_name__endswith=f"{sep}{needle}")
        | Q(search_name__contains=f"{sep}{needle}{sep}")
    )


def author_search_page(*, query: str, number: str | None) -> tuple[str, Page]:
    """Researchers whose name or alternative names contain the query, case- and accent-
    insensitively (the trigram index on search_name serves the LIKE), exact and prefix
    matches first, then by works in our index. Empty query browses everyone.
    Four queries: count, page, affiliations, top topics."""
    needle = name_fold(query)
    authors = Author.objects.public()
    if needle:
        authors = authors.filter(search_name__contains=needle).annotate(
            match_rank=Case(
                When(_whole_name_q(needle), then=Value(0)),
                When(search_name__startswith=needle, then=Value(1)),
                When(search_name__contains=f" {needle}", then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        ordering = ["match_rank", "-works_in_db", "display_name", "id"]
    else:
        ordering = ["-works_in_db", "display_name", "id"]
    authors = authors.prefetch_related("last_known_institutions").order_by(*ordering)
    page = Paginator(authors, settings.SEARCH_PAGE_SIZE).get_page(number)
    page.object_list = _attach_row_topics(list(page.object_list))
    return needle, page


def author_list_featured(*, limit: int = FEATURED_SHOWN) -> list[Author]:
    """Starting points for the home page: the researchers with the most works in our index.
    Three queries (authors, affiliations, topics)."""
    authors = list(
        Author.objects.public()
        .filter(works_in_db__gt=0)
        .prefetch_related("last_known_institutions")
        .order_by("-works_in_db", "display_name")[:limit]
    )
    return _attach_row_topics(authors)
