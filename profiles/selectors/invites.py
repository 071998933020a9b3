"""Reads for collaboration: who an invite would reach, the inbox, an invite, a thread. Each
returns what its page walks with a fixed number of queries."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q

from profiles.models import Claim, Conversation, Invite, Message, Report
from works.models import Author, Authorship, Topic, Work

INBOX_SHOWN = 50
THREAD_SHOWN = 200
FOCUS_WORKS_SHOWN = 30


def invite_recipient_get(*, author: Author) -> AbstractBaseUser | None:
    """The account invites to `author` reach: the owner of its proven claim, while their
    profile says they are open to collaborate. None otherwise (one query)."""
    claim = (
        Claim.objects.active()
        .filter(author=author, author__owner_profile__open_to_collaborate=True)
        .select_related("user")
        .first()
    )
    return claim.user if claim else None


def invite_focus_options(*, author: Author) -> tuple[list[Topic], list[Work]]:
    """The topics and latest works an invite to `author` may name as its focus (two queries)."""
    topics = list(
        Topic.objects.filter(work_topics__work__authorships__author=author)
        .distinct()
        .order_by("display_name")
    )
    works = list(
        # EXISTS, not a join: a work that gives them two places of its byline is one option.
        Work.objects.filter(Exists(Authorship.objects.filter(work=OuterRef("pk"), author=author)))
        .order_by("-publication_year", "-id")
        .only("id", "title", "openalex_id", "publication_year")[:FOCUS_WORKS_SHOWN]
    )
    return topics, works


def _invite_with_people():
    return Invite.objects.select_related("sender", "recipient", "author", "conversation")


def invite_get(*, invite_id: int) -> Invite | None:
    """One invite with its parties, record and conversation, and whether it was reported
    (one query)."""
    reported = Report.objects.filter(invite=OuterRef("pk"))
    return _invite_with_people().annotate(is_reported=Exists(reported)).filter(pk=invite_id).first()


def conversation_get(*, conversation_id: int) -> Conversation | None:
    """One conversation with its invite and parties, and whether the invite or any of its
    messages was reported (one query)."""
    reported = Report.objects.filter(
        Q(invite=OuterRef("invite_id")) | Q(message__conversation=OuterRef("pk"))
    )
    return (
        Conversation.objects.select_related("invite__author", "user_a", "user_b")
        .annotate(is_reported=Exists(reported))
        .filter(pk=conversation_id)
        .first()
    )


def message_list(*, conversation: Conversation) -> list[Message]:
    """The latest messages of a thread, oldest first, with their senders (one query)."""
    latest = (
        Message.objects.filter(conversation=conversation)
        .select_related("sender")
        .order_by("-created_at", "-id")[:THREAD_SHOWN]
    )
    return list(reversed(latest))


def message_get(*, message_id: int) -> Message | None:
    return Message.objects.select_related("conversation").filter(pk=message_id).first()


@dataclass(frozen=True)
class Inbox:
    received: list[Invite]
    sent: list[Invite]
    conversations: list[Conversation]


def inbox_get(*, user: AbstractBaseUser) -> Inbox:
    """Invites received (waiting ones first) and sent, and conversations: three queries."""
    # "pending" > "declined" > "accepted", so the waiting ones come first.
    waiting_first = ("-status", "-created_at")
    received = list(
        _invite_with_people().filter(recipient=user).order_by(*waiting_first)[:INBOX_SHOWN]
    )
    sent = list(_invite_with_people().filter(sender=user)[:INBOX_SHOWN])
    conversations = list(
        Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))
        .select_related("invite__author", "user_a", "user_b")
        .order_by("-last_message_at", "-created_at")[:INBOX_SHOWN]
    )
    return Inbox(received=received, sent=sent, conversations=conversations)
