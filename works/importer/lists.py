"""OpenAlex's lists of withdrawn and merged ids, applied after a snapshot's records.

works/deleted_ids.csv: the works are deleted and remembered (DeletedWork) so that no later
import brings them back. merged_ids/<entity>/*.csv: each row is stored (MergedId), so later
references to the old id lead to the new one, and a local record with the old id is folded
into the new record (its links moved, itself removed) or, if that record is not here yet,
renamed to it as a stub.
"""

from datetime import date
from pathlib import Path

from django.db import transaction

from works.importer.load import MODELS, Loader
from works.importer.merges import fold_into
from works.importer.parse import ENTITY_BY_LETTER, OTHER, ParseError, short_id
from works.importer.readers import read_csv_rows
from works.models import Authorship, DeletedWork, MergedId, Work
from works.services import author_links_refresh, corpus_change_note

CHUNK = 1000


def apply_deleted_ids(path: Path, loader: Loader, *, strict: bool) -> None:
    chunk: list[str] = []
    for number, cells in read_csv_rows(path):
        value = next((cell.strip() for cell in cells if cell.strip()), "")
        if not value:
            continue
        try:
            work_id = _id_of(value, "works")
        except ParseError as exc:
            if number > 1:  # line 1 may be a header
                loader.reject(f"{path}:{number}", str(exc), entity=OTHER, strict=strict)
            continue
        chunk.append(work_id)
        if len(chunk) >= CHUNK:
            _delete_works(chunk, loader)
            chunk = []
    _delete_works(chunk, loader)


def _delete_works(ids: list[str], loader: Loader) -> None:
    if not ids:
        return
    with transaction.atomic():
        DeletedWork.objects.bulk_create(
            [DeletedWork(openalex_id=openalex_id) for openalex_id in ids], ignore_conflicts=True
        )
        works = Work.objects.filter(openalex_id__in=ids)
        authors = set(Authorship.objects.filter(work__in=works).values_list("author_id", flat=True))
        _, deleted = works.delete()
        author_links_refresh(author_ids=authors)
        if deleted.get(Work._meta.label):
            corpus_change_note()
    loader.summary.deleted_ids += len(ids)
    loader.summary.deleted_works += deleted.get(Work._meta.label, 0)
    loader.written(bool(deleted.get(Work._meta.label)))


def apply_merged_ids(entity: str, path: Path, loader: Loader, *, strict: bool) -> None:
    columns: tuple[int | None, int, int] | None = None
    chunk: dict[str, tuple[str, date | None]] = {}
    for number, cells in read_csv_rows(path):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if columns is None:
            columns = (0, 1, 2)
            names = [cell.lower() for cell in cells]
            if "id" in names and "merge_into_id" in names:
                date_column = names.index("merge_date") if "merge_date" in names else None
                columns = (date_column, names.index("id"), names.index("merge_into_id"))
                continue
        date_column, old_column, new_column = columns
        try:
            old_id = _id_of(_cell(cells, old_column), entity)
            new_id = _id_of(_cell(cells, new_column), entity)
        except ParseError as exc:
            loader.reject(f"{path}:{number}", str(exc), entity=OTHER, strict=strict)
            continue
        has_date = date_column is not None and date_column < len(cells)
        merged_on = cells[date_column] if has_date else ""
        try:
            merge_date = date.fromisoformat(merged_on[:10]) if merged_on else None
        except ValueError:
            merge_date = None
        if old_id != new_id:
            chunk[old_id] = (new_id, merge_date)
        if len(chunk) >= CHUNK:
            _merge(entity, chunk, loader)
            chunk = {}
    _merge(entity, chunk, loader)


def _merge(entity: str, rows: dict[str, tuple[str, date | None]], loader: Loader) -> None:
    if not rows:
        return
    applied = 0
    with transaction.atomic():
        MergedId.objects.bulk_create(
            [
                MergedId(entity=entity, old_id=old_id, new_id=new_id, merge_date=merge_date)
                for old_id, (new_id, merge_date) in rows.items()
            ],
            update_conflicts=True,
            unique_fields=["entity", "old_id"],
            update_fields=["new_id", "merge_date"],
        )
        loader.merges.forget()
        model = MODELS[entity]
        local = dict(model.objects.filter(openalex_id__in=rows).values_list("openalex_id", "pk"))
        leads_to = loader.merges.resolve(local)
        for old_id, pk in local.items():
            if old_id in leads_to:
                fold_into(model, old_pk=pk, new_id=leads_to[old_id])
                applied += 1
        if applied:
            corpus_change_note()
    loader.summary.merges_applied += applied
    loader.summary.merged_ids += len(rows)
    loader.written(bool(applied))


def _id_of(value: str, entity: str) -> str:
    openalex_id = short_id(value)
    if ENTITY_BY_LETTER.get(openalex_id[0]) != entity:
        raise ParseError(f"{value!r} is not an id of {entity}")
    return openalex_id


def _cell(cells: list[str], column: int) -> str:
    if column >= len(cells):
        raise ParseError(f"expected at least {column + 1} columns")
    return cells[column]
