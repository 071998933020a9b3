"""Writes to the corpus that span models. The importer (works/importer/) is the main caller."""

import json
from collections.abc import Iterable

from django.db import connection, transaction

from works.models import Authorship, CoAuthorship, Work


def coauthorship_refresh_for_authors(*, author_ids: Iterable[int]) -> None:
    """Make every CoAuthorship row that involves one of `author_ids` (as author or coauthor)
    match Authorship again: delete those rows, then rebuild them, in both directions, with
    one set-based INSERT ... SELECT. Rows between two other authors are not touched."""
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
    pairs = f"""
        FROM {authorship} mine
        JOIN {authorship} theirs
          ON theirs.work_id = mine.work_id AND theirs.author_id <> mine.author_id
        JOIN {work} w ON w.id = mine.work_id
        WHERE {in_set.format("mine.author_id")}
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {coauthorship} WHERE {in_set.format('author_id')}"
            f" OR {in_set.format('coauthor_id')}",
            [param, param],
        )
        # First half: (one of ours, anyone). Second half: the mirror rows (anyone else, one of
        # ours); pairs of two of ours are already in the first half in both directions.
        cursor.execute(
            f"""
            INSERT INTO {coauthorship} (author_id, coauthor_id, shared_works_count, last_year)
            SELECT mine.author_id, theirs.author_id, COUNT(*), MAX(w.publication_year)
            {pairs}
            GROUP BY mine.author_id, theirs.author_id
            UNION ALL
            SELECT theirs.author_id, mine.author_id, COUNT(*), MAX(w.publication_year)
            {pairs} AND NOT ({in_set.format("theirs.author_id")})
            GROUP BY theirs.author_id, mine.author_id
            """,
            [param, param, param],
        )
