from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from notices.models import Notification


@transaction.atomic
def notification_create(
    *, user: AbstractBaseUser, kind: str, text: str, url: str = ""
) -> Notification:
    notification = Notification(user=user, kind=kind, text=text[:300], url=url)
    notification.full_clean()
    notification.save()
    return notification


@transaction.atomic
def notification_mark_read(*, user: AbstractBaseUser, ids: list[int]) -> int:
    """Marks these notifications of `user` read (others' ids are ignored); how many changed."""
    return Notification.objects.filter(user=user, id__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_mark_read_for_url(*, user: AbstractBaseUser, url: str) -> int:
    """Opening the page a notification leads to counts as seeing it (an invite, a thread)."""
    return Notification.objects.filter(user=user, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )
