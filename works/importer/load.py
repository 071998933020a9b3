"""Batched writes: rows from parse.py into the corpus tables, one transaction per batch.

Per batch and entity type the shape is fixed whatever the batch size: one IN query for the
rows that already exist, one for the stubs each referenced type needs (plus one insert for the
missing ones), one bulk insert and one bulk update, then the relations (authorships, topics,
institutions) replaced in bulk and the co-authorship rows of the touched authors recomputed.

This is the loader on SQLite (the zero-setup default and the demo). On PostgreSQL run.py
uses copyload.CopyLoader, which keeps everything here but the writing of a works batch.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from works.importer.locks import is_write_conflict, lock_batch
from works.importer.merges import MergeMap
from works.importer.parse import (
    ENTITY_ORDER,
    OTHER,
    SCALAR_FIELDS,
    AuthorRow,
    AuthorshipRow,
    Row,
    WorkRow,
    scalar_values,
)
from works.importer.progress import Counts, ImportSummary
from works.models import (
    COAUTHOR_BYLINE_LIMIT,
    Author,
    Authorship,
    DeletedWork,
    Institution,
    Source,
    Topic,
    Work,
    WorkTopic,
)
from works.selectors import Inclusion, excluded_pairs_among, included_authors_among
from works.services import author_links_refresh, corpus_change_note

BATCH_SIZE = 500
# A batch that met another process's writes (a deadlock, a row inserted meanwhile) is written
# again, up to this many times in all.
BATCH_ATTEMPTS = 5
MODELS: dict[str, type[models.Model]] = {
    "institutions": Institution,
    "sources": Source,
    "topics": Topic,
    "authors": Author,
    "works": Work,
}


class ImportFailed(Exception):
    """The import stopped: a bad line under --strict, an unreadable file, a failed batch."""


# What a record does to the row with its id.
CREATE, FILL, UPDATE, UNCHANGED = "create", "fill", "update", "unchanged"


class Loader:
    """Collects parsed rows per entity type and writes them a batch at a time."""

    def __init__(
        self,
        summary: ImportSummary,
        report: Callable[[str], None],
        *,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.summary = summary
        self.report = report
        self.batch_size = batch_size
        self.merges = MergeMap()
        self.pending: dict[str, list[Any]] = {entity: [] for entity in ENTITY_ORDER}
        # Where each pending batch was read, first and last line, for a failed write's message.
        self.read_from: dict[str, tuple[str, str]] = {}
        # A batch that changed the corpus was written (its own transaction done): the import
        # must announce a new corpus version, even if it fails later.
        self.changed_corpus = False

    def add(self, entity: str, row: Row, location: str) -> None:
        batch = self.pending[entity]
        batch.append(row)
        first = self.read_from[entity][0] if len(batch) > 1 else location
        self.read_from[entity] = (first, location)
        if len(batch) >= self.batch_size:
            self.flush(entity)

    def flush(self, entity: str | None = None) -> None:
        for name in ENTITY_ORDER if entity is None else (entity,):
            rows, self.pending[name] = self.pending[name], []
            if rows:
                self._write_batch(name, rows)

    def discard(self) -> None:
        self.pending = {entity: [] for entity in ENTITY_ORDER}

    def written(self, changed: bool) -> None:
        """Say that a write's transaction is done (lists.py's deletions and merges too)."""
        self.changed_corpus = self.changed_corpus or changed

    def _write_batch(self, entity: str, rows: list[Any]) -> None:
        before = self._changes()
        first, last = self.read_from[entity]
        for attempt in range(1, BATCH_ATTEMPTS + 1):
            counted = self._counts()
            try:
                with transaction.atomic():
                    lock_batch(rows)
                    self._load(entity, rows)
                    if self._changes() != before:
                        corpus_change_note()
                break
            except DatabaseError as exc:
                self._restore_counts(counted)
                # Another process writing the same rows at the same time (import --workers):
                # the batch was rolled back whole (or to its savepoint under --strict), so it
                # is simply written again, after a moment.
                if attempt < BATCH_ATTEMPTS and is_write_conflict(exc):
                    time.sleep(random.uniform(0, 0.05 * 2**attempt))
                    continue
                # Every value was checked against its column (columns.py), so this is not one
                # bad record: the message names the whole batch rather than blame one line.
                raise ImportFailed(
                    f"writing {len(rows)} {entity} read from {first} to {last} failed: {exc}"
                ) from exc
        self.written(self._changes() != before)

    def _counts(self) -> tuple[list[Counts], int]:
        entities = (*ENTITY_ORDER, OTHER)
        return [replace(self.summary[name]) for name in entities], self.summary.reserved_authorships

    def _restore_counts(self, counted: tuple[list[Counts], int]) -> None:
        counts, self.summary.reserved_authorships = counted
        for name, saved in zip((*ENTITY_ORDER, OTHER), counts, strict=True):
            setattr(self.summary, name, saved)

    def _changes(self) -> int:
        total = self.summary.total()
        return (
            total.created
            + total.updated
            + total.stubs
            + self.summary.deleted_works
            + self.summary.merges_applied
        )

    def reject(self, location: str, reason: str, *, entity: str, strict: bool) -> None:
        """A malformed line: counted and reported, or the end of the import under --strict."""
        if strict:
            raise ImportFailed(f"{location}: {reason}")
        self.summary[entity].errors += 1
        self.report(f"{location}: {reason}")

    def _load(self, entity: str, rows: list[Any]) -> None:
        counts = self.summary[entity]
        rows = self._fresh_rows(entity, rows)
        if not rows:
            return
        model = MODELS[entity]
        fields = SCALAR_FIELDS[entity]
        existing = self._existing(entity, [row.openalex_id for row in rows])
        verdicts = _verdicts(model, fields, rows, existing)
        writes = [row for row in rows if verdicts[row.openalex_id] != UNCHANGED]
        for row in rows:
            verdict = verdicts[row.openalex_id]
            if verdict in (CREATE, FILL):
                counts.created += 1
            elif verdict == UPDATE:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if not writes:
            return
        self._follow_merges(writes)
        if entity == "works":
            self._write_works(writes, existing)
        else:
            pks = self._write_rows(entity, writes, existing)
            if entity == "authors":
                self._write_last_known_institutions(writes, pks, existing)

    def _fresh_rows(self, entity: str, rows: list[Any]) -> list[Any]:
        """The newest row per id, without ids that were deleted or merged away."""
        counts = self.summary[entity]
        newest: dict[str, Any] = {}
        for row in rows:
            current = newest.get(row.openalex_id)
            if current is None or _newer(row, current):
                newest[row.openalex_id] = row
        counts.unchanged += len(rows) - len(newest)
        gone = set(self.merges.resolve(newest))
        if entity == "works":
            gone |= set(
                DeletedWork.objects.filter(openalex_id__in=newest).values_list(
                    "openalex_id", flat=True
                )
            )
        counts.skipped += len(gone)
        return [row for openalex_id, row in newest.items() if openalex_id not in gone]

    def _existing(self, entity: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        extra = ("publication_year", "byline_size") if entity == "works" else ()
        rows = MODELS[entity].objects.filter(openalex_id__in=ids)
        return {
            row["openalex_id"]: row
            for row in rows.values("pk", "openalex_id", "updated_date", *extra)
        }

    def _write_rows(
        self, entity: str, rows: list[Any], existing: dict[str, dict[str, Any]]
    ) -> dict[str, int]:
        """Insert the new rows and update the others; returns {openalex_id: pk} for all."""
        model = MODELS[entity]
        fields = SCALAR_FIELDS[entity]
        new = [
            model(openalex_id=row.openalex_id, **scalar_values(entity, row))
            for row in rows
            if row.openalex_id not in existing
        ]
        changed = [
            model(
                pk=existing[row.openalex_id]["pk"],
                openalex_id=row.openalex_id,
                **scalar_values(entity, row),
            )
            for row in rows
            if row.openalex_id in existing
        ]
        model.objects.bulk_create(new)
        model.objects.bulk_update(changed, fields)
        return {obj.openalex_id: obj.pk for obj in [*new, *changed]}

    def _ensure_stubs(self, entity: str, stubs: dict[str, Any]) -> dict[str, int]:
        """{openalex_id: pk} for every referenced id, inserting a stub row for those that are
        missing: the display name and whatever else the reference carries, no updated_date,
        so the entity's own record replaces it whenever it comes."""
        if not stubs:
            return {}
        model = MODELS[entity]
        pks = dict(model.objects.filter(openalex_id__in=stubs).values_list("openalex_id", "pk"))
        missing = [
            model(openalex_id=openalex_id, **scalar_values(entity, row))
            for openalex_id, row in stubs.items()
            if openalex_id not in pks
        ]
        if missing:
            model.objects.bulk_create(missing)
            self.summary[entity].stubs += len(missing)
            pks.update((obj.openalex_id, obj.pk) for obj in missing)
        return pks

    def _follow_merges(self, rows: list[Any]) -> None:
        """Point references at merged-away ids to the records they were merged into."""
        referenced: set[str] = set()
        for row in rows:
            referenced.update(reference.openalex_id for reference in _references(row))
        moved = self.merges.resolve(referenced)
        if not moved:
            return
        for row in rows:
            for reference in _references(row):
                reference.openalex_id = moved.get(reference.openalex_id, reference.openalex_id)
            # Two references may now be one record: keep the first, as for duplicates. Not
            # for authorships: two places of a byline stay two places of one record.
            if isinstance(row, AuthorRow):
                row.last_known_institutions = _first_per_id(row.last_known_institutions)
            else:
                for authorship in row.authorships:
                    authorship.institutions = _first_per_id(authorship.institutions)
                row.topics = _first_per_id(row.topics, key=lambda topic: topic.topic.openalex_id)

    def _write_last_known_institutions(
        self, rows: list[AuthorRow], pks: dict[str, int], existing: dict[str, dict[str, Any]]
    ) -> None:
        institution_pks = self._ensure_stubs(
            "institutions",
            {inst.openalex_id: inst for row in rows for inst in row.last_known_institutions},
        )
        through = Author.last_known_institutions.through
        replaced = [pks[row.openalex_id] for row in rows if row.openalex_id in existing]
        if replaced:
            through.objects.filter(author_id__in=replaced).delete()
        through.objects.bulk_create(
            through(
                author_id=pks[row.openalex_id], institution_id=institution_pks[inst.openalex_id]
            )
            for row in rows
            for inst in row.last_known_institutions
        )

    def _write_works(self, rows: list[WorkRow], existing: dict[str, dict[str, Any]]) -> None:
        self.summary.reserved_authorships += sum(row.reserved_authorships for row in rows)
        source_pks = self._ensure_stubs(
            "sources",
            {
                row.primary_source.openalex_id: row.primary_source
                for row in rows
                if row.primary_source
            },
        )
        institution_pks = self._ensure_stubs(
            "institutions",
            {
                inst.openalex_id: inst
                for row in rows
                for authorship in row.authorships
                for inst in authorship.institutions
            },
        )
        topic_pks = self._ensure_stubs(
            "topics", {topic.topic.openalex_id: topic.topic for row in rows for topic in row.topics}
        )
        # The first place that names an author describes its stub (a later place of the same
        # record may carry another printed name).
        author_stubs: dict[str, Any] = {}
        for row in rows:
            for authorship in row.authorships:
                author_stubs.setdefault(_author_id(authorship), authorship.author)
        author_pks = self._ensure_stubs("authors", author_stubs)
        new, changed = [], []
        for row in rows:
            work = Work(
                openalex_id=row.openalex_id,
                primary_source_id=(
                    source_pks[row.primary_source.openalex_id] if row.primary_source else None
                ),
                **scalar_values("works", row),
            )
            if row.openalex_id in existing:
                work.pk = existing[row.openalex_id]["pk"]
                changed.append(work)
            else:
                new.append(work)
        Work.objects.bulk_create(new)
        Work.objects.bulk_update(changed, [*SCALAR_FIELDS["works"], "primary_source"])
        work_pks = {work.openalex_id: work.pk for work in [*new, *changed]}
        # Works an owner said are not theirs ("Not me") stay off their record, whatever the
        # newer record says (one query per batch, only for works that existed before).
        excluded = excluded_pairs_among(work_ids=[work.pk for work in changed])
        if excluded:
            for row in rows:
                work_pk = work_pks[row.openalex_id]
                row.authorships = [
                    a
                    for a in row.authorships
                    if (work_pk, author_pks[_author_id(a)]) not in excluded
                ]
        # Places an owner said are theirs ("This is mine") go to their record instead of the
        # one OpenAlex names, unless OpenAlex already lists them on the work.
        included = included_authors_among(work_ids=[work.pk for work in changed])
        # The author pk of each place of each row's byline, in order.
        attributed = {
            row.openalex_id: attribute_places(
                row.authorships,
                [author_pks[_author_id(a)] for a in row.authorships],
                included.get(work_pks[row.openalex_id], []),
            )
            for row in rows
        }

        # A replaced work gets exactly the authorships and topics its newer record lists.
        replaced = [work.pk for work in changed]
        old_authors: dict[int, set[int]] = defaultdict(set)
        # When each author first came on each work: kept across the rewrite (for each of their
        # places), or every re-import would show old works as new in the followers' feed.
        added_at: dict[tuple[int, int], datetime] = {}
        if replaced:
            for work_id, author_id, created_at in Authorship.objects.filter(
                work_id__in=replaced
            ).values_list("work_id", "author_id", "created_at"):
                old_authors[work_id].add(author_id)
                earliest = added_at.get((work_id, author_id))
                if earliest is None or created_at < earliest:
                    added_at[work_id, author_id] = created_at
            Authorship.institutions.through.objects.filter(
                authorship__work_id__in=replaced
            ).delete()
            Authorship.objects.filter(work_id__in=replaced).delete()
            WorkTopic.objects.filter(work_id__in=replaced).delete()

        now = timezone.now()
        authorships = [
            Authorship(
                work_id=work_pks[row.openalex_id],
                author_id=author_id,
                order=authorship.order,
                position=authorship.position,
                raw_author_name=authorship.raw_author_name,
                is_corresponding=authorship.is_corresponding,
                created_at=added_at.get((work_pks[row.openalex_id], author_id), now),
            )
            for row in rows
            for authorship, author_id in zip(
                row.authorships, attributed[row.openalex_id], strict=True
            )
        ]
        Authorship.objects.bulk_create(authorships)
        through = Authorship.institutions.through
        through.objects.bulk_create(
            through(authorship_id=saved.pk, institution_id=institution_pks[inst.openalex_id])
            for saved, authorship in zip(
                authorships, (a for row in rows for a in row.authorships), strict=True
            )
            for inst in authorship.institutions
        )
        WorkTopic.objects.bulk_create(
            WorkTopic(
                work_id=work_pks[row.openalex_id],
                topic_id=topic_pks[topic.topic.openalex_id],
                score=topic.score,
                is_primary=topic.is_primary,
            )
            for row in rows
            for topic in row.topics
        )

        # Co-authorship rows only change for authors whose set of works or whose works'
        # years changed: new works, and replaced works whose author list or year moved, or
        # whose byline crossed COAUTHOR_BYLINE_LIMIT. Unless a replaced work lost an author
        # (or its pairs), pairs can only appear or grow.
        touched: set[int] = set()
        lost_authors = False
        for row in rows:
            authors = set(attributed[row.openalex_id])
            before = existing.get(row.openalex_id)
            if before is None:
                touched |= authors
                continue
            old = old_authors[before["pk"]]
            paired_before = before["byline_size"] <= COAUTHOR_BYLINE_LIMIT
            paired = row.byline_size <= COAUTHOR_BYLINE_LIMIT
            if (
                old != authors
                or before["publication_year"] != row.publication_year
                or paired_before != paired
            ):
                touched |= old | authors
                lost_authors = lost_authors or bool(old - authors) or (paired_before and not paired)
        author_links_refresh(author_ids=touched, additions_only=not lost_authors)


