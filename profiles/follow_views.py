"""Following a researcher: one POST each way, and the /following page with its feed and the
digest opt-in. htmx gets the follow panel back (button and
count) with the page's other follower count swapped out of band; without JavaScript the form
posts and the visitor returns to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from profiles.follow_selectors import digest_opted_in, feed_list, following_list
from profiles.follow_services import digest_opt_in_set
from profiles.selectors import author_get_brief, follow_state_get
from profiles.services import follow_create, follow_delete
from profiles.views import HtmxHttpRequest, _wants_fragment
from works.models import Author


def _get_author_or_404(author_id: str) -> Author:
    author = author_get_brief(openalex_id=author_id)
    if author is None:
        raise Http404("No researcher with this id in our index.")
    return author


def _follow_response(request: HtmxHttpRequest, author: Author) -> HttpResponse:
    if not _wants_fragment(request):
        response = redirect(f"{author.get_absolute_url()}#follow-panel")
    else:
        state = follow_state_get(user=request.user, author=author)
        author.followers_count = state.followers_count
        context = {"author": author, "viewer_follows": state.following, "oob": True}
        response = render(request, "profiles/researcher_detail.html#follow-panel", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@login_required
def follow(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_or_404(author_id)
    follow_create(user=request.user, author=author)
    return _follow_response(request, author)


@require_POST
@login_required
def unfollow(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_or_404(author_id)
    follow_delete(user=request.user, author=author)
    return _follow_response(request, author)


@require_GET
@login_required
def following(request: HttpRequest) -> HttpResponse:
    context = {
        "follows": following_list(user=request.user),
        "feed": feed_list(user=request.user),
        "digest_on": digest_opted_in(user=request.user),
    }
    return render(request, "profiles/following.html", context)


@require_POST
@login_required
def following_digest(request: HttpRequest) -> HttpResponse:
    enabled = digest_opt_in_set(user=request.user, enabled=request.POST.get("digest") == "on")
    messages.success(
        request,
        "You will get a daily email of new works."
        if enabled
        else "No more digest emails. New works still show here.",
    )
    return redirect("profiles:following")
