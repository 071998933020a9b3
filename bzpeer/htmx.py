"""What every view that answers htmx shares: the request's type, whether it wants a fragment,
and the "Show more" step it asks for."""

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx request gets a fragment. A history restore needs the whole page, or the back
    button shows a bare fragment. (Views that answer both say @vary_on_headers("HX-Request").)"""
    return bool(request.htmx) and not request.htmx.history_restore_request


# Past this step a list would start 200,000 rows in (and twenty digits would overflow the
# database's OFFSET): no list of ours is that long.
PAGE_NUMBER_MAX = 10_000


def page_number(request: HttpRequest, name: str = "page") -> int:
    """A "Show more" step: anything that is not a positive integer in ASCII digits means the
    first one ("²" and "٣" pass str.isdigit); a step past PAGE_NUMBER_MAX is a 404."""
    digits = request.GET.get(name, "").lstrip("0")
    if not (digits.isascii() and digits.isdigit()):  # also "", "0" and a missing one
        return 1
    # The length first: int() refuses a string of more than 4300 digits with a ValueError.
    if len(digits) > len(str(PAGE_NUMBER_MAX)) or int(digits) > PAGE_NUMBER_MAX:
        raise Http404("No such page.")
    return int(digits)
