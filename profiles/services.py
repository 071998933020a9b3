"""Writes on the people side: follows, and claims (each change recorded as a ClaimEvent and
its emails sent once the transaction commits)."""

import secrets

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notices.models import Notification
from notices.services import notification_create
from profiles.claim_evidence import email_domain_matches
from profiles.models import (
    Claim,
    ClaimEvent,
    Follow,
    OwnerProfile,
    OwnerProfileEdit,
    RecordMerge,
)
from profiles.selectors import author_claim_domains, user_has_verified_email
from works.importer.merges import fold_into
from works.models import Author, MergedId
from works.orcid import orcid_normalize
from works.services import corpus_version_bump

_TOKEN_SALT = "profiles.claim-email"


class ClaimError(Exception):
    """A claim action that cannot happen; the message is shown to the person as it is."""


def _event(*, claim: Claim, kind: str, actor: AbstractBaseUser | None, note: str = "") -> None:
    event = ClaimEvent(claim=claim, kind=kind, actor=actor, note=note)
    event.full_clean()
    event.save()


def _locked(claim: Claim, *, statuses: tuple[str, ...], error: str) -> Claim:
    # Re-read the row under a lock: two moderators (or a moderator and the owner) acting at
    # once are serialised, and the second sees the first one's outcome.
    fresh = Claim.objects.select_for_update().select_related("author", "user").get(pk=claim.pk)
    if fresh.status not in statuses:
        raise ClaimError(error)
    return fresh


def _mail_on_commit(*, to: str, subject: str, body: str) -> None:
    if not to:
        return
    transaction.on_commit(
        lambda: send_mail(f"[BZPEER] {subject}", body, settings.DEFAULT_FROM_EMAIL, [to])
    )


@transaction.atomic
def follow_create(*, user: AbstractBaseUser, author: Author) -> tuple[Follow, bool]:
    """`user` follows `author`; following twice is one follow. The unique constraint decides
    between simultaneous requests: get_or_create inserts inside a savepoint and, when another
    transaction's row wins, reads that row instead."""
    return Follow.objects.get_or_create(user=user, author=author)


@transaction.atomic
def follow_delete(*, user: AbstractBaseUser, author: Author) -> bool:
    """`user` stops following `author`; True if there was a follow to end."""
    deleted, _ = Follow.objects.filter(user=user, author=author).delete()
    return bool(deleted)


def claim_request(*, user: AbstractBaseUser, author: Author) -> Claim:
    """A pending claim (level 2) of `author` by `user`. At most one live claim per record and
    per account, held by the database's partial unique indexes: of two simultaneous requests
    exactly one gets through and the other raises ClaimError."""
    if not user_has_verified_email(user=user):
        raise ClaimError("Verify your email address before claiming a record.")
    if Claim.objects.live().filter(user=user).exclude(author=author).exists():
        raise ClaimError("Your account already claims another record; release it first.")
    if Claim.objects.live().filter(author=author).exists():
        raise ClaimError("This record has already been claimed.")
    try:
        with transaction.atomic():
            claim = Claim(user=user, author=author)
            claim.full_clean(validate_constraints=False)
            claim.save()
            _event(claim=claim, kind=ClaimEvent.Kind.REQUESTED, actor=user)
    except IntegrityError as exc:
        # Lost a race the checks above could not see: say which one.
        if "claim_one_live_per_user" in str(exc):
            raise ClaimError("Your account already claims another record.") from exc
        raise ClaimError(
            "Someone else claimed this record a moment ago; it is no longer open to claims."
        ) from exc
    return claim


