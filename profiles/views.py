from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from profiles.selectors import (
    author_get_brief,
    author_get_by_orcid,
    author_list_featured,
    author_merged_into,
    author_search_page,
    author_work_slice,
    authorship_added_work_ids,
    claim_get_for_viewer,
    claim_is_active_owner,
    follow_exists,
    researcher_page_get,
    researcher_page_stamp,
)
from works.orcid import orcid_normalize


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _page_number(request: HttpRequest, name: str = "page") -> int:
    # A "Show more" step: anything that is not a positive integer means the first one.
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _wants_fragment(request: HtmxHttpRequest) -> bool:
    # A history restore needs the whole page, or the back button shows a bare fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/home.html", {"featured": author_list_featured()})


@require_GET
def researcher_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    needle, page = author_search_page(query=query, number=request.GET.get("page"))
    pager_keep = urlencode({"q": query}) if query else ""
    context = {"query": query, "needle": needle, "page": page, "pager_keep": pager_keep}
    return render(request, "profiles/researcher_list.html", context)


def _same_for_every_anonymous_visitor(request: HttpRequest) -> bool:
    # Anonymous pages differ only by ?page= (the login links carry the full path back), unless
    # a message waits for this visitor ("You have signed out."): len() does not consume it.
    return (
        not request.user.is_authenticated
        and set(request.GET) <= {"page"}
        and not len(get_messages(request))
    )


@require_GET
def researcher_detail(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    orcid = orcid_normalize(author_id)
    if orcid is not None:
        author = author_get_by_orcid(orcid=orcid)
        if author is None:
            raise Http404("No researcher with this ORCID iD in our index.")
        return redirect(author)
    number = _page_number(request)
    if _same_for_every_anonymous_visitor(request):
        # One query for what the page depends on; the whole page comes from the cache while
        # none of it changed (imports, follows and trust scores all change the stamp).
        stamp = researcher_page_stamp(openalex_id=author_id)
        if stamp is None:
            return _merged_or_404(author_id)
        key = f"researcher-page:{stamp}:{number}"
        html = cache.get(key)
        if html is None:
            response = _researcher_detail_render(request, author_id, number)
            cache.set(key, response.content, settings.RESEARCHER_PAGE_CACHE_SECONDS)
        else:
            response = HttpResponse(html)
    else:
        response = _researcher_detail_render(request, author_id, number)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _merged_or_404(author_id: str) -> HttpResponse:
    # A record merged into another (by OpenAlex, or by its owner) leads to that one.
    into = author_merged_into(openalex_id=author_id)
    if into is None:
        raise Http404("No researcher with this id in our index.")
    return redirect("profiles:detail", into, permanent=True)


def _researcher_detail_render(request: HttpRequest, author_id: str, number: int) -> HttpResponse:
    researcher = researcher_page_get(openalex_id=author_id, works_number=number)
    if researcher is None:
        return _merged_or_404(author_id)
    context = {
        "researcher": researcher,
        "author": researcher.author,
        "works": researcher.works,
        # The claim panel for a logged-in visitor (anonymous pages are cached without it).
        "viewer_claim": (
            claim_get_for_viewer(user=request.user, author=researcher.author)
            if request.user.is_authenticated
            else None
        ),
    }
    # Whether this visitor follows them (one query, logged-in visitors only).
    context["viewer_follows"] = follow_exists(user=request.user, author=researcher.author)
    context["can_curate"] = bool(context["viewer_claim"] and context["viewer_claim"].can_curate)
    context["added_work_ids"] = (
        context["viewer_claim"].added_work_ids if context["can_curate"] else set()
    )
    return render(request, "profiles/researcher_detail.html", context)


@require_GET
def researcher_works_more(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """The next works for "Show more": the works-list fragment for htmx; without JavaScript
    the link leads to the researcher page at that step instead."""
    number = _page_number(request)
    if not _wants_fragment(request):
        url = reverse("profiles:detail", args=[author_id])
        response = redirect(f"{url}?page={number}#works")
    else:
        author = author_get_brief(openalex_id=author_id)
        if author is None:
            raise Http404("No researcher with this id in our index.")
        works = author_work_slice(author_id=author.id, number=number)
        # The owner's "Not me" on the next works too (one query, logged-in visitors only).
        can_curate = request.user.is_authenticated and claim_is_active_owner(
            user=request.user, author=author
        )
        added = authorship_added_work_ids(author=author) if can_curate else set()
        context = {
            "author": author,
            "works": works,
            "can_curate": can_curate,
            "added_work_ids": added,
        }
        response = render(request, "profiles/researcher_detail.html#works-list", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
