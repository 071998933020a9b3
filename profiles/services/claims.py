"""Writes for claims: request, prove (institutional email, ORCID, a link for moderators),
release, dispute, and the moderators' decisions. Each change is recorded as a ClaimEvent, and
its emails are sent once the transaction commits."""

import secrets

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bzpeer.errors import ActionError
from bzpeer.mail import absolute_url, mail_on_commit
from notices.models import Notification
from notices.services import notification_create
from profiles.claim_evidence import email_domain_matches
from profiles.models import Claim, ClaimEvent, Follow
from profiles.selectors.claims import author_claim_domains, user_has_verified_email
from profiles.services.limits import daily_limit_reached
from works.models import Author
from works.orcid import orcid_normalize

_TOKEN_SALT = "profiles.claim-email"


class ClaimError(ActionError):
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
            # A claimant does not follow their own record (follows.follow_create refuses it):
            # a follow from before the claim would count for their own trust score.
            Follow.objects.filter(user=user, author=author).delete()
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
            link = absolute_url(reverse("profiles:claim-verify", args=[token]))
            hours = settings.CLAIM_EMAIL_LINK_MAX_AGE // 3600
            mail_on_commit(
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


def _tell_claimant(claim: Claim, *, subject: str, body: str) -> None:
    page = absolute_url(claim.author.get_absolute_url())
    mail_on_commit(to=claim.user.email, subject=subject, body=f"{body}\n\n{page}")
    notification_create(
        user=claim.user,
        kind=Notification.Kind.CLAIM_DECIDED,
        text=subject,
        url=claim.author.get_absolute_url(),
    )


def claim_approve(*, claim: Claim, moderator: AbstractBaseUser, reason: str) -> Claim:
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


def claim_reject(*, claim: Claim, moderator: AbstractBaseUser, reason: str) -> Claim:
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
        )
    return claim


def claim_revoke(*, claim: Claim, moderator: AbstractBaseUser, reason: str) -> Claim:
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
        disputes = ClaimEvent.objects.filter(actor=user, kind=ClaimEvent.Kind.DISPUTED)
        if daily_limit_reached(user=user, done=disputes, limit=settings.DISPUTES_PER_DAY):
            raise ClaimError("You have sent as many disputes as allowed today.")
        claim = _locked(claim, statuses=Claim.LIVE_STATUSES, error="This claim is closed already.")
        claim.disputed_at = timezone.now()
        claim.save(update_fields=["disputed_at", "updated_at"])
        _event(claim=claim, kind=ClaimEvent.Kind.DISPUTED, actor=user, note=reason)
    return claim


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
