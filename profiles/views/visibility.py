"""The owner hides their researcher page or shows it again: one POST each, back to the page
(which the owner still sees whole, with the undo)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from bzpeer.actions import act
from profiles.selectors.claims import claim_is_active_owner
from profiles.selectors.researcher import author_brief_get_or_404
from profiles.services.visibility import author_page_hide, author_page_unhide
from works.models import Author


def _get_author_for_owner(request: HttpRequest, author_id: str) -> Author:
    """The record if this visitor owns it through a proven claim; 404 for a missing record,
    403 for anyone else (staff included: hiding is the person's own decision)."""
    author = author_brief_get_or_404(openalex_id=author_id)
    if not claim_is_active_owner(user=request.user, author=author):
        raise PermissionDenied
    return author


@require_POST
@login_required
def page_hide(request: HttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_for_owner(request, author_id)
    return act(
        request,
        lambda: author_page_hide(author=author, user=request.user),
        done="Your page is hidden. Visitors see only that you asked for it to be hidden.",
        back=author,
    )


@require_POST
@login_required
def page_unhide(request: HttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_for_owner(request, author_id)
    return act(
        request,
        lambda: author_page_unhide(author=author, user=request.user),
        done="Your page is shown again.",
        back=author,
    )
