"""Whole pages kept for anonymous visitors while the corpus is unchanged, with an ETag so a
browser or crawler that has the page already gets a 304.

For pages that show nothing but the corpus (a work, a topic, an institution): they change
only when an import or a curation announces a new corpus version (CorpusVersion), which is
in the key. Only the address without a query string is kept: that is what visitors and
crawlers arrive at, and a key per query string would let anyone fill the cache with
?page=1, ?page=01, ... (the other variants are rendered each time, as before).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from works.selectors import corpus_version_get

View = Callable[..., HttpResponse]


def corpus_page(view: View) -> View:
    """Serve the view's page from the cache for anonymous visitors (see the module)."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or request.GET
            or request.headers.get("HX-Request")
            or request.user.is_authenticated
            or len(get_messages(request))  # "You have signed out.": len() keeps it
        ):
            return view(request, *args, **kwargs)
        key = hashlib.sha256(f"{corpus_version_get()}:{request.path}".encode()).hexdigest()
        etag = f'"{key[:32]}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            content = cache.get(f"corpus-page:{key}")
            if content is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                cache.set(f"corpus-page:{key}", response.content, settings.PAGE_CACHE_SECONDS)
            else:
                response = HttpResponse(content)
        response.headers["ETag"] = etag
        # The same address shows another header to a logged-in visitor.
        patch_vary_headers(response, ["Cookie"])
        return response

    return cached_view
