"""Reads for finding researchers: search by name, topic or institution, browse, and the home
page's starting points, each row with its top topics."""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Length, RowNumber

from bzpeer.compiled import FREE_KEY, CompiledRow
from profiles.models import OwnerProfile
from profiles.selectors.visibility import exclude_hidden
from works.models import Author, Authorship, CorpusVersion, Institution, Topic, WorkTopic
from works.names import SEARCH_NAME_SEPARATOR, Folded, name_fold, query_words

ROW_TOPICS_SHOWN = 3
FEATURED_SHOWN = 8
# A word of a topic or institution name can match hundreds of them ("university", "cell"):
# researchers are looked up through the first ones only, shortest names (the closest
# matches) first, so the query reads a bounded slice of works whatever the word.
MATCHED_TOPICS_MAX = 10
MATCHED_INSTITUTIONS_MAX = 10
QUERY_CHARS_MAX = 200

# How a result matched, best first; results are ordered by this, then by works.
RANK_WHOLE_NAME = 0  # the query is one of their names
RANK_ALL_WORDS = 1  # every word of the query is a word of their name, in any order
RANK_WORD_STARTS = 2  # every word starts a word of their name ("wortsm", "M Wortsman")
RANK_IN_NAME = 3  # every word is somewhere in their name ("smith" in "Blacksmith")
RANK_TOPIC = 4  # works on a topic whose name has every word
RANK_INSTITUTION = 5  # last known institution's name has every word

# What can stand before or after a word in a folded name. A class of plain characters, not
# \W: pg_trgm reads trigrams out of it, so a regex on word starts is served by the index.
_BOUNDARY = "[ ,.'()-]"

# Only what a result row shows (union branches must select the same columns).
_ROW_FIELDS = ("openalex_id", "display_name", "works_in_db")


@dataclass(frozen=True)
class TopicCount:
    topic_id: int
    openalex_id: str
    display_name: str
    works_n: int


@dataclass
class AuthorSearch:
    query: str
    page: Page
    topics: list[Topic] = field(default_factory=list)  # matching the words, at most 10
    institutions: list[Institution] = field(default_factory=list)  # likewise
    only_initials: bool = False  # nothing to look for but single letters


def topics_by_author(
    *,
    author_ids: list[int],
    per_author: int = ROW_TOPICS_SHOWN,
    first_topic_ids: Collection[int] = (),
) -> dict[int, list[TopicCount]]:
    """Each author's most frequent topics, for a page of result rows, those among
    first_topic_ids (what a search matched) first: one query, the per-author cut done by a
    window function in the database."""
    if not author_ids:
        return {}
    topic = "work__work_topics__topic"
    matched_first = Case(
        When(**{f"{topic}_id__in": list(first_topic_ids)}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        Authorship.objects.filter(author_id__in=author_ids, work__work_topics__isnull=False)
        .values("author_id", f"{topic}_id", f"{topic}__openalex_id", f"{topic}__display_name")
        .annotate(n=Count("work_id", distinct=True))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("author_id"),
                order_by=[matched_first.asc(), F("n").desc(), F(f"{topic}__display_name").asc()],
            )
        )
        .filter(rank__lte=per_author)
        .order_by("author_id", "rank")
    )
    result: dict[int, list[TopicCount]] = {}
    for row in rows:
        result.setdefault(row["author_id"], []).append(
            TopicCount(
                topic_id=row[f"{topic}_id"],
                openalex_id=row[f"{topic}__openalex_id"],
                display_name=row[f"{topic}__display_name"],
                works_n=row["n"],
            )
        )
    return result


def _attach_row_topics(
    authors: list[Author], first_topic_ids: Collection[int] = ()
) -> list[Author]:
    # Rows carry their top topics as an attribute so the row template is one plain loop.
    topics = topics_by_author(author_ids=[a.id for a in authors], first_topic_ids=first_topic_ids)
    for author in authors:
        author.top_topics = topics.get(author.id, [])
    return authors


def _word_start(word: str) -> str:
    # Words are runs of letters and digits (query_words): nothing in them is a regex operator.
    return f"(^|{_BOUNDARY}){word}"


def _whole_word(word: str) -> str:
    return f"(^|{_BOUNDARY}){word}($|{_BOUNDARY})"


