from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from profiles.selectors.identity import ViewerHeader, viewer_header_get


def viewer_header(request: HttpRequest) -> dict[str, Callable[[], ViewerHeader]]:
    """The header's name, owner links and counts for logged-in visitors: a callable, so its
    one query runs only when a template shows the header, and at most once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def header() -> ViewerHeader:
        return viewer_header_get(user=user)

    return {"viewer_header": header}
