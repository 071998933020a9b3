"""Finding researchers: the home page's starting points and search."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from profiles.selectors.search import author_list_featured, author_search_page, search_stamp
from works.pagecache import corpus_page


@require_GET
@corpus_page(stamp=search_stamp)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/home.html", {"featured": author_list_featured()})


@require_GET
# A common name or a topic word reads thousands of rows: while nothing changed, anonymous
# visitors asking it again get the page from the cache.
@corpus_page(query_params=("q", "page"), stamp=search_stamp)
def researcher_list(request: HttpRequest) -> HttpResponse:
    search = author_search_page(
        query=request.GET.get("q", "").strip(), number=request.GET.get("page")
    )
    pager_keep = urlencode({"q": search.query}) if search.query else ""
    context = {"query": search.query, "search": search, "page": search.page}
    return render(request, "profiles/researcher_list.html", context | {"pager_keep": pager_keep})
