"""The researcher page (cached whole for anonymous visitors) and its "Show more" works."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, page_number, wants_fragment
from profiles.selectors.claims import claim_get_for_viewer, claim_is_active_owner
from profiles.selectors.follows import follow_exists
from profiles.selectors.owner import authorship_added_work_ids
from profiles.selectors.researcher import (
    author_brief_get_or_404,
    author_get_by_orcid,
    author_merged_into,
    author_work_slice,
    researcher_page_get,
    researcher_page_stamp,
)
from works.orcid import orcid_normalize


def _same_for_every_anonymous_visitor(request: HttpRequest) -> bool:
    # Anonymous pages differ only by ?page= (the login links carry the full path back), unless
    # a message waits for this visitor ("You have signed out."): len() does not consume it.
    return (
        not request.user.is_authenticated
        and set(request.GET) <= {"page"}
        and not len(get_messages(request))
    )


@require_GET
@vary_on_headers("HX-Request")
def researcher_detail(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    orcid = orcid_normalize(author_id)
    if orcid is not None:
        author = author_get_by_orcid(orcid=orcid)
        if author is None:
            raise Http404("No researcher with this ORCID iD in our index.")
        return redirect(author)
    number = page_number(request)
    if not _same_for_every_anonymous_visitor(request):
        return _researcher_detail_render(request, author_id, number)
    # One query for what the page depends on; the whole page comes from the cache while none
    # of it changed (imports, follows, claims and the owner's profile all change the stamp).
    stamp = researcher_page_stamp(openalex_id=author_id)
    if stamp is None:
        return _merged_or_404(author_id)
    key = f"researcher-page:{stamp}:{number}"
    html = cache.get(key)
    if html is not None:
        return HttpResponse(html)
    response = _researcher_detail_render(request, author_id, number)
    cache.set(key, response.content, settings.RESEARCHER_PAGE_CACHE_SECONDS)
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
    author = researcher.author
    # The claim panel and follow state of a logged-in visitor (anonymous pages are cached
    # without them).
    viewer_claim = (
        claim_get_for_viewer(user=request.user, author=author)
        if request.user.is_authenticated
        else None
    )
    can_curate = bool(viewer_claim and viewer_claim.can_curate)
    context = {
        "researcher": researcher,
        "author": author,
        "works": researcher.works,
        "viewer_claim": viewer_claim,
        "viewer_follows": follow_exists(user=request.user, author=author),
        "viewer_owns": bool(viewer_claim and viewer_claim.is_owner),
        "can_curate": can_curate,
        "added_work_ids": viewer_claim.added_work_ids if can_curate else set(),
    }
    return render(request, "profiles/researcher_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def researcher_works_more(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """The next works for "Show more": the works-list fragment for htmx; without JavaScript
    the link leads to the researcher page at that step instead."""
    number = page_number(request)
    if not wants_fragment(request):
        url = reverse("profiles:detail", args=[author_id])
        return redirect(f"{url}?page={number}#works")
    author = author_brief_get_or_404(openalex_id=author_id)
    # The owner's "Not me" on the next works too (one query, logged-in visitors only).
    can_curate = request.user.is_authenticated and claim_is_active_owner(
        user=request.user, author=author
    )
    context = {
        "author": author,
        "works": author_work_slice(author_id=author.id, number=number),
        "can_curate": can_curate,
        "added_work_ids": authorship_added_work_ids(author=author) if can_curate else set(),
    }
    return render(request, "profiles/researcher_detail.html#works-list", context)
