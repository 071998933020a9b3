"""The PostgreSQL loader: a batch of works is COPYed into staging tables (staging.py) and
written with a handful of set-based statements, whatever its size:

1. one INSERT ... ON CONFLICT DO NOTHING per referenced type (a single statement) for the
   stubs of sources, institutions, topics and authors;
2. for works that existed: one DELETE of their authorships, the authorships' institutions and
   their topics, which keeps their (work, author) links, earliest created_at and old year;
3. one upsert of the works (ON CONFLICT ... DO UPDATE only where the stored row has no
   updated_date or an older one);
4. one INSERT of the authorships, their institutions and the works' topics, which keeps the
   new (work, author) links;
5. the change of co-authorship rows and works_in_db, from the difference of the links,
   queued; applied at the end of each file (coauthorship_delta.py).

What is decided per record stays in Python and is shared with the simple loader (load.py):
the newest record per id, deleted and merged ids, the verdict (create, fill, update,
unchanged) and the summary counts, and the owners' corrections, applied to the few works
that have any before their rows are staged.
"""

from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from works.coauthorship import author_links_drain
from works.importer.coauthorship_delta import DRAIN_EVERY, author_links_queue
from works.importer.load import Loader, attribute_places
from works.importer.parse import SCALAR_FIELDS, WorkRow
from works.importer.staging import staging_copy, staging_reset
from works.models import (
    Author,
    Authorship,
    Institution,
    Source,
    Topic,
    Work,
    WorkTopic,
)
from works.selectors import excluded_pairs_among, included_authors_among

_T = {
    "work": Work._meta.db_table,
    "author": Author._meta.db_table,
    "authorship": Authorship._meta.db_table,
    "authorship_institution": Authorship.institutions.through._meta.db_table,
    "institution": Institution._meta.db_table,
    "source": Source._meta.db_table,
    "topic": Topic._meta.db_table,
    "worktopic": WorkTopic._meta.db_table,
}
_WORK_FIELDS = SCALAR_FIELDS["works"]

# The last occurrence of an institution, source or topic describes its stub, the first
# occurrence of an author (as load.py's _ensure_stubs calls do). Stub columns the reference
# does not carry get the model's defaults.
_STUBS = """
    WITH institutions AS (
        INSERT INTO {institution}
            (openalex_id, display_name, ror, country_code, type, homepage_url, updated_date)
        SELECT DISTINCT ON (institution) institution, name, ror, country_code, type, '', NULL
        FROM import_authorship_institution ORDER BY institution, seq DESC
        ON CONFLICT (openalex_id) DO NOTHING RETURNING 1
    ),
    sources AS (
        INSERT INTO {source} (openalex_id, display_name, type, issn_l, updated_date)
        SELECT DISTINCT ON (source) source, source_name, source_type, source_issn_l, NULL
        FROM import_work WHERE source IS NOT NULL ORDER BY source, seq DESC
        ON CONFLICT (openalex_id) DO NOTHING RETURNING 1
    ),
    topics AS (
        INSERT INTO {topic} (openalex_id, display_name, subfield, field, domain, updated_date)
        SELECT DISTINCT ON (topic) topic, name, subfield, field, domain, NULL
        FROM import_work_topic ORDER BY topic, seq DESC
        ON CONFLICT (openalex_id) DO NOTHING RETURNING 1
    ),
    authors AS (
        INSERT INTO {author} (
            openalex_id, display_name, orcid, display_name_alternatives, search_name,
            works_count, works_in_db, cited_by_count, summary_stats, updated_date
        )
        SELECT DISTINCT ON (author) author, author_name, author_orcid, '[]', author_search_name,
               0, 0, 0, '{{}}', NULL
        FROM import_authorship ORDER BY author, seq
        ON CONFLICT (openalex_id) DO NOTHING RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM institutions), (SELECT COUNT(*) FROM sources),
           (SELECT COUNT(*) FROM topics), (SELECT COUNT(*) FROM authors)
""".format(**_T)

