"""What the edge answers itself, so that no view ever turns it into a 500."""

from collections.abc import Callable, Iterator

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse


def _texts(request: HttpRequest) -> Iterator[str]:
    """The path, and every name and value of the query, the posted form and the cookies."""
    yield request.path_info
    # request.POST is the same parse CsrfViewMiddleware makes next; a file's content is not
    # in it, only the form's fields.
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for name, values in data.lists():
            yield name
            yield from values
    for name, value in request.COOKIES.items():
        yield name
        yield value


def _too_few_forwarders(request: HttpRequest) -> bool:
    # Behind N proxies of ours X-Forwarded-For has at least N addresses; fewer means the
    # request went around them, and allauth's throttles would raise ImproperlyConfigured.
    trusted = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for")
    return bool(trusted and forwarded and len(forwarded.split(",")) < trusted)


class EdgeMiddleware:
    """400 for a NUL character anywhere a view may pass it on to a query: none of our URLs or
    forms carries one, and PostgreSQL refuses it in any text (a DataError, so a 500, in
    whichever view met it first). 404 for the sign-in of a provider that is not configured
    (ORCID without ORCID_CLIENT_ID: allauth raises SocialApp.DoesNotExist)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in text for text in _texts(request)):
            raise BadRequest("A NUL character in the request.")
        if _too_few_forwarders(request):
            raise BadRequest("This request did not come through the site's proxies.")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404("This sign-in is not configured here.") from exception
