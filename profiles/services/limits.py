"""Daily limits per account on actions that reach other people (invites, reports, disputes).
Counted in the database, under a lock on the account's row: simultaneous requests are
counted one after the other, and the limit holds while the cache is down."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

DAY = timedelta(days=1)


def daily_limit_reached(
    *, user: AbstractBaseUser, done: QuerySet, limit: int, field: str = "created_at"
) -> bool:
    """Whether `user` already did `limit` of `done` (their rows, dated by `field`) in the last
    24 hours. Call inside the transaction that writes the next one: the lock is held to its
    end."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    return done.filter(**{f"{field}__gte": timezone.now() - DAY}).count() >= limit
