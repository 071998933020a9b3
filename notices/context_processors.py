from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from notices.selectors import notification_unread_count


def unread_notices(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """The header's unread count, for logged-in visitors: a callable, so the one COUNT query
    runs only when a template shows it, and at most once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return notification_unread_count(user=user)

    return {"unread_notices": count}