def claim_evidence_send(
    *,
    claim: Claim,
    user: AbstractBaseUser,
    kind: str,
    email: str = "",
    url: str = "",
    site_url: str,
) -> Claim:
    """Institutional email: mail a signed, expiring, single-use link to the address (it must
    be at a domain of one of the record's institutions). Link: keep the URL for a moderator."""
    with transaction.atomic():
        # A link may also ask a moderator to raise an active level-3 claim to level 4.
        claim = _locked(
            claim, statuses=Claim.LIVE_STATUSES, error="This claim no longer takes evidence."
        )
        if kind == Claim.Evidence.INSTITUTIONAL_EMAIL and claim.status != Claim.Status.PENDING:
            raise ClaimError("This claim is already proven.")
        if kind == Claim.Evidence.INSTITUTIONAL_EMAIL:
            domains = author_claim_domains(author=claim.author)
            if not email_domain_matches(email, domains):
                raise ClaimError(
                    "That address is not at a domain of this record's institutions"
                    + (f" ({', '.join(domains)})." if domains else "; it has none on file.")
                )
            claim.evidence_email = email.lower()
            claim.email_nonce = secrets.token_hex(16)
            token = signing.dumps({"c": claim.pk, "n": claim.email_nonce}, salt=_TOKEN_SALT)
            link = site_url.rstrip("/") + reverse("profiles:claim-verify", args=[token])
            hours = settings.CLAIM_EMAIL_LINK_MAX_AGE // 3600
            _mail_on_commit(
                to=claim.evidence_email,
                subject=f"Confirm your claim of {claim.author.display_name}",
                body=(
                    f"Someone signed in to BZPEER as {claim.user.email} asked to claim the "
                    f"researcher record of {claim.author.display_name}.\n\n"
                    f"If that was you, open this link while logged in to confirm it (it works "
                    f"once, for {hours} hours):\n\n{link}\n\n"
                    "If it was not you, ignore this email: nothing changes."
                ),
            )
            note = f"institutional email {claim.evidence_email}"
        elif kind == Claim.Evidence.LINK:
            claim.evidence_url = url
            note = f"link {url}"
        else:
            raise ClaimError("Unknown kind of evidence.")
        claim.evidence_kind = kind
        claim.full_clean(validate_constraints=False)
        claim.save(
            update_fields=[
                "evidence_kind", "evidence_email", "evidence_url", "email_nonce", "updated_at"
            ]
        )  # fmt: skip
        _event(claim=claim, kind=ClaimEvent.Kind.EVIDENCE_SENT, actor=user, note=note)
    return claim


def claim_verify_email_token(*, user: AbstractBaseUser, token: str) -> Claim:
    """Make the claim active at level 3 from an institutional-email link. The link is bound to
    the claim's current nonce, so it works once and an older link dies when a newer is sent."""
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=settings.CLAIM_EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ClaimError("This confirmation link has expired; send a new one.") from exc
    except signing.BadSignature as exc:
        raise ClaimError("This confirmation link is not valid.") from exc
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=data.get("c")).first()
        if claim is None or not claim.email_nonce or claim.email_nonce != data.get("n"):
            raise ClaimError("This confirmation link has already been used or replaced.")
        if claim.user_id != user.pk:
            raise ClaimError("Open this link while logged in as the account that made the claim.")
        if claim.status != Claim.Status.PENDING:
            raise ClaimError("This claim is no longer waiting for confirmation.")
        claim.status = Claim.Status.ACTIVE
        claim.level = 3
        claim.email_nonce = ""
        claim.save(update_fields=["status", "level", "email_nonce", "updated_at"])
        _event(
            claim=claim,
            kind=ClaimEvent.Kind.VERIFIED,
            actor=user,
            note=f"institutional email {claim.evidence_email}",
        )
    return claim


def _tell_claimant(claim: Claim, *, subject: str, body: str, site_url: str) -> None:
    page = site_url.rstrip("/") + claim.author.get_absolute_url()
    _mail_on_commit(to=claim.user.email, subject=subject, body=f"{body}\n\n{page}")
    notification_create(
        user=claim.user,
        kind=Notification.Kind.CLAIM_DECIDED,
        text=subject,
        url=claim.author.get_absolute_url(),
    )


def claim_approve(
    *, claim: Claim, moderator: AbstractBaseUser, reason: str, site_url: str
) -> Claim:
    """A moderator confirms the claim: active at level 4."""
    with transaction.atomic():
        claim = _locked(claim, statuses=Claim.LIVE_STATUSES, error="This claim is closed.")
        claim.status, claim.level, claim.decision_reason = Claim.Status.ACTIVE, 4, reason
        claim.email_nonce = ""
        claim.save(
            update_fields=["status", "level", "decision_reason", "email_nonce", "updated_at"]
        )
        _event(claim=claim, kind=ClaimEvent.Kind.APPROVED, actor=moderator, note=reason)
        _tell_claimant(
            claim,
            subject=f"Your claim of {claim.author.display_name} is confirmed",
            body=f"A moderator confirmed your claim.{f' Note: {reason}' if reason else ''}",
            site_url=site_url,
        )
    return claim


