"""Download my data: everything BZPEER holds about one account, as one JSON document.

EXPORTED names every (model, field) pointing at the account that the document covers, and
WITHHELD the ones it leaves out on purpose, with why; tests/profiles/test_data_control.py
walks every model's foreign keys to the user and fails on one in neither (a new model must
be placed in one of them, and in account_delete's plan)."""

import json
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from notices.models import Notification
from profiles.models import (
    Block,
    Claim,
    ClaimEvent,
    Conversation,
    DigestOptIn,
    DigestSent,
    Follow,
    Invite,
    Message,
    OwnerProfile,
    OwnerProfileEdit,
    Person,
    RecordMerge,
    Report,
    WorkTransfer,
)
from works.models import AuthorshipOverride

EXPORTED = {
    "admin.LogEntry.user",
    "account.EmailAddress.user",
    "socialaccount.SocialAccount.user",
    "works.AuthorshipOverride.created_by",
    "works.AuthorshipOverride.reverted_by",
    "profiles.Person.user",
    "profiles.Claim.user",
    "profiles.ClaimEvent.actor",
    "profiles.Follow.user",
    "profiles.DigestOptIn.user",
    "profiles.DigestSent.user",
    "profiles.Invite.sender",
    "profiles.Invite.recipient",
    "profiles.Conversation.user_a",
    "profiles.Conversation.user_b",
    "profiles.Message.sender",
    "profiles.Block.blocker",
    "profiles.Report.reporter",
    "profiles.OwnerProfile.updated_by",
    "profiles.RecordMerge.merged_by",
    "profiles.RecordMerge.reverted_by",
    "profiles.OwnerProfileEdit.edited_by",
    "profiles.WorkTransfer.requested_by",
    "profiles.WorkTransfer.decided_by",
    "notices.Notification.user",
}
WITHHELD = {
    # Who blocked this account is the blocker's own safety decision, not told to the blocked.
    "profiles.Block.blocked": "another person's decision about this account",
}


def _dump(rows: Any, *fields: str) -> list[dict]:
    return list(rows.values(*fields))


def _account(user: AbstractBaseUser) -> dict:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "display_name": Person.objects.filter(user=user)
        .values_list("display_name", flat=True)
        .first(),
        "date_joined": getattr(user, "date_joined", None),
        "last_login": user.last_login,
        "is_staff": getattr(user, "is_staff", False),
    }


def _claims(user: AbstractBaseUser) -> list[dict]:
    claims = []
    rows = Claim.objects.filter(user=user).select_related("author").prefetch_related("events")
    for claim in rows.order_by("created_at", "id"):
        claims.append(
            {
                "id": claim.pk,
                "record": claim.author.openalex_id,
                "record_name": claim.author.display_name,
                "status": claim.status,
                "level": claim.level,
                "evidence_kind": claim.evidence_kind,
                "evidence_email": claim.evidence_email,
                "evidence_url": claim.evidence_url,
                "decision_reason": claim.decision_reason,
                "disputed_at": claim.disputed_at,
                "created_at": claim.created_at,
                "updated_at": claim.updated_at,
                "events": [
                    {
                        "kind": event.kind,
                        "note": event.note,
                        "by_you": event.actor_id == user.pk,
                        "created_at": event.created_at,
                    }
                    for event in claim.events.all()
                ],
            }
        )
    return claims


def _conversations(user: AbstractBaseUser) -> list[dict]:
    # Both parties' messages: the conversation is the account's to read, as on the site.
    conversations = []
    rows = (
        Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))
        .select_related("invite__author")
        .prefetch_related("messages")
        .order_by("created_at", "id")
    )
    for conversation in rows:
        conversations.append(
            {
                "id": conversation.pk,
                "invite": conversation.invite_id,
                "record": conversation.invite.author.openalex_id,
                "with_account": conversation.user_b_id
                if conversation.user_a_id == user.pk
                else conversation.user_a_id,
                "created_at": conversation.created_at,
                "messages": [
                    {
                        "id": message.pk,
                        "from_you": message.sender_id == user.pk,
                        "body": message.body,
                        "created_at": message.created_at,
                    }
                    for message in conversation.messages.all()
                ],
            }
        )
    return conversations


