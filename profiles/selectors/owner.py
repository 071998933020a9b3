"""Reads for what the owner of a record controls: their profile, their corrections of which
works are theirs, works they may add (and their requests for works on records others claim),
and duplicate records they may merge (and the history of merges)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from profiles.models import Claim, OwnerProfile, RecordMerge, WorkTransfer
from works.importer.normalize import normalize_doi
from works.models import (
    RESERVED_AUTHOR_IDS,
    Author,
    Authorship,
    AuthorshipOverride,
    CoAuthorship,
    Work,
)
from works.names import name_fold


def owner_profile_subquery(column: str) -> Subquery:
    """A column of the record's owner profile, for an author query's annotations."""
    return Subquery(OwnerProfile.objects.filter(author=OuterRef("pk")).values(column)[:1])


def owner_profile_get(*, author: Author) -> OwnerProfile | None:
    return OwnerProfile.objects.filter(author=author).first()


def authorship_added_work_ids(*, author: Author) -> set[int]:
    """Works on the record because its owner added them ("This is mine"): one query."""
    return set(
        AuthorshipOverride.objects.in_force()
        .inclusions()
        .filter(author=author)
        .values_list("work_id", flat=True)
    )


def authorship_exclusion_list(*, author: Author) -> list[AuthorshipOverride]:
    """The owner's corrections in force on this record ("Not me", "This is mine"), with the
    works' titles."""
    return list(
        AuthorshipOverride.objects.in_force()
        .filter(author=author)
        .select_related("work")
        .only("id", "kind", "reason", "created_at", "work_id", "work__openalex_id", "work__title")
    )


WORK_CANDIDATES_SHOWN = 20


def work_candidates_for_author(*, author: Author, query: str) -> list[Work]:
    """Works in our index an owner may say are theirs: by DOI (exactly) or by title (a part
    of it), not already on their record, each with its author list, every authorship marked
    `holder_claimed` when someone holds a live claim of its record (then that claimant
    decides): two queries."""
    doi = normalize_doi(query)
    if doi.startswith("10."):
        works = Work.objects.filter(doi=doi)
    elif len(query.strip()) >= 4:
        works = Work.objects.filter(title__icontains=query.strip())
    else:
        return []
    return list(
        works.exclude(authorships__author=author)
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author")
                .only(
                    "id", "work_id", "order", "raw_author_name",
                    "author__openalex_id", "author__display_name",
                )
                .annotate(
                    holder_claimed=Exists(Claim.objects.live().filter(author=OuterRef("author")))
                ),
            )
        )
        .order_by(F("publication_year").desc(nulls_last=True), "id")[:WORK_CANDIDATES_SHOWN]
    )  # fmt: skip


def authorship_get_for_confirm(*, authorship_id: int) -> Authorship | None:
    """One authorship with its work and record, marked `holder_claimed` like the candidates
    above, for the page that asks before "This is me" acts (one query)."""
    return (
        Authorship.objects.filter(pk=authorship_id)
        .select_related("work", "author")
        .only(
            "id", "raw_author_name", "work__openalex_id", "work__title", "work__doi",
            "work__publication_year", "author__openalex_id", "author__display_name",
        )
        .annotate(holder_claimed=Exists(Claim.objects.live().filter(author=OuterRef("author"))))
        .first()
    )  # fmt: skip


# --- duplicate records of an owner --------------------------------------------------------

DUPLICATE_MIN_SHARED_COAUTHORS = 3


def _name_key(display_name: str) -> tuple[str, str]:
    # "Mitchell Wortsman", "M. Wortsman", "Wortsman, Mitchell" -> ("m", "wortsman").
    name = name_fold(display_name)
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.rpartition(" ")
    return (first.strip()[:1], last.strip())


