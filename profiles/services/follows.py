"""Writes for following: follow and unfollow, the digest opt-in and the daily digest."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bzpeer.errors import ActionError
from bzpeer.mail import absolute_url, mail_on_commit
from notices.models import Notification
from notices.services import notification_create
from profiles.models import DigestOptIn, DigestSent, Follow
from profiles.selectors.claims import claim_is_live_owner
from profiles.selectors.follows import digest_items_get
from works.models import Author

# A daily beat a little early or late still sends; two runs the same day do not.
DIGEST_MIN_INTERVAL = timedelta(hours=20)


class FollowError(ActionError):
    """A follow that cannot happen; the message is shown to the person as it is."""


@transaction.atomic
def follow_create(*, user: AbstractBaseUser, author: Author) -> tuple[Follow, bool]:
    """`user` follows `author`; following twice is one follow. The unique constraint decides
    between simultaneous requests: get_or_create inserts inside a savepoint and, when another
    transaction's row wins, reads that row instead. Nobody follows a record they claim
    (pending or proven): it would raise their own follower count and trust score
    (claim_request also ends a follow the claimant had)."""
    if claim_is_live_owner(user=user, author=author):
        raise FollowError("This is your own record: you cannot follow it.")
    return Follow.objects.get_or_create(user=user, author=author)


@transaction.atomic
def follow_delete(*, user: AbstractBaseUser, author: Author) -> bool:
    """`user` stops following `author`; True if there was a follow to end."""
    deleted, _ = Follow.objects.filter(user=user, author=author).delete()
    return bool(deleted)


@transaction.atomic
def digest_opt_in_set(*, user: AbstractBaseUser, enabled: bool) -> bool:
    if enabled:
        DigestOptIn.objects.get_or_create(user=user)
    else:
        DigestOptIn.objects.filter(user=user).delete()
    return enabled


def follow_digest_send(*, user_id: int) -> int:
    """One account's digest of new works of the researchers it follows: at most one a day,
    never a work twice. Returns how many works it carried (0: nothing sent)."""
    now = timezone.now()
    with transaction.atomic():
        # The opt-in row, locked: two runs for one account go one after the other, and the
        # second finds last_sent_at set and the works already in DigestSent.
        opt_in = (
            DigestOptIn.objects.select_for_update().select_related("user").filter(user_id=user_id)
        ).first()
        if opt_in is None or (
            opt_in.last_sent_at is not None and now - opt_in.last_sent_at < DIGEST_MIN_INTERVAL
        ):
            return 0
        user = opt_in.user
        items = digest_items_get(user=user)
        if not items:
            return 0
        # The unique (user, work) constraint holds "never twice" even against a bug above.
        DigestSent.objects.bulk_create([DigestSent(user=user, work_id=i.work_id) for i in items])
        opt_in.last_sent_at = now
        opt_in.save(update_fields=["last_sent_at"])
        following = reverse("profiles:following")
        notification_create(
            user=user,
            kind=Notification.Kind.NEW_WORKS,
            text=f"{len(items)} new work{'s' if len(items) != 1 else ''} by researchers you follow",
            url=following,
        )
        lines = [
            f"- {i.work.title or i.work.openalex_id} ({i.author.display_name})"
            f"\n  {absolute_url(i.work.get_absolute_url())}"
            for i in items
        ]
        body = (
            "New works of the researchers you follow on BZPEER:\n\n"
            + "\n".join(lines)
            + f"\n\nSee them all, or stop these emails: {absolute_url(following)}"
        )
        mail_on_commit(to=user.email, subject="New works of researchers you follow", body=body)
    return len(items)
