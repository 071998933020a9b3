"""Writes for merging a duplicate record into an owner's: only a likely duplicate (what the
merge page suggests) unless staff merge it, and staff undo a merge. The duplicate record is
deleted by the merge (works.importer.merges.fold_into, the importer's own code);
RecordMerge.snapshot keeps what it takes to put it back."""

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bzpeer.errors import ActionError
from profiles.models import Claim, RecordMerge
from profiles.selectors.owner import DUPLICATE_MIN_SHARED_COAUTHORS, author_is_likely_duplicate
from profiles.services.owner import record_owner_notify
from works.importer.merges import fold_into
from works.models import Author, Authorship, CoAuthorship, Institution, MergedId, Work
from works.services import author_links_refresh, corpus_version_bump


class MergeError(ActionError):
    """A merge that cannot happen; the message is shown to the person as it is."""


# Rows of these tables that pointed at the duplicate are not simply moved back on undo:
# authorships are restored from their snapshot, co-authorships recomputed.
_NOT_MOVED_BACK = (Authorship, CoAuthorship)


def _merge_snapshot(duplicate: Author) -> dict:
    links = {}
    for relation in Author._meta.get_fields(include_hidden=True):
        # As fold_into's _move_links: one-to-many rows of any app that refer to the record.
        if not (relation.auto_created and not relation.concrete and relation.one_to_many):
            continue
        if relation.related_model in _NOT_MOVED_BACK:
            continue
        column = relation.field.name
        pks = list(
            relation.related_model._base_manager.filter(**{column: duplicate.pk}).values_list(
                "pk", flat=True
            )
        )
        if pks:
            links[f"{relation.related_model._meta.label}:{column}"] = pks
    authorships = Authorship.objects.filter(author=duplicate).prefetch_related("institutions")
    return {
        "author": {f.attname: f.value_from_object(duplicate) for f in Author._meta.concrete_fields},
        "last_known_institution_ids": list(
            duplicate.last_known_institutions.values_list("id", flat=True)
        ),
        "authorships": [
            {
                "id": a.pk,
                "work_id": a.work_id,
                "order": a.order,
                "position": a.position,
                "raw_author_name": a.raw_author_name,
                "is_corresponding": a.is_corresponding,
                "created_at": a.created_at,
                "institution_ids": [i.pk for i in a.institutions.all()],
            }
            for a in authorships
        ],
        "links": links,
    }