# Deleting the replaced works' relations in one statement is safe: Django's foreign keys are
# DEFERRABLE INITIALLY DEFERRED on PostgreSQL. The old year is read before the upsert.
_OLD_LINKS = """
    WITH gone_institutions AS (
        DELETE FROM {authorship_institution} ai USING {authorship} a
        WHERE ai.authorship_id = a.id AND a.work_id = ANY(%(replaced)s)
    ),
    gone_topics AS (
        DELETE FROM {worktopic} WHERE work_id = ANY(%(replaced)s)
    ),
    gone AS (
        DELETE FROM {authorship} WHERE work_id = ANY(%(replaced)s)
        RETURNING work_id, author_id, created_at
    )
    INSERT INTO import_old_link (work_id, author_id, created_at, year, byline)
    SELECT g.work_id, g.author_id, MIN(g.created_at), w.publication_year, w.byline_size
    FROM gone g JOIN {work} w ON w.id = g.work_id
    GROUP BY g.work_id, g.author_id, w.publication_year, w.byline_size
""".format(**_T)

_UPSERT_WORKS = """
    INSERT INTO {work} ({fields}, openalex_id, primary_source_id)
    SELECT {staged}, s.openalex_id, src.id
    FROM import_work s LEFT JOIN {source} src ON src.openalex_id = s.source
    ORDER BY s.seq
    ON CONFLICT (openalex_id) DO UPDATE SET {updates}
    WHERE {work}.updated_date IS NULL OR excluded.updated_date > {work}.updated_date
""".format(
    fields=", ".join(_WORK_FIELDS),
    staged=", ".join(f"s.{name}" for name in _WORK_FIELDS),
    updates=", ".join(f"{name} = excluded.{name}" for name in (*_WORK_FIELDS, "primary_source_id")),
    **_T,
)

# A place keeps the created_at its author had on the work before (every place of theirs
# the earliest), so a re-import does not show old works as new in the followers' feed.
_RELATIONS = """
    WITH placed AS (
        INSERT INTO {authorship}
            (work_id, author_id, "order", position, raw_author_name, is_corresponding, created_at)
        SELECT w.id, COALESCE(s.author_pk, a.id), s.ord, s.position, s.raw_author_name,
               s.is_corresponding, COALESCE(o.created_at, %(now)s)
        FROM import_authorship s
        JOIN {work} w ON w.openalex_id = s.work
        JOIN {author} a ON a.openalex_id = s.author
        LEFT JOIN import_old_link o
          ON o.work_id = w.id AND o.author_id = COALESCE(s.author_pk, a.id)
        WHERE s.keep
        ORDER BY s.seq
        RETURNING id, work_id, author_id, "order"
    ),
    linked AS (
        INSERT INTO {authorship_institution} (authorship_id, institution_id)
        SELECT p.id, i.id
        FROM placed p
        JOIN {work} w ON w.id = p.work_id
        JOIN import_authorship_institution si ON si.work = w.openalex_id AND si.ord = p."order"
        JOIN {institution} i ON i.openalex_id = si.institution
        ORDER BY si.seq
    ),
    topics AS (
        INSERT INTO {worktopic} (work_id, topic_id, score, is_primary)
        SELECT w.id, t.id, s.score, s.is_primary
        FROM import_work_topic s
        JOIN {work} w ON w.openalex_id = s.work
        JOIN {topic} t ON t.openalex_id = s.topic
        ORDER BY s.seq
    )
    INSERT INTO import_new_link (work_id, author_id, year, byline)
    SELECT DISTINCT p.work_id, p.author_id, w.publication_year, w.byline_size
    FROM placed p JOIN {work} w ON w.id = p.work_id
""".format(**_T)

_STUB_ENTITIES = ("institutions", "sources", "topics", "authors")


