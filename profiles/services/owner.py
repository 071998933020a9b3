"""Writes for what the owner of a record controls: their profile (each edit kept, staff may
revert one), their corrections of which works are theirs, and merging a duplicate record."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bzpeer.errors import ActionError
from profiles.models import Claim, OwnerProfile, OwnerProfileEdit, RecordMerge
from works.importer.merges import fold_into
from works.models import Author, Authorship, AuthorshipOverride, MergedId, Work
from works.services import (
    authorship_exclude,
    authorship_include,
    authorship_override_revert,
    corpus_version_bump,
)


class MergeError(ActionError):
    """A merge that cannot happen; the message is shown to the person as it is."""


def owner_profile_update(
    *,
    author: Author,
    user: AbstractBaseUser,
    summary: str,
    open_to_collaborate: bool | None,
    shown_institution_id: int | None,
) -> OwnerProfile:
    """The owner's summary, collaboration flag and shown affiliation (the page's cache stamp
    follows updated_at)."""
    with transaction.atomic():
        profile, _ = OwnerProfile.objects.select_for_update().get_or_create(author=author)
        before = _profile_values(profile)
        profile.summary = summary.strip()
        profile.open_to_collaborate = open_to_collaborate
        profile.shown_institution_id = shown_institution_id
        profile.updated_by = user
        profile.full_clean()
        profile.save(
            update_fields=[
                "summary", "open_to_collaborate", "shown_institution", "updated_by", "updated_at"
            ]
        )  # fmt: skip
        OwnerProfileEdit.objects.create(
            profile=profile, before=before, after=_profile_values(profile), edited_by=user
        )
    return profile


def _profile_values(profile: OwnerProfile) -> dict:
    return {
        "summary": profile.summary,
        "open_to_collaborate": profile.open_to_collaborate,
        "shown_institution_id": profile.shown_institution_id,
    }


def owner_profile_edit_revert(*, edit: OwnerProfileEdit, user: AbstractBaseUser) -> OwnerProfile:
    """Staff put a profile back as it was before an edit (itself a new edit in the history)."""
    before = edit.before
    return owner_profile_update(
        author=edit.profile.author,
        user=user,
        summary=before.get("summary", ""),
        open_to_collaborate=before.get("open_to_collaborate"),
        shown_institution_id=before.get("shown_institution_id"),
    )


def author_merge_duplicate(
    *, into: Author, duplicate: Author, user: AbstractBaseUser
) -> RecordMerge:
    """Fold a duplicate record of the owner's into their record: its works move over (a work
    on both keeps one authorship), its id leads to the owner's record from now on (a
    MergedId, which every later import also follows), and the merge is kept in the history."""
    if into.pk == duplicate.pk:
        raise MergeError("A record cannot be merged into itself.")
    with transaction.atomic():
        # Lock both rows in id order: two merges of the same pair cannot interleave.
        locked = list(
            Author.objects.select_for_update().filter(pk__in=[into.pk, duplicate.pk]).order_by("pk")
        )
        if len(locked) != 2:
            raise MergeError("That record is no longer in our index.")
        if Claim.objects.live().filter(author=duplicate).exists():
            raise MergeError("That record is claimed; it cannot be merged into yours.")
        works_before = into.works_in_db
        merge = RecordMerge(
            into=into,
            duplicate_openalex_id=duplicate.openalex_id,
            duplicate_name=duplicate.display_name,
            merged_by=user,
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


# --- the owner's corrections of which works are theirs ---------------------------------------
# The rules of the correction itself live in works.services (the importer obeys the same
# rows); these are the owner's doors to them.


def owner_work_exclude(
    *, author: Author, work: Work, user: AbstractBaseUser, reason: str
) -> AuthorshipOverride:
    """ "Not me": the work leaves the owner's record and stays off it."""
    return authorship_exclude(author=author, work=work, user=user, reason=reason)


def owner_work_include(
    *, author: Author, authorship: Authorship, user: AbstractBaseUser
) -> AuthorshipOverride:
    """ "This is mine": another record's authorship of the work moves to the owner's."""
    return authorship_include(author=author, authorship=authorship, user=user)


def owner_correction_undo(
    *, override: AuthorshipOverride, user: AbstractBaseUser
) -> AuthorshipOverride:
    return authorship_override_revert(override=override, user=user)