def _whole_name_q(needle: str) -> Q:
    # search_name is "name | alternative | ...": the query equals one of the names.
    sep = SEARCH_NAME_SEPARATOR
    return (
        Q(search_name=needle)
        | Q(search_name__startswith=f"{needle}{sep}")
        | Q(search_name__endswith=f"{sep}{needle}")
        | Q(search_name__contains=f"{sep}{needle}{sep}")
    )


def _name_q(words: list[str]) -> Q:
    # Every word in the name, in any order: a word of three letters or more anywhere (LIKE,
    # served by the trigram index), a shorter one ("M", "Jo") at the start of a word (a regex
    # the same index serves: its trigrams are " jo", "  j"). Without a longer word to narrow
    # it, a two-letter word must be a whole word: "Li" finds Li, not every Lin, Liu and Lisa
    # (a tenth of everyone).
    two_letters = _word_start if any(len(word) >= 3 for word in words) else _whole_word
    q = Q()
    for word in words:
        if len(word) >= 3:
            q &= Q(search_name__contains=word)
        else:
            q &= Q(search_name__regex=(two_letters if len(word) == 2 else _word_start)(word))
    return q


def _all_q(words: list[str], pattern: Callable[[str], str]) -> Q:
    q = Q()
    for word in words:
        q &= Q(search_name__regex=pattern(word))
    return q


def _name_rank(needle: str, words: list[str]) -> Case:
    return Case(
        When(_whole_name_q(needle), then=Value(RANK_WHOLE_NAME)),
        When(_all_q(words, _whole_word), then=Value(RANK_ALL_WORDS)),
        When(_all_q(words, _word_start), then=Value(RANK_WORD_STARTS)),
        default=Value(RANK_IN_NAME),
        output_field=IntegerField(),
    )


def _named_like(model: type[Topic] | type[Institution], words: list[str]) -> QuerySet:
    """Topics or institutions with every word at the start of a word of their name, ignoring
    case and accents: on PostgreSQL through the trigram index on bzpeer_fold(display_name)
    (migration 0012), which folds the pattern the same way; SQLite scans the small table."""
    rows = model.objects.all()
    for word in words:
        if connection.vendor == "postgresql":
            rows = rows.alias(folded=Folded("display_name")).filter(
                folded__regex=Folded(Value(_word_start(word)))
            )
        else:
            rows = rows.filter(display_name__iregex=_word_start(word))
    return rows.order_by(Length("display_name"), "display_name", "id")


def _search_results(
    needle: str, words: list[str], topic_ids: list[int], institution_ids: list[int]
) -> QuerySet:
    """One UNION: the name matches ranked 0-3, then the authors of works on the matched
    topics, then the authors last known at the matched institutions, each found by its own
    index and never one branch twice; in each group, most works (on the topics, in our
    index) first."""
    name_q = _name_q(words)
    # order_by(): the model's default ordering would sort each branch before the UNION.
    # Pages hidden at their owner's request are not found (visibility.exclude_hidden).
    authors = exclude_hidden(Author.objects.public()).only(*_ROW_FIELDS).order_by()
    by_name = authors.filter(name_q).annotate(
        match_rank=_name_rank(needle, words), topic_works=Value(0)
    )
    branches = []
    # worktopic_topic_work_idx, then authorship_unique_order (work first), then the author's
    # primary key: the works of at most MATCHED_TOPICS_MAX topics, never an author's works.
    topic_works = WorkTopic.objects.filter(topic_id__in=topic_ids).values("work_id")
    if topic_ids:
        branches.append(
            authors.filter(authorships__work__in=topic_works)
            .exclude(name_q)
            .annotate(
                match_rank=Value(RANK_TOPIC),
                topic_works=Count("authorships__work", distinct=True),
            )
        )
    if institution_ids:
        by_institution = (
            authors.filter(last_known_institutions__in=institution_ids)
            .exclude(name_q)
            .annotate(match_rank=Value(RANK_INSTITUTION), topic_works=Value(0))
        )
        if topic_ids:
            # NOT EXISTS, an anti-join: NOT IN would run its subquery once per row when the
            # planner fears its result will not fit in memory.
            on_topics = Authorship.objects.filter(author=OuterRef("pk"), work__in=topic_works)
            by_institution = by_institution.filter(~Exists(on_topics))
        branches.append(by_institution)
    # UNION (not ALL) also drops the repeat of an author at two matched institutions.
    results = by_name.union(*branches) if branches else by_name
    return results.order_by("match_rank", "-topic_works", "-works_in_db", "display_name", "id")