class CopyLoader(Loader):
    """The simple loader with the works batch written set-based (see the module docstring).
    Batches of the other entity types go through load.py as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queued = 0  # co-authorship changes queued since this loader last drained

    def flush(self, entity: str | None = None) -> None:
        """Write the pending batches; at the end of a file (no entity), or when the queue is
        long, apply the queued co-authorship changes too, after the batch committed."""
        super().flush(entity)
        if entity is None or self.queued >= DRAIN_EVERY:
            with transaction.atomic():
                author_links_drain(connection)
            self.queued = 0

    def _write_works(self, rows: list[WorkRow], existing: dict[str, dict[str, Any]]) -> None:
        self.summary.reserved_authorships += sum(row.reserved_authorships for row in rows)
        replaced = [existing[row.openalex_id]["pk"] for row in rows if row.openalex_id in existing]
        corrections = _corrections(rows, existing, replaced)
        staging_reset(connection)
        staging_copy(connection, "import_work", _work_rows(rows))
        staging_copy(connection, "import_authorship", _authorship_rows(rows, corrections))
        staging_copy(connection, "import_authorship_institution", _institution_rows(rows))
        staging_copy(connection, "import_work_topic", _topic_rows(rows))
        with connection.cursor() as cursor:
            cursor.execute(_STUBS)
            for entity, added in zip(_STUB_ENTITIES, cursor.fetchone(), strict=True):
                self.summary[entity].stubs += added
            if replaced:
                cursor.execute(_OLD_LINKS, {"replaced": replaced})
            cursor.execute(_UPSERT_WORKS)
            cursor.execute(_RELATIONS, {"now": timezone.now()})
        self.queued += author_links_queue(connection)


# (work openalex id, order) -> (keep the place, the author pk it goes to instead)
Corrections = dict[tuple[str, int], tuple[bool, int | None]]


def _corrections(
    rows: list[WorkRow], existing: dict[str, dict[str, Any]], replaced: list[int]
) -> Corrections:
    """The owners' corrections of works that existed, as load.py applies them: "Not me"
    drops the owner's places, then "This is mine" moves one place (attribute_places). Two
    queries when works are replaced, a third only for works that have corrections."""
    if not replaced:
        return {}
    excluded = excluded_pairs_among(work_ids=replaced)
    included = included_authors_among(work_ids=replaced)
    corrected = {work_id for work_id, _ in excluded} | set(included)
    affected = [
        row
        for row in rows
        if row.openalex_id in existing and existing[row.openalex_id]["pk"] in corrected
    ]
    if not affected:
        return {}
    # Authors not here yet are none of the owners and none of the corrected records: None.
    author_pks = dict(
        Author.objects.filter(
            openalex_id__in={a.author.openalex_id for row in affected for a in row.authorships}
        ).values_list("openalex_id", "pk")
    )
    corrections: Corrections = {}
    for row in affected:
        work_pk = existing[row.openalex_id]["pk"]
        kept = [
            a
            for a in row.authorships
            if (work_pk, author_pks.get(a.author.openalex_id)) not in excluded
        ]
        for place in row.authorships:
            corrections[row.openalex_id, place.order] = (False, None)
        attributed = attribute_places(
            kept, [author_pks.get(a.author.openalex_id) for a in kept], included.get(work_pk, [])
        )
        for place, author_pk in zip(kept, attributed, strict=True):
            moved = author_pk != author_pks.get(place.author.openalex_id)
            corrections[row.openalex_id, place.order] = (True, author_pk if moved else None)
    return corrections


def _work_rows(rows: list[WorkRow]) -> Iterator[tuple[Any, ...]]:
    for seq, row in enumerate(rows):
        source = row.primary_source
        yield (
            seq, row.openalex_id, row.doi, row.title, row.abstract, row.type,
            row.publication_year, row.publication_date, row.is_oa, row.oa_status,
            row.cited_by_count, row.language, row.updated_date, row.byline_size,
            *(
                (source.openalex_id, source.display_name, source.type, source.issn_l)
                if source else (None, None, None, None)
            ),
        )  # fmt: skip


def _authorship_rows(rows: list[WorkRow], corrections: Corrections) -> Iterator[tuple[Any, ...]]:
    seq = 0
    for row in rows:
        for place in row.authorships:
            keep, author_pk = corrections.get((row.openalex_id, place.order), (True, None))
            author = place.author
            yield (
                seq, row.openalex_id, place.order, author.openalex_id, keep, author_pk,
                place.position, place.raw_author_name, place.is_corresponding,
                author.display_name, author.orcid, author.search_name,
            )  # fmt: skip
            seq += 1


def _institution_rows(rows: list[WorkRow]) -> Iterator[tuple[Any, ...]]:
    seq = 0
    for row in rows:
        for place in row.authorships:
            for inst in place.institutions:
                yield (
                    seq, row.openalex_id, place.order, inst.openalex_id,
                    inst.display_name, inst.ror, inst.country_code, inst.type,
                )  # fmt: skip
                seq += 1


def _topic_rows(rows: list[WorkRow]) -> Iterator[tuple[Any, ...]]:
    seq = 0
    for row in rows:
        for topic in row.topics:
            stub = topic.topic
            yield (
                seq, row.openalex_id, stub.openalex_id, topic.score, topic.is_primary,
                stub.display_name, stub.subfield, stub.field, stub.domain,
            )  # fmt: skip
            seq += 1
