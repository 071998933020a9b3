"""Delete my account: what the person put here goes, what others hold stays.

The account's row itself is kept as its own tombstone, emptied: no email, no password, no
name but "a deleted account", inactive. Claims, invites, conversations and messages point at
it with CASCADE, so removing the row would take the other party's conversation with it; and
one shared tombstone for every deleted account would break "no invite to oneself" the day
both parties of an invite leave. PLAN says, for every foreign key to the user, whether its
rows are removed or kept (and why); tests/profiles/test_data_control.py fails on a foreign
key missing from it."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notices.models import Notification
from profiles.models import (
    Block,
    Claim,
    DigestOptIn,
    DigestSent,
    Follow,
    Invite,
    Person,
    Report,
    WorkTransfer,
)
from profiles.services.claims import claim_release

# What others see where the account used to be named (profiles.selectors.identity reads it).
DELETED_ACCOUNT_NAME = "a deleted account"

REMOVED = "removed"
KEPT = "kept"
PLAN = {
    "account.EmailAddress.user": (REMOVED, "their addresses"),
    "socialaccount.SocialAccount.user": (REMOVED, "ORCID sign-in, with its tokens"),
    "profiles.Person.user": (REMOVED, "their chosen name (the tombstone's replaces it)"),
    "profiles.Follow.user": (REMOVED, "whom they followed"),
    "profiles.DigestOptIn.user": (REMOVED, "the digest"),
    "profiles.DigestSent.user": (REMOVED, "the digest's memory"),
    "notices.Notification.user": (REMOVED, "what they were told"),
    "profiles.Block.blocker": (REMOVED, "whom they blocked"),
    "profiles.Block.blocked": (REMOVED, "an account that can no longer write needs no block"),
    "profiles.Report.reporter": (REMOVED, "reports they filed"),
    # Pending ones are withdrawn (removed); answered ones are the other party's history.
    "profiles.Invite.sender": (KEPT, "answered invites, the other party's history"),
    "profiles.Invite.recipient": (KEPT, "answered invites, the other party's history"),
    # Pending requests are withdrawn (removed); decided ones are the record's history.
    "profiles.WorkTransfer.requested_by": (KEPT, "decided requests, the record's history"),
    "profiles.Claim.user": (KEPT, "released with an audit event, evidence emptied"),
    "profiles.ClaimEvent.actor": (KEPT, "the claims' audit log"),
    "profiles.Conversation.user_a": (KEPT, "the other party keeps the conversation"),
    "profiles.Conversation.user_b": (KEPT, "the other party keeps the conversation"),
    "profiles.Message.sender": (KEPT, "shown to the other party as from a deleted account"),
    "profiles.OwnerProfile.updated_by": (KEPT, "the record's page (OpenAlex's record stays)"),
    "profiles.OwnerProfileEdit.edited_by": (KEPT, "the record's history, for staff"),
    "profiles.RecordMerge.merged_by": (KEPT, "the record's history; staff may undo a merge"),
    "profiles.RecordMerge.reverted_by": (KEPT, "the record's history"),
    "profiles.WorkTransfer.decided_by": (KEPT, "the record's history"),
    "works.AuthorshipOverride.created_by": (KEPT, "corrections of the corpus stay in force"),
    "works.AuthorshipOverride.reverted_by": (KEPT, "the corrections' history"),
    "admin.LogEntry.user": (KEPT, "the staff's log of admin actions"),
}


def _sessions_delete(user_id: int) -> int:
    # Sessions are not linked to users in the database: each live one is decoded. Deleting
    # an account is rare; the emptied password would end them anyway at their next request
    # (the session hash no longer matches), this removes them now.
    ids = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    return Session.objects.filter(session_key__in=ids).delete()[0]


def account_delete(*, user: AbstractBaseUser) -> None:
    """Deletes the account as the module says: claims released (an audit event each),
    pending invites and work requests withdrawn, everything else of theirs removed, the row
    emptied into a tombstone. The researcher record itself stays (it is OpenAlex's), and so
    does a page hidden at its owner's request."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        for claim in Claim.objects.live().filter(user=user):
            claim_release(claim=claim, user=user)
        Claim.objects.filter(user=user).update(evidence_email="", evidence_url="", email_nonce="")
        pending = Invite.objects.filter(
            Q(sender=user) | Q(recipient=user), status=Invite.Status.PENDING
        )
        # The other party's notice of a withdrawn invite would lead to a missing page.
        urls = [invite.get_absolute_url() for invite in pending]
        Notification.objects.filter(url__in=urls).delete()
        pending.delete()
        WorkTransfer.objects.filter(requested_by=user, status=WorkTransfer.Status.PENDING).delete()
        for rows in (
            Follow.objects.filter(user=user),
            DigestOptIn.objects.filter(user=user),
            DigestSent.objects.filter(user=user),
            Notification.objects.filter(user=user),
            Block.objects.filter(Q(blocker=user) | Q(blocked=user)),
            Report.objects.filter(reporter=user),
            EmailAddress.objects.filter(user=user),
            SocialAccount.objects.filter(user=user),
            Person.objects.filter(user=user),
        ):
            rows.delete()
        _sessions_delete(user.pk)
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        Person.objects.create(user=user, display_name=DELETED_ACCOUNT_NAME)
