"""Reads for collaboration: who an invite would reach, the inbox, an invite and why its
sender fits, a thread and what is new in it. Each returns what its page walks with a fixed
number of queries; people come with their cards (profiles.selectors.identity), never with
an email address to show."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, Max, OuterRef, Q

from profiles.models import Claim, Conversation, Invite, Message, Report
from profiles.selectors.identity import PersonCard, person_cards_get
from works.models import Author, Authorship, CoAuthorship, Topic, Work

INBOX_SHOWN = 50
THREAD_SHOWN = 200
FOCUS_WORKS_SHOWN = 30
FIT_SHOWN = 8


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


def message_list_after(*, conversation: Conversation, after_id: int) -> list[Message]:
    """The messages of a thread newer than `after_id`, oldest first (one query): what a
    page that shows the thread up to `after_id` has not shown yet."""
    return list(
        Message.objects.filter(conversation=conversation, id__gt=after_id)
        .select_related("sender")
        .order_by("id")[:THREAD_SHOWN]
    )


def message_get(*, message_id: int) -> Message | None:
    return Message.objects.select_related("conversation").filter(pk=message_id).first()


@dataclass(frozen=True)
class Fit:
    """Why the sender of an invite fits its recipient's record, from the corpus."""

    topics: list[Topic]
    common_coauthors: list[CoAuthorship]  # the sender's rows, their co-author joined
    works_together: int


def invite_fit_get(*, sender_record_id: str | None, author: Author) -> Fit | None:
    """Topics both records have works in, the co-authors they share and their works
    together (three queries); None when the sender owns no proven record."""
    if not sender_record_id:
        return None
    topics = list(
        # Two filter() calls, two joins: a topic of some work of each, not one work of both.
        Topic.objects.filter(work_topics__work__authorships__author__openalex_id=sender_record_id)
        .filter(work_topics__work__authorships__author=author)
        .distinct()
        .order_by("display_name")[:FIT_SHOWN]
    )
    sender_rows = CoAuthorship.objects.public().filter(author__openalex_id=sender_record_id)
    common = list(
        sender_rows.filter(
            coauthor_id__in=CoAuthorship.objects.filter(author=author).values("coauthor_id")
        )
        .select_related("coauthor")
        .order_by("-shared_works_count", "coauthor_id")[:FIT_SHOWN]
    )
    together = sender_rows.filter(coauthor=author).values_list("shared_works_count", flat=True)
    return Fit(topics=topics, common_coauthors=common, works_together=together.first() or 0)


def _with_cards(invites: list[Invite]) -> list[Invite]:
    """Each invite with `sender_card` and `recipient_card` (two queries for all of them)."""
    cards = person_cards_get(
        user_ids=[i.sender_id for i in invites] + [i.recipient_id for i in invites]
    )
    for invite in invites:
        invite.sender_card, invite.recipient_card = (
            cards[invite.sender_id],
            cards[invite.recipient_id],
        )
    return invites


def invite_get_with_cards(*, invite_id: int) -> Invite | None:
    """invite_get, with the cards of both parties (three queries)."""
    invite = invite_get(invite_id=invite_id)
    return _with_cards([invite])[0] if invite else None


@dataclass(frozen=True)
class ConversationRow:
    conversation: Conversation
    other: PersonCard
    unread: bool  # a message from the other party the viewer has not had on screen


@dataclass(frozen=True)
class Inbox:
    received: list[Invite]
    sent: list[Invite]
    conversations: list[ConversationRow]


def _unread_flags() -> dict:
    """For a conversation query: whether each party has a message from the other above their
    last-read marker."""
    return {
        f"new_for_{party}": Exists(
            Message.objects.filter(
                conversation=OuterRef("pk"), id__gt=OuterRef(f"user_{party}_read_id")
            ).exclude(sender_id=OuterRef(f"user_{party}_id"))
        )
        for party in ("a", "b")
    }


def inbox_get(*, user: AbstractBaseUser) -> Inbox:
    """Invites received (waiting ones first) and sent, and conversations with their unread
    flags: three queries, and two for the cards of everyone in them."""
    # "pending" > "declined" > "accepted", so the waiting ones come first.
    waiting_first = ("-status", "-created_at")
    received = list(
        _invite_with_people().filter(recipient=user).order_by(*waiting_first)[:INBOX_SHOWN]
    )
    sent = list(_invite_with_people().filter(sender=user)[:INBOX_SHOWN])
    conversations = list(
        Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))
        .select_related("invite")
        .annotate(**_unread_flags())
        .order_by("-last_message_at", "-created_at")[:INBOX_SHOWN]
    )
    cards = person_cards_get(
        user_ids=[i.sender_id for i in received + sent]
        + [i.recipient_id for i in received + sent]
        + [c.other_party_id(user.pk) for c in conversations]
    )
    for invite in received + sent:
        invite.sender_card, invite.recipient_card = (
            cards[invite.sender_id],
            cards[invite.recipient_id],
        )
    rows = [
        ConversationRow(
            conversation=c,
            other=cards[c.other_party_id(user.pk)],
            unread=c.new_for_a if c.user_a_id == user.pk else c.new_for_b,
        )
        for c in conversations
    ]
    return Inbox(received=received, sent=sent, conversations=rows)


@dataclass(frozen=True)
class Thread:
    """What a conversation page shows of its messages, for one viewer."""

    messages: list[Message]  # each with `sender_card`
    cards: dict[int, PersonCard]  # both parties
    last_id: int  # the newest message shown (0: none); the page polls for what is newer
    my_last_id: int  # the viewer's newest message in the thread (0: none)
    seen: bool  # the other party has had the viewer's newest message on screen


def thread_get(
    *, conversation: Conversation, viewer_id: int, after_id: int | None = None
) -> Thread:
    """The latest messages (or, with `after_id`, only the newer ones) with the cards of both
    parties, and whether the other party saw the viewer's last message: four queries however
    long the thread."""
    if after_id is None:
        messages = message_list(conversation=conversation)
    else:
        messages = message_list_after(conversation=conversation, after_id=after_id)
    cards = person_cards_get(user_ids=[conversation.user_a_id, conversation.user_b_id])
    for message in messages:
        message.sender_card = cards[message.sender_id]
    mine = Message.objects.filter(conversation=conversation, sender_id=viewer_id)
    my_last_id = mine.aggregate(last=Max("id"))["last"] or 0
    other_read = 0
    if conversation.has_party(viewer_id):
        other_read = conversation.read_id_of(conversation.other_party_id(viewer_id))
    return Thread(
        messages=messages,
        cards=cards,
        last_id=messages[-1].pk if messages else (after_id or 0),
        my_last_id=my_last_id,
        seen=bool(my_last_id) and other_read >= my_last_id,
    )
