"""What a page shows that is the logged-in visitor's own, as one stamp: a cached copy of a
researcher page made for this visitor may be served again while it is unchanged."""

import hashlib

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from bzpeer.compiled import FREE_KEY, CompiledRow
from notices.models import Notification
from profiles.models import Claim, Invite, Person
from profiles.selectors.identity import conversations_unread_for, count_of


def _viewer_row(user_pk: object) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(pk=user_pk)
        .annotate(
            unread=Subquery(
                Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
                .order_by()
                .values("user")
                .annotate(n=Count("id"))
                .values("n")
            ),
            claims_at=Subquery(
                Claim.objects.filter(user=OuterRef("pk"))
                .order_by()
                .values("user")
                .annotate(at=Max("updated_at"))
                .values("at")
            ),
            verified=Count("emailaddress", filter=Q(emailaddress__verified=True)),
            # The header's name and inbox count (profiles.selectors.identity).
            chosen_name=Subquery(Person.objects.filter(user=OuterRef("pk")).values("display_name")),
            invites_waiting=count_of(
                Invite.objects.filter(recipient_id=user_pk, status=Invite.Status.PENDING)
            ),
            conversations_unread=count_of(conversations_unread_for(user_id=user_pk)),
        )
        .values_list(
            "username",
            "email",
            "first_name",
            "last_name",
            "is_staff",
            "unread",
            "claims_at",
            "verified",
            "chosen_name",
            "invites_waiting",
            "conversations_unread",
        )  # fmt: skip
    )


# Asked on every request of a logged-in visitor for a cached page.
_VIEWER = CompiledRow(_viewer_row, free=FREE_KEY)


def viewer_stamp(*, user: object, csrf_secret: str) -> str:
    """One query: who they are (the header's name, staff links), their unread notifications
    and what waits in their inbox (the header's counts), when any claim of theirs last
    changed (the claim panel says when they hold another record), whether they have a
    verified address (it decides what the claim panel offers), and their CSRF secret (the
    token in the page's forms is made from it)."""
    row = _VIEWER.get(user.pk)
    return hashlib.sha256(f"{user.pk}:{row}:{csrf_secret}".encode()).hexdigest()[:32]