def _explain_matches(
    authors: list[Author], topic_ids: Collection[int], institution_ids: Collection[int]
) -> None:
    # Why a row is there when it is not by name, from what the row has loaded already.
    for author in authors:
        rank = getattr(author, "match_rank", None)
        author.match_topic = None
        author.match_institutions = []
        if rank == RANK_TOPIC:
            author.match_topic = next(
                (t for t in author.top_topics if t.topic_id in topic_ids), None
            )
        elif rank == RANK_INSTITUTION:
            author.match_institutions = [
                i for i in author.last_known_institutions.all() if i.id in institution_ids
            ]


def author_search_page(*, query: str, number: str | None) -> AuthorSearch:
    """Researchers by name (any word order, ignoring case and accents, a part of a word or
    an initial will do), then by a word of their works' topics or of their last known
    institution; an empty query browses everyone, most works first.
    Browsing is four queries: count, page, affiliations, top topics. A search adds two
    first: the matching topics and the matching institutions."""
    query = query[:QUERY_CHARS_MAX]
    words = query_words(query)
    if not words:
        authors = exclude_hidden(Author.objects.public()).order_by(
            "-works_in_db", "display_name", "id"
        )
        page = Paginator(authors, settings.SEARCH_PAGE_SIZE).get_page(number)
        authors = list(page.object_list)
        prefetch_related_objects(authors, "last_known_institutions")
        page.object_list = _attach_row_topics(authors)
        return AuthorSearch(query=query, page=page)
    # Single letters are initials: alone they would match a tenth of everyone.
    if all(len(word) < 2 for word in words):
        page = Paginator(Author.objects.none(), settings.SEARCH_PAGE_SIZE).get_page(1)
        return AuthorSearch(query=query, page=page, only_initials=True)
    # Initials say nothing about a topic or an institution.
    label_words = [word for word in words if len(word) >= 2]
    topics = list(_named_like(Topic, label_words)[:MATCHED_TOPICS_MAX])
    institutions = list(_named_like(Institution, label_words)[:MATCHED_INSTITUTIONS_MAX])
    topic_ids = [t.id for t in topics]
    institution_ids = [i.id for i in institutions]
    results = _search_results(name_fold(query), words, topic_ids, institution_ids)
    page = Paginator(results, settings.SEARCH_PAGE_SIZE).get_page(number)
    authors = list(page.object_list)
    prefetch_related_objects(authors, "last_known_institutions")
    _attach_row_topics(authors, first_topic_ids=topic_ids)
    _explain_matches(authors, set(topic_ids), set(institution_ids))
    page.object_list = authors
    return AuthorSearch(query=query, page=page, topics=topics, institutions=institutions)


def author_list_featured(*, limit: int = FEATURED_SHOWN) -> list[Author]:
    """Starting points for the home page: the researchers with the most works in our index.
    Three queries (authors, affiliations, topics)."""
    authors = list(
        exclude_hidden(Author.objects.public())
        .filter(works_in_db__gt=0)
        .prefetch_related("last_known_institutions")
        .order_by("-works_in_db", "display_name")[:limit]
    )
    return _attach_row_topics(authors)


def _search_stamp_row(pk: object) -> QuerySet:
    # Every hide and show of a page touches its owner profile's updated_at.
    owners_at = OwnerProfile.objects.order_by("-updated_at").values("updated_at")[:1]
    return (
        CorpusVersion.objects.filter(pk=pk)
        .annotate(owners_at=Subquery(owners_at))
        .values_list("version", "owners_at")
    )


_SEARCH_STAMP = CompiledRow(_search_stamp_row, free=FREE_KEY)


def search_stamp() -> str:
    """What search results and the home page's researchers depend on, for their cached
    copies (works.pagecache): the corpus, and which pages their owners hid. One query."""
    row = _SEARCH_STAMP.get(1)
    if row is None:  # nothing imported yet
        row = (0, OwnerProfile.objects.aggregate(at=Max("updated_at"))["at"])
    return f"corpus {row[0]}, owners {row[1]}"
