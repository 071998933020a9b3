"""Co-authorship rows and works_in_db kept up to date from the changes imports queue
(CoAuthorshipDelta; works/importer/coauthorship_delta.py writes them per batch): the drain
takes every queued change, sums it per author pair and per author, and applies it with a
few set-based statements. Imports drain at the end of every file; a recomputation from
Authorship (works.services) drains first, or it would count the queued changes twice.

Whoever writes CoAuthorship holds the queue's advisory lock exclusively (QUEUE_LOCK); import
batches take it shared to queue, so a drain waits for the batches that have queued to
commit and holds off the others until it has.
"""

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from works.models import (
    COAUTHOR_BYLINE_LIMIT,
    Author,
    Authorship,
    CoAuthorship,
    CoAuthorshipDelta,
    CorpusChange,
    Work,
    WorkTopic,
)

# The import's two-key advisory locks: "BZ" in ASCII, then the lock (works/importer/locks.py).
LOCK_CLASS = 0x425A
AUTHOR_LINKS = 1

_TABLES = {
    "coauthorship": CoAuthorship._meta.db_table,
    "authorship": Authorship._meta.db_table,
    "work": Work._meta.db_table,
    "author": Author._meta.db_table,
    "queue": CoAuthorshipDelta._meta.db_table,
}

# This session's own, as the importer's staging tables are (never WAL-logged, gone with the
# connection), emptied at every drain.
_DRAIN_TABLES = """
    SET LOCAL jit = off;
    CREATE TEMPORARY TABLE IF NOT EXISTS drain_pair (
        author_id bigint, coauthor_id bigint, delta int, new_year int, may_drop bool
    );
    CREATE TEMPORARY TABLE IF NOT EXISTS drain_author (author_id bigint, delta int);
    TRUNCATE drain_pair, drain_author
"""

# Every queued change, summed per pair (and per author) into the staging tables the apply
# statements read. A pair's last_year may have dropped if it lost a dated work whose year is
# above every year it gained; otherwise GREATEST(stored, gained) is right.
# The queue is emptied with TRUNCATE, not DELETE: a DELETE of millions of rows left them dead
# in the table until a vacuum, and every later "anything queued?" read through them (0.1 s
# each, for each of a snapshot's 233 merged authors). Safe here: the drain holds the queue's
# lock, so no other transaction is writing to the queue.
_TAKE = """
    WITH pairs AS (
        INSERT INTO drain_pair (author_id, coauthor_id, delta, new_year, may_drop)
        SELECT author_id, coauthor_id, SUM(delta), MAX(new_year), BOOL_OR(may_drop)
        FROM {queue} WHERE coauthor_id IS NOT NULL
        GROUP BY author_id, coauthor_id
        RETURNING delta
    ),
    counts AS (
        INSERT INTO drain_author (author_id, delta)
        SELECT author_id, SUM(delta) FROM {queue} WHERE coauthor_id IS NULL
        GROUP BY author_id HAVING SUM(delta) <> 0
    )
    SELECT COUNT(*), COALESCE(BOOL_OR(delta < 0), false) FROM pairs
""".format(**_TABLES)

_EMPTY = "TRUNCATE {queue}".format(**_TABLES)

# Existing pairs move by their delta (last_year re-read from Authorship only where it may
# have dropped; rows the change leaves as they are not rewritten); pairs that are new are
# inserted, if both authors are still there (a merge may have removed one since), in index
# order (2.5 times faster than in any order for a first import). The NOT EXISTS keeps this
# statement from touching a row twice. No ON CONFLICT: whoever writes CoAuthorship holds
# the queue's lock (drains, and recomputations, which drain first).
_PAIR_APPLY = """
    WITH changed AS (
        UPDATE {coauthorship} c
        SET shared_works_count = GREATEST(c.shared_works_count + d.delta, 0),
            last_year = CASE WHEN d.may_drop THEN (
                    SELECT MAX(w.publication_year)
                    FROM {authorship} mine
                    JOIN {authorship} theirs
                      ON theirs.work_id = mine.work_id AND theirs.author_id = c.coauthor_id
                    JOIN {work} w ON w.id = mine.work_id
                    WHERE mine.author_id = c.author_id AND w.byline_size <= {limit}
                ) ELSE GREATEST(c.last_year, d.new_year) END
        FROM drain_pair d
        WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
          AND (d.delta <> 0 OR d.may_drop OR d.new_year > COALESCE(c.last_year, -1))
        RETURNING c.author_id, c.coauthor_id
    )
    INSERT INTO {coauthorship} (author_id, coauthor_id, shared_works_count, last_year)
    SELECT d.author_id, d.coauthor_id, d.delta, d.new_year
    FROM drain_pair d
    WHERE d.delta > 0
      AND NOT EXISTS (
        SELECT 1 FROM changed c
        WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
      )
      AND EXISTS (SELECT 1 FROM {author} a WHERE a.id = d.author_id)
      AND EXISTS (SELECT 1 FROM {author} a WHERE a.id = d.coauthor_id)
    ORDER BY d.author_id, d.coauthor_id
""".format(**_TABLES, limit=COAUTHOR_BYLINE_LIMIT)

