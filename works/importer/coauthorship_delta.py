"""Co-authorship rows and works_in_db kept up to date from what import batches changed, on
PostgreSQL, in two steps:

1. queue (every batch, in its transaction): from the (work, author) links the batch removed
   (import_old_link: the replaced works' links as they were, with the year the work had) and
   added (import_new_link), as staging.py holds them, the change per author pair and per
   author is computed and appended to CoAuthorshipDelta. A new work adds pairs among its
   authors; a replaced work removes its old pairs and adds its new ones, and a pair on both
   sides with the same year cancels out.
2. drain (works/coauthorship.py; at the end of every file, every DRAIN_EVERY queued rows,
   and before any recomputation from Authorship): every queued change is taken, summed per
   pair and applied with a few set-based statements.

Applying per batch rewrote a prolific author's pair rows once per batch they were in (each
an UPDATE of an indexed row): 25 of the 40 s of SQL of a 20,000-work import. Queued, a row is
written once per drain, and a first import into an empty table is one INSERT. A crash loses
nothing: a batch's queued changes commit with its authorships, and the next drain (the re-run,
or any recomputation) applies them. Until then co-author lists and works_in_db lag behind.

Links are one row per work and author, so a work counts once for a pair however many places
of its byline either author holds, and an author is never paired with themselves. A work
whose byline is longer than COAUTHOR_BYLINE_LIMIT pairs nobody (its links still count in
works_in_db): a work that crosses the limit on update loses or gains all its pairs. Nothing
is recomputed from Authorship except last_year of the few pairs whose latest shared work may
have gone.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

from works.coauthorship import AUTHOR_LINKS, LOCK_CLASS
from works.models import COAUTHOR_BYLINE_LIMIT, CoAuthorshipDelta

# Queued rows after which a loader drains without waiting for the end of its file: bounds
# the table, and the wait of a recomputation that has to drain first.
DRAIN_EVERY = 2_000_000

_TABLES = {"queue": CoAuthorshipDelta._meta.db_table}

# Per pair: how many shared works it gains (+1) or loses (-1), the latest year among the
# works it gains, and whether its latest year may have dropped (it lost a dated work, or a
# work's year went down or away), the only case that needs a look at Authorship.
_PAIR_DELTA = f"""
    WITH old_pairs AS (
        SELECT x.author_id, y.author_id AS coauthor_id, x.work_id, x.year
        FROM import_old_link x
        JOIN import_old_link y ON y.work_id = x.work_id AND y.author_id <> x.author_id
        WHERE x.byline <= {COAUTHOR_BYLINE_LIMIT}
    ),
    new_pairs AS (
        SELECT x.author_id, y.author_id AS coauthor_id, x.work_id, x.year
        FROM import_new_link x
        JOIN import_new_link y ON y.work_id = x.work_id AND y.author_id <> x.author_id
        WHERE x.byline <= {COAUTHOR_BYLINE_LIMIT}
    ),
    moved AS (
        SELECT COALESCE(n.author_id, o.author_id) AS author_id,
               COALESCE(n.coauthor_id, o.coauthor_id) AS coauthor_id,
               (n.work_id IS NOT NULL)::int - (o.work_id IS NOT NULL)::int AS delta,
               n.year AS new_year,
               (o.year IS NOT NULL AND (n.work_id IS NULL OR n.year IS NULL OR n.year < o.year))
                   AS may_drop
        FROM new_pairs n
        FULL JOIN old_pairs o
          ON o.work_id = n.work_id AND o.author_id = n.author_id
         AND o.coauthor_id = n.coauthor_id
        WHERE n.work_id IS NULL OR o.work_id IS NULL OR n.year IS DISTINCT FROM o.year
    ),
    summed AS (
        INSERT INTO import_pair_delta (author_id, coauthor_id, delta, new_year, may_drop)
        SELECT author_id, coauthor_id, SUM(delta), MAX(new_year), BOOL_OR(may_drop)
        FROM moved GROUP BY author_id, coauthor_id
        RETURNING delta
    )
    SELECT COUNT(*), COALESCE(BOOL_OR(delta < 0), false) FROM summed
"""

# The batch's change per author (coauthor_id NULL): works_in_db counts works, not places.
_QUEUE = """
    INSERT INTO {queue} (author_id, coauthor_id, delta, new_year, may_drop)
    SELECT author_id, coauthor_id, delta, new_year, may_drop FROM import_pair_delta
    UNION ALL
    SELECT author_id, NULL, SUM(n), NULL, false FROM (
        SELECT author_id, 1 AS n FROM import_new_link
        UNION ALL
        SELECT author_id, -1 FROM import_old_link
    ) links
    GROUP BY author_id HAVING SUM(n) <> 0
""".format(**_TABLES)


def author_links_queue(connection: BaseDatabaseWrapper) -> int:
    """Queue the staged links' change (in the batch's transaction); returns the rows queued."""
    with connection.cursor() as cursor:
        cursor.execute(_PAIR_DELTA)
        # Shared: batches queue side by side; a drain (exclusive) waits for those that have
        # queued to commit, and holds off the others until it has, so what it takes and what
        # it reads of Authorship agree.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [LOCK_CLASS, AUTHOR_LINKS])
        cursor.execute(_QUEUE)
        return cursor.rowcount
