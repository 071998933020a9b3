"""Writes for what the owner of a record controls: their profile (each edit kept, staff may
revert one) and their corrections of which works are theirs (a work on a record someone else
claims is a request its claimant answers). Merging duplicate records: services.merges."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from bzpeer.mail import absolute_url, mail_on_commit
from notices.models import Notification
from notices.services import notification_create
from profiles.models import Claim, OwnerProfile, OwnerProfileEdit, WorkTransfer
from works.models import Author, Authorship, AuthorshipOverride, Work
from works.services import (
    AuthorshipError,
    authorship_exclude,
    authorship_include,
    authorship_override_revert,
)

# What an owner is told about their record (a transfer asked or answered, a merge undone).
RECORD_NOTICE_KIND = Notification.Kind.RECORD_CHANGED


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


def record_owner_notify(
    user: AbstractBaseUser | None, *, subject: str, body: str, url: str
) -> None:
    """A notification and an email (on commit) to one account about one of its records."""
    if user is None:
        return
    notification_create(user=user, kind=RECORD_NOTICE_KIND, text=subject, url=url)
    mail_on_commit(to=user.email, subject=subject, body=f"{body}\n\n{absolute_url(url)}")


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
) -> AuthorshipOverride | WorkTransfer:
    """ "This is mine": another record's authorship of the work moves to the owner's. From a
    record someone else claims (a live claim) it is a WorkTransfer that claimant answers
    (work_transfer_decide); staff move it at once, and that claimant is told."""
    with transaction.atomic():
        authorship = (
            Authorship.objects.select_for_update()
            .select_related("work", "author")
            .filter(pk=authorship.pk)
            .first()
        )
        if authorship is None:
            raise AuthorshipError("That authorship is no longer in our index.")
        holder = (
            Claim.objects.live()
            .select_related("user")
            .filter(author_id=authorship.author_id)
            .exclude(user=user)
            .first()
        )
        if holder is None:
            return authorship_include(author=author, authorship=authorship, user=user)
        title = authorship.work.title or authorship.work.openalex_id
        if user.is_staff:
            override = authorship_include(author=author, authorship=authorship, user=user)
            record_owner_notify(
                holder.user,
                subject=f"A moderator moved “{title}” off your record",
                body=(
                    f"A moderator moved the work “{title}” from your record "
                    f"{authorship.author.display_name} to {author.display_name}."
                ),
                url=authorship.author.get_absolute_url(),
            )
            return override
        return _work_transfer_request(
            author=author, authorship=authorship, user=user, holder=holder, title=title
        )


def _work_transfer_request(
    *, author: Author, authorship: Authorship, user: AbstractBaseUser, holder: Claim, title: str
) -> WorkTransfer:
    if Authorship.objects.filter(work=authorship.work, author=author).exists():
        raise AuthorshipError("You are already an author of this work.")
    pending = WorkTransfer.objects.filter(
        work=authorship.work, to_author=author, status=WorkTransfer.Status.PENDING
    )
    if pending.exists():
        raise AuthorshipError("You already asked for this work; its record's owner will answer.")
    transfer = WorkTransfer(
        work=authorship.work, from_author=authorship.author, to_author=author, requested_by=user
    )
    transfer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        # The partial unique index decides between two simultaneous asks, before anyone is
        # told.
        raise AuthorshipError("You already asked for this work a moment ago.") from exc
    record_owner_notify(
        holder.user,
        subject=f"{author.display_name} asks for “{title}” from your record",
        body=(
            f"The owner of the record {author.display_name} says they are the author of "
            f"“{title}” that OpenAlex gave to your record {authorship.author.display_name}. "
            "Nothing moves unless you accept: give the work or keep it here."
        ),
        url=transfer.get_absolute_url(),
    )
    return transfer


def work_transfer_decide(
    *, transfer: WorkTransfer, user: AbstractBaseUser, accept: bool
) -> WorkTransfer:
    """The claimant of the record the work is on (or staff) answers a request: on accept the
    authorship moves as a "This is mine" of the owner who asked; either way they are told."""
    with transaction.atomic():
        transfer = (
            WorkTransfer.objects.select_for_update(of=("self",))
            .select_related("work", "from_author", "to_author", "requested_by")
            .get(pk=transfer.pk)
        )
        if transfer.status != WorkTransfer.Status.PENDING:
            raise AuthorshipError("This request was already answered.")
        title = transfer.work.title or transfer.work.openalex_id
        if accept:
            if (
                not Claim.objects.active()
                .filter(author=transfer.to_author, user=transfer.requested_by)
                .exists()
            ):
                raise AuthorshipError(
                    "Whoever asked no longer owns that record: decline this request."
                )
            authorship = Authorship.objects.filter(
                work=transfer.work, author=transfer.from_author
            ).first()
            if authorship is None:
                raise AuthorshipError("The work is no longer on this record: decline this request.")
            transfer.override = authorship_include(
                author=transfer.to_author,
                authorship=authorship,
                user=transfer.requested_by,
                reason=f"Given by the owner of {transfer.from_author.openalex_id} (request "
                f"{transfer.pk}, answered by {'a moderator' if user.is_staff else 'its owner'})",
            )
        transfer.status = WorkTransfer.Status.ACCEPTED if accept else WorkTransfer.Status.DECLINED
        transfer.decided_by, transfer.decided_at = user, timezone.now()
        transfer.save(update_fields=["status", "decided_by", "decided_at", "override"])
        answer = "accepted" if accept else "declined"
        record_owner_notify(
            transfer.requested_by,
            subject=f"Your request for “{title}” was {answer}",
            body=(
                f"Your request to move “{title}” from {transfer.from_author.display_name} to "
                f"your record was {answer}"
                + (" by a moderator." if user.is_staff else " by that record's owner.")
            ),
            url=transfer.get_absolute_url(),
        )
    return transfer


def owner_correction_undo(
    *, override: AuthorshipOverride, user: AbstractBaseUser
) -> AuthorshipOverride:
    return authorship_override_revert(override=override, user=user)