_INVITE_FIELDS = ("id", "author__openalex_id", "focus_kind", "focus", "message", "status")


def account_data_get(*, user: AbstractBaseUser) -> dict:
    """Everything the account holds, by kind (see the module): a dict of plain values."""
    me = Q(created_by=user) | Q(reverted_by=user)
    return {
        "exported_at": timezone.now(),
        "account": _account(user),
        "emails": _dump(EmailAddress.objects.filter(user=user), "email", "verified", "primary"),
        # Sign-in links (ORCID): what the provider told us, never the access tokens.
        "social_accounts": _dump(
            SocialAccount.objects.filter(user=user),
            "provider",
            "uid",
            "date_joined",
            "last_login",
            "extra_data",
        ),
        "claims": _claims(user),
        # Events this account caused on claims of others (a moderator's decisions).
        "claim_events_by_you": _dump(
            ClaimEvent.objects.filter(actor=user).exclude(claim__user=user),
            "claim_id",
            "kind",
            "note",
            "created_at",
        ),
        "owner_profiles_updated": _dump(
            OwnerProfile.objects.filter(updated_by=user),
            "author__openalex_id",
            "summary",
            "open_to_collaborate",
            "shown_institution__display_name",
            "hidden_at",
            "updated_at",
        ),
        "owner_profile_edits": _dump(
            OwnerProfileEdit.objects.filter(edited_by=user).order_by("created_at", "id"),
            "profile__author__openalex_id",
            "before",
            "after",
            "created_at",
        ),
        "record_merges": _dump(
            RecordMerge.objects.filter(Q(merged_by=user) | Q(reverted_by=user)),
            "into__openalex_id",
            "duplicate_openalex_id",
            "duplicate_name",
            "works_moved",
            "created_at",
            "reverted_at",
        ),
        "work_transfers": _dump(
            WorkTransfer.objects.filter(Q(requested_by=user) | Q(decided_by=user)),
            "work__openalex_id",
            "from_author__openalex_id",
            "to_author__openalex_id",
            "status",
            "created_at",
            "decided_at",
        ),
        "authorship_corrections": _dump(
            AuthorshipOverride.objects.filter(me),
            "work__openalex_id",
            "author__openalex_id",
            "kind",
            "reason",
            "created_at",
            "reverted_at",
        ),
        "follows": _dump(
            Follow.objects.filter(user=user).order_by("created_at"),
            "author__openalex_id",
            "author__display_name",
            "created_at",
        ),
        "digest": {
            "opted_in": _dump(DigestOptIn.objects.filter(user=user), "created_at", "last_sent_at"),
            "works_sent": _dump(
                DigestSent.objects.filter(user=user), "work__openalex_id", "sent_at"
            ),
        },
        "invites_sent": _dump(
            Invite.objects.filter(sender=user), *_INVITE_FIELDS, "created_at", "decided_at"
        ),
        "invites_received": _dump(
            Invite.objects.filter(recipient=user),
            *_INVITE_FIELDS,
            "sender_id",
            "created_at",
            "decided_at",
        ),
        "conversations": _conversations(user),
        "messages_sent_count": Message.objects.filter(sender=user).count(),
        "notifications": _dump(
            Notification.objects.filter(user=user).order_by("created_at"),
            "kind",
            "text",
            "url",
            "created_at",
            "read_at",
        ),
        "blocks": _dump(Block.objects.filter(blocker=user), "blocked_id", "created_at"),
        "reports_filed": _dump(
            Report.objects.filter(reporter=user),
            "invite_id",
            "message_id",
            "reason",
            "created_at",
            "resolved_at",
        ),
        "admin_actions": _dump(
            LogEntry.objects.filter(user=user),
            "action_time",
            "content_type__model",
            "object_id",
            "object_repr",
            "action_flag",
            "change_message",
        ),
    }


def account_data_json(*, user: AbstractBaseUser) -> str:
    return json.dumps(account_data_get(user=user), cls=DjangoJSONEncoder, indent=2)
