"""What every view that answers htmx shares: the request's type, whether it wants a fragment,
and the "Show more" step it asks for."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx request gets a fragment. A history restore needs the whole page, or the back
    button shows a bare fragment. (Views that answer both say @vary_on_headers("HX-Request").)"""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_number(request: HttpRequest, name: str = "page") -> int:
    """A "Show more" step: anything that is not a positive integer means the first one."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1
