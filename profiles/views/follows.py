"""Following a researcher: one POST each way, and the /following page with its feed and the
digest opt-in. htmx gets the follow panel back (button and count) with the page's other
follower count swapped out of band; without JavaScript the form posts and the visitor
returns to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, wants_fragment
from profiles.selectors.claims import claim_is_live_owner
from profiles.selectors.follows import digest_opted_in, feed_list, follow_state_get, following_list
from profiles.selectors.researcher import author_brief_get_or_404
from profiles.services.follows import FollowError, digest_opt_in_set, follow_create, follow_delete
from works.models import Author


def _follow_response(request: HtmxHttpRequest, author: Author) -> HttpResponse:
    if not wants_fragment(request):
        return redirect(f"{author.get_absolute_url()}#follow-panel")
    state = follow_state_get(user=request.user, author=author)
    author.followers_count = state.followers_count
    context = {
        "author": author,
        "viewer_follows": state.following,
        # An owner unfollowing a follow from before the rule is offered no button back.
        "viewer_owns": claim_is_live_owner(user=request.user, author=author),
        "oob": True,
    }
    return render(request, "profiles/researcher_detail.html#follow-panel", context)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def follow(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = author_brief_get_or_404(openalex_id=author_id)
    try:
        follow_create(user=request.user, author=author)
    except FollowError as exc:
        # Only a hand-made request gets here: the page offers the owner no button.
        raise PermissionDenied(str(exc)) from exc
    return _follow_response(request, author)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def unfollow(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = author_brief_get_or_404(openalex_id=author_id)
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
