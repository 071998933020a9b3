"""The site's own 404 page under DEBUG (settings: scripts/run serves with DEBUG=1, and a
first look should not meet Django's technical 404, which lists every URL pattern). Last in
MIDDLEWARE, so APPEND_SLASH's redirect still sees the 404 it answers."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from bzpeer.views import not_found


class SiteNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL pattern matched: resolving failed before any view, where process_exception
        # cannot see it, and Django answered with its technical page.
        if response.status_code == 404 and request.resolver_match is None:
            return not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view's Http404 (an unknown id): the page handler404 gives without DEBUG.
        return not_found(request, exception) if isinstance(exception, Http404) else None