def author_merge_duplicate(
    *, into: Author, duplicate: Author, user: AbstractBaseUser
) -> RecordMerge:
    """Fold a duplicate record of the owner's into their record: its works move over (a work
    on both keeps both byline places, counted once), its id leads to the owner's record from
    now on (a MergedId, which every later import also follows), and the merge is kept in the
    history with what it takes to undo it. Only a likely duplicate (author_is_likely_duplicate, what
    the merge page suggests); staff may merge any unclaimed record."""
    if into.pk == duplicate.pk:
        raise MergeError("A record cannot be merged into itself.")
    with transaction.atomic():
        # Lock both rows in id order: two merges of the same pair cannot interleave. The
        # checks below read the locked rows, not what the caller was given.
        locked = {
            a.pk: a
            for a in Author.objects.select_for_update()
            .filter(pk__in=[into.pk, duplicate.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise MergeError("That record is no longer in our index.")
        into, duplicate = locked[into.pk], locked[duplicate.pk]
        if Claim.objects.live().filter(author=duplicate).exists():
            raise MergeError("That record is claimed; it cannot be merged into yours.")
        if not user.is_staff and not author_is_likely_duplicate(author=into, other=duplicate):
            raise MergeError(
                "That record is not a likely duplicate of yours (the same family name and "
                f"first initial, and {DUPLICATE_MIN_SHARED_COAUTHORS} or more co-authors in "
                "common), so it cannot be merged from here: ask a moderator to look at it."
            )
        works_before = into.works_in_db
        merge = RecordMerge(
            into=into,
            duplicate_openalex_id=duplicate.openalex_id,
            duplicate_name=duplicate.display_name,
            merged_by=user,
            snapshot=_merge_snapshot(duplicate),
        )
        MergedId.objects.update_or_create(
            entity="authors",
            old_id=duplicate.openalex_id,
            defaults={"new_id": into.openalex_id, "merge_date": timezone.localdate()},
        )
        fold_into(Author, old_pk=duplicate.pk, new_id=into.openalex_id)
        into.refresh_from_db(fields=["works_in_db"])
        merge.works_moved = into.works_in_db - works_before
        merge.full_clean()
        merge.save()
        corpus_version_bump()
    return merge


def author_merge_undo(*, merge: RecordMerge, user: AbstractBaseUser) -> RecordMerge:
    """Staff put a merged duplicate back as it was: the record (same id and fields), its
    authorships (those moved go back, those dropped because the owner's record was on the
    same work are recreated where their place is free) and every other row that pointed at
    it and still points at the owner's record (follows, corrections, old claims); its
    MergedId goes. Works imported onto the owner's record through the MergedId meanwhile
    stay there. The merge stays in the history, marked undone, and its author is told."""
    with transaction.atomic():
        merge = (
            RecordMerge.objects.select_for_update(of=("self",))
            .select_related("merged_by")
            .get(pk=merge.pk)
        )
        if merge.reverted_at is not None:
            raise MergeError("This merge was already undone.")
        snap = merge.snapshot
        if not snap.get("author"):
            raise MergeError("This merge is older than undo: it has no record to put back.")
        into = Author.objects.select_for_update().get(pk=merge.into_id)
        fields = {
            f.attname: f.to_python(snap["author"][f.attname])
            for f in Author._meta.concrete_fields
            if f.attname in snap["author"]
        }
        if Author.objects.filter(
            Q(pk=fields["id"]) | Q(openalex_id=fields["openalex_id"])
        ).exists():
            raise MergeError(f"A record {fields['openalex_id']} is in our index again.")
        restored = Author(**fields)
        restored.save(force_insert=True)
        for key, pks in snap.get("links", {}).items():
            label, column = key.split(":")
            apps.get_model(label)._base_manager.filter(pk__in=pks, **{column: into.pk}).update(
                **{column: restored.pk}
            )
        restored.last_known_institutions.add(
            *Institution.objects.filter(pk__in=snap.get("last_known_institution_ids", []))
        )
        for row in snap.get("authorships", []):
            _authorship_restore(row, into=into, restored=restored)
        MergedId.objects.filter(
            entity="authors", old_id=restored.openalex_id, new_id=into.openalex_id
        ).delete()
        author_links_refresh(author_ids=[into.pk, restored.pk])
        corpus_version_bump()
        merge.reverted_at, merge.reverted_by = timezone.now(), user
        merge.save(update_fields=["reverted_at", "reverted_by"])
        record_owner_notify(
            merge.merged_by,
            subject=f"A moderator undid your merge of {merge.duplicate_name}",
            body=(
                f"{merge.duplicate_name} ({merge.duplicate_openalex_id}) is a record of its own "
                f"again, with its works; your record {into.display_name} is as before the merge."
            ),
            url=into.get_absolute_url(),
        )
    return merge


def _authorship_restore(row: dict, *, into: Author, restored: Author) -> None:
    moved = Authorship.objects.filter(pk=row["id"], work_id=row["work_id"], author=into)
    if moved.update(author=restored):
        return
    # Dropped by the merge (the owner's record was on the work too): back as it was, unless
    # the work is gone or its place in the author list is taken by now.
    taken = Authorship.objects.filter(work_id=row["work_id"]).filter(
        Q(order=row["order"]) | Q(author=restored)
    )
    if not Work.objects.filter(pk=row["work_id"]).exists() or taken.exists():
        return
    field = Authorship._meta.get_field
    authorship = Authorship.objects.create(
        work_id=row["work_id"],
        author=restored,
        order=row["order"],
        position=row["position"],
        raw_author_name=row["raw_author_name"],
        is_corresponding=row["is_corresponding"],
        created_at=field("created_at").to_python(row["created_at"]),
    )
    authorship.institutions.set(Institution.objects.filter(pk__in=row["institution_ids"]))
