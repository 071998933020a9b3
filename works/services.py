"""Writes to the corpus that span models. The importer (works/importer/) is the main caller."""

import json
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bzpeer.errors import ActionError
from works.coauthorship import author_links_drain, statistics_refresh
from works.models import (
    COAUTHOR_BYLINE_LIMIT,
    Author,
    Authorship,
    AuthorshipOverride,
    CoAuthorship,
    CorpusChange,
    CorpusVersion,
    Work,
)


def coauthorship_refresh_for_authors(
    *, author_ids: Iterable[int], additions_only: bool = False
) -> None:
    """Make every CoAuthorship row that involves one of `author_ids` (as author or coauthor)
    match Authorship again; rows between two other authors are not touched.

    The rows are recomputed from Authorship with one set-based INSERT ... SELECT (a GROUP BY
    over the self-join on work), in both directions. Only the difference is written: rows
    whose pair no longer shares a work are deleted, rows that are new or whose numbers moved
    are upserted. A prolific author is in nearly every import batch with thousands of
    co-author rows of which a handful change, and rewriting them all made this the bulk of
    the import time (and of the WAL written).

    `additions_only=True` is for callers that know these authors only gained authorships
    (new works): then no pair can lose its last shared work, and the search for rows to
    delete is skipped.

    Works with a byline longer than COAUTHOR_BYLINE_LIMIT pair nobody.
    """
    ids = sorted(set(author_ids))
    if not ids:
        return
    coauthorship = CoAuthorship._meta.db_table
    authorship = Authorship._meta.db_table
    work = Work._meta.db_table
    # The id set travels as one parameter (an array, or JSON on SQLite) so a batch of
    # thousands of authors is still one short statement with no parameter-count limit.
    if connection.vendor == "postgresql":
        in_set, param = "{} = ANY(%s::bigint[])", ids
    else:
        in_set, param = "{} IN (SELECT value FROM json_each(%s))", json.dumps(ids)
    # (one of ours, anyone) from the self-join, computed once (MATERIALIZED, on both
    # databases); the mirror rows (anyone else, one of ours) are the same rows swapped, since
    # a pair shares as many works either way round. Pairs of two of ours are already in
    # `ours` in both directions. An author may hold several places of one byline: the join
    # then yields a pair once per place, so works are counted DISTINCT, and the <> keeps an
    # author's places from pairing them with themselves.
    fresh = f"""
        WITH ours AS MATERIALIZED (
            SELECT mine.author_id AS author_id, theirs.author_id AS coauthor_id,
                   COUNT(DISTINCT mine.work_id) AS shared_works_count,
                   MAX(w.publication_year) AS last_year
            FROM {authorship} mine
            JOIN {authorship} theirs
              ON theirs.work_id = mine.work_id AND theirs.author_id <> mine.author_id
            JOIN {work} w ON w.id = mine.work_id
            WHERE {in_set.format("mine.author_id")} AND w.byline_size <= {COAUTHOR_BYLINE_LIMIT}
            GROUP BY mine.author_id, theirs.author_id
        )
        SELECT author_id, coauthor_id, shared_works_count, last_year FROM ours
        UNION ALL
        SELECT coauthor_id, author_id, shared_works_count, last_year FROM ours
        WHERE NOT ({in_set.format("coauthor_id")})
    """
    # The stored rows of our authors, the only ones compared with (an index range per author,
    # not a scan of the whole table).
    stored = f"""
        SELECT id, author_id, coauthor_id, shared_works_count, last_year FROM {coauthorship}
        WHERE {in_set.format("author_id")} OR {in_set.format("coauthor_id")}
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Changes an import queued but has not applied yet are in Authorship already:
            # applied later, they would count twice on top of this recomputation.
            author_links_drain(connection)
        if not additions_only:
            cursor.execute(
                f"""
                DELETE FROM {coauthorship} WHERE id IN (
                    SELECT c.id FROM ({stored}) c
                    LEFT JOIN ({fresh}) f
                      ON f.author_id = c.author_id AND f.coauthor_id = c.coauthor_id
                    WHERE f.author_id IS NULL
                )
                """,
                [param] * 4,
            )
        cursor.execute(
            f"""
            INSERT INTO {coauthorship} (author_id, coauthor_id, shared_works_count, last_year)
            SELECT f.author_id, f.coauthor_id, f.shared_works_count, f.last_year
            FROM ({fresh}) f
            LEFT JOIN ({stored}) c
              ON c.author_id = f.author_id AND c.coauthor_id = f.coauthor_id
            WHERE c.id IS NULL
               OR c.shared_works_count <> f.shared_works_count
               OR COALESCE(c.last_year, 0) <> COALESCE(f.last_year, 0)
            ON CONFLICT (author_id, coauthor_id) DO UPDATE
            SET shared_works_count = excluded.shared_works_count, last_year = excluded.last_year
            """,
            [param] * 4,
        )


def author_stats_refresh(*, author_ids: Iterable[int]) -> None:
    """Recount Author.works_in_db for these authors from Authorship (one UPDATE): works, not
    places, so a work that gives them two places of its byline counts once."""
    ids = sorted(set(author_ids))
    if not ids:
        return
    Author.objects.filter(id__in=ids).update(
        works_in_db=Coalesce(
            Subquery(
                Authorship.objects.filter(author=OuterRef("pk"))
                .order_by()
                .values("author")
                .annotate(n=Count("work", distinct=True))
                .values("n")
            ),
            0,
        )
    )


def author_links_refresh(*, author_ids: Iterable[int], additions_only: bool = False) -> None:
    """After authorships of these authors changed: their co-authorship rows and counts."""
    ids = set(author_ids)
    coauthorship_refresh_for_authors(author_ids=ids, additions_only=additions_only)
    author_stats_refresh(author_ids=ids)


def corpus_version_bump() -> None:
    """Say that the corpus changed, so cached pages built from it are rebuilt."""
    now = timezone.now()
    # One UPDATE: concurrent imports each add one, none is lost.
    bumped = CorpusVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
    if not bumped:
        CorpusVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


def corpus_change_note() -> None:
    """Mark a change to be announced (call inside the transaction that makes it): an insert,
    so batches of concurrent imports never wait on one row for it."""
    CorpusChange.objects.create()


def corpus_version_announce() -> bool:
    """A new corpus version if any change is marked and not announced yet (by this import or
    one that was killed before it could); whether there was one."""
    with transaction.atomic():
        noted, _ = CorpusChange.objects.all().delete()
        if noted:
            corpus_version_bump()
    if noted:
        statistics_refresh()
    return bool(noted)


class AuthorshipError(ActionError):
    """A curation that cannot happen; the message is shown to the person as it is."""


def _authorship_changed(*, work: Work, author_ids: Iterable[int]) -> None:
    # Co-authorship rows and counts of everyone on the work, and a new corpus version so
    # cached pages that show the work or the author are rebuilt.
    ids = set(author_ids) | set(work.authorships.values_list("author_id", flat=True))
    author_links_refresh(author_ids=ids)
    corpus_version_bump()


def _place_snapshot(authorship: Authorship) -> dict:
    # Everything the place had, its institutions prefetched by the caller.
    return {
        "order": authorship.order,
        "position": authorship.position,
        "raw_author_name": authorship.raw_author_name,
        "is_corresponding": authorship.is_corresponding,
        "institution_ids": [i.pk for i in authorship.institutions.all()],
        "created_at": authorship.created_at.isoformat(),
    }


def _snapshot_places(snapshot: dict) -> list[dict]:
    # Corrections from before a byline could give an author several places kept the one
    # place's keys at the top level.
    if "positions" in snapshot:
        return snapshot["positions"]
    return [snapshot] if snapshot else []


def authorship_exclude(
    *, author: Author, work: Work, user: AbstractBaseUser | None, reason: str
) -> AuthorshipOverride:
    """ "Not me": take the work off the author's record (every place of the byline OpenAlex
    gives them; it stays on the co-authors' pages), keep the reason, and keep it off through
    every later import (works.importer.load)."""
    with transaction.atomic():
        places = list(
            Authorship.objects.select_for_update()
            .filter(author=author, work=work)
            .order_by("order")
            .prefetch_related("institutions")
        )
        if not places:
            raise AuthorshipError("This work is not on this record.")
        override = AuthorshipOverride(
            author=author,
            work=work,
            kind=AuthorshipOverride.Kind.EXCLUDE,
            reason=reason,
            created_by=user,
            snapshot={"positions": [_place_snapshot(place) for place in places]},
        )
        override.full_clean(validate_constraints=False)
        override.save()
        Authorship.objects.filter(pk__in=[place.pk for place in places]).delete()
        _authorship_changed(work=work, author_ids=[author.id])
    return override


def authorship_exclude_revert(
    *, override: AuthorshipOverride, user: AbstractBaseUser | None
) -> AuthorshipOverride:
    """Undo a "Not me": each place the author had comes back as it was (when it was first
    added included, so the work is not new again in followers' feeds), unless the work's
    author list has since given that place to someone else (then the next import of the
    work brings it)."""
    with transaction.atomic():
        override = AuthorshipOverride.objects.select_for_update().get(pk=override.pk)
        if override.reverted_at is not None:
            raise AuthorshipError("This correction was already undone.")
        override.reverted_at, override.reverted_by = timezone.now(), user
        override.save(update_fields=["reverted_at", "reverted_by"])
        places = _snapshot_places(override.snapshot)
        taken = set(
            Authorship.objects.filter(
                work=override.work, order__in=[place.get("order") for place in places]
            ).values_list("order", flat=True)
        )
        added_at = Authorship._meta.get_field("created_at")
        for place in places:
            if place.get("order") is None or place["order"] in taken:
                continue
            authorship = Authorship.objects.create(
                work=override.work,
                author=override.author,
                order=place["order"],
                position=place.get("position", ""),
                raw_author_name=place.get("raw_author_name", ""),
                is_corresponding=place.get("is_corresponding", False),
                created_at=(
                    added_at.to_python(place["created_at"])
                    if place.get("created_at")
                    else timezone.now()
                ),
            )
            authorship.institutions.set(place.get("institution_ids", []))
        _authorship_changed(work=override.work, author_ids=[override.author_id])
    return override


def authorship_include(
    *, author: Author, authorship: Authorship, user: AbstractBaseUser | None, reason: str = ""
) -> AuthorshipOverride:
    """ "This is mine": one place of the work's byline that OpenAlex gave to another record (a
    namesake, a split of the same person, or a record holding several places) moves to
    `author`, and stays there through later imports."""
    with transaction.atomic():
        authorship = (
            Authorship.objects.select_for_update().select_related("work").get(pk=authorship.pk)
        )
        if authorship.author_id == author.id:
            raise AuthorshipError("This work is already on your record.")
        if Authorship.objects.filter(work=authorship.work, author=author).exists():
            raise AuthorshipError("You are already an author of this work.")
        override = AuthorshipOverride(
            author=author,
            work=authorship.work,
            kind=AuthorshipOverride.Kind.INCLUDE,
            from_author_id=authorship.author_id,
            reason=reason,
            created_by=user,
            snapshot={"order": authorship.order, "raw_author_name": authorship.raw_author_name},
        )
        override.full_clean(validate_constraints=False)
        override.save()
        from_author_id = authorship.author_id
        authorship.author = author
        authorship.save(update_fields=["author"])
        _authorship_changed(work=authorship.work, author_ids=[author.id, from_author_id])
    return override


def authorship_include_revert(
    *, override: AuthorshipOverride, user: AbstractBaseUser | None
) -> AuthorshipOverride:
    """Undo a "This is mine": the place goes back to the record OpenAlex gave it to."""
    with transaction.atomic():
        override = AuthorshipOverride.objects.select_for_update().get(pk=override.pk)
        if override.reverted_at is not None:
            raise AuthorshipError("This correction was already undone.")
        override.reverted_at, override.reverted_by = timezone.now(), user
        override.save(update_fields=["reverted_at", "reverted_by"])
        snap = override.snapshot
        held = Authorship.objects.filter(work=override.work, author=override.author)
        # The place that moved: the owner's one at the order and printed name it had. If a
        # newer record shifted the byline, whichever place the owner holds, as long as
        # OpenAlex no longer gives the work to the from-author (who may hold other places).
        moved = held.filter(
            order=snap.get("order"), raw_author_name=snap.get("raw_author_name", "")
        ).first()
        if (
            moved is None
            and not Authorship.objects.filter(
                work=override.work, author_id=override.from_author_id
            ).exists()
        ):
            moved = held.order_by("order").first()
        if moved is not None:
            moved.author_id = override.from_author_id
            moved.save(update_fields=["author"])
        _authorship_changed(
            work=override.work, author_ids=[override.author_id, override.from_author_id]
        )
    return override


def authorship_override_revert(
    *, override: AuthorshipOverride, user: AbstractBaseUser | None
) -> AuthorshipOverride:
    if override.kind == AuthorshipOverride.Kind.INCLUDE:
        return authorship_include_revert(override=override, user=user)
    return authorship_exclude_revert(override=override, user=user)