_PAIR_DELETE = """
    DELETE FROM {coauthorship} c USING drain_pair d
    WHERE c.author_id = d.author_id AND c.coauthor_id = d.coauthor_id
      AND c.shared_works_count = 0
""".format(**_TABLES)

_WORKS_IN_DB = """
    UPDATE {author} a SET works_in_db = GREATEST(a.works_in_db + d.delta, 0)
    FROM drain_author d
    WHERE a.id = d.author_id
""".format(**_TABLES)


def author_links_drain(connection: BaseDatabaseWrapper) -> None:
    """Apply every queued change (call inside a transaction; PostgreSQL only): two
    statements when there is none, else five to eight; none of them reads more of
    Authorship than the pairs whose last_year may have dropped."""
    with connection.cursor() as cursor:
        # Its own statement: a statement's snapshot is taken before it waits for the lock, and
        # must see what the batches that held the lock committed.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, AUTHOR_LINKS])
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_TABLES['queue']})")
        if not cursor.fetchone()[0]:
            return
        cursor.execute(_DRAIN_TABLES)
        CorpusChange.objects.create()  # to announce: co-author lists and counts change
        cursor.execute(_TAKE)
        pairs, lost = cursor.fetchone()
        cursor.execute(_EMPTY)
        if pairs:
            # Thousands to millions of rows, no statistics: without them the planner probes
            # the co-authorship index once per row even where a hash join is cheaper.
            cursor.execute("ANALYZE drain_pair")
            cursor.execute(_PAIR_APPLY)
        if lost:
            cursor.execute(_PAIR_DELETE)
        cursor.execute(_WORKS_IN_DB)
        _analyze_if_grown(cursor, pairs)


# The tables an import grows. Their statistics must follow: planned with the counts of a
# table a tenth of its size, a recomputation after a merge scanned all 47 million
# co-authorship rows (30 s) instead of reading a few thousand by index. Autovacuum does this
# eventually, if it is on; a bulk import outruns it.
_GROWN = (CoAuthorship, Authorship, Work, Author)
# And every other table an import grows, for statistics_refresh: a page's topic and
# institution tallies join them, and without statistics (never analyzed: -1 rows) the
# planner read all 3 million topic rows for a researcher of 50 works (seconds per page).
_GROWN_ALL = (
    *_GROWN,
    WorkTopic,
    Authorship.institutions.through,
    Author.last_known_institutions.through,
)


def _analyze_if_grown(cursor, pairs: int) -> None:  # noqa: ANN001
    """ANALYZE the tables an import grows once a drain changed a tenth as many pairs as the
    statistics say the table holds (autovacuum's own threshold): about two seconds at a
    million works, a few dozen times at most in an import that grows the table from nothing.
    One statement either way (the test of a batch's queries counts it)."""
    tables = ", ".join(model._meta.db_table for model in _GROWN)
    table = _TABLES["coauthorship"]
    known = f"SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = '{table}'::regclass"
    cursor.execute(
        f"DO $$ BEGIN IF {int(pairs)} > ({known}) / 10 THEN ANALYZE {tables}; END IF; END $$"
    )


# Tables smaller than this are planned well enough without statistics (and a test
# database's few rows keep the plans its tests check).
STATISTICS_MIN_BYTES = 8 * 1024 * 1024


def statistics_refresh() -> None:
    """ANALYZE each table an import grows that was never analyzed, or whose size or live row
    count is a tenth off what its statistics say, as autovacuum would, in one statement:
    announced imports end with plans made for the corpus they left, even where autovacuum is
    off or behind."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join(f"'{model._meta.db_table}'" for model in _GROWN_ALL)
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ DECLARE stale text; BEGIN"
            " FOR stale IN SELECT c.relname FROM pg_class c"
            " JOIN pg_stat_user_tables s ON s.relid = c.oid"
            f" WHERE c.relname IN ({names})"
            f" AND pg_relation_size(c.oid) >= {int(STATISTICS_MIN_BYTES)} AND (c.reltuples < 0"
            " OR pg_relation_size(c.oid) > 1.1 * c.relpages * current_setting('block_size')::int"
            " OR s.n_live_tup > 1.1 * c.reltuples OR s.n_live_tup < 0.9 * c.reltuples)"
            " LOOP EXECUTE format('ANALYZE %I', stale); END LOOP; END $$"
        )