def attribute_places(
    authorships: list[AuthorshipRow], author_pks: list[int], inclusions: list[Inclusion]
) -> list[int]:
    """The author pk of each place of a byline once the owners' "This is mine" corrections
    are applied: each moves one place of its from-author's to its owner, unless OpenAlex
    already lists the owner on the work. When OpenAlex gives the from-author several places,
    the one moved is the one printed as when the owner chose it, else the one at the same
    order, else the first (orders shift when a newer record inserts an author)."""
    listed = set(author_pks)
    attributed = list(author_pks)
    for inclusion in inclusions:
        if inclusion.author_id in listed:
            continue
        places = [i for i, pk in enumerate(attributed) if pk == inclusion.from_author_id]
        if not places:
            continue
        place = min(
            places,
            key=lambda i: (
                authorships[i].raw_author_name != inclusion.raw_author_name,
                authorships[i].order != inclusion.order,
                i,
            ),
        )
        attributed[place] = inclusion.author_id
    return attributed


def _verdicts(
    model: type[models.Model],
    fields: tuple[str, ...],
    rows: list[Any],
    existing: dict[str, dict[str, Any]],
) -> dict[str, str]:
    """CREATE for a new id; UPDATE when the record's updated_date is newer than the row's;
    FILL when the row has no updated_date (a stub, or a record that had none) and the record
    differs from it; UNCHANGED otherwise (same or older updated_date, or nothing new)."""
    verdicts: dict[str, str] = {}
    undated: list[Any] = []
    for row in rows:
        before = existing.get(row.openalex_id)
        if before is None:
            verdicts[row.openalex_id] = CREATE
        elif before["updated_date"] is None:
            undated.append(row)
        elif row.updated_date is not None and row.updated_date > before["updated_date"]:
            verdicts[row.openalex_id] = UPDATE
        else:
            verdicts[row.openalex_id] = UNCHANGED
    if undated:
        # Rare (stubs are filled once), so their full values are only read when needed.
        stored = {
            values.pop("openalex_id"): values
            for values in model.objects.filter(
                openalex_id__in=[row.openalex_id for row in undated]
            ).values("openalex_id", *fields)
        }
        for row in undated:
            incoming = {name: getattr(row, name) for name in fields}
            same = stored.get(row.openalex_id) == incoming
            verdicts[row.openalex_id] = UNCHANGED if same else FILL
    return verdicts


def _newer(row: Any, than: Any) -> bool:
    return row.updated_date is not None and (
        than.updated_date is None or row.updated_date > than.updated_date
    )


def _references(row: Any) -> Iterable[Any]:
    """The stub rows a record refers to, whose openalex_id a merge may rewrite."""
    if isinstance(row, AuthorRow):
        yield from row.last_known_institutions
    elif isinstance(row, WorkRow):
        if row.primary_source:
            yield row.primary_source
        for authorship in row.authorships:
            yield authorship.author
            yield from authorship.institutions
        for topic in row.topics:
            yield topic.topic


def _author_id(authorship: Any) -> str:
    return authorship.author.openalex_id


def _first_per_id(items: list[Any], key: Callable[[Any], str] | None = None) -> list[Any]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(key(item) if key else item.openalex_id, item)
    return list(seen.values())
