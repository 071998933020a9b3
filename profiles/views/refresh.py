"""The owner's "Refresh from OpenAlex": a panel on their record's page (loaded on its own,
so the cached page never holds a stale state, and polling while a refresh is queued) and the
form that queues one, at most once per RECORD_REFRESH_INTERVAL (429 after that)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from bzpeer.htmx import HtmxHttpRequest, wants_fragment
from profiles.selectors.claims import claim_is_active_owner
from profiles.selectors.refresh import record_refresh_state
from profiles.selectors.researcher import author_brief_get_or_404
from profiles.services.refresh import RefreshError, RefreshTooSoon, record_refresh_request
from works.models import Author


def _get_author_for_owner(request: HtmxHttpRequest, author_id: str) -> Author:
    """The record if this visitor owns it through an active claim, or is staff; 404 for a
    missing record, 403 for anyone else."""
    author = author_brief_get_or_404(openalex_id=author_id)
    if not (request.user.is_staff or claim_is_active_owner(user=request.user, author=author)):
        raise PermissionDenied
    return author


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def record_refresh(request: HtmxHttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_for_owner(request, author_id)
    refused = ""
    if request.method == "POST":
        try:
            record_refresh_request(author=author)
        except RefreshTooSoon as exc:
            refused = str(exc)
        except RefreshError as exc:
            messages.error(request, str(exc))
            return redirect(author)
        else:
            messages.success(request, "Refresh queued: your record and works are being fetched.")
            return redirect(author)
    context = {"author": author, "state": record_refresh_state(author=author), "refused": refused}
    if wants_fragment(request) and not refused:
        return render(request, "profiles/record_refresh.html#refresh-panel", context)
    return render(request, "profiles/record_refresh.html", context, status=429 if refused else 200)
