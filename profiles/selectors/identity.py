"""Who a person is to others: their chosen name and, when they own a proven record, that
record (name, page, verification level). Never their email address: every page, notification
and email that names one person to another takes the name from here.

The trust score is graph's (profiles does not import graph): pages that show a card load it
as graph's own fragment, the way the researcher page does (profiles/_person_trust.html)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from notices.models import Notification
from profiles.models import Claim, Conversation, Invite, Message, Person
from profiles.selectors.claims import LEVELS


def person_name_fallback(*, user_id: int, record_name: str | None = None) -> str:
    """The name of an account that chose none: its proven record's, else a member number."""
    return record_name or f"BZPEER member #{user_id}"


@dataclass(frozen=True)
class PersonCard:
    user_id: int
    name: str
    # The proven (active) claim's record, if any.
    record_id: str | None = None
    record_name: str | None = None
    level: int | None = None

    @property
    def record_url(self) -> str | None:
        return reverse("profiles:detail", args=[self.record_id]) if self.record_id else None

    @property
    def level_label(self) -> str:
        return LEVELS[self.level][0] if self.level else ""


def person_cards_get(*, user_ids: list[int]) -> dict[int, PersonCard]:
    """The cards of these accounts, by id: two queries whatever their number (names, then
    proven records)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    names = dict(Person.objects.filter(user_id__in=ids).values_list("user_id", "display_name"))
    records = {
        user_id: (openalex_id, record_name, level)
        for user_id, openalex_id, record_name, level in Claim.objects.active()
        .filter(user_id__in=ids)
        .values_list("user_id", "author__openalex_id", "author__display_name", "level")
    }
    cards = {}
    for user_id in ids:
        record_id, record_name, level = records.get(user_id, (None, None, None))
        name = names.get(user_id) or person_name_fallback(user_id=user_id, record_name=record_name)
        cards[user_id] = PersonCard(user_id, name, record_id, record_name, level)
    return cards


def person_card_get(*, user_id: int) -> PersonCard:
    return person_cards_get(user_ids=[user_id])[user_id]


def person_name_get(*, user: AbstractBaseUser) -> str:
    """The name to show for `user` in a notification or an email to someone else."""
    return person_card_get(user_id=user.pk).name


def user_display_name(user: AbstractBaseUser) -> str:
    """allauth's ACCOUNT_USER_DISPLAY ("Successfully signed in as …")."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return person_name_get(user=user)


def person_display_name_get(*, user: AbstractBaseUser) -> str:
    """The name the account chose, "" if none yet (the account page's form)."""
    return (
        Person.objects.filter(user_id=user.pk).values_list("display_name", flat=True).first() or ""
    )


# --- the header and the inbox's read state --------------------------------------------------


def conversations_unread_for(*, user_id: int) -> QuerySet[Conversation]:
    """Conversations of `user_id` holding a message from the other party above their marker."""
    newer = Message.objects.filter(conversation=OuterRef("pk")).exclude(sender_id=user_id)
    return Conversation.objects.filter(
        Q(user_a_id=user_id) & Exists(newer.filter(id__gt=OuterRef("user_a_read_id")))
        | Q(user_b_id=user_id) & Exists(newer.filter(id__gt=OuterRef("user_b_read_id")))
    )


def count_of(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: one row, or none)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


@dataclass(frozen=True)
class ViewerHeader:
    name: str
    record_id: str | None  # the record of their live (pending or proven) claim
    claim_pending: bool
    inbox_waiting: int  # invitations to answer plus conversations with unread messages
    unread_notices: int

    @property
    def record_url(self) -> str | None:
        return reverse("profiles:detail", args=[self.record_id]) if self.record_id else None


def viewer_header_get(*, user: AbstractBaseUser) -> ViewerHeader:
    """Everything the header shows of the logged-in visitor, in one query: their name, the
    record of their live claim, what waits in their inbox, their unread notifications."""
    live = Claim.objects.live().filter(user_id=user.pk)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            chosen=Subquery(Person.objects.filter(user_id=user.pk).values("display_name")[:1]),
            record_id=Subquery(live.values("author__openalex_id")[:1]),
            record_name=Subquery(live.values("author__display_name")[:1]),
            claim_status=Subquery(live.values("status")[:1]),
            invites_waiting=count_of(
                Invite.objects.filter(recipient_id=user.pk, status=Invite.Status.PENDING)
            ),
            conversations_unread=count_of(conversations_unread_for(user_id=user.pk)),
            notices_unread=count_of(
                Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
            ),
        )
        .values_list(
            "chosen",
            "record_id",
            "record_name",
            "claim_status",
            "invites_waiting",
            "conversations_unread",
            "notices_unread",
        )
        .first()
    )
    if row is None:  # the account went away mid-request
        return ViewerHeader(person_name_fallback(user_id=user.pk), None, False, 0, 0)
    chosen, record_id, record_name, status, invites, conversations, notices = row
    proven = status == Claim.Status.ACTIVE
    name = chosen or person_name_fallback(
        user_id=user.pk, record_name=record_name if proven else None
    )
    return ViewerHeader(
        name=name,
        record_id=record_id,
        claim_pending=status == Claim.Status.PENDING,
        inbox_waiting=invites + conversations,
        unread_notices=notices,
    )
