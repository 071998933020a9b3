"""Reads for following: whether a visitor follows a researcher, whom an account follows, and
the works added for them since (the /following feed and the daily digest)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from profiles.models import DigestOptIn, DigestSent, Follow
from works.models import Author, Authorship

FOLLOWING_SHOWN = 200
FEED_SHOWN = 50
DIGEST_MAX_WORKS = 100


def following_list(*, user: AbstractBaseUser) -> list[Follow]:
    """The researchers `user` follows, by name, with each author (one query)."""
    return list(
        Follow.objects.filter(user=user)
        .select_related("author")
        .order_by("author__display_name", "author_id")[:FOLLOWING_SHOWN]
    )


def _new_for_followers(user: AbstractBaseUser) -> QuerySet[Authorship]:
    # Both conditions in one filter(): they share the one join to this user's follow, so
    # "created after the follow" compares with this user's follow of that same author.
    return Authorship.objects.filter(
        author__follows__user=user, created_at__gt=F("author__follows__created_at")
    )


def _new_works_for_followers(user: AbstractBaseUser) -> QuerySet[Authorship]:
    # One row per work: the first place of its byline that is new for this user (a work may
    # give a followed researcher two places, or name two researchers they follow). A
    # correlated NOT EXISTS on the (work, order) index, in the same query.
    earlier = _new_for_followers(user).filter(work=OuterRef("work"), order__lt=OuterRef("order"))
    return _new_for_followers(user).exclude(Exists(earlier))


def feed_list(*, user: AbstractBaseUser, limit: int = FEED_SHOWN) -> list[Authorship]:
    """Works the importer added for researchers `user` follows since they followed each,
    newest first, once each, as authorships with their work, venue and author (one query)."""
    return list(
        _new_works_for_followers(user)
        .select_related("work", "work__primary_source", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def digest_items_get(*, user: AbstractBaseUser) -> list[Authorship]:
    """The feed's works that no digest has brought to `user` yet, oldest first, one row per
    work (one query)."""
    return list(
        _new_works_for_followers(user)
        .exclude(work__in=DigestSent.objects.filter(user=user).values("work"))
        .select_related("work", "author")
        .order_by("created_at", "id")[:DIGEST_MAX_WORKS]
    )


def digest_opted_in(*, user: AbstractBaseUser) -> bool:
    return DigestOptIn.objects.filter(user=user).exists()


def digest_user_ids() -> list[int]:
    return list(DigestOptIn.objects.values_list("user_id", flat=True).order_by("user_id"))


@dataclass(frozen=True)
class FollowState:
    following: bool
    followers_count: int


def follow_state_get(*, user: object, author: Author) -> FollowState:
    """Whether `user` follows `author`, and how many follow them: one query."""
    row = Author.objects.filter(pk=author.pk).aggregate(
        n=Count("follows"), mine=Count("follows", filter=Q(follows__user=user))
    )
    return FollowState(following=bool(row["mine"]), followers_count=row["n"])


def follow_exists(*, user: object, author: Author) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, author=author).exists()