def author_duplicate_suggestions(*, author: Author, limit: int = 10) -> list[Author]:
    """Other records that may be the same person: a name with the same family name and first
    initial, sharing DUPLICATE_MIN_SHARED_COAUTHORS or more co-authors. Two queries."""
    initial, last = _name_key(author.display_name)
    if not last:
        return []
    coauthor_ids = CoAuthorship.objects.filter(author=author).values("coauthor_id")
    candidates = (
        Author.objects.public()
        .exclude(pk=author.pk)
        .filter(search_name__contains=last)
        .annotate(
            shared_coauthors=Count(
                "coauthorships",
                filter=Q(coauthorships__coauthor_id__in=coauthor_ids),
                distinct=True,
            )
        )
        .filter(shared_coauthors__gte=DUPLICATE_MIN_SHARED_COAUTHORS)
        .order_by("-shared_coauthors", "display_name")[: limit * 3]
    )
    return [a for a in candidates if _name_key(a.display_name) == (initial, last)][:limit]


def author_is_likely_duplicate(*, author: Author, other: Author) -> bool:
    """author_duplicate_suggestions' test for one pair, which the merge service enforces: the
    same family name and first initial, and DUPLICATE_MIN_SHARED_COAUTHORS or more co-authors
    in common. At most one query."""
    initial, last = _name_key(author.display_name)
    if (
        not last
        or other.pk == author.pk
        or other.openalex_id in RESERVED_AUTHOR_IDS
        or _name_key(other.display_name) != (initial, last)
    ):
        return False
    shared = CoAuthorship.objects.filter(
        author=other,
        coauthor_id__in=CoAuthorship.objects.filter(author=author).values("coauthor_id"),
    ).count()
    return shared >= DUPLICATE_MIN_SHARED_COAUTHORS


@dataclass(frozen=True)
class MergePreview:
    duplicate: Author
    works_now: int
    works_after: int
    coauthors_after: int
    claimed_by_other: bool
    # Not a likely duplicate: only staff may merge it (the owner is told to ask them).
    is_likely_duplicate: bool


def author_merge_preview(*, into: Author, duplicate: Author) -> MergePreview:
    """The counts the owner's record will have once the duplicate is folded in, and whether
    it may be (four queries)."""
    both = [into.pk, duplicate.pk]
    works_after = Work.objects.filter(authorships__author_id__in=both).distinct().count()
    coauthors_after = (
        CoAuthorship.objects.filter(author_id__in=both)
        .exclude(coauthor_id__in=both)
        .public()
        .values("coauthor_id")
        .distinct()
        .count()
    )
    return MergePreview(
        duplicate=duplicate,
        works_now=into.works_in_db,
        works_after=works_after,
        coauthors_after=coauthors_after,
        claimed_by_other=Claim.objects.live().filter(author=duplicate).exists(),
        is_likely_duplicate=author_is_likely_duplicate(author=into, other=duplicate),
    )


MERGES_SHOWN = 20


def record_merge_list_recent(*, limit: int = MERGES_SHOWN) -> list[RecordMerge]:
    """The latest merges, undone or not, with the records and accounts shown (one query)."""
    return list(
        RecordMerge.objects.select_related("into", "merged_by", "reverted_by")
        .defer("snapshot")
        .order_by("-created_at", "-id")[:limit]
    )


def record_merge_get(*, merge_id: int) -> RecordMerge | None:
    return RecordMerge.objects.select_related("into", "merged_by").filter(pk=merge_id).first()


# --- requests for works on records others claim ---------------------------------------------


def _transfers() -> QuerySet[WorkTransfer]:
    return WorkTransfer.objects.select_related(
        "work", "from_author", "to_author", "requested_by", "decided_by"
    )


def work_transfer_get(*, transfer_id: int) -> WorkTransfer | None:
    return _transfers().filter(pk=transfer_id).first()


def work_transfer_list_pending() -> list[WorkTransfer]:
    """Requests still waiting for an answer, oldest first, for moderators (one query)."""
    return list(
        _transfers().filter(status=WorkTransfer.Status.PENDING).order_by("created_at", "id")
    )
