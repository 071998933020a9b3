"""Merged OpenAlex ids: where an old id leads now, and folding a local record into the one it
was merged into."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.db.models import Q

from works.importer.parse import ENTITY_BY_LETTER
from works.models import Author, Authorship, CoAuthorship, MergedId, Work, WorkTopic
from works.services import author_links_refresh

# A work's authorships and topics are its own content, not links to move to the work it was
# merged into (which has its own); co-authorship rows are recomputed, never moved. An
# author's authorships all move: a work that named both records keeps both places of its
# byline, now the one record's, each with what was printed there (and counts once for it).
_NOT_MOVED = {Work: {Authorship, WorkTopic}, Author: {CoAuthorship}}


class MergeMap:
    """Where merged-away ids lead now (MergedId), looked up per batch with one query, and
    not at all while the table is empty (the common case before merged_ids are applied)."""

    def __init__(self) -> None:
        self._any: bool | None = None

    def forget(self) -> None:
        self._any = None

    def resolve(self, ids: Iterable[str]) -> dict[str, str]:
        """{old id: the id it finally leads to} for those of `ids` that were merged away."""
        if self._any is None:
            self._any = MergedId.objects.exists()
        wanted = set(ids)
        if not self._any or not wanted:
            return {}
        resolved: dict[str, str] = {}
        for _ in range(5):  # chains (A merged into B, B into C) are short; cycles are not followed
            by_entity = defaultdict(list)
            for openalex_id in wanted:
                by_entity[ENTITY_BY_LETTER.get(openalex_id[0], "")].append(openalex_id)
            lookup = Q()
            for entity, entity_ids in by_entity.items():
                lookup |= Q(entity=entity, old_id__in=entity_ids)
            found = dict(MergedId.objects.filter(lookup).values_list("old_id", "new_id"))
            if not found:
                break
            for old, new in list(resolved.items()):
                resolved[old] = found.get(new, new)
            for old, new in found.items():
                resolved.setdefault(old, new)
            wanted = set(found.values())
        return {old: new for old, new in resolved.items() if old != new}


def fold_into(model: type[models.Model], *, old_pk: int, new_id: str) -> None:
    new_pk = model.objects.filter(openalex_id=new_id).values_list("pk", flat=True).first()
    if new_pk is None:
        # Not here yet: the old row becomes a stub of the new id (links kept as they are),
        # and the new id's own record replaces its fields when it comes.
        model.objects.filter(pk=old_pk).update(openalex_id=new_id, updated_date=None)
        return
    if model is Work:
        touched = set(Authorship.objects.filter(work_id=old_pk).values_list("author_id", flat=True))
    else:
        touched = {new_pk} if model is Author else set()
    _move_links(model, old_pk, new_pk)
    model.objects.filter(pk=old_pk).delete()
    author_links_refresh(author_ids=touched)


def _move_links(model: type[models.Model], old_pk: int, new_pk: int) -> None:
    """Point every row that refers to the old record (in any app) at the new one. A row that
    would duplicate one the new record already has stays behind and goes with the old record."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.one_to_many):
            # One-to-one rows (a computed score, say) describe the old record itself: they
            # are deleted with it rather than overwriting the new record's.
            continue
        related = relation.related_model
        if related in _NOT_MOVED.get(model, ()):
            continue
        column = relation.field.name
        rows = related._base_manager.filter(**{column: old_pk})
        try:
            with transaction.atomic():
                rows.update(**{column: new_pk})
        except IntegrityError:
            for pk in rows.values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        related._base_manager.filter(pk=pk).update(**{column: new_pk})
                except IntegrityError:
                    pass
