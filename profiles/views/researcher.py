"""The researcher page (cached whole: one copy for anonymous visitors, one per logged-in
visitor), its "Show more" works, and the full lists of their co-authors and topics."""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, page_number, wants_fragment
from profiles.selectors.claims import claim_get_for_viewer, claim_is_active_owner
from profiles.selectors.follows import follow_exists
from profiles.selectors.owner import authorship_added_work_ids
from profiles.selectors.researcher import (
    author_brief_get_or_404,
    author_coauthor_slice,
    author_get_by_orcid,
    author_merged_into,
    author_topic_slice,
    author_work_slice,
    researcher_page_get,
    researcher_page_stamp,
)
from profiles.selectors.viewer import viewer_stamp
from works.models import Author
from works.orcid import orcid_normalize


def _cached_copy_for(request: HttpRequest) -> str | None:
    """Whose cached copy of the page this request may have, or None to render it afresh.
    Pages differ only by ?page= (the login links carry the full path back) unless a message
    waits for this visitor ("You have signed out.": len() does not consume it). Anonymous
    visitors share one copy; a logged-in visitor has their own (their name in the header,
    their unread count, follow and claim controls, and the CSRF token of its forms), kept
    while viewer_stamp is unchanged. Without a CSRF cookie yet, the token rendered would be
    made from a secret this visitor does not hold on their next request: not kept."""
    if not set(request.GET) <= {"page"} or len(get_messages(request)):
        return None
    if not request.user.is_authenticated:
        return "anonymous"
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    return viewer_stamp(user=request.user, csrf_secret=secret)


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
    copy = _cached_copy_for(request)
    if copy is None:
        return _researcher_detail_render(request, author_id, number)
    # One query for what the page depends on; the whole page comes from the cache while none
    # of it changed (imports, follows, claims and the owner's profile all change the stamp).
    stamp = researcher_page_stamp(openalex_id=author_id)
    if stamp is None:
        return _merged_or_404(author_id)
    # Hashed: the stamp holds times with spaces, which no cache key should.
    digest = hashlib.sha256(f"{stamp}:{number}:{copy}".encode()).hexdigest()
    key = f"researcher-page:{digest}"
    # The key names everything the page shows, so it is the page's ETag as well: a browser
    # or crawler holding this version gets a 304 without the cache being read.
    etag = f'"{digest[:32]}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        html = cache.get(key)
        if html is not None:
            response = HttpResponse(html)
        else:
            response = _researcher_detail_render(request, author_id, number)
            if response.status_code != 200:
                return response
            cache.set(key, response.content, settings.RESEARCHER_PAGE_CACHE_SECONDS)
    response.headers["ETag"] = etag
    if copy != "anonymous":
        # Their name, unread count and CSRF token: no shared cache may keep it.
        patch_cache_control(response, private=True)
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
    if author.owner_hidden_at and not can_curate:
        # Its owner asked for it to be hidden: only that, to everyone but them.
        return render(request, "profiles/researcher_hidden.html", {"author": author})
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
    if hidden := _hidden_page(request, author):
        return hidden
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


def _hidden_page(request: HttpRequest, author: Author) -> HttpResponse | None:
    """The hidden notice in place of a list of a page its owner hid (one query, only then)."""
    if author.owner_hidden_at and not (
        request.user.is_authenticated and claim_is_active_owner(user=request.user, author=author)
    ):
        return render(request, "profiles/researcher_hidden.html", {"author": author})
    return None


@require_GET
@vary_on_headers("HX-Request")
def researcher_coauthors(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """Every co-author, a step at a time: htmx appends the next step (the coauthor-list
    fragment), and the same link without JavaScript is the page at that step."""
    author = author_brief_get_or_404(openalex_id=author_id, coauthors_count=True)
    if hidden := _hidden_page(request, author):
        return hidden
    context = {
        "author": author,
        "coauthors": author_coauthor_slice(author_id=author.id, number=page_number(request)),
    }
    template = "profiles/researcher_coauthors.html"
    return render(
        request, f"{template}#coauthor-list" if wants_fragment(request) else template, context
    )


@require_GET
@vary_on_headers("HX-Request")
def researcher_topics(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    """Every topic of their works, a step at a time, like researcher_coauthors."""
    author = author_brief_get_or_404(openalex_id=author_id)
    if hidden := _hidden_page(request, author):
        return hidden
    context = {
        "author": author,
        "topics": author_topic_slice(author_id=author.id, number=page_number(request)),
    }
    template = "profiles/researcher_topics.html"
    return render(
        request, f"{template}#topic-list" if wants_fragment(request) else template, context
    )
