from django.core.paginator import Page, Paginator

from notices.models import Notification

PER_PAGE = 30


def notification_unread_count(*, user: object) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_page(*, user: object, number: str | None) -> Page:
    """A page of the user's notifications, newest first: two queries (count, rows)."""
    queryset = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return Paginator(queryset, PER_PAGE).get_page(number)
