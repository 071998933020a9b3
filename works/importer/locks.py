"""How imports running at once (import_openalex --workers, --queue, or two commands) keep out
of each other's way on PostgreSQL: transaction-scoped advisory locks, so nothing is left held
by a process that dies.

- A batch locks the ids of its records (one key per id, taken in key order, so two batches
  never wait on each other in a cycle): no two processes write the same record at once, and
  what a batch reads of its records before writing them (stored or not, how old) stays true
  until it commits.
- The co-authorship rows and works_in_db move by each batch's delta: one batch at a time
  (AUTHOR_LINKS: shared to queue a batch's change, exclusive to apply the queue; see
  works/coauthorship.py), or two batches
  sharing an author would add to the same counters from stale reads, or deadlock.
- Under --strict a file's batches are savepoints of one transaction that holds its locks
  until the whole file is written: such a file takes WHOLE_CORPUS exclusively instead, and
  every other batch takes it shared, so a strict file writes alone (rather than holding one
  lock per record of the file, which could fill PostgreSQL's lock table). The deleted and
  merged id lists take it exclusively too (see lists_lock).

Conflicts that remain (a stub two batches insert at once, a row one batch updates while
another inserts a stub it needs) end in a deadlock or a unique violation for one of them:
load.Loader._write_batch rolls that batch back and writes it again.
"""

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, connection

from works.coauthorship import LOCK_CLASS

# The two-key advisory locks have a key space of their own, apart from the one-key locks on
# record ids; the co-authorship queue's lock is works.coauthorship's.
WHOLE_CORPUS = 0

# SQLSTATEs of a write that met another process's: deadlock_detected, serialization_failure,
# unique_violation (a row the batch found missing was inserted by another meanwhile).
_CONFLICTS = {"40P01", "40001", "23505"}


def record_key(openalex_id: str) -> int:
    """A signed 64-bit key for an id (a collision only makes two batches wait for each other)."""
    digest = hashlib.blake2b(openalex_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_batch(rows: Iterable[Any]) -> None:
    """Lock a batch's records until its transaction ends (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return  # SQLite takes its write lock when the batch's transaction begins
    with connection.cursor() as cursor:
        # Inside an outer transaction (--strict): the file holds the corpus until it commits.
        if connection.in_atomic_block and len(connection.savepoint_ids) > 0:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, WHOLE_CORPUS])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [LOCK_CLASS, WHOLE_CORPUS])
        keys = sorted({record_key(row.openalex_id) for row in rows})
        # unnest() yields the array in order, so the keys are taken in ascending order.
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def lists_lock() -> None:
    """Take the whole corpus for the deleted and merged id lists (call inside the transaction
    that applies them): they delete and fold records any batch may be writing, and recount
    co-authorships from Authorship."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, WHOLE_CORPUS])


def is_write_conflict(exc: DatabaseError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in _CONFLICTS
