"""Whole pages kept for anonymous visitors while the corpus is unchanged, with an ETag so a
browser or crawler that has the page already gets a 304.

For pages that show nothing but the corpus (a work, a topic, an institution, search
results): they change only when an import or a curation announces a new corpus version
(CorpusVersion), which is in the key, with whatever else the page names in its stamp (search
leaves out pages their owners hid). Only the address without a query string is kept, unless
the page names the parameters it reads (search: q and page); any other parameter is rendered
each time, as before, so that ?page=1&x=1, ?page=1&x=2, ... cannot fill the cache.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from works.selectors import corpus_version_get

View = Callable[..., HttpResponse]
# A query string longer than this (a search of 200 characters, escaped, and a page) is not
# what a visitor sends: rendered, not kept.
QUERY_KEPT_MAX = 700


def corpus_page(
    view: View | None = None,
    *,
    query_params: tuple[str, ...] = (),
    stamp: Callable[[], object] = corpus_version_get,
) -> View | Callable[[View], View]:
    """Serve the view's page from the cache for anonymous visitors (see the module):
    @corpus_page, or @corpus_page(query_params=(...), stamp=...) where stamp() is one
    query that includes the corpus version."""
    if view is None:
        return lambda view: corpus_page(view, query_params=query_params, stamp=stamp)

    @wraps(view)
    def cached_view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not set(request.GET) <= set(query_params)
            or len(request.META.get("QUERY_STRING", "")) > QUERY_KEPT_MAX
            or request.headers.get("HX-Request")
            or request.user.is_authenticated
            or len(get_messages(request))  # "You have signed out.": len() keeps it
        ):
            return view(request, *args, **kwargs)
        query = urlencode(sorted((k, request.GET[k]) for k in request.GET))
        key = hashlib.sha256(f"{stamp()}:{request.path}?{query}".encode()).hexdigest()
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