def _close(
    *,
    claim: Claim,
    actor: AbstractBaseUser,
    statuses: tuple[str, ...],
    status: str,
    kind: str,
    reason: str,
) -> Claim:
    with transaction.atomic():
        claim = _locked(claim, statuses=statuses, error="This claim cannot change that way now.")
        claim.status, claim.decision_reason, claim.email_nonce = status, reason, ""
        claim.save(update_fields=["status", "decision_reason", "email_nonce", "updated_at"])
        _event(claim=claim, kind=kind, actor=actor, note=reason)
    return claim


def claim_reject(*, claim: Claim, moderator: AbstractBaseUser, reason: str, site_url: str) -> Claim:
    if not reason.strip():
        raise ClaimError("Give the claimant a reason.")
    with transaction.atomic():
        claim = _close(
            claim=claim,
            actor=moderator,
            statuses=(Claim.Status.PENDING,),
            status=Claim.Status.REJECTED,
            kind=ClaimEvent.Kind.REJECTED,
            reason=reason,
        )
        _tell_claimant(
            claim,
            subject=f"Your claim of {claim.author.display_name} was not accepted",
            body=f"A moderator did not accept your claim. Reason: {reason}",
            site_url=site_url,
        )
    return claim


def claim_revoke(*, claim: Claim, moderator: AbstractBaseUser, reason: str, site_url: str) -> Claim:
    if not reason.strip():
        raise ClaimError("Give the owner a reason.")
    with transaction.atomic():
        claim = _close(
            claim=claim,
            actor=moderator,
            statuses=Claim.LIVE_STATUSES,
            status=Claim.Status.REVOKED,
            kind=ClaimEvent.Kind.REVOKED,
            reason=reason,
        )
        _tell_claimant(
            claim,
            subject=f"Your claim of {claim.author.display_name} was revoked",
            body=f"A moderator revoked your claim. Reason: {reason}",
            site_url=site_url,
        )
    return claim


def claim_release(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """The owner gives the record up; it is open to claims again."""
    return _close(
        claim=claim,
        actor=user,
        statuses=Claim.LIVE_STATUSES,
        status=Claim.Status.RELEASED,
        kind=ClaimEvent.Kind.RELEASED,
        reason="",
    )


def claim_dispute(*, claim: Claim, user: AbstractBaseUser, reason: str) -> Claim:
    """Anyone logged in may say "this is not them": the claim is flagged for moderators."""
    if not reason.strip():
        raise ClaimError("Say why you think this claim is wrong.")
    with transaction.atomic():
        claim = _locked(claim, statuses=Claim.LIVE_STATUSES, error="This claim is closed already.")
        claim.disputed_at = timezone.now()
        claim.save(update_fields=["disputed_at", "updated_at"])
        _event(claim=claim, kind=ClaimEvent.Kind.DISPUTED, actor=user, note=reason)
    return claim


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
        raise ClaimError("A record cannot be merged into itself.")
    with transaction.atomic():
        # Lock both rows in id order: two merges of the same pair cannot interleave.
        locked = list(
            Author.objects.select_for_update().filter(pk__in=[into.pk, duplicate.pk]).order_by("pk")
        )
        if len(locked) != 2:
            raise ClaimError("That record is no longer in our index.")
        if Claim.objects.live().filter(author=duplicate).exists():
            raise ClaimError("That record is claimed; it cannot be merged into yours.")
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


def claim_verify_orcid(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Make the claim active at level 3 when the account has signed in with the ORCID iD the
    record carries (allauth's ORCID provider connected it: SocialAccount.uid)."""
    with transaction.atomic():
        claim = _locked(
            claim, statuses=(Claim.Status.PENDING,), error="This claim is not waiting for proof."
        )
        wanted = orcid_normalize(claim.author.orcid or "")
        if wanted is None:
            raise ClaimError("This record has no ORCID iD to prove a claim with.")
        connected = {
            orcid_normalize(uid)
            for uid in SocialAccount.objects.filter(user=user, provider="orcid").values_list(
                "uid", flat=True
            )
        }
        if wanted not in connected:
            raise ClaimError(
                f"The ORCID iD you signed in with is not this record's ({wanted})."
                if connected
                else "Sign in with ORCID first."
            )
        claim.status, claim.level = Claim.Status.ACTIVE, 3
        claim.evidence_kind = Claim.Evidence.ORCID
        claim.email_nonce = ""
        claim.save(update_fields=["status", "level", "evidence_kind", "email_nonce", "updated_at"])
        _event(claim=claim, kind=ClaimEvent.Kind.VERIFIED, actor=user, note=f"ORCID {wanted}")
    return claim
