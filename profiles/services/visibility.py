"""The owner hides their researcher page, or shows it again. The page's cache stamp follows
the owner profile's updated_at (profiles.selectors.researcher.researcher_page_stamp), which
both writes touch, so every cached copy of the page is left behind at once."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bzpeer.errors import ActionError
from profiles.models import Claim, OwnerProfile
from works.models import Author


class VisibilityError(ActionError):
    pass


def _owner_profile_locked(*, author: Author, user: AbstractBaseUser) -> OwnerProfile:
    # Only the holder of the record's proven claim decides (a pending claimant does not).
    if not Claim.objects.active().filter(author=author, user=user).exists():
        raise VisibilityError("Only the owner of this record can hide or show its page.")
    profile, _ = OwnerProfile.objects.select_for_update().get_or_create(author=author)
    return profile


def author_page_hide(*, author: Author, user: AbstractBaseUser) -> OwnerProfile:
    with transaction.atomic():
        profile = _owner_profile_locked(author=author, user=user)
        if profile.hidden_at is None:
            profile.hidden_at = timezone.now()
            profile.updated_by = user
            profile.save(update_fields=["hidden_at", "updated_by", "updated_at"])
    return profile


def author_page_unhide(*, author: Author, user: AbstractBaseUser) -> OwnerProfile:
    with transaction.atomic():
        profile = _owner_profile_locked(author=author, user=user)
        if profile.hidden_at is not None:
            profile.hidden_at = None
            profile.updated_by = user
            profile.save(update_fields=["hidden_at", "updated_by", "updated_at"])
    return profile
